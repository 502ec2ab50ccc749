/// Replaces every byte with its entry in a 256-entry table: ASCII upper or
/// lower case, ROT13, or any table of your own.
///
/// ```swift
/// var pipeline = BytesSource("Hello, World")
///     .transformed(by: ByteMapTransform.asciiUppercase)
///     .into(BufferSink())
/// try pipeline.run()  // "HELLO, WORLD"
/// ```
///
/// A map cannot forward its input (every output byte is new), so it writes
/// from a staging buffer it owns: ``stagingCapacity`` bytes, allocated once at
/// creation and reused, one downstream write per staging buffer filled.
///
/// Why this shape (measured on this machine, see
/// `Documentation/Benchmarks.md`, "Stages"): the loop is a load, a table
/// load and a store per byte over raw pointers, unrolled by the compiler; it
/// runs at about a sixth of `memcpy`'s speed on the same buffers (a table
/// lookup is a dependent load per byte; `memcpy` moves 32 bytes a cycle).
/// 16 KiB of staging keeps input, table and output in L1 while amortizing the
/// downstream call.
@frozen
public struct ByteMapTransform: ByteTransform, Sendable {
    @usableFromInline internal let _table: [UInt8]
    @usableFromInline internal var _staging: [UInt8]

    /// The size of the staging buffer, and so of the largest write downstream.
    @inlinable
    public var stagingCapacity: Int { _staging.count }

    /// The table: byte `b` becomes `table[b]`.
    @inlinable
    public var table: [UInt8] { _table }

    /// Creates a map from a table of exactly 256 entries.
    ///
    /// ```swift
    /// let invert = try ByteMapTransform(table: (0...255).map { ~UInt8($0) })
    /// ```
    ///
    /// - Parameters:
    ///   - table: Byte `b` becomes `table[b]`.
    ///   - stagingCapacity: Bytes of output staged per downstream write
    ///     (default 16 KiB); allocated now.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if the table does not
    ///   have 256 entries (its count is reported) or the capacity is below 1.
    @inlinable
    public init(table: [UInt8], stagingCapacity: Int = 16 * 1024) throws(ByteFlowError) {
        guard table.count == 256 else { throw .invalidChunkSize(table.count) }
        guard stagingCapacity > 0 else { throw .invalidChunkSize(stagingCapacity) }
        _table = table
        _staging = [UInt8](repeating: 0, count: stagingCapacity)
    }

    /// Creates a map from a function evaluated once per byte value.
    ///
    /// ```swift
    /// let dotsForControls = ByteMapTransform { $0 < 0x20 ? UInt8(ascii: ".") : $0 }
    /// ```
    ///
    /// - Parameter transform: Called 256 times, now.
    @inlinable
    public init(_ transform: (UInt8) -> UInt8) {
        _table = (0...255).map { transform(UInt8($0)) }
        _staging = [UInt8](repeating: 0, count: 16 * 1024)
    }

    /// `a`–`z` become `A`–`Z`; every other byte is unchanged (like
    /// `tr a-z A-Z`).
    public static var asciiUppercase: ByteMapTransform {
        ByteMapTransform { (0x61...0x7A).contains($0) ? $0 &- 0x20 : $0 }
    }

    /// `A`–`Z` become `a`–`z`; every other byte is unchanged.
    public static var asciiLowercase: ByteMapTransform {
        ByteMapTransform { (0x41...0x5A).contains($0) ? $0 &+ 0x20 : $0 }
    }

    /// Letters rotate by 13 (`a`↔`n`, `M`↔`Z`); applying it twice is the
    /// identity.
    public static var rot13: ByteMapTransform {
        ByteMapTransform { byte in
            switch byte {
            case 0x41...0x5A: return (byte &- 0x41 &+ 13) % 26 &+ 0x41
            case 0x61...0x7A: return (byte &- 0x61 &+ 13) % 26 &+ 0x61
            default: return byte
            }
        }
    }

    /// Maps `chunk` through the table into the staging buffer and writes it
    /// on, one write per ``stagingCapacity`` bytes.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: Receives the mapped bytes, borrowed from the staging buffer.
    /// - Throws: What `next` throws.
    /// - Complexity: O(*n*); allocates nothing (unless this value shares its
    ///   staging buffer with a copy, which costs one copy-on-write).
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let count = chunk.byteCount
        guard count > 0 else { return }
        let capacity = _staging.count
        try chunk.withUnsafeBytes { input in
            var offset = 0
            while offset < count {
                let n = min(capacity, count &- offset)
                _table.withUnsafeBufferPointer { table in
                    _staging.withUnsafeMutableBufferPointer { output in
                        _mapBytes(input.baseAddress! + offset, output.baseAddress!, n, table.baseAddress!)
                    }
                }
                try next.write(_staging.span.bytes.extracting(0..<n))
                offset &+= n
            }
        }
    }
}

/// The kernel: `output[i] = table[input[i]]` for `i < count`.
@inlinable
@inline(__always)
internal func _mapBytes(
    _ input: UnsafeRawPointer, _ output: UnsafeMutablePointer<UInt8>, _ count: Int,
    _ table: UnsafePointer<UInt8>
) {
    let bytes = input.assumingMemoryBound(to: UInt8.self)
    for i in 0..<count {
        output[i] = table[Int(bytes[i])]
    }
}
