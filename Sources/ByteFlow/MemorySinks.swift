/// A sink that collects the stream in a growable buffer, like Go's
/// `bytes.Buffer`.
///
/// Empty it with ``removeAll(keepingCapacity:)`` to reuse its storage: once
/// the buffer has grown to the largest output, writes allocate nothing. It is
/// a value type with copy-on-write storage: a copy shares the bytes until one
/// of the two is written to.
///
/// Why not an `[UInt8]` inside: a pipeline writes to its sink once per
/// unchanged run and once per replacement, often a few bytes each, and
/// `Array.append(contentsOf:)` cost ~80 instructions per such write (measured
/// with callgrind on the classic input: 60% of a run). Here a write is a
/// uniqueness check, a capacity check and an inline copy.
@frozen
public struct BufferSink: ByteSink {
    @usableFromInline internal var _storage: _ByteStorage

    /// Creates an empty buffer.
    ///
    /// - Parameter capacity: Bytes to reserve up front (none by default).
    @inlinable
    public init(capacity: Int = 0) {
        _storage = _ByteStorage(capacity: capacity)
    }

    /// Bytes written so far.
    @inlinable
    public var count: Int { _storage.count }

    /// Whether nothing has been written since creation or the last
    /// ``removeAll(keepingCapacity:)``.
    @inlinable
    public var isEmpty: Bool { _storage.count == 0 }

    /// A copy of everything written so far.
    ///
    /// - Complexity: O(*n*): it allocates and copies. To read the bytes in
    ///   place, use ``withUnsafeBytes(_:)``.
    @inlinable
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The collected bytes decoded as UTF-8 (invalid sequences become U+FFFD).
    ///
    /// - Complexity: O(*n*).
    @inlinable
    public var string: String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the collected bytes, in place.
    ///
    /// - Parameter body: Receives the bytes; the buffer must not escape the
    ///   call.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    @inlinable
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: _storage.base, count: _storage.count))
    }

    /// Appends a copy of `bytes`.
    ///
    /// - Parameter bytes: Borrowed for the call and copied.
    /// - Complexity: Amortized O(*n*) in `bytes.byteCount`; no allocation
    ///   unless the buffer must grow or is shared with a copy.
    @inlinable
    public mutating func write(_ bytes: RawSpan) {
        let count = bytes.byteCount
        if _slowPath(!isKnownUniquelyReferenced(&_storage) || _storage.capacity &- _storage.count < count) {
            _storage = _storage.copy(minimumCapacity: _storage.count &+ count)
        }
        let storage = _storage
        bytes.withUnsafeBytes { source in
            _copyBytes(to: storage.base + storage.count, from: source.baseAddress, count: count)
        }
        storage.count &+= count
    }

    /// Removes everything written.
    ///
    /// - Parameter keepingCapacity: Keep the storage for later writes
    ///   (default `true`, so that a reused buffer does not allocate again).
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = true) {
        if keepingCapacity && isKnownUniquelyReferenced(&_storage) {
            _storage.count = 0
        } else {
            _storage = _ByteStorage(capacity: keepingCapacity ? _storage.capacity : 0)
        }
    }
}

/// The storage of a ``BufferSink``: one allocation, grown by doubling.
@usableFromInline
internal final class _ByteStorage {
    // Exclusivity checks on these fields would cost more than the copies
    // they guard; every access is a short, non-reentrant read or write.
    @usableFromInline @exclusivity(unchecked) internal var base: UnsafeMutableRawPointer
    @usableFromInline @exclusivity(unchecked) internal var count: Int
    @usableFromInline @exclusivity(unchecked) internal var capacity: Int

    @usableFromInline
    internal init(capacity: Int) {
        self.capacity = max(capacity, 0)
        self.count = 0
        self.base = .allocate(byteCount: max(capacity, 1), alignment: 16)
    }

    /// A new storage with this one's bytes and room for at least
    /// `minimumCapacity` bytes (at least double this one's capacity).
    @usableFromInline
    internal func copy(minimumCapacity: Int) -> _ByteStorage {
        let copy = _ByteStorage(capacity: max(minimumCapacity, capacity &* 2, 64))
        copy.base.copyMemory(from: base, byteCount: count)
        copy.count = count
        return copy
    }

    deinit {
        base.deallocate()
    }
}

/// A sink that throws the bytes away and counts them.
///
/// Use it to measure a source and its transforms without the cost of storing
/// the output.
@frozen
public struct DiscardSink: ByteSink, Sendable {
    @usableFromInline internal var _byteCount: Int

    /// Bytes written since creation or the last ``reset()``.
    @inlinable
    public var byteCount: Int { _byteCount }

    /// Creates a sink with a count of zero.
    @inlinable
    public init() {
        _byteCount = 0
    }

    /// Adds `bytes.byteCount` to ``byteCount``.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func write(_ bytes: RawSpan) {
        _byteCount &+= bytes.byteCount
    }

    /// Sets ``byteCount`` back to zero.
    @inlinable
    public mutating func reset() {
        _byteCount = 0
    }
}
