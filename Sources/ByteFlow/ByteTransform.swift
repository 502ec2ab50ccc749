/// A stage that rewrites a byte stream on its way from a source to a sink.
///
/// A pipeline calls ``process(_:into:)`` for every chunk, in order, and
/// ``finish(into:)`` once at the end of the stream. The transform writes its
/// output to `next`, which is the following stage: another transform or the
/// sink. Because `next` is generic, a pipeline built from concrete types is
/// specialized by the compiler into one loop.
///
/// ## Implementer notes
///
/// - **Ownership.** `chunk` is borrowed and valid only during the call. To
///   forward bytes unchanged, pass sub-spans of `chunk` to `next` (for example
///   `chunk.extracting(a..<b)`): no copy is made until the sink. Bytes that
///   must outlive the call (a partial match at a chunk boundary, say) are
///   copied into state the transform owns.
/// - **Chunk boundaries are not stream boundaries.** The output of a run must
///   not depend on how the stream was cut into chunks. A transform may hold
///   bytes back across a boundary, but only a bounded number of them.
/// - **`finish(into:)`** is called once, after the last chunk, and must write
///   everything still held back. Afterwards the transform must be in its
///   initial state, so that the same value can run another stream.
/// - **Empty chunks** may be passed and must be accepted.
/// - **Errors.** A throw ends the run: the pipeline does not call
///   ``process(_:into:)`` again for that stream. What was already written to
///   `next` stays written. To make the stages ready for the next run, the
///   pipeline then calls ``reset()``.
/// - **`reset()`** discards whatever the transform holds back and returns it
///   to its initial state, writing nothing anywhere. The default
///   implementation finishes into a ``DiscardSink`` and ignores what that
///   throws, which is correct for any transform; a transform that holds
///   bytes back should override it with something cheaper (clear a counter),
///   because a failed run no longer pushes held bytes through the downstream
///   stages to get rid of them.
/// - **`isFinished`** lets a stage end the run early. When it returns
///   `true`, no further input can change what the stage (and so the
///   pipeline) writes: the run loop stops reading the source, then finishes
///   the transform and flushes the sink as usual. The run loops ask after
///   every chunk (and before the first), so a run reads at most one chunk
///   past the point where the stage became finished. The default is a
///   constant `false`, which the optimizer folds away: a stage that never
///   finishes early implements nothing. ``PrefixTransform`` is finished once
///   its limit has passed. Stopping early is visible upstream: stages before
///   a finished one (counters, progress, framers that would throw on a later
///   oversized frame) do not see the unread rest, exactly as if the source
///   had ended there. Return to `false` in ``finish(into:)`` and
///   ``reset()``, since the next stream starts afresh. A stage that
///   implements `isFinished` also declares ``canFinishEarly`` `true`: a
///   ``BoxedPipeline`` asks only the stages whose type says so.
/// - **Composition.** A ``Chain`` is finished when *either* stage is: a
///   finished first stage writes nothing more, and a finished second stage
///   discards whatever the first would still write (including what the
///   first holds back, which ``finish(into:)`` still passes down to be
///   discarded). A ``BoxedPipeline`` is finished when any of its stages is,
///   by the same rule.
/// - **`Sendable`.** Declare it when the stored properties allow: pipelines
///   of `Sendable` stages are `Sendable` and can move to another task.
/// - **`_ChainDepth`** is ByteFlow's bookkeeping for appending stages (see
///   ``Chain``): leave it to its default.
public protocol ByteTransform {
    /// Rewrites one chunk of the stream, writing the output to `next`.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: The downstream stage.
    /// - Throws: The transform's own error, or whatever `next` throws.
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws

    /// Writes whatever the transform still holds at the end of the stream and
    /// returns the transform to its initial state.
    ///
    /// - Parameter next: The downstream stage.
    /// - Throws: The transform's own error, or whatever `next` throws.
    mutating func finish<Next: ByteSink>(into next: inout Next) throws

    /// Discards whatever the transform holds back and returns it to its
    /// initial state, without writing anything downstream.
    ///
    /// Pipelines call it after a failed run, so that the next run does not
    /// begin with bytes this one held back.
    mutating func reset()

    /// Whether no further input can change this transform's output, so that
    /// the run may stop reading its source.
    ///
    /// The run loops of ``Pipeline``, ``BoxedPipeline`` and the async runs
    /// check it before reading each chunk; when it is `true` they stop
    /// reading, then finish the transform and flush the sink as usual. The
    /// default is `false`. It must be `false` again after ``finish(into:)``
    /// and ``reset()``.
    ///
    /// - Complexity: Must be O(1); it is read once per chunk.
    var isFinished: Bool { get }

    /// Whether a value of this type can ever report ``isFinished`` as `true`.
    ///
    /// The default is `false`. A stage that implements ``isFinished`` must
    /// say `true` here (``PrefixTransform`` does; a ``Chain`` does when
    /// either of its stages does). A ``BoxedPipeline`` reads it once per run
    /// for each stage and, before every chunk, asks only the stages that can
    /// finish: each question is a dynamic call (~6 ns measured), which four
    /// boxed stages at 16-byte chunks paid 65,536 times per MiB. A
    /// specialized ``Pipeline`` needs no such list (a constant `false`
    /// folds away) and does not read this property. A debug build of
    /// ByteFlow checks, in the boxed run, that a stage which says `false`
    /// never reports `true`.
    ///
    /// - Complexity: O(1); read once per stage per boxed run.
    static var canFinishEarly: Bool { get }

    /// How many stages this transform counts as when stages are appended to
    /// it: 1 for any transform, one more than its second stage for a
    /// ``Chain``. Appending selects its overload by this type, which is what
    /// makes appending past ``maximumChainDepth`` a compile-time error rather
    /// than a chain that silently stops being specialized. Do not implement it.
    associatedtype _ChainDepth: _ChainDepthMarker = _ChainDepthOne
}

/// A type-level count of stages: ``_ChainDepthOne``,
/// `_ChainDepthSucc<_ChainDepthOne>`, … It selects the overload that appends
/// a stage to a chain of that depth, and nothing else.
public protocol _ChainDepthMarker {}

/// The ``ByteTransform/_ChainDepth`` of a single stage.
public enum _ChainDepthOne: _ChainDepthMarker {}

/// The ``ByteTransform/_ChainDepth`` of a chain one stage deeper than `Inner`.
public enum _ChainDepthSucc<Inner: _ChainDepthMarker>: _ChainDepthMarker {}

extension ByteTransform {
    /// `false`: a transform is never finished early unless it says so. The
    /// constant folds away in a specialized run, so the check costs nothing
    /// for stages that do not implement it.
    @inlinable
    public var isFinished: Bool { false }

    /// `false`: a transform cannot finish early unless it says so.
    @inlinable
    public static var canFinishEarly: Bool { false }

    /// Writes nothing: a transform that holds nothing back has nothing to
    /// finish.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {}

    /// Finishes into a ``DiscardSink`` and ignores what that throws: correct
    /// for any transform, since ``finish(into:)`` must leave it in its initial
    /// state. Override it when you can reset without running the finish code.
    ///
    /// - Complexity: The cost of ``finish(into:)``.
    @inlinable
    public mutating func reset() {
        var discard = DiscardSink()
        try? finish(into: &discard)
    }
}
