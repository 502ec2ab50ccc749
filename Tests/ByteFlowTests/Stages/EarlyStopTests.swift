import ByteFlow
import Testing

/// What a source handed out: all bytes, and the bytes before its last chunk.
/// A class so that the boxed and async runs, which keep their source to
/// themselves, can still be asked.
private final class ReadLog: @unchecked Sendable {
    var bytes = 0
    var bytesBeforeLastChunk = 0

    func record(_ count: Int) {
        bytesBeforeLastChunk = bytes
        bytes += count
    }
}

/// A ``ChunkedSource`` that logs every chunk it hands out.
private struct LoggedSource: ByteSource {
    var base: ChunkedSource
    let log: ReadLog

    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        try base.read { chunk in
            log.record(chunk.byteCount)
            try body(chunk)
        }
    }
}

/// The chunks of `input` as `chunking` cuts them, empty ones included.
private func pieces(_ input: [UInt8], _ chunking: Chunking) -> [[UInt8]] {
    var source = ChunkedSource(input, chunking)
    var result: [[UInt8]] = []
    while (try? source.read({ chunk in result.append(chunk.withUnsafeBytes { Array($0) }) })) == true {}
    return result
}

/// An async sequence over `chunks` that logs each one it hands out.
private struct LoggedChunks: AsyncSequence, Sendable {
    let chunks: [[UInt8]]
    let log: ReadLog

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: [[UInt8]]
        let log: ReadLog
        var index = 0
        mutating func next() async throws -> [UInt8]? {
            guard index < chunks.count else { return nil }
            defer { index += 1 }
            log.record(chunks[index].count)
            return chunks[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: chunks, log: log) }
}

@Suite("Early stop: a finished PrefixTransform ends reading")
struct EarlyStopTests {
    /// Upper-cases, keeps the first `n` bytes, drops the vowels: the prefix
    /// in the middle of a chain, with 1:1 stages before it so that its input
    /// position is the source's.
    private func stages(_ n: Int) -> Chain<ByteMapTransform, Chain<PrefixTransform, ByteFilterTransform>> {
        ByteMapTransform.asciiUppercase.followed(by: PrefixTransform(n))
            .followed(by: ByteFilterTransform(dropping: Set(utf8("AEIOU"))))
    }

    private func boxedStages(_ n: Int) -> [any ByteTransform] {
        [
            ByteMapTransform.asciiUppercase, PrefixTransform(n),
            ByteFilterTransform(dropping: Set(utf8("AEIOU"))),
        ]
    }

