/// Drops every byte of a set (for example `\r`, or all control bytes) and
/// passes the others on in order.
///
/// ```swift
/// var pipeline = BytesSource("a\r\nb\r\n")
///     .transformed(by: ByteFilterTransform(dropping: [0x0D]))
///     .into(BufferSink())
/// pipeline.run()  // "a\nb\n"
/// ```
///
/// The kept bytes are compacted into a staging buffer the filter owns
/// (``stagingCapacity`` bytes, allocated once at creation), one downstream
/// write per buffer filled. Why not forward the kept runs as sub-spans: a
/// filter that drops often (every space, say) would make one write per run,
/// a few bytes each; the compacting loop is branch-free (store the byte,
/// advance by 0 or 1) and costs the same whatever the input.
@frozen
public struct ByteFilterTransform: ByteTransform, Sendable {
    /// `_keep[b]` is 1 if byte `b` passes, else 0.
    @usableFromInline internal let _keep: [UInt8]
    @usableFromInline internal var _staging: [UInt8]

    /// The size of the staging buffer, and so of the largest write downstream.
    @inlinable
    public var stagingCapacity: Int { _staging.count }

    /// Creates a filter that drops the bytes in `dropped`.
    ///
    /// - Parameters:
    ///   - dropped: The bytes to remove from the stream.
    ///   - stagingCapacity: Bytes staged per downstream write (default 16 KiB,
    ///     at least 1); allocated now.
    @inlinable
    public init(dropping dropped: Set<UInt8>, stagingCapacity: Int = 16 * 1024) {
        self.init(stagingCapacity: stagingCapacity) { !dropped.contains($0) }
    }

    /// Creates a filter that keeps the bytes for which `keeps` is true.
    ///
    /// ```swift
    /// let printable = ByteFilterTransform { (0x20...0x7E).contains($0) || $0 == 0x0A }
    /// ```
    ///
    /// - Parameters:
    ///   - stagingCapacity: Bytes staged per downstream write (default 16 KiB,
    ///     at least 1); allocated now.
    ///   - keeps: Called once per byte value, now.
    @inlinable
    public init(stagingCapacity: Int = 16 * 1024, keeping keeps: (UInt8) -> Bool) {
        _keep = (0...255).map { keeps(UInt8($0)) ? 1 : 0 }
        _staging = [UInt8](repeating: 0, count: max(stagingCapacity, 1))
    }

    /// Whether `byte` passes the filter.
    @inlinable
    public func keeps(_ byte: UInt8) -> Bool { _keep[Int(byte)] != 0 }

    /// Writes the bytes of `chunk` that pass, compacted, to `next`.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: Receives the kept bytes, borrowed from the staging buffer.
    /// - Throws: What `next` throws.
    /// - Complexity: O(*n*); allocates nothing.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let count = chunk.byteCount
        guard count > 0 else { return }
        let capacity = _staging.count
        try chunk.withUnsafeBytes { input in
            var offset = 0
            while offset < count {
                let n = min(capacity, count &- offset)
                let kept = _keep.withUnsafeBufferPointer { keep in
                    _staging.withUnsafeMutableBufferPointer { output in
                        _compactBytes(input.baseAddress! + offset, output.baseAddress!, n, keep.baseAddress!)
                    }
                }
                if kept > 0 { try next.write(_staging.span.bytes.extracting(0..<kept)) }
                offset &+= n
            }
        }
    }
}

/// The kernel: copies the bytes of `input[0..<count]` whose `keep` entry is 1
/// to the front of `output`, returning how many there were.
@inlinable
@inline(__always)
internal func _compactBytes(
    _ input: UnsafeRawPointer, _ output: UnsafeMutablePointer<UInt8>, _ count: Int,
    _ keep: UnsafePointer<UInt8>
) -> Int {
    let bytes = input.assumingMemoryBound(to: UInt8.self)
    var kept = 0
    for i in 0..<count {
        let byte = bytes[i]
        output[kept] = byte
        kept &+= Int(keep[Int(byte)])
    }
    return kept
}
