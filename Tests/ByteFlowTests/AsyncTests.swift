import ByteFlow
import Testing

/// An endless async sequence of chunks, for cancellation tests.
private struct EndlessChunks: AsyncSequence {
    typealias Element = [UInt8]
    /// Told once, when the second chunk is asked for: the first has been
    /// read and processed by then.
    var started: AsyncStream<Void>.Continuation? = nil
    struct AsyncIterator: AsyncIteratorProtocol {
        var started: AsyncStream<Void>.Continuation?
        var calls = 0
        mutating func next() async throws -> [UInt8]? {
            await Task.yield()
            calls += 1
            if calls == 2, let started {
                started.yield()
                started.finish()
                self.started = nil
            }
            return Array("elvis ".utf8)
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(started: started) }
}

@Suite("Async adapters")
struct AsyncTests {
    @Test("An async run equals the synchronous run for every chunking")
    func asyncRunMatchesSyncRun() async throws {
        let input = Array("elvielviselvis aelvis xxelvi".utf8)
        var expectedPipeline = try BytesSource(input)
            .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
            .into(BufferSink())
        expectedPipeline.run()
        for size in 1...input.count {
            let chunks = stride(from: 0, to: input.count, by: size).map {
                Array(input[$0..<min($0 + size, input.count)])
            }
            let stream = AsyncStream<[UInt8]> { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            var replace = try ReplaceTransform("elvis", with: "Elvis")
            var sink = BufferSink()
            let summary = try await replace.run(stream, into: &sink)
            #expect(sink.bytes == expectedPipeline.sink.bytes, "chunk size \(size)")
            #expect(summary.bytesRead == input.count)
            #expect(summary.bytesWritten == sink.bytes.count)
        }
    }

    @Test("Cancelling an async run stops it at the next chunk with CancellationError")
    func cancellationStopsPromptly() async throws {
        // Cancelled once a chunk has gone through (not after a fixed sleep:
        // under the sanitizers on a loaded machine the run had not started
        // after 20 ms, and nothing had been read).
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let task = Task { () -> PipelineError? in
            var replace = try ReplaceTransform("elvis", with: "Elvis")
            var sink = DiscardSink()
            do {
                try await replace.run(EndlessChunks(started: startedContinuation), into: &sink)
                return nil
            } catch {
                return error as? PipelineError
            }
        }
        for await _ in started { break }
        task.cancel()
        let error = try await task.value
        let failure = try #require(error)
        #expect(failure.stage == .source)
        #expect(failure.underlying is CancellationError)
        #expect(failure.bytesRead > 0)
    }

    @Test("AsyncStreamSink hands the output to an async consumer")
    func asyncStreamSink() async throws {
        let input = String(repeating: "elvis and elvis; ", count: 100)
        var pipeline = try BytesSource(input, chunkSize: 7)
            .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
            .into(AsyncStreamSink(chunkSize: 64))
        let stream = pipeline.sink.stream
        let consumer = Task {
            var collected: [UInt8] = []
            var sizes: [Int] = []
            for try await chunk in stream {
                collected += chunk
                sizes.append(chunk.count)
            }
            return (collected, sizes)
        }
        try pipeline.run()
        pipeline.sink.finish()
        let (collected, sizes) = try await consumer.value
        #expect(String(decoding: collected, as: UTF8.self) == input.replacing("elvis", with: "Elvis"))
        #expect(sizes.dropLast().allSatisfy { $0 == 64 })
    }

    @Test("AsyncStreamSink passes a run's error to the consumer")
    func asyncStreamSinkError() async throws {
        let sink = try AsyncStreamSink()
        sink.finish(throwing: ByteFlowError.emptyPattern)
        await #expect(throws: ByteFlowError.emptyPattern) {
            for try await _ in sink.stream {}
        }
    }
}
