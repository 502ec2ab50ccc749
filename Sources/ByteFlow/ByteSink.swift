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
/// - **Error types.** ``WriteFailure`` and ``FlushFailure`` are inferred from
///   the signatures you write: a `write(_:)` that cannot throw makes
///   ``WriteFailure`` `Never` (``BufferSink``, ``DiscardSink``),
///   `throws(IOError)` makes it
///   ``IOError``, and a plain `throws` makes it `any Error`. A sink that
///   cannot fail lets stages that cannot fail either run without `try` (see
///   <doc:PipelinesAndStages#Pipelines-that-cannot-fail>).
public protocol ByteSink {
    /// The error ``write(_:)`` throws: `Never` for a sink that cannot fail.
    ///
    /// Inferred from your `write(_:)`; you do not need to name it. (Not
    /// `Failure`: a sink with a nested error type of that name and a plain
    /// `throws` would stop conforming.)
    associatedtype WriteFailure: Error = any Error

    /// The error ``flush()`` throws; the same as ``WriteFailure`` unless your
    /// `flush()` says otherwise.
    ///
    /// A separate type so that a sink whose `write(_:)` cannot fail but whose
    /// `flush()` can (or the other way round) keeps its own `flush()`: with
    /// one shared type, a plain-`throws` `flush()` beside a non-throwing
    /// `write(_:)` would silently lose to the default, which does nothing.
    associatedtype FlushFailure: Error = WriteFailure

    /// Takes all of `bytes`.
    ///
    /// - Parameter bytes: The bytes to write, borrowed for the duration of the
    ///   call. May be empty.
    /// - Throws: The sink's error (``WriteFailure``), for example an
    ///   ``IOError`` from `write(2)`.
    mutating func write(_ bytes: RawSpan) throws(WriteFailure)

    /// Pushes buffered bytes to their destination.
    ///
    /// Pipelines call this once, after the last ``write(_:)`` of a successful
    /// run. The default implementation does nothing.
    ///
    /// - Throws: The sink's error (``FlushFailure``), for example an
    ///   ``IOError`` from `write(2)`.
    mutating func flush() throws(FlushFailure)
}

extension ByteSink {
    /// Does nothing: a sink that does not buffer has nothing to flush.
    @inlinable
    public mutating func flush() throws(FlushFailure) {}
}
