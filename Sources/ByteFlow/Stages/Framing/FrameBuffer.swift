#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owned storage for a frame that arrives in pieces: one allocation of a fixed
/// capacity, made when the framer is created and reused for every frame.
///
/// It never grows, so a framer's memory is bounded by its maximum frame
/// length whatever the input. Copies of a framer share the array until one of
/// them writes (copy-on-write), then each has its own.
@frozen
@usableFromInline
internal struct _FrameBuffer: Sendable {
    @usableFromInline internal var _bytes: [UInt8]
    /// Bytes of the current frame held so far.
    @usableFromInline internal var count: Int

    @inlinable
    internal init(capacity: Int) {
        _bytes = [UInt8](repeating: 0, count: max(capacity, 1))
        count = 0
    }

    @inlinable
    internal var capacity: Int { _bytes.count }

    @inlinable
    internal var isEmpty: Bool { count == 0 }

    /// The byte at `index`, which must be below ``count``.
    @inlinable
    internal subscript(index: Int) -> UInt8 { _bytes[index] }

    /// Appends `source[start..<end]`; the caller has checked that it fits.
    @inlinable
    internal mutating func append(_ source: UnsafeRawPointer, _ start: Int, _ end: Int) {
        let n = end &- start
        guard n > 0 else { return }
        precondition(count &+ n <= _bytes.count, "frame buffer overflow")
        let at = count
        _bytes.withUnsafeMutableBytes {
            $0.baseAddress!.advanced(by: at).copyMemory(from: source + start, byteCount: n)
        }
        count = at &+ n
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
