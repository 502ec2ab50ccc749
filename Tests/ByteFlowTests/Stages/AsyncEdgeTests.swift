import ByteFlow
import Synchronization
import Testing

/// The chunks of a test, handed out in order without any buffering of
/// their own; `onChunk` runs as each is handed out (to cancel mid-stream).
private struct ListedChunks<Chunk: ByteChunk & Sendable>: AsyncSequence, Sendable {
    let chunks: [Chunk]
    var onChunk: (@Sendable (Int) -> Void)? = nil

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: [Chunk]
        let onChunk: (@Sendable (Int) -> Void)?
        var index = 0
        mutating func next() async throws -> Chunk? {
            guard index < chunks.count else { return nil }
            defer { index += 1 }
            onChunk?(index)
            return chunks[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: chunks, onChunk: onChunk) }
}

/// `input` cut at the sizes a random ``Chunking`` would use.
private func cut(_ input: [UInt8], _ random: inout SeededRandom) -> [ArraySlice<UInt8>] {
    guard case .pieces(let sizes) = randomPieces(for: input.count, using: &random) else { return [] }
    var pieces: [ArraySlice<UInt8>] = []
    var at = 0
    for size in sizes {
        let end = min(at + size, input.count)
        pieces.append(input[at..<end])
        at = end
    }
    if at < input.count { pieces.append(input[at...]) }
    return pieces
}

/// How a round of the bounded-sink stress test ends.
private enum StressEnding: CaseIterable {
    /// Nobody is cancelled.
    case completes
    /// The consumer's task is cancelled while a chunk is handed out.
    case consumerCancelled
    /// The producing run's task is cancelled while a chunk is handed out.
    case producerCancelled
}

@Suite("Async edges")
struct AsyncEdgeTests {
    @Test("1,000 random chunkings give the bytes of the synchronous run, through a framer chain")
    func sameBytesAsSync() async throws {
        var random = SeededRandom(seed: 42)
        let stages = { try DelimiterFramer.lines(maximumFrameLength: 64).followed(by: FrameLengthEncoder()) }
        for round in 0..<1_000 {
            let input = random.bytes(Int.random(in: 0...300, using: &random), from: utf8("ab\r\n"))
            var sync = BytesSource(input).transformed(by: try stages()).into(BufferSink())
            try sync.run()
            let pieces = cut(input, &random)
            var transform = try stages()
            var sink = BufferSink()
            let summary: PipelineSummary
            if round.isMultiple(of: 2) {
                summary = try await AsyncChunkSource(ListedChunks(chunks: pieces)).run(
                    through: &transform, into: &sink)
            } else {
                summary = try await AsyncChunkSource(ListedChunks(chunks: pieces.map { Array($0) })).run(
                    through: &transform, into: &sink)
            }
            #expect(sink.bytes == sync.sink.bytes, "round \(round)")
            #expect(summary == PipelineSummary(bytesRead: input.count, bytesWritten: sync.sink.count))
            if sink.bytes != sync.sink.bytes { break }
        }
    }

    @Test(
        "A run cancelled while chunk k is handed out processes chunk k and stops before chunk k + 1",
        arguments: [0, 1, 5])
    func cancellationWithinOneChunk(k: Int) async throws {
        let chunks = (0..<20).map { [UInt8](repeating: UInt8(ascii: "a") + UInt8($0), count: 10) }
        let handedOut = Mutex(0)
        let task = Task { () -> (PipelineError?, [UInt8]) in
            let source = AsyncChunkSource(
                ListedChunks(chunks: chunks) { index in
                    handedOut.withLock { $0 = index + 1 }
                    if index == k { withUnsafeCurrentTask { $0?.cancel() } }
                })
            var transform = ByteMapTransform.asciiUppercase
            var sink = BufferSink()
            do {
                try await source.run(through: &transform, into: &sink)
                return (nil, sink.bytes)
            } catch {
                return (error as? PipelineError, sink.bytes)
            }
        }
        let (error, output) = await task.value
        let failure = try #require(error)
        #expect(failure.stage == .source && failure.underlying is CancellationError)
        #expect(failure.bytesRead == (k + 1) * 10)
        #expect(output == chunks[0...k].flatMap { $0.map { $0 - 32 } })
        #expect(handedOut.withLock { $0 } == k + 1)
    }

