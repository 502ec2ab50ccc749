// Async is an edge of ByteFlow, not its core: the run loop stays synchronous,
// where specialization pays, and these adapters await only between chunks.

extension ByteTransform {
    /// Runs this transform over chunks that arrive asynchronously, writing the
    /// output to `sink`.
    ///
    /// Each chunk is processed by the same specialized, synchronous code as in
    /// ``Pipeline/run()``; the loop awaits only for the next chunk. The task's
    /// cancellation is checked before every chunk: a cancelled run stops at
    /// the next chunk boundary with a ``PipelineError`` whose underlying error
    /// is `CancellationError`, without finishing the transform into the sink
    /// or flushing the sink (the output would be incomplete). After any
    /// failure the transform is reset (what it held back is discarded), so
    /// that it can run another stream.
    ///
    /// ```swift
    /// var replace = try ReplaceTransform("elvis", with: "Elvis")
    /// var sink = BufferSink()
    /// try await replace.run(chunkStream, into: &sink)
    /// ```
    ///
    /// - Parameters:
    ///   - chunks: The stream as an async sequence of byte arrays. Each array
    ///     is borrowed while it is processed.
    ///   - sink: Where the output goes.
    /// - Returns: How many bytes were read and written.
    /// - Throws: ``PipelineError``: `.source` for an error of `chunks` or for
    ///   cancellation, `.transform` or `.sink` for theirs.
    /// - Complexity: O(*n*) in the stream's length, plus one suspension point
    ///   per chunk.
    @inlinable
    @discardableResult
    public mutating func run<Chunks: AsyncSequence, Sink: ByteSink>(
        _ chunks: Chunks, into sink: inout Sink
    ) async throws(PipelineError) -> PipelineSummary where Chunks.Element == [UInt8] {
        var bytesRead = 0
        var bytesWritten = 0
        var iterator = chunks.makeAsyncIterator()
        do throws(PipelineError) {
            while true {
                let chunk: [UInt8]
                do {
                    try Task.checkCancellation()
                    guard let next = try await iterator.next() else { break }
                    chunk = next
                } catch {
                    throw PipelineError(
                        stage: .source, bytesRead: bytesRead, bytesWritten: bytesWritten, underlying: error)
                }
                bytesRead &+= chunk.count
                try _processOneChunk(
                    chunk.span.bytes, into: &sink, bytesRead: bytesRead, bytesWritten: &bytesWritten)
            }
            try _finishStream(into: &sink, bytesRead: bytesRead, bytesWritten: &bytesWritten)
        } catch {
            // As in `Pipeline.run()`: return to the initial state, so that the
            // next run does not begin with bytes this one held back.
            var discard = DiscardSink()
            try? finish(into: &discard)
            throw error
        }
        return PipelineSummary(bytesRead: bytesRead, bytesWritten: bytesWritten)
    }

    /// One chunk of an async run: process, count, and tag a failure with its
    /// stage.
    @inlinable
    internal mutating func _processOneChunk<Sink: ByteSink>(
        _ chunk: RawSpan, into sink: inout Sink, bytesRead: Int, bytesWritten: inout Int
    ) throws(PipelineError) {
        try _metered(into: &sink, bytesRead: bytesRead, bytesWritten: &bytesWritten) { transform, metered in
            try transform.process(chunk, into: &metered)
        }
    }

    /// The end of an async run: finish the transform, flush the sink.
    @inlinable
    internal mutating func _finishStream<Sink: ByteSink>(
        into sink: inout Sink, bytesRead: Int, bytesWritten: inout Int
    ) throws(PipelineError) {
        try _metered(into: &sink, bytesRead: bytesRead, bytesWritten: &bytesWritten) { transform, metered in
            try transform.finish(into: &metered)
            try metered.flush()
        }
    }

    /// Runs `body` with the sink lent to a ``_MeteredSink``, adds what it
    /// wrote to `bytesWritten`, and turns an error into a ``PipelineError``
    /// naming the sink or the transform.
    @inlinable
    internal mutating func _metered<Sink: ByteSink>(
        into sink: inout Sink, bytesRead: Int, bytesWritten: inout Int,
        _ body: (inout Self, inout _MeteredSink<Sink>) throws -> Void
    ) throws(PipelineError) {
        var metered = _MeteredSink(base: _take(&sink))
        defer {
            _restore(&sink, metered.base)
            bytesWritten &+= metered.bytesWritten
        }
        do {
            try body(&self, &metered)
        } catch {
            throw PipelineError(
                stage: metered.failed ? .sink : .transform, bytesRead: bytesRead,
                bytesWritten: bytesWritten &+ metered.bytesWritten, underlying: error)
        }
    }
}

/// A sink that turns the output into an `AsyncThrowingStream` of byte arrays,
/// for consumers that want to `for try await` over it.
///
/// Writes are gathered into arrays of up to ``chunkSize`` bytes; each full
/// array, and the last one at ``flush()``, is yielded to the stream, which
/// buffers without limit (nothing is dropped). Call ``finish(throwing:)``
/// when the run has ended, so that the consumer's loop ends too; a run that
/// failed should pass its error.
///
/// If the consumer stops listening (its task is cancelled or the stream is
/// deallocated), the next write throws `CancellationError`, which ends the
/// pipeline run that feeds this sink.
public struct AsyncStreamSink: ByteSink {
    /// The stream that receives the output, to hand to a consumer.
    public let stream: AsyncThrowingStream<[UInt8], any Error>
    /// The size of the arrays yielded, except the last.
    public let chunkSize: Int
    @usableFromInline internal let _continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    @usableFromInline internal var _pending: [UInt8] = []

    /// Creates a sink and its stream.
    ///
    /// - Parameter chunkSize: The size of the arrays yielded; at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `chunkSize < 1`.
    public init(chunkSize: Int = 64 * 1024) throws(ByteFlowError) {
        guard chunkSize > 0 else { throw .invalidChunkSize(chunkSize) }
        self.chunkSize = chunkSize
        (stream, _continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self, throwing: (any Error).self)
    }

    /// Copies `bytes` into the pending array, yielding it whenever it fills.
    ///
    /// - Parameter bytes: Borrowed for the call and copied.
    /// - Throws: `CancellationError` if the stream's consumer has gone.
    /// - Complexity: O(*n*) in `bytes.byteCount`; allocates one array per
    ///   ``chunkSize`` bytes of output, which the consumer then owns.
    public mutating func write(_ bytes: RawSpan) throws {
        try bytes.withUnsafeBytes { buffer in
            var rest = buffer[...]
            while !rest.isEmpty {
                if _pending.isEmpty { _pending.reserveCapacity(chunkSize) }
                let take = min(rest.count, chunkSize - _pending.count)
                _pending.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                if _pending.count == chunkSize { try _yieldPending() }
            }
        }
    }

    /// Yields the pending bytes, if any.
    ///
    /// - Throws: `CancellationError` if the stream's consumer has gone.
    public mutating func flush() throws {
        if !_pending.isEmpty { try _yieldPending() }
    }

    /// Ends the stream: the consumer's loop ends normally, or throws `error`.
    ///
    /// - Parameter error: The run's error, or `nil` after a successful run.
    public func finish(throwing error: (any Error)? = nil) {
        _continuation.finish(throwing: error)
    }

    private mutating func _yieldPending() throws {
        let chunk = _pending
        _pending = []
        if case .terminated = _continuation.yield(chunk) {
            throw CancellationError()
        }
    }
}
