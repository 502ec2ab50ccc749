import ByteFlow
import Testing

/// A sink that accepts `limit` bytes, then throws.
private struct LimitedSink: ByteSink {
    struct Full: Error {}
    var limit: Int
    var received: [UInt8] = []

    mutating func write(_ bytes: RawSpan) throws {
        guard received.count + bytes.byteCount <= limit else { throw Full() }
        bytes.withUnsafeBytes { received += $0 }
    }
}

/// Regression: a failed boxed run crashed in its clean-up.
///
/// After a failure the run finishes the stages into a `DiscardSink` so that a
/// reused pipeline starts clean; the boxed stages once assumed their
/// downstream was always the run's own metered sink and trapped on any other.
@Suite("Boxed pipeline failures")
struct BoxedFailureTests {
    @Test("A failing sink surfaces as .sink and the pipeline can run again", arguments: [0, 3, 7])
    func failingSinkThenReuse(limit: Int) throws {
        var boxed = BoxedPipeline(
            source: try BytesSource("elvis, elvis, elvi", chunkSize: 4),
            transforms: [try ReplaceTransform("elvis", with: "Elvis"), PassThroughTransform()],
            sink: LimitedSink(limit: limit))
        let error = try #require(throws: PipelineError.self) { try boxed.run() }
        #expect(error.stage == .sink)
        #expect(error.underlying is LimitedSink.Full)

        boxed.source = BytesSource("elvi")
        boxed.sink = BufferSink()
        try boxed.run()
        #expect(boxed.sink(as: BufferSink.self)?.string == "elvi")
    }
}