    private func reference(_ input: [UInt8], _ n: Int) -> [UInt8] {
        Array(input.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }.prefix(n)).filter {
            !utf8("AEIOU").contains($0)
        }
    }

    /// Records an issue unless the run read exactly up to the chunk in which
    /// the limit passed: nothing for `n == 0`, everything for a short input.
    private func expectStopped(
        _ log: ReadLog, _ summary: PipelineSummary, n: Int, count: Int, _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(summary.bytesRead == log.bytes, "\(context)", sourceLocation: sourceLocation)
        if n == 0 {
            #expect(log.bytes == 0, "\(context)", sourceLocation: sourceLocation)
        } else if count <= n {
            #expect(log.bytes == count, "\(context)", sourceLocation: sourceLocation)
        } else {
            // The last chunk read is the one that reached the limit.
            #expect(
                log.bytesBeforeLastChunk < n && n <= log.bytes, "\(context): read \(log.bytes)",
                sourceLocation: sourceLocation)
        }
    }

    private func inputs() -> [(input: [UInt8], chunkings: [Chunking])] {
        var random = SeededRandom(seed: 71)
        return [0, 1, 7, 80, 3_000].map { length in
            let input = random.bytes(length, from: utf8("hello, world AEIOU\n"))
            return (input, chunkings(for: length, randomCount: 4, everyFixedSizeUpTo: 90, using: &random))
        }
    }

    @Test(
        "Specialized and boxed runs stop within one chunk of the limit, with the reference output",
        arguments: [0, 1, 5, 79, 1000, 100_000])
    func syncRunsStop(n: Int) throws {
        for (input, cuts) in inputs() {
            let expected = reference(input, n)
            for chunking in cuts {
                let context = "n \(n), \(input.count) bytes, chunking \(chunking)"
                let specializedLog = ReadLog()
                var specialized = LoggedSource(base: ChunkedSource(input, chunking), log: specializedLog)
                    .transformed(by: stages(n)).into(BufferSink())
                let specializedSummary = try specialized.run()
                #expect(specialized.sink.bytes == expected, "specialized, \(context)")
                expectStopped(
                    specializedLog, specializedSummary, n: n, count: input.count, "specialized, \(context)")

                let boxedLog = ReadLog()
                var boxed = BoxedPipeline(
                    source: LoggedSource(base: ChunkedSource(input, chunking), log: boxedLog),
                    transforms: boxedStages(n), sink: BufferSink())
                let boxedSummary = try boxed.run()
                #expect(boxed.sink(as: BufferSink.self)?.bytes == expected, "boxed, \(context)")
                expectStopped(boxedLog, boxedSummary, n: n, count: input.count, "boxed, \(context)")
            }
        }
    }

    @Test("A chain whose last stage is the prefix stops too; its first stage's held bytes are discarded")
    func finishedSecondStageStops() throws {
        let input = Array(utf8(String(repeating: "one\ntwo\nthree\n", count: 50)))
        for chunking: Chunking in [.fixed(1), .fixed(7), .fixed(64), .pieces([3, 0, 20])] {
            let log = ReadLog()
            var pipeline = LoggedSource(base: ChunkedSource(input, chunking), log: log)
                .transformed(by: try DelimiterFramer.lines(maximumFrameLength: 64))
                .transformed(by: PrefixTransform(10))
                .into(BufferSink())
            let summary = try pipeline.run()
            var reference = BytesSource(input).transformed(
                by: try DelimiterFramer.lines(maximumFrameLength: 64)
            )
            .into(BufferSink())
            try reference.run()
            #expect(pipeline.sink.bytes == Array(reference.sink.bytes.prefix(10)), "chunking \(chunking)")
            #expect(summary.bytesRead == log.bytes && log.bytes < input.count, "chunking \(chunking)")
            // Reusable: the finished stage is reset by finish, so a second run reads again.
            pipeline.source = LoggedSource(base: ChunkedSource(input, chunking), log: ReadLog())
            pipeline.sink = BufferSink()
            try pipeline.run()
            #expect(pipeline.sink.bytes == Array(reference.sink.bytes.prefix(10)), "second run, \(chunking)")
        }
    }

    @Test(
        "Both async runs stop within one chunk of the limit, with the reference output",
        arguments: [0, 1, 79, 1000])
    func asyncRunsStop(n: Int) async throws {
        for (input, cuts) in inputs() {
            let expected = reference(input, n)
            for chunking in cuts {
                let context = "n \(n), \(input.count) bytes, chunking \(chunking)"
                let chunks = pieces(input, chunking)

                let sourceLog = ReadLog()
                var transform = stages(n)
                var sink = BufferSink()
                let summary = try await AsyncChunkSource(LoggedChunks(chunks: chunks, log: sourceLog)).run(
                    through: &transform, into: &sink)
                #expect(sink.bytes == expected, "AsyncChunkSource, \(context)")
                expectStopped(sourceLog, summary, n: n, count: input.count, "AsyncChunkSource, \(context)")

                let runLog = ReadLog()
                var transform2 = stages(n)
                var sink2 = BufferSink()
                let summary2 = try await transform2.run(
                    LoggedChunks(chunks: chunks, log: runLog), into: &sink2)
                #expect(sink2.bytes == expected, "ByteTransform.run, \(context)")
                expectStopped(runLog, summary2, n: n, count: input.count, "ByteTransform.run, \(context)")
            }
        }
    }

    @Test("Only stages that can finish early say so: the prefix, and chains that contain one")
    func canFinishEarlyDeclarations() {
        #expect(PrefixTransform.canFinishEarly)
        #expect(!PassThroughTransform.canFinishEarly)
        #expect(!CountingTransform.canFinishEarly)
        #expect(!ByteMapTransform.canFinishEarly)
        #expect(Chain<PrefixTransform, ByteMapTransform>.canFinishEarly)
        #expect(Chain<ByteMapTransform, PrefixTransform>.canFinishEarly)
        #expect(!Chain<ByteMapTransform, ByteFilterTransform>.canFinishEarly)
        #expect(type(of: stages(3)).canFinishEarly)
        let boxed: [any ByteTransform] = boxedStages(3)
        #expect(boxed.map { type(of: $0).canFinishEarly } == [false, true, false])
    }

    @Test(
        "A boxed run stops for a prefix at any position, also past the 64 stages it keeps a bitmask for",
        arguments: [0, 1, 63, 64, 70])
    func boxedPrefixAtAnyPosition(position: Int) throws {
        let input = Array(utf8(String(repeating: "hello, world\n", count: 40)))
        let n = 100
        for chunking: Chunking in [.fixed(1), .fixed(16), .pieces([5, 0, 33])] {
            var transforms: [any ByteTransform] = Array(repeating: PassThroughTransform(), count: 72)
            transforms[position] = PrefixTransform(n)
            let log = ReadLog()
            var boxed = BoxedPipeline(
                source: LoggedSource(base: ChunkedSource(input, chunking), log: log), transforms: transforms,
                sink: BufferSink())
            let summary = try boxed.run()
            let context = "prefix at \(position), chunking \(chunking)"
            #expect(boxed.sink(as: BufferSink.self)?.bytes == Array(input.prefix(n)), "\(context)")
            expectStopped(log, summary, n: n, count: input.count, context)
        }
    }
}
