/// The receiving end of a byte stream.
///
/// A sink is the last stage of a pipeline: every byte that leaves the last
/// transform is passed to ``write(_:)``, in order, and ``flush()`` is called
/// once after the last write of a successful run.
///
/// ## Implementer notes
///
/// - **Ownership.** The span passed to ``write(_:)`` is borrowed from the
///   caller (a source's buffer, a transform's state) and valid only during
///   the call. A sink that needs the bytes later must copy them.
/// - **Completeness.** When ``write(_:)`` returns normally, the sink has taken
///   all of the bytes: there are no partial writes at this level. A sink that
///   buffers may hold them until ``flush()``.
/// - **Errors.** When a call throws, the error should say how many bytes
///   reached their destination (``IOError/bytesTransferred`` does). The sink
///   is left in a consistent state but its contents are unspecified.
public protocol ByteSink {
    /// Takes all of `bytes`.
    ///
    /// - Parameter bytes: The bytes to write, borrowed for the duration of the
    ///   call. May be empty.
    /// - Throws: The sink's error, for example an ``IOError`` from `write(2)`.
    mutating func write(_ bytes: RawSpan) throws

    /// Pushes buffered bytes to their destination.
    ///
    /// Pipelines call this once, after the last ``write(_:)`` of a successful
    /// run. The default implementation does nothing.
    ///
    /// - Throws: The sink's error, for example an ``IOError`` from `write(2)`.
    mutating func flush() throws
}

extension ByteSink {
    /// Does nothing: a sink that does not buffer has nothing to flush.
    @inlinable
    public mutating func flush() throws {}
}
