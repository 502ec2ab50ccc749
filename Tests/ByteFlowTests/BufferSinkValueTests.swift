import ByteFlow
import Testing

/// `BufferSink` appends in place without a uniqueness check per write (see
/// its "frontier"); these tests prove that it is still a value: a copy taken
/// at any point never sees a later write, removal or growth of another copy.
@Suite("BufferSink value semantics")
struct BufferSinkValueTests {
    @Test("a copy taken mid-way is not modified by later writes to the original")
    func copyIsNotModifiedByOriginal() {
        var original = BufferSink(capacity: 64)
        original.write([UInt8]("hello ".utf8).span.bytes)
        let copy = original
        original.write([UInt8]("world".utf8).span.bytes)
        #expect(copy.string == "hello ")
        #expect(original.string == "hello world")
    }

    @Test("a copy that writes after the original did gets its own bytes; the original keeps its own")
    func bothCopiesWrite() {
        var original = BufferSink(capacity: 64)
        original.write([UInt8]("ab".utf8).span.bytes)
        var copy = original
        original.write([UInt8]("cd".utf8).span.bytes)
        copy.write([UInt8]("XY".utf8).span.bytes)
        original.write([UInt8]("ef".utf8).span.bytes)
        #expect(original.string == "abcdef")
        #expect(copy.string == "abXY")
    }

    @Test("emptying either copy leaves the other's bytes in place")
    func removeAllOnShared() {
        var original = BufferSink(capacity: 64)
        original.write([UInt8]("abc".utf8).span.bytes)
        var copy = original
        copy.removeAll(keepingCapacity: true)
        copy.write([UInt8]("Z".utf8).span.bytes)
        #expect(original.string == "abc")
        #expect(copy.string == "Z")
        original.removeAll(keepingCapacity: true)
        original.write([UInt8]("Q".utf8).span.bytes)
        #expect(copy.string == "Z")
        #expect(original.string == "Q")
    }

    /// Random writes (of sizes across the inline-copy cases and past the
    /// capacity), copies, removals and drops on a handful of values, each
    /// compared after every step with an `[UInt8]` model.
    @Test("random writes, copies and removals match an array model", arguments: [1, 2, 3, 4, 5])
    func randomOperationsMatchModel(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var sinks = [BufferSink](repeating: BufferSink(capacity: 8), count: 4)
        var models = [[UInt8]](repeating: [], count: 4)
        for step in 0..<2_000 {
            let i = Int.random(in: 0..<sinks.count, using: &random)
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6:
                let length = [0, 1, 3, 5, 8, 13, 16, 17, 40, 200][Int.random(in: 0..<10, using: &random)]
                let bytes = random.bytes(length, from: Array(0...255))
                // Write through a local, as a pipeline does, and put it back.
                var sink = sinks[i]
                sinks[i] = BufferSink()
                sink.write(bytes.span.bytes)
                sinks[i] = sink
                models[i] += bytes
            case 6, 7:
                let j = Int.random(in: 0..<sinks.count, using: &random)
                sinks[j] = sinks[i]
                models[j] = models[i]
            case 8:
                sinks[i].removeAll(keepingCapacity: Bool.random(using: &random))
                models[i] = []
            default:
                sinks[i] = BufferSink(capacity: Int.random(in: 0..<32, using: &random))
                models[i] = []
            }
            for k in sinks.indices {
                #expect(sinks[k].bytes == models[k], "seed \(seed), step \(step), value \(k)")
                #expect(sinks[k].count == models[k].count, "seed \(seed), step \(step), value \(k)")
            }
        }
    }
}
