// Async is an edge of ByteFlow, not its core: the run loop stays synchronous,
// where specialization pays, and these adapters await only between chunks.

extension ByteTransform {
    /// Runs this transform over chunks that arrive asynchronously, writing the
    /// output to `sink`.
    ///
    /// Each chunk is processed by the same specialized, synchronous code as in
    /// ``Pipeline/run()-7ijts``; the loop awaits only for the next chunk. The task's
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
        // The same `_Run` as `Pipeline.run()`: counting, stage attribution and
        // reset live there; only the loop that fetches chunks differs.
        var run = _Run(sink: _take(&sink))
        defer { _restore(&sink, run.metered.base) }
        var iterator = chunks.makeAsyncIterator()
        while !isFinished {
            let chunk: [UInt8]
            do {
                try Task.checkCancellation()
                guard let next = try await iterator.next() else { break }
                chunk = next
            } catch {
                throw run.fail(.source, error, resetting: &self)
            }
            try run.process(chunk.span.bytes, through: &self)
        }
        try run.finish(&self)
        return run.summary
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
