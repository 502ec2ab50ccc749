/// A contiguous chunk of bytes that an async edge can lend to the
/// synchronous core without copying: `[UInt8]`, `ArraySlice<UInt8>`,
/// `ContiguousArray<UInt8>`, or a type of yours.
///
/// ```swift
/// extension MyBuffer: ByteChunk {
///     func withBytes<R>(_ body: (RawSpan) throws -> R) rethrows -> R { try body(storage.span.bytes) }
/// }
/// ```
public protocol ByteChunk {
    /// Calls `body` with the chunk's bytes, borrowed for the call.
    ///
    /// - Parameter body: Receives the bytes.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    func withBytes<Result>(_ body: (RawSpan) throws -> Result) rethrows -> Result
}

extension Array: ByteChunk where Element == UInt8 {
    /// Lends the array's bytes.
    @inlinable
    public func withBytes<Result>(_ body: (RawSpan) throws -> Result) rethrows -> Result {
        try body(span.bytes)
    }
}

extension ArraySlice: ByteChunk where Element == UInt8 {
    /// Lends the slice's bytes.
    @inlinable
    public func withBytes<Result>(_ body: (RawSpan) throws -> Result) rethrows -> Result {
        try body(span.bytes)
    }
}

extension ContiguousArray: ByteChunk where Element == UInt8 {
    /// Lends the array's bytes.
    @inlinable
    public func withBytes<Result>(_ body: (RawSpan) throws -> Result) rethrows -> Result {
        try body(span.bytes)
    }
}

/// A stream that arrives as an `AsyncSequence` of byte chunks, run through
/// the same specialized, synchronous stages as ``Pipeline``.
///
/// ```swift
/// let source = AsyncChunkSource(socketChunks)  // any AsyncSequence of [UInt8], ArraySlice<UInt8>, …
/// var framer = try DelimiterFramer.lines()
/// var sink = CountingSink()
/// try await source.run(through: &framer, into: &sink)
/// ```
///
/// The run awaits only for the next chunk (and, with a ``BoundedAsyncSink``,
/// for room in its buffer); each chunk is processed by the synchronous
/// stages, specialized for their concrete types. The task's cancellation is
/// checked before every chunk: a cancelled run ends at the next chunk
/// boundary, without finishing the stages or flushing the sink, with a
/// ``PipelineError`` at the `.source` stage whose underlying error is
/// `CancellationError`. After any failure the transform is reset.
@frozen
public struct AsyncChunkSource<Chunks: AsyncSequence> where Chunks.Element: ByteChunk {
    /// The chunks.
    public var chunks: Chunks

    /// Wraps an async sequence of chunks.
    ///
    /// - Parameter chunks: The stream, in order. Each chunk is borrowed while
    ///   it is processed.
    @inlinable
    public init(_ chunks: Chunks) {
        self.chunks = chunks
    }

    /// Runs the stream through `transform` into `sink`, then finishes the
    /// transform and flushes the sink.
    ///
    /// - Parameters:
    ///   - transform: The stage or chain of stages.
    ///   - sink: Where the output goes.
    /// - Returns: How many bytes were read and written.
    /// - Throws: ``PipelineError``: `.source` for an error of the sequence or
    ///   cancellation, `.transform` or `.sink` for theirs.
    /// - Complexity: O(*n*) plus one suspension point per chunk.
    @inlinable
    @discardableResult
    public func run<Transform: ByteTransform, Sink: ByteSink>(
        through transform: inout Transform, into sink: inout Sink
    ) async throws(PipelineError) -> PipelineSummary {
        try await _run(through: &transform, into: &sink, sliceSize: Int.max) {}
    }

    /// Runs the stream through `transform` into a ``BoundedAsyncSink``,
    /// waiting for its consumer whenever its buffer is full: back-pressure
    /// that reaches all the way to the chunk sequence, which is not asked for
    /// another chunk until there is room.
    ///
    /// ```swift
    /// let sink = try BoundedAsyncSink(capacity: 256 * 1024)
    /// let consumer = Task {
    ///     for try await piece in sink.output { print(piece.count) }  // or upload it
    /// }
    /// var outbound = sink
    /// try await source.run(through: &compressor, into: &outbound)
    /// outbound.finish()
    /// try await consumer.value
    /// ```
    ///
    /// Input chunks are cut into slices of at most the sink's
    /// ``BoundedAsyncSink/chunkSize`` bytes, and the run waits for room before
    /// each slice, so that the sink holds at most its capacity plus one
    /// slice's output.
    ///
    /// - Parameters:
    ///   - transform: The stage or chain of stages.
    ///   - sink: The bounded sink; its consumer drains ``BoundedAsyncSink/output``.
    /// - Returns: How many bytes were read and written.
    /// - Throws: ``PipelineError``; `.sink` with `CancellationError` if the
    ///   consumer stopped listening.
    @inlinable
    @discardableResult
    public func run<Transform: ByteTransform>(
        through transform: inout Transform, into sink: inout BoundedAsyncSink
    ) async throws(PipelineError) -> PipelineSummary {
        let channel = sink._channel
        return try await _run(through: &transform, into: &sink, sliceSize: sink.chunkSize) {
            try await channel.waitForRoom()
        }
    }

    /// The loop behind both `run`s: `waitForRoom` is awaited before every
    /// slice of at most `sliceSize` bytes.
    ///
    /// A ThreadSanitizer SEGV in `__tsan::ExternalAccess` at a `run`'s call
    /// of this function, with an empty `Transform` (`PassThroughTransform`),
    /// is a toolchain problem, not a race: the caller passes an undefined
    /// address for an empty struct, and the unspecialized generic code
    /// reports its `inout` access to TSan at that address
    /// (Tests/Scripts/tsan-empty-inout.swift reproduces it without ByteFlow).
    @inlinable
    internal func _run<Transform: ByteTransform, Sink: ByteSink>(
        through transform: inout Transform, into sink: inout Sink, sliceSize: Int,
        waitForRoom: () async throws -> Void
    ) async throws(PipelineError) -> PipelineSummary {
        // The same `_Run` as `Pipeline.run()` (counting, stage attribution,
        // reset after a failure); only the loop that fetches chunks differs.
        var run = _Run(sink: _take(&sink))
        defer { _restore(&sink, run.metered.base) }
        var iterator = chunks.makeAsyncIterator()
        while !transform.isFinished {
            let chunk: Chunks.Element
            do {
                try Task.checkCancellation()
                guard let next = try await iterator.next() else { break }
                chunk = next
            } catch {
                throw run.fail(.source, error, resetting: &transform)
            }
            let count = chunk.withBytes { $0.byteCount }
            var offset = 0
            repeat {
                do {
                    try await waitForRoom()
                } catch {
                    throw run.fail(.sink, error, resetting: &transform)
                }
                let end = offset &+ min(sliceSize, count &- offset)
                // `withBytes` rethrows untyped; carry the typed error out.
                var failure: PipelineError?
                chunk.withBytes { bytes in
                    do throws(PipelineError) {
                        try run.process(bytes.extracting(offset..<end), through: &transform)
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
                offset = end
            } while offset < count && !transform.isFinished
        }
        try run.finish(&transform)
        return run.summary
    }
}

extension AsyncChunkSource: Sendable where Chunks: Sendable {}
