internal import CByteFlowCRC32C

/// The CRC-32C checksum (Castagnoli polynomial, as in iSCSI, SCTP, ext4 and
/// Snappy), computed incrementally.
///
/// ```swift
/// var crc = CRC32C()
/// crc.update(Array("123456789".utf8).span.bytes)
/// print(crc.checksum == 0xE306_9283)  // true
/// ```
///
/// Why this shape (measured on this machine, see `Documentation/Benchmarks.md`,
/// "Stages"): on x86-64 CPUs with SSE4.2 the `crc32` instruction, reached
/// through the package's small C target, does 8 bytes per instruction;
/// elsewhere a slicing-by-8 table loop (eight 256-entry tables, 8 KiB,
/// built once per process) does 8 bytes per eight table loads.
public struct CRC32C: Sendable, Equatable {
    /// The running state: the CRC so far, inverted.
    @usableFromInline internal var _state: UInt32

    /// Starts a checksum of nothing.
    public init() {
        _state = 0xFFFF_FFFF
    }

    /// The checksum of every byte passed to ``update(_:)`` so far.
    public var checksum: UInt32 { ~_state }

    /// Adds `bytes` to the checksum.
    ///
    /// - Parameter bytes: Borrowed for the call.
    /// - Complexity: O(*n*); allocates nothing (the tables are built on first use).
    public mutating func update(_ bytes: RawSpan) {
        let count = bytes.byteCount
        guard count > 0 else { return }
        _state = bytes.withUnsafeBytes { buffer in
            CRC32C._update(_state, buffer.baseAddress!, count, hardware: CRC32C.hardwareAccelerated)
        }
    }

    /// Whether this CPU computes the checksum with the SSE4.2 `crc32`
    /// instruction.
    public static let hardwareAccelerated = byteflow_crc32c_hardware_available() != 0

    /// One step on either path; tests call it with `hardware: false` to
    /// check the table path on machines that have the instruction.
    internal static func _update(_ state: UInt32, _ base: UnsafeRawPointer, _ count: Int, hardware: Bool)
        -> UInt32
    {
        if hardware { return byteflow_crc32c_hardware(state, base, count) }
        return _slicingBy8(state, base, count)
    }

    /// The eight 256-entry tables of slicing-by-8, reflected polynomial
    /// 0x82F63B78.
    internal static let _tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    internal static func _slicingBy8(_ state: UInt32, _ base: UnsafeRawPointer, _ count: Int) -> UInt32 {
        _tables.withUnsafeBufferPointer { tables in
            let t = tables.baseAddress!
            var crc = state
            var i = 0
            while count &- i >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word >> 32)
                crc =
                    t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                i &+= 8
            }
            while i < count {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)]
                i &+= 1
            }
            return crc
        }
    }
}

/// A sink that computes the CRC-32C of everything written to it and keeps
/// nothing else.
///
/// ```swift
/// var pipeline = try FileSource(path: "disk.img").into(CRC32CSink())
/// try pipeline.run()
/// print(String(pipeline.sink.checksum, radix: 16))
/// ```
///
/// Put it in a ``TeeSink`` next to a file sink to checksum what is stored.
public struct CRC32CSink: ByteSink, Sendable {
    /// The checksum so far.
    public var crc: CRC32C
    /// Bytes written since creation or ``reset()``.
    public private(set) var byteCount: Int

    /// Creates a sink whose checksum is that of nothing.
    public init() {
        crc = CRC32C()
        byteCount = 0
    }

    /// The CRC-32C of every byte written since creation or ``reset()``.
    public var checksum: UInt32 { crc.checksum }

    /// Adds `bytes` to the checksum.
    ///
    /// - Parameter bytes: Borrowed for the call.
    /// - Complexity: O(*n*); allocates nothing.
    public mutating func write(_ bytes: RawSpan) {
        crc.update(bytes)
        byteCount &+= bytes.byteCount
    }

    /// Starts again from the checksum of nothing.
    ///
    /// ```swift
    /// sink.reset()
    /// ```
    public mutating func reset() {
        crc = CRC32C()
        byteCount = 0
    }
}
