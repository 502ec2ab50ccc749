/// An in-memory sink that holds at most a fixed number of bytes and fails
/// clearly when a run would put more in it.
///
/// ```swift
/// var pipeline = try FileSource(path: "upload.json").into(CappedBufferSink(cap: 1 << 20))
/// do {
///     try pipeline.run()
/// } catch {
///     print(error)  // a PipelineError: output exceeds the cap of 1048576 bytes: 1048000 accepted, a write of 4096 refused
/// }
/// ```
///
/// A write that would exceed the cap is refused whole (nothing of it is
/// kept) and throws ``CapExceededError``; the bytes already accepted stay
/// readable. Storage grows as needed (like ``BufferSink``, whose storage it
/// uses) and never beyond what the cap needs.
@frozen
public struct CappedBufferSink: ByteSink {
    @usableFromInline internal var _buffer: BufferSink
    /// The most bytes the sink will hold.
    public let cap: Int

    /// Creates an empty sink.
    ///
    /// - Parameter cap: The most bytes it will hold; a negative value is
    ///   taken as 0.
    @inlinable
    public init(cap: Int) {
        self.cap = max(cap, 0)
        _buffer = BufferSink()
    }

    /// The bytes accepted so far.
    @inlinable
    public var buffer: BufferSink { _buffer }

    /// Bytes accepted so far.
    @inlinable
    public var count: Int { _buffer.count }

    /// Appends a copy of `bytes`, or refuses all of them if they do not fit.
    ///
    /// - Parameter bytes: Borrowed for the call.
    /// - Throws: ``CapExceededError`` if `count + bytes.byteCount > cap`.
    /// - Complexity: Amortized O(*n*).
    @inlinable
    public mutating func write(_ bytes: RawSpan) throws(CapExceededError) {
        guard bytes.byteCount <= cap &- _buffer.count else {
            throw CapExceededError(cap: cap, accepted: _buffer.count, refused: bytes.byteCount)
        }
        _buffer.write(bytes)
    }

    /// Removes everything accepted, keeping the storage.
    ///
    /// ```swift
    /// sink.reset()
    /// ```
    @inlinable
    public mutating func reset() {
        _buffer.removeAll(keepingCapacity: true)
    }
}

/// A ``CappedBufferSink`` refused a write that would take it past its cap.
///
/// ```swift
/// var pipeline = try FileSource(path: "upload.json").into(CappedBufferSink(cap: 1 << 20))
/// do {
///     try pipeline.run()
/// } catch {
///     if let capped = error.underlying as? CapExceededError { print(capped.accepted) }
/// }
/// ```
public struct CapExceededError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sink's cap in bytes.
    public var cap: Int
    /// Bytes the sink had accepted (and still holds).
    public var accepted: Int
    /// The size of the refused write.
    public var refused: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - cap: The sink's cap.
    ///   - accepted: Bytes it held.
    ///   - refused: The refused write's size.
    @inlinable
    public init(cap: Int, accepted: Int, refused: Int) {
        self.cap = cap
        self.accepted = accepted
        self.refused = refused
    }

    /// For example `output exceeds the cap of 16 bytes: 12 accepted, a write of 8 refused`.
    public var description: String {
        "output exceeds the cap of \(cap) bytes: \(accepted) accepted, a write of \(refused) refused"
    }
}
