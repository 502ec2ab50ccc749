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
///   `next` stays written. To reset the stages for the next run, the pipeline
///   then calls ``finish(into:)`` once more with a sink that discards, and
///   ignores what that throws.
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
}

extension ByteTransform {
    /// Writes nothing: a transform that holds nothing back has nothing to
    /// finish.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {}
}
