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
/// with callgrind on the classic input: 60% of a run).
///
/// Why no uniqueness check per write: the buffer is append-only, so a copy
/// needs protecting only from bytes written *past its own count*. Each value
/// keeps its own count; the storage keeps the `frontier`, the count of the
/// value that last appended. A value whose count equals the frontier appends
/// in place (a compare, a capacity check, an inline copy and two stores); a
/// copy that falls behind because the other value appended takes the slow
/// path, which copies the storage unless it is now the only owner. Measured
/// with callgrind on the classic run (18 writes): ~44 instructions per write
/// with an `isKnownUniquelyReferenced` check (a runtime call, after which
/// the storage's fields are reloaded), ~20 with the frontier; 1,875 → 1,705
/// instructions per run.
///
/// It lends its free space to a stage that writes into it directly
/// (``beginDirectWrite(minimumCount:)``), as ``ReplaceTransform`` does on
/// dense matches.
///
/// Not `Sendable`, and it must not become so as it is: two copies on two
/// threads would read and write the storage's frontier without
/// synchronization (`isKnownUniquelyReferenced` is atomic, the frontier is
/// not). `_ByteStorage` has mutable fields, so no conformance is inferred.
@frozen
public struct BufferSink: ByteSink {
    @usableFromInline internal var _storage: _ByteStorage
    /// The bytes of `_storage` that belong to this value.
    @usableFromInline internal var _count: Int

    /// Creates an empty buffer.
    ///
    /// - Parameter capacity: Bytes to reserve up front (none by default).
    @inlinable
    public init(capacity: Int = 0) {
        _storage = _ByteStorage(capacity: capacity)
        _count = 0
    }

    /// Bytes written so far.
    @inlinable
    public var count: Int { _count }

    /// Whether nothing has been written since creation or the last
    /// ``removeAll(keepingCapacity:)``.
    @inlinable
    public var isEmpty: Bool { _count == 0 }

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
        try body(UnsafeRawBufferPointer(start: _storage.base, count: _count))
    }

    /// Appends a copy of `bytes`.
    ///
    /// - Parameter bytes: Borrowed for the call and copied.
    /// - Complexity: Amortized O(*n*) in `bytes.byteCount`; no allocation
    ///   unless the buffer must grow or is shared with a copy that wrote
    ///   since.
    @inlinable
    @inline(__always)
    public mutating func write(_ bytes: RawSpan) {
        let count = bytes.byteCount
        let used = _count
        if _slowPath(_storage.frontier != used || _storage.capacity &- used < count) {
            _makeRoom(for: count)
        }
        let destination = _storage.base + used
        bytes.withUnsafeBytes { source in
            _copyBytes(to: destination, from: source.baseAddress, count: count)
        }
        _count = used &+ count
        _storage.frontier = used &+ count
    }

    /// `true`: a buffer always lends its free space (growing it if needed).
    @inlinable
    public static var lendsMemory: Bool { true }

    /// Lends the buffer's free space, after making room for at least
    /// `minimumCount` bytes: the region past the last byte written, up to the
    /// capacity.
    ///
    /// Making room grows the buffer as a write of `minimumCount` bytes would,
    /// even if fewer are kept: a buffer reserved for exactly its output may
    /// grow once (``ReplaceTransform`` asks for a few hundred bytes).
    ///
    /// - Parameter minimumCount: The fewest bytes the caller can use.
    /// - Returns: At least `minimumCount` writable bytes (never `nil`), valid
    ///   until ``endDirectWrite(_:)``.
    /// - Complexity: O(1), or O(*n*) when the buffer grows (amortized O(1)
    ///   per byte written, as for ``write(_:)``).
    @inlinable
    @inline(__always)  // (a call from the replace kernel was ~20 of the classic run's ~870 instructions)
    public mutating func beginDirectWrite(minimumCount: Int) -> UnsafeMutableRawBufferPointer? {
        let used = _count
        if _slowPath(_storage.frontier != used || _storage.capacity &- used < minimumCount) {
            _makeRoom(for: minimumCount)
        }
        return UnsafeMutableRawBufferPointer(start: _storage.base + used, count: _storage.capacity &- used)
    }

    /// Keeps the first `count` bytes of the region that
    /// ``beginDirectWrite(minimumCount:)`` lent.
    ///
    /// - Parameter count: At most the region's size.
    /// - Complexity: O(1).
    @inlinable
    public mutating func endDirectWrite(_ count: Int) {
        let end = _count &+ count
        _count = end
        _storage.frontier = end
    }

    /// The slow path of ``write(_:)``: after it, this value's count is the
    /// frontier of a storage it may append `count` bytes to. The storage is
    /// kept when this value is its only owner and it has room; otherwise
    /// this value's bytes move to a new, larger storage.
    @usableFromInline
    @inline(never)
    internal mutating func _makeRoom(for count: Int) {
        if isKnownUniquelyReferenced(&_storage) && _storage.capacity &- _count >= count {
            _storage.frontier = _count
        } else {
            _storage = _storage.copy(count: _count, minimumCapacity: _count &+ count)
        }
    }

    /// Removes everything written.
    ///
    /// - Parameter keepingCapacity: Keep the storage for later writes
    ///   (default `true`, so that a reused buffer does not allocate again).
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = true) {
        if keepingCapacity && isKnownUniquelyReferenced(&_storage) {
            _storage.frontier = 0
        } else {
            _storage = _ByteStorage(capacity: keepingCapacity ? _storage.capacity : 0)
        }
        _count = 0
    }
}

/// The storage of a ``BufferSink``: one allocation, grown by doubling.
@usableFromInline
internal final class _ByteStorage {
    // Exclusivity checks on these fields would cost more than the copies
    // they guard; every access is a short, non-reentrant read or write.
    @usableFromInline @exclusivity(unchecked) internal var base: UnsafeMutableRawPointer
    /// The count of the ``BufferSink`` that appended last: only a value
    /// with this count may append in place (see ``BufferSink``).
    @usableFromInline @exclusivity(unchecked) internal var frontier: Int
    @usableFromInline @exclusivity(unchecked) internal var capacity: Int

    @usableFromInline
    internal init(capacity: Int) {
        self.capacity = max(capacity, 0)
        self.frontier = 0
        self.base = .allocate(byteCount: max(capacity, 1), alignment: 16)
    }

    /// A new storage with this one's first `count` bytes and room for at
    /// least `minimumCapacity` bytes (at least double this one's capacity).
    @usableFromInline
    internal func copy(count: Int, minimumCapacity: Int) -> _ByteStorage {
        let copy = _ByteStorage(capacity: max(minimumCapacity, capacity &* 2, 64))
        copy.base.copyMemory(from: base, byteCount: count)
        copy.frontier = count
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
