#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owned storage for a frame that arrives in pieces, bounded by a limit
/// (the framer's maximum frame length) and reused for every frame.
///
/// It starts with room for ``initialCapacity`` bytes (or the limit, if
/// smaller) and doubles, never past the limit, when a longer frame is cut by
/// a chunk boundary; it never shrinks. So a framer's memory is bounded by its
/// maximum frame length whatever the input, and is only as large as the
/// longest frame it had to gather.
///
/// Why not all of it at creation: a user who sets a generous maximum ("no
/// line is refused": 1 GiB) paid a 1 GiB allocation, zero-filled, for every
/// framer (the repository's whole-process client: 0.87 s and 1 GiB of memory
/// to count the lines of a 256 MiB file of 42-byte lines).
///
/// Copies of a framer share the array until one of them writes
/// (copy-on-write), then each has its own.
@frozen
@usableFromInline
internal struct _FrameBuffer: Sendable {
    @usableFromInline internal var _bytes: [UInt8]
    /// Bytes of the current frame held so far.
    @usableFromInline internal var count: Int
    /// The most bytes it may hold.
    @usableFromInline internal let limit: Int

    /// The room allocated at creation, unless the limit is smaller.
    @inlinable
    internal static var initialCapacity: Int { 4096 }

    @inlinable
    internal init(capacity: Int) {
        limit = max(capacity, 1)
        _bytes = [UInt8](repeating: 0, count: min(limit, _FrameBuffer.initialCapacity))
        count = 0
    }

    @inlinable
    internal var isEmpty: Bool { count == 0 }

    /// The byte at `index`, which must be below ``count``.
    @inlinable
    internal subscript(index: Int) -> UInt8 { _bytes[index] }

    /// Appends `source[start..<end]`; the caller has checked that it fits
    /// under ``limit``.
    @inlinable
    internal mutating func append(_ source: UnsafeRawPointer, _ start: Int, _ end: Int) {
        let n = end &- start
        guard n > 0 else { return }
        if count &+ n > _bytes.count { _grow(toHold: count &+ n) }
        let at = count
        _bytes.withUnsafeMutableBytes {
            $0.baseAddress!.advanced(by: at).copyMemory(from: source + start, byteCount: n)
        }
        count = at &+ n
    }

    /// Makes room for `needed` bytes, which must be at most ``limit``: at
    /// least double, at most the limit. (The bounds check of ``append(_:_:_:)``
    /// lives here, off its path: at 16-byte chunks, where every chunk's tail
    /// is held, a second compare there cost line framing ~7%.)
    @inlinable
    @inline(never)
    internal mutating func _grow(toHold needed: Int) {
        precondition(needed <= limit, "frame buffer overflow")
        let size = min(limit, max(needed, _bytes.count &* 2))
        _bytes.append(contentsOf: repeatElement(0, count: size &- _bytes.count))
    }

    /// Writes the first `n` held bytes as one span and moves any bytes after
    /// them to the front.
    @inlinable
    internal mutating func writeLeading<Next: ByteSink>(_ n: Int, into next: inout Next) throws {
        try next.write(_bytes.span.bytes.extracting(0..<n))
        let rest = count &- n
        if rest > 0 {
            _bytes.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + n, rest) }
        }
        count = rest
    }
}

/// Writes the borrowed `base[start..<end]` to `next` as a span: how stages
/// forward bytes that lie inside one chunk without copying them.
@inlinable
@inline(__always)
internal func _writeBytes<Next: ByteSink>(
    _ base: UnsafeRawPointer, _ start: Int, _ end: Int, into next: inout Next
) throws {
    try next.write(UnsafeRawBufferPointer(start: base + start, count: end &- start).bytes)
}
