// Pipelines that cannot fail.
//
// Swift has no union of error types, so a transform's `process` cannot say
// "my own error, or whatever `next` throws" with a concrete type. What it can
// say is the case that matters most: a stage that has no error of its own
// throws exactly what its downstream throws, `throws(Next.WriteFailure)`, which
// is `Never` when the sink cannot fail. So:
//
// - every sink carries its `Failure` (inferred from `write(_:)`, see
//   ByteSink.swift);
// - `InfallibleTransform` and `InfallibleSource` restate the stage
//   requirements with the downstream's error type; one typed implementation
//   satisfies both the refined and the original (`throws`) requirement, so
//   the boxed pipeline and every generic `ByteTransform` context keep
//   working unchanged;
// - `Chain` conforms when both of its stages do, and `Pipeline` gains a
//   `run()` that does not throw when its source and transform are infallible
//   and its sink's `Failure` and `FlushFailure` are `Never`.
//
// Stages that can fail keep the plain `throws` requirement: their errors
// still reach the caller as a `PipelineError` naming the stage.

/// A transform that has no error of its own: it throws only what the stage
/// after it throws.
///
/// Conform a stage that cannot fail (a pass-through, a byte map, a
/// find-and-replace) by writing its ``process(_:into:)`` and
/// ``finish(into:)`` with `throws(Next.WriteFailure)`. The same implementation
/// satisfies ``ByteTransform``'s `throws` requirements, so the stage still
/// runs in a ``BoxedPipeline`` and in any generic code. What it adds: a
/// ``Pipeline`` of infallible stages into a sink that cannot fail runs
/// without `try`, and chains of infallible stages are infallible.
///
/// ```swift
/// struct Upper: InfallibleTransform {
///     mutating func process<Next: ByteSink>(
///         _ chunk: RawSpan, into next: inout Next
///     ) throws(Next.WriteFailure) {
///         // ...
///     }
///     mutating func finish<Next: ByteSink>(into next: inout Next) throws(Next.WriteFailure) {}
/// }
/// ```
///
/// ## Implementer notes
///
/// - **`finish(into:)` must be written**, even when it does nothing, and with
///   `throws(Next.WriteFailure)`: there is deliberately no default, because a
///   `finish` declared with a plain `throws` would otherwise lose silently to
///   a default that writes nothing. Without it the type does not conform, and
///   the compiler says so.
/// - Everything in ``ByteTransform``'s notes applies.
public protocol InfallibleTransform: ByteTransform {
    /// Rewrites one chunk of the stream, writing the output to `next`.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: The downstream stage.
    /// - Throws: Only what `next` throws (``ByteSink/WriteFailure``).
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws(Next.WriteFailure)

    /// Writes whatever the transform still holds at the end of the stream and
    /// returns the transform to its initial state.
    ///
    /// - Parameter next: The downstream stage.
    /// - Throws: Only what `next` throws (``ByteSink/WriteFailure``).
    mutating func finish<Next: ByteSink>(into next: inout Next) throws(Next.WriteFailure)
}

/// A source that has no error of its own: reading throws only what `body`
/// throws.
///
/// Conform by implementing ``read(rethrowing:)``; ``ByteSource/read(_:)``
/// comes with it. In-memory sources (``BytesSource``) are infallible; a
/// ``FileSource`` is not, since `read(2)` can fail.
///
/// Why a separately named requirement: a generic `read` with the same label
/// as ``ByteSource/read(_:)`` would satisfy it too, but calls in generic
/// code would still pick the untyped one and need `try`.
public protocol InfallibleSource: ByteSource {
    /// Produces the next chunk of the stream and passes it to `body`, with
    /// the contract of ``ByteSource/read(_:)``.
    ///
    /// - Parameter body: Receives the chunk. The span is borrowed from the
    ///   source and valid only during this call.
    /// - Returns: `true` if `body` was called with a chunk, `false` at the end
    ///   of the stream.
    /// - Throws: Only what `body` throws.
    mutating func read<Failure: Error>(
        rethrowing body: (RawSpan) throws(Failure) -> Void
    ) throws(Failure) -> Bool
}

extension InfallibleSource {
    /// Reads through ``read(rethrowing:)``.
    ///
    /// - Parameter body: Receives the chunk, valid during the call.
    /// - Returns: `false` at the end of the stream.
    /// - Throws: Only what `body` throws.
    @inlinable
    public mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        try read(rethrowing: body)
    }
}

extension Pipeline
where
    Source: InfallibleSource, Transform: InfallibleTransform,
    Sink.WriteFailure == Never, Sink.FlushFailure == Never
{
    /// Runs the stream from the source through the transform into the sink,
    /// then finishes the transform and flushes the sink; none of them can
    /// fail, so neither can the run, and it needs no `try`.
    ///
    /// Chosen over the throwing ``run()`` whenever the source is an
    /// ``InfallibleSource``, the transform an ``InfallibleTransform`` (a
    /// ``Chain`` of them is one) and the sink's ``ByteSink/WriteFailure`` and
    /// ``ByteSink/FlushFailure`` are `Never` (``BufferSink``,
    /// ``DiscardSink``). It counts and stops early (on
    /// ``ByteTransform/isFinished``) exactly as the throwing run does.
    ///
    /// - Returns: How many bytes were read and written.
    /// - Complexity: O(*n*) in the length of the stream for the built-in
    ///   stages; allocates nothing beyond what the stages themselves do.
    @inlinable
    @discardableResult
    public mutating func run() -> PipelineSummary {
        var run = _Run(sink: _take(&sink))
        defer { _restore(&sink, run.metered.base) }
        while !transform.isFinished, source.read(rethrowing: { chunk in run.process(chunk, through: &transform) }) {}
        run.finish(&transform)
        return run.summary
    }
}

extension _Run where Sink.WriteFailure == Never, Sink.FlushFailure == Never {
    /// Passes one chunk through a transform that cannot fail into a sink that
    /// cannot fail: the counting of the throwing run, without its error
    /// paths.
    @inlinable
    @inline(__always)
    mutating func process<Transform: InfallibleTransform>(_ chunk: RawSpan, through transform: inout Transform) {
        bytesRead &+= chunk.byteCount
        transform.process(chunk, into: &metered)
    }

    /// Finishes a transform that cannot fail into the sink, then flushes it.
    @inlinable
    mutating func finish<Transform: InfallibleTransform>(_ transform: inout Transform) {
        transform.finish(into: &metered)
        metered.flush()
    }
}
