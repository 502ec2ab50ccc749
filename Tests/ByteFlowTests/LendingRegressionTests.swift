import ByteFlow
import Testing

/// A transform the optimizer may not inline: the shape that exposed the bug.
private struct NotInlinedCopy: ByteTransform {
    @inline(never)
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }
}

/// Regression: writes to a value-type sink were lost in release builds.
///
/// Stages once handed their downstream to the next stage through pointers
/// from `withUnsafeMutablePointer(to:)` stored in an adapter struct. Swift
/// 6.3.1's optimizer drops writes made through such a pointer when the struct
/// is passed `inout` to a function it does not inline: a pipeline with a
/// non-inlined transform reported the right summary but read back an empty
/// sink. The bug shows only with optimization, so CI also runs the tests in
/// release mode (`swift test -c release`). See Sources/ByteFlow/Lending.swift.
@Suite("Regression: lost writes through lent pointers")
struct LendingRegressionTests {
    @Test("A non-inlined transform writes into a DiscardSink", arguments: [1, 3, 100])
    func discardSinkSeesEveryByte(chunkSize: Int) throws {
        var pipeline = try BytesSource("hello world", chunkSize: chunkSize)
            .transformed(by: NotInlinedCopy())
            .into(DiscardSink())
        let summary = try pipeline.run()
        #expect(summary.bytesWritten == 11)
        #expect(pipeline.sink.byteCount == 11)
    }

    @Test("Chains with a non-inlined stage write into a BufferSink", arguments: [1, 3, 100])
    func bufferSinkThroughChains(chunkSize: Int) throws {
        var two = try BytesSource("hello elvis", chunkSize: chunkSize)
            .transformed(by: NotInlinedCopy())
            .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
            .into(BufferSink())
        try two.run()
        #expect(two.sink.string == "hello Elvis")

        var three = try BytesSource("hello elvis", chunkSize: chunkSize)
            .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
            .transformed(by: NotInlinedCopy())
            .transformed(by: PassThroughTransform())
            .into(BufferSink())
        let summary = try three.run()
        #expect(three.sink.string == "hello Elvis")
        #expect(summary.bytesWritten == 11)
    }

    @Test("The boxed pipeline with a non-inlined stage writes into a BufferSink")
    func boxedBufferSink() throws {
        var boxed = BoxedPipeline(
            source: try BytesSource("hello elvis", chunkSize: 2),
            transforms: [NotInlinedCopy(), try ReplaceTransform("elvis", with: "Elvis"), NotInlinedCopy()],
            sink: BufferSink())
        let summary = try boxed.run()
        #expect(boxed.sink(as: BufferSink.self)?.string == "hello Elvis")
        #expect(summary.bytesWritten == 11)
    }

    @Test("An async run with a non-inlined transform writes into a DiscardSink")
    func asyncDiscardSink() async throws {
        let chunks = AsyncStream<[UInt8]> { continuation in
            continuation.yield(Array("hello ".utf8))
            continuation.yield(Array("world".utf8))
            continuation.finish()
        }
        var transform = NotInlinedCopy()
        var sink = DiscardSink()
        let summary = try await transform.run(chunks, into: &sink)
        #expect(sink.byteCount == 11)
        #expect(summary.bytesWritten == 11)
    }
}
