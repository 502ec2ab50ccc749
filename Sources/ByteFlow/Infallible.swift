// Pipelines that cannot fail.
//
// Why markers and not typed throws through the stage protocols (measured
// 2026-11-30, Swift 6.3.1, from a client package; Documentation/Design.md,
// "Typed throws"):
//
// - The typed design compiles: `ByteSink` with `associatedtype WriteFailure:
//   Error = any Error` and `write(_:) throws(WriteFailure)` (existing sinks
//   keep compiling, the type is inferred from their `write`), transforms
//   that cannot fail writing `throws(Next.WriteFailure)`, `Chain`
//   conforming conditionally, and a `run()` without `throws` in an extension
//   `where Sink.WriteFailure == Never, …`.
// - But a typed `write` requirement alone, with no other change, stopped
//   deep chains from fusing: 16 pass-through stages into a `DiscardSink`
//   went from 1.0× one stage to 36–55× (1 B and 16 B chunks), and into a
//   `BufferSink` from 8.7× to 30–43×, for stages written with plain `throws`
//   and with `throws(Next.WriteFailure)` alike. Every `try next.write` in a
//   generic stage then returns a generic (indirect) error, and the
//   optimizer no longer inlines the whole chain into the run loop.
// - There is no union of error types, so a transform with an error of its
//   own can only throw `any Error` anyway, and pipelines that can fail
//   throw `PipelineError` (stage attribution) whatever the stages' types.
//
// So the compiler's knowledge is carried by the types a pipeline is built
// from, not by the stages' signatures: `InfallibleSource`,
// `InfallibleTransform` and `InfallibleSink` mark the stages that cannot
// fail (the sink's non-throwing `write` is checked by the compiler, the
// other two are a promise their documentation states), `Chain` is
// infallible when both stages are, and `Pipeline` gains a `run()` without
// `throws` for those. It runs the same loop as the throwing run, so the
// specialized code is the same; a stage that breaks its promise stops the
// program with a message instead of throwing.

/// A transform that has no error of its own: its ``ByteTransform/process(_:into:)``
/// and ``ByteTransform/finish(into:)`` throw only what the stage after them
/// throws.
///
/// Declare it for a stage that cannot fail (a pass-through, a byte map, a
/// find-and-replace); nothing else changes: the stage's methods keep their
/// plain `throws`, because they rethrow what the next stage throws. What it
/// adds: a ``Pipeline`` whose source is an ``InfallibleSource``, whose
/// stages are all `InfallibleTransform`s (a ``Chain`` of them is one) and
/// whose sink is an ``InfallibleSink`` runs without `try`.
///
/// ```swift
/// struct Hop: InfallibleTransform {
///     mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
///         try next.write(chunk)  // only the next stage can throw
///     }
/// }
/// ```
///
/// ## Implementer notes
///
/// - **The promise.** Throw nothing that did not come from `next`. The
///   compiler cannot check it (see <doc:Design#Typed-throws> for why the
///   requirements are not typed); a pipeline that runs without `try` stops
///   the program with a message naming the error if a stage breaks it.
/// - Everything in ``ByteTransform``'s notes applies.
public protocol InfallibleTransform: ByteTransform {}

/// A source that has no error of its own: ``ByteSource/read(_:)`` throws only
/// what its `body` throws.
///
/// In-memory sources are infallible (``BytesSource``); a ``FileSource`` is
/// not, since `read(2)` can fail. The promise is the same as
/// ``InfallibleTransform``'s.
public protocol InfallibleSource: ByteSource {}

/// A sink that cannot fail: its ``write(_:)`` does not throw (the compiler
/// checks it), and its ``ByteSink/flush()`` and
/// ``ByteSink/beginDirectWrite(minimumCount:)`` must not throw either.
///
/// ``BufferSink``, ``DiscardSink`` and ``CountingSink`` are infallible; a
/// ``FileSink`` is not.
public protocol InfallibleSink: ByteSink {
    /// Takes all of `bytes`, and cannot fail.
    ///
    /// - Parameter bytes: The bytes to write, borrowed for the duration of the
    ///   call. May be empty.
    mutating func write(_ bytes: RawSpan)
}

extension Pipeline where Source: InfallibleSource, Transform: InfallibleTransform, Sink: InfallibleSink {
    /// Runs the stream from the source through the transform into the sink,
    /// then finishes the transform and flushes the sink; none of them can
    /// fail, so neither can the run, and it needs no `try`.
    ///
    /// Chosen over the throwing ``run()-7ijts`` whenever the source is an
    /// ``InfallibleSource``, the transform an ``InfallibleTransform`` (a
    /// ``Chain`` of them is one) and the sink an ``InfallibleSink``. It is
    /// the same run loop, specialized the same way: it counts and stops
    /// early (on ``ByteTransform/isFinished``) exactly as the throwing run
    /// does.
    ///
    /// A stage that throws although it declared itself infallible stops the
    /// program with a message that names the stage and the error.
    ///
    /// - Returns: How many bytes were read and written.
    /// - Complexity: O(*n*) in the length of the stream for the built-in
    ///   stages; allocates nothing beyond what the stages themselves do.
    @inlinable
    @discardableResult
    public mutating func run() -> PipelineSummary {
        do {
            return try _runPipeline(source: &source, transform: &transform, sink: &sink)
        } catch {
            _infallibleStageThrew(error)
        }
    }
}

/// Stops the program: a stage declared infallible threw. Out of line, so
/// that the run loop carries only a call on its (dead) error path.
@usableFromInline
@inline(never)
internal func _infallibleStageThrew(_ error: PipelineError) -> Never {
    preconditionFailure(
        "ByteFlow: a stage declared infallible threw (\(error.stage)): \(error.underlying); "
            + "remove its InfallibleTransform/InfallibleSource/InfallibleSink conformance")
}
