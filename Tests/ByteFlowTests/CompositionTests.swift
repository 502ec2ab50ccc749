import ByteFlow
import Testing

/// Stages composed the ways issue 8 is about: chained replaces on match-dense
/// text (the next stage receives pieces of a few bytes), deep chains of mixed
/// stages built by appending and by ``StagesBuilder``, and reuse after a
/// failed run through ``ByteTransform/reset()``. Every case runs in every
/// chunking through the specialized and the boxed pipeline against the
/// reference.
@Suite("Composition")
struct CompositionTests {
    /// Lines like the dense regime: a match about every 20 bytes.
    static func denseText(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        let words = ["the", "king", "elvis", "has", "left", "building", "\n", "elvi", "kin", "elviselvis"]
            .map(utf8)
        var text: [UInt8] = []
        while text.count < count {
            text += words[Int.random(in: 0..<words.count, using: &random)]
            text.append(UInt8(ascii: " "))
        }
        return text
    }

    @Test("Chained replaces on dense text", arguments: [1, 2, 3])
    func chainedReplacesOnDenseText(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let input = Self.denseText(700, seed: seed)
        let steps = [("elvis", "Elvis"), ("king", "KING"), ("Elvis KING", "E.K."), ("the", "")].map {
            (pattern: utf8($0.0), replacement: utf8($0.1))
        }
        let r = try steps.map { try ReplaceTransform($0.pattern, with: $0.replacement) }
        let all = chunkings(for: input.count, randomCount: 4, everyFixedSizeUpTo: 0, using: &random)
        expectEveryChunking(
            of: input, through: r[0].followed(by: r[1]), boxedAs: [r[0], r[1]],
            gives: referenceReplace(input, Array(steps[0..<2])), in: all, "replace → replace")
        let p = PassThroughTransform()
        expectEveryChunking(
            of: input, through: r[0].followed(by: p).followed(by: p).followed(by: r[1]),
            boxedAs: [r[0], p, p, r[1]], gives: referenceReplace(input, Array(steps[0..<2])), in: all,
            "replace → pass → pass → replace")
        expectEveryChunking(
            of: input, through: r[0].followed(by: r[1]).followed(by: r[2]).followed(by: r[3]),
            boxedAs: r, gives: referenceReplace(input, steps), in: all, "four replaces")
    }

    /// Sixteen stages: eight replaces that walk `a` → `b` → … → `i` and eight
    /// stages between them that forward (a pass-through, a stage that splits
    /// every chunk in single bytes, one that gathers).
    @Test("A deep chain of mixed stages, appended and built", arguments: [4, 5])
    func deepChain(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let input = random.bytes(300, from: utf8("abcdefghi-"))
        let letters = "abcdefghi".map { utf8(String($0)) }
        let steps = (0..<8).map { (pattern: letters[$0], replacement: letters[$0 + 1]) }
        let r = try steps.map { try ReplaceTransform($0.pattern, with: $0.replacement) }
        let p = PassThroughTransform()
        let s = ByteSplitter()
        let u = ASCIIUppercase(scratchSize: 5)
        let expected = referenceReplace(input, steps)
        let boxed: [any ByteTransform] = [
            r[0], p, r[1], s, r[2], p, r[3], s, r[4], p, r[5], s, r[6], p, r[7], p,
        ]
        let all = chunkings(for: input.count, randomCount: 4, everyFixedSizeUpTo: 40, using: &random)
        let appended = r[0].followed(by: p).followed(by: r[1]).followed(by: s).followed(by: r[2])
            .followed(by: p).followed(by: r[3]).followed(by: s).followed(by: r[4]).followed(by: p)
            .followed(by: r[5]).followed(by: s).followed(by: r[6]).followed(by: p).followed(by: r[7])
            .followed(by: p)
        expectEveryChunking(
            of: input, through: appended, boxedAs: boxed, gives: expected, in: all, "appended")
        let built = Pipeline(from: BytesSource(input), into: BufferSink()) {
            r[0]
            p
            r[1]
            s
            r[2]
            p
            r[3]
            s
            r[4]
            p
            r[5]
            s
            r[6]
            p
            r[7]
            p
        }
        #expect(type(of: built.transform) == type(of: appended))
        expectEveryChunking(
            of: input, through: built.transform, boxedAs: boxed, gives: expected, in: all, "built")
        // With an uppercasing last stage the output differs: a check that the
        // sixteenth stage runs at all.
        let upper = r[0].followed(by: p).followed(by: r[1]).followed(by: s).followed(by: r[2])
            .followed(by: p).followed(by: r[3]).followed(by: s).followed(by: r[4]).followed(by: p)
            .followed(by: r[5]).followed(by: s).followed(by: r[6]).followed(by: p).followed(by: r[7])
            .followed(by: u)
        expectEveryChunking(
            of: input, through: upper, boxedAs: Array(boxed.dropLast()) + [u],
            gives: expected.map { (97...122).contains($0) ? $0 - 32 : $0 }, in: all, "uppercased")
    }

