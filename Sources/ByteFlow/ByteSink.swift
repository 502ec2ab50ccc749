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
/// - **Direct writes** (optional). A sink that copies what it is given into
///   memory of its own (``BufferSink``, ``FileSink``) may also lend that
///   memory: ``beginDirectWrite(minimumCount:)`` returns a region the caller
///   fills, and ``endDirectWrite(_:)`` says how many of its first bytes to
///   keep. A stage that emits many short pieces (a replace on dense text)
///   then copies them with a pointer it keeps in a register, instead of a
///   call, a capacity check and a count update per piece. Between the two
///   calls nothing else is called on the sink. The default implementations
///   lend nothing (`nil`), and callers fall back to ``write(_:)``.
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

    /// Lends the sink's own memory to write into, if it has at least
    /// `minimumCount` contiguous bytes to lend.
    ///
    /// The caller may write anywhere in the returned region (bytes past what
    /// it keeps are scratch), then must call ``endDirectWrite(_:)`` with the
    /// number of leading bytes to keep before any other call on the sink.
    /// The default implementation returns `nil`: write with ``write(_:)``.
    ///
    /// - Parameter minimumCount: The fewest bytes the caller can use; a
    ///   positive count.
    /// - Returns: At least `minimumCount` writable bytes, valid until
    ///   ``endDirectWrite(_:)``; or `nil` if the sink does not lend memory or
    ///   cannot lend that much (a buffer smaller than `minimumCount`).
    /// - Throws: The sink's error, if making room (a ``FileSink`` writing out
    ///   its buffer) fails; nothing is lent then.
    /// - Complexity: O(1), plus the cost of making room.
    mutating func beginDirectWrite(minimumCount: Int) throws -> UnsafeMutableRawBufferPointer?

    /// Whether ``beginDirectWrite(minimumCount:)`` can lend memory at all:
    /// `false` (the default) tells a stage, at compile time when it is
    /// specialized, not to prepare a direct write that would be declined.
    /// A sink that implements ``beginDirectWrite(minimumCount:)`` returns
    /// `true` (otherwise it is only asked through the slower general path of
    /// ``ReplaceTransform``; nothing is lost either way).
    ///
    /// Measured 2026-11-30: asking a sink that never lends cost
    /// ``ReplaceTransform`` ~10% on a chain into a `DiscardSink` (a call and
    /// a declined loan per chunk).
    static var lendsMemory: Bool { get }

    /// Takes the first `count` bytes of the region that
    /// ``beginDirectWrite(minimumCount:)`` lent, as if they had been passed
    /// to ``write(_:)``, and ends the loan.
    ///
    /// - Parameter count: `0...region.count`.
    /// - Complexity: O(1).
    mutating func endDirectWrite(_ count: Int)
}

extension ByteSink {
    /// Does nothing: a sink that does not buffer has nothing to flush.
    @inlinable
    public mutating func flush() throws {}

    /// Lends nothing: a sink that does not copy what it is given has no
    /// memory to lend, and the caller writes with ``write(_:)``.
    @inlinable
    public mutating func beginDirectWrite(minimumCount: Int) throws -> UnsafeMutableRawBufferPointer? { nil }

    /// `false`: the default ``beginDirectWrite(minimumCount:)`` lends nothing.
    @inlinable
    public static var lendsMemory: Bool { false }

    /// Does nothing: ``beginDirectWrite(minimumCount:)`` lent nothing.
    @inlinable
    public mutating func endDirectWrite(_ count: Int) {}
}