    @Test("Back-pressure: a slow consumer keeps the bounded sink's buffer within its bound")
    func backPressureBoundsMemory() async throws {
        let capacity = 8 * 1024
        let chunkSize = 1024
        var random = SeededRandom(seed: 7)
        let input = random.anyBytes(2 << 20)
        // Big input chunks (64 KiB): without slicing, one chunk's output alone
        // would be eight times the capacity.
        let pieces = stride(from: 0, to: input.count, by: 64 << 10).map {
            input[$0..<min($0 + (64 << 10), input.count)]
        }
        var sink = try BoundedAsyncSink(capacity: capacity, chunkSize: chunkSize)
        let output = sink.output
        let consumer = Task {
            var received: [UInt8] = []
            var pieces = 0
            for try await piece in output {
                received += piece
                pieces += 1
                if pieces.isMultiple(of: 16) { try await Task.sleep(for: .milliseconds(1)) }
            }
            return received
        }
        var transform = ByteMapTransform.rot13
        let summary = try await AsyncChunkSource(ListedChunks(chunks: pieces)).run(
            through: &transform, into: &sink)
        sink.finish()
        let received = try await consumer.value
        let rot13 = ByteMapTransform.rot13.table
        #expect(received == input.map { rot13[Int($0)] })
        #expect(summary.bytesWritten == input.count)
        // The bound: the capacity, plus one slice's output, plus one array.
        #expect(sink.peakBufferedByteCount <= capacity + 2 * chunkSize)
        #expect(
            sink.peakBufferedByteCount >= capacity / 2, "the consumer was slow; the buffer should have filled"
        )
    }

    @Test("A consumer that is cancelled ends the producing run with CancellationError at the sink")
    func consumerLeaves() async throws {
        var sink = try BoundedAsyncSink(capacity: 1024, chunkSize: 256)
        let output = sink.output
        let consumer = Task {
            var count = 0
            for try await piece in output { count += piece.count }
            return count
        }
        let endless = ListedChunks(
            chunks: [[UInt8]](repeating: [UInt8](repeating: 1, count: 512), count: 100_000)
        ) { index in
            if index == 50 { consumer.cancel() }
        }
        // A stage with stored properties, not the empty `PassThroughTransform`:
        // the compiler gives a variable of an empty struct no storage and
        // passes an undefined address for it (LLVM `undef`: leftover bits) to
        // a generic `inout` parameter. Under -sanitize=thread at -Onone the
        // unspecialized `run` reports its `inout` access to TSan at that
        // address, and when the bits pointed into machine code (whose shadow
        // TSan maps read-only) the shadow write crashed: a SEGV in
        // `__tsan::ExternalAccess` at AsyncChunkSource.swift's
        // `_run(through: &transform, …)`, in 6 runs of 6 of this test alone.
        // A toolchain problem, not a race: Tests/Scripts/tsan-empty-inout.swift
        // reproduces it without ByteFlow.
        var transform = ByteMapTransform.rot13
        let error = await #expect(throws: PipelineError.self) {
            try await AsyncChunkSource(endless).run(through: &transform, into: &sink)
        }
        #expect(error?.stage == .sink)
        #expect(error?.underlying is CancellationError)
        #expect((error?.bytesRead ?? .max) < 100_000 * 512)
        _ = try? await consumer.value
    }

    @Test(
        "Stress: 1,000 short runs into a bounded sink, with random chunkings, bounds, consumer speeds and cancellations"
    )
    func boundedSinkStress() async throws {
        // Many short runs, so that producer and consumer meet in many
        // orders: the consumer waiting for an array or not, the producer
        // waiting for room or not, a cancellation arriving while either
        // waits or runs. A lost wake-up hangs the test; a continuation
        // resumed twice traps; a race or a use after free is reported by the
        // sanitizer runs (Tests/Scripts/sanitizers.sh). No timing is assumed:
        // the consumer only yields, and every assertion holds in any order.
        // The stage has stored properties on purpose: see `consumerLeaves`.
        var random = SeededRandom(seed: 2026_11_30)
        let rot13 = ByteMapTransform.rot13.table
        for round in 0..<1_000 {
            let input = random.anyBytes(Int.random(in: 0...1024, using: &random))
            let expected = input.map { rot13[Int($0)] }
            let pieces: [ArraySlice<UInt8>]
            switch round % 3 {
            case 0: pieces = input.isEmpty ? [] : [input[...]]
            case 1: pieces = input.indices.map { input[$0...$0] }
            default: pieces = cut(input, &random)
            }
            let capacity = Int.random(in: 1...256, using: &random)
            let sink = try BoundedAsyncSink(
                capacity: capacity, chunkSize: Int.random(in: 1...64, using: &random))
            // 0: the consumer never yields; n: it yields after every n-th array.
            let yieldEvery = Int.random(in: 0...3, using: &random)
            let ending = pieces.isEmpty ? .completes : StressEnding.allCases.randomElement(using: &random)!
            let cancelAt = pieces.isEmpty ? 0 : Int.random(in: 0..<pieces.count, using: &random)
            let context =
                "round \(round): \(pieces.count) pieces, capacity \(capacity), chunk size \(sink.chunkSize), "
                + "yield every \(yieldEvery), \(ending) at chunk \(cancelAt)"

            let output = sink.output
            let consumer = Task { () -> ([UInt8], (any Error)?) in
                var received: [UInt8] = []
                var arrays = 0
                do {
                    for try await piece in output {
                        received += piece
                        arrays += 1
                        if yieldEvery > 0, arrays.isMultiple(of: yieldEvery) { await Task.yield() }
                    }
                    return (received, nil)
                } catch {
                    return (received, error)
                }
            }
            let chunks = ListedChunks(chunks: pieces) { index in
                guard index == cancelAt else { return }
                switch ending {
                case .completes: break
                case .consumerCancelled: consumer.cancel()
                case .producerCancelled: withUnsafeCurrentTask { $0?.cancel() }
                }
            }
            let producer = Task { () -> (Result<PipelineSummary, PipelineError>, peak: Int) in
                var sink = sink
                var transform = ByteMapTransform.rot13
                let result: Result<PipelineSummary, PipelineError>
                do throws(PipelineError) {
                    result = .success(
                        try await AsyncChunkSource(chunks).run(through: &transform, into: &sink))
                    sink.finish()
                } catch {
                    result = .failure(error)
                    sink.finish(throwing: error)
                }
                return (result, sink.peakBufferedByteCount)
            }
            let (result, peak) = await producer.value
            let (received, consumerError) = await consumer.value

            // Whatever happened, the consumer got the output in order, and
            // the buffer kept its bound (capacity, plus one slice's output,
            // plus one array).
            #expect(received == Array(expected.prefix(received.count)), "\(context)")
            #expect(peak <= capacity + 2 * sink.chunkSize, "\(context)")
            let before = pieces[..<cancelAt].reduce(0) { $0 + $1.count }
            switch (ending, result) {
            case (.completes, .success(let summary)):
                #expect(
                    summary == PipelineSummary(bytesRead: input.count, bytesWritten: input.count),
                    "\(context)")
                #expect(received == expected, "\(context)")
                #expect(consumerError == nil, "\(context)")
            case (.consumerCancelled, .success(let summary)):
                // The producer finished before the consumer saw its
                // cancellation (the consumer drains what is buffered first).
                #expect(
                    summary == PipelineSummary(bytesRead: input.count, bytesWritten: input.count),
                    "\(context)")
                if consumerError == nil { #expect(received == expected, "\(context)") }
            case (.consumerCancelled, .failure(let failure)):
                #expect(failure.stage == .sink && failure.underlying is CancellationError, "\(context)")
                #expect(failure.bytesRead >= before, "\(context)")
                // The consumer stops with `CancellationError`, or, when it
                // was not waiting as the cancellation came, drains what is
                // buffered and then meets the run's error (`finish(throwing:)`).
                let consumerStop = (consumerError as? PipelineError)?.underlying ?? consumerError
                #expect(
                    consumerStop is CancellationError,
                    "\(context), consumer: \(String(describing: consumerError))")
            case (.producerCancelled, .failure(let failure)):
                // Stopped before the next chunk (`.source`), or within chunk
                // `cancelAt` while waiting for room (`.sink`).
                #expect(failure.stage == .source || failure.stage == .sink, "\(context)")
                #expect(failure.underlying is CancellationError, "\(context)")
                #expect(failure.bytesRead >= before, "\(context)")
                #expect(failure.bytesRead <= before + pieces[cancelAt].count, "\(context)")
                // The consumer ends with the run's error, after the buffered bytes.
                #expect((consumerError as? PipelineError)?.stage == failure.stage, "\(context)")
            default:
                Issue.record("unexpected result \(result); \(context)")
            }
        }
    }

    @Test("The consumer sees the producer's error after the buffered bytes")
    func failurePropagates() async throws {
        struct Boom: Error {}
        var sink = try BoundedAsyncSink(capacity: 100, chunkSize: 10)
        let output = sink.output
        try sink.write(utf8("0123456789abc").span.bytes)
        try sink.flush()
        sink.finish(throwing: Boom())
        var received: [UInt8] = []
        await #expect(throws: Boom.self) {
            for try await piece in output { received += piece }
        }
        #expect(received == utf8("0123456789abc"))
    }
}