    @Test("Building a stage that throws rethrows from the builder")
    func builderRethrows() {
        #expect(throws: ByteFlowError.self) {
            _ = try Pipeline(from: BytesSource("x"), into: BufferSink()) {
                PassThroughTransform()
                try ReplaceTransform("", with: "x")
            }
        }
    }

    @Test("A failed run resets the stages; the next run starts clean", arguments: [1, 2, 3, 7])
    func resetAfterFailure(chunkSize: Int) throws {
        // "elv" at the failure point is held back by both replaces; reset
        // must drop it without writing it anywhere.
        let input = utf8("elvis king elv")
        let steps = [
            (pattern: utf8("elvis"), replacement: utf8("E")), (pattern: utf8("E k"), replacement: utf8("K")),
        ]
        let stages = try steps.map { try ReplaceTransform($0.pattern, with: $0.replacement) }
        let failing = FailingSource(input, chunkSize: chunkSize, failingChunk: (input.count - 1) / chunkSize)
        var specialized = failing.transformed(by: stages[0]).transformed(by: ResetCounter())
            .transformed(by: stages[1]).into(BufferSink())
        var boxed = BoxedPipeline(
            source: failing, transforms: [stages[0], ResetCounter(), stages[1]], sink: BufferSink())
        let specializedError = caught(PipelineError.self) { try specialized.run() }
        let boxedError = caught(PipelineError.self) { try boxed.run() }
        #expect(specializedError?.stage == .source)
        #expect(boxedError?.stage == .source)
        // Nothing was written after the failure: the sink holds what the
        // error says reached it.
        #expect(specialized.sink.count == specializedError?.bytesWritten)
        #expect(boxed.sink(as: BufferSink.self)?.count == boxedError?.bytesWritten)
        #expect(specialized.transform.second.first.resets == 1)

        let next = utf8("vis elvis king")
        let expected = referenceReplace(next, steps)
        specialized.sink.removeAll()
        var again = BytesSource(next).transformed(by: specialized.transform).into(BufferSink())
        try again.run()
        #expect(again.sink.bytes == expected)
        var boxedAgain = BoxedPipeline(
            source: BytesSource(next), transforms: boxed.transforms, sink: BufferSink())
        try boxedAgain.run()
        #expect(boxedAgain.sink(as: BufferSink.self)?.bytes == expected)
    }
}

/// Forwards every chunk one byte at a time: the smallest pieces a stage can
/// hand the next one.
struct ByteSplitter: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        for offset in 0..<chunk.byteCount {
            try next.write(chunk.extracting(offset..<offset + 1))
        }
    }
}

/// A pass-through stage that counts how often it was reset.
struct ResetCounter: ByteTransform {
    private(set) var resets = 0

    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }

    mutating func reset() {
        resets += 1
    }
}
