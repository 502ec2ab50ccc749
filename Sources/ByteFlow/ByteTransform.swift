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
