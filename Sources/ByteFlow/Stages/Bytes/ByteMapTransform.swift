/// Replaces every byte with its entry in a 256-entry table: ASCII upper or
/// lower case, ROT13, or any table of your own.
///
/// ```swift
/// var pipeline = BytesSource("Hello, World")
///     .transformed(by: ByteMapTransform.asciiUppercase)
///     .into(BufferSink())
/// pipeline.run()  // "HELLO, WORLD": no `try`, no stage here can fail
/// ```
///
/// A map cannot forward its input (every output byte is new), so it writes
/// from a staging buffer it owns: ``stagingCapacity`` bytes, allocated once at
/// creation and reused, one downstream write per staging buffer filled.
///
/// Why this shape (measured on this machine, 64 MiB in memory, one run side
/// by side; see `Documentation/WritingStages.md`, "Measured"): a general
/// table runs a load, a table load and a store per byte over raw pointers,
/// 1.1 GB/s, 5.1× the time of a `memcpy` of the same bytes in 16 KiB pieces
/// (a lookup is a dependent load per byte; `memcpy` moves 32–64 bytes per
/// instruction). Most useful tables (ASCII case, ROT13) only add a constant
/// to a few ranges of byte values: such a table (at most four ranges) is
/// recognized at creation and mapped 16 bytes per step with SIMD compares
/// and adds, 4.2 GB/s, 1.35× `memcpy`'s time. 16 KiB of staging keeps input,
/// table and output in L1 while amortizing the downstream call.
@frozen
public struct ByteMapTransform: ByteTransform, Sendable {
    @usableFromInline internal let _table: [UInt8]
    @usableFromInline internal var _staging: [UInt8]
    /// The table as up to four ranges `first...last` of byte values that
    /// get `delta` added (wrapping), or `nil` if it needs more.
    @usableFromInline internal let _ranges: _ByteRanges?

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
        _ranges = _ByteRanges(table)
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
        _ranges = _ByteRanges(_table)
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
        if count <= 256, count >= 16, let ranges = _ranges {
            try _processShort(chunk, count, ranges, into: &next)
            return
        }
        let capacity = _staging.count
        try chunk.withUnsafeBytes { input in
            var offset = 0
            while offset < count {
                let n = min(capacity, count &- offset)
                if let ranges = _ranges, n >= 16 {
                    // All of it in SIMD blocks, the table untouched: reading
                    // `_table` while `_staging` is borrowed for writing
                    // retained and released the table per write (behind a
                    // framer, a write per line).
                    _staging.withUnsafeMutableBufferPointer { output in
                        let from = input.baseAddress! + offset
                        let done =
                            n >= 256
                            ? ranges.mapLong(from, output.baseAddress!, n)
                            : ranges.map(from, output.baseAddress!, n)
                        if done < n { ranges.mapLastBlock(from, output.baseAddress!, n) }
                    }
                } else {
                    let table = _table
                    table.withUnsafeBufferPointer { table in
                        _staging.withUnsafeMutableBufferPointer { output in
                            _mapBytes(input.baseAddress! + offset, output.baseAddress!, n, table.baseAddress!)
                        }
                    }
                }
                try next.write(_staging.span.bytes.extracting(0..<n))
                offset &+= n
            }
        }
    }
}

extension ByteMapTransform {
    /// A write of 16–256 bytes through a range table (behind a framer, a
    /// write per frame): mapped into a buffer on the stack rather than the
    /// staging array, whose uniqueness check (a runtime call) and span were
    /// paid per write.
    @inlinable
    @inline(__always)
    internal func _processShort<Next: ByteSink>(
        _ chunk: RawSpan, _ count: Int, _ ranges: _ByteRanges, into next: inout Next
    ) throws {
        try withUnsafeTemporaryAllocation(of: SIMD16<UInt8>.self, capacity: 16) { buffer in
            let output = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self)
            chunk.withUnsafeBytes { input in
                let done = ranges.map(input.baseAddress!, output, count)
                if done < count { ranges.mapLastBlock(input.baseAddress!, output, count) }
            }
            try next.write(UnsafeRawBufferPointer(start: output, count: count).bytes)
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

/// A table that adds a constant to each of up to four ranges of byte values
/// and leaves the others alone, mapped 16 bytes per step.
@frozen
@usableFromInline
internal struct _ByteRanges: Sendable {
    @usableFromInline let first: SIMD4<UInt8>
    @usableFromInline let span: SIMD4<UInt8>  // last - first
    @usableFromInline let delta: SIMD4<UInt8>

    /// The ranges of `table`, or `nil` if it has more than four.
    @inlinable
    init?(_ table: [UInt8]) {
        var first = SIMD4<UInt8>(repeating: 0)
        var span = SIMD4<UInt8>(repeating: 255)
        var delta = SIMD4<UInt8>(repeating: 0)  // unused slots: everything + 0
        var count = 0
        var byte = 0
        while byte < 256 {
            let d = table[byte] &- UInt8(byte)
            guard d != 0 else {
                byte += 1
                continue
            }
            var last = byte
            while last + 1 < 256 && table[last + 1] &- UInt8(last + 1) == d { last += 1 }
            guard count < 4 else { return nil }
            first[count] = UInt8(byte)
            span[count] = UInt8(last - byte)
            delta[count] = d
            count += 1
            byte = last + 1
        }
        self.first = first
        self.span = span
        self.delta = delta
    }

    /// Maps the whole 16-byte blocks of `input[0..<count]` into `output` and
    /// returns how many bytes that was (the caller maps the rest, with
    /// ``mapLastBlock(_:_:_:)`` when there were 16 bytes or more: behind a
    /// line framer, one ~40-byte write per line, a byte loop over the up to
    /// 15 bytes left cost as much as the blocks).
    @inlinable
    @inline(__always)
    func map(_ input: UnsafeRawPointer, _ output: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        let f0 = SIMD16<UInt8>(repeating: first[0])
        let s0 = SIMD16<UInt8>(repeating: span[0])
        let f1 = SIMD16<UInt8>(repeating: first[1])
        let s1 = SIMD16<UInt8>(repeating: span[1])
        let f2 = SIMD16<UInt8>(repeating: first[2])
        let s2 = SIMD16<UInt8>(repeating: span[2])
        let f3 = SIMD16<UInt8>(repeating: first[3])
        let s3 = SIMD16<UInt8>(repeating: span[3])
        let d0 = SIMD16<UInt8>(repeating: delta[0])
        let d1 = SIMD16<UInt8>(repeating: delta[1])
        let d2 = SIMD16<UInt8>(repeating: delta[2])
        let d3 = SIMD16<UInt8>(repeating: delta[3])
        let out = UnsafeMutableRawPointer(output)
        var i = 0
        while count &- i >= 16 {
            let v = input.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            // Ranges are disjoint: each lane gets at most one delta, chosen
            // from its original value. `x - first <= span` is the unsigned
            // range test (the stdlib's generic `pointwiseMin` was a call per
            // use; the concrete `.<=` is one instruction pair).
            // Unused slots have delta 0 and add nothing.
            var add = d0 & _lanes(v &- f0 .<= s0)
            add |= d1 & _lanes(v &- f1 .<= s1)
            add |= d2 & _lanes(v &- f2 .<= s2)
            add |= d3 & _lanes(v &- f3 .<= s3)
            out.storeBytes(of: v &+ add, toByteOffset: i, as: SIMD16<UInt8>.self)
            i &+= 16
        }
        return i
    }

    /// ``map(_:_:_:)`` as a call of its own, for long writes.
    ///
    /// Why: inlined next to the short-write code (``mapLastBlock(_:_:_:)``),
    /// the 16-byte loop lost registers to it and shuffled them every step
    /// (64 KiB chunks: 100 → 111–123 µs per MiB); out of line for every
    /// write, a short write paid the call (a line framer in front: 435 →
    /// 496). Long writes take this copy, short ones the inlined one.
    @inlinable
    @inline(never)
    func mapLong(_ input: UnsafeRawPointer, _ output: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        map(input, output, count)
    }

    /// Maps the last 16 bytes of `input[0..<count]`, `count >= 16`, into
    /// `output`: after ``map(_:_:_:)``, the bytes it left, mapped again
    /// with the ones before them (to the same values).
    ///
    /// It builds its constants again, once per write: written at the end of
    /// `map`, sharing them, the block cost the 16-byte loop its registers.
    @inlinable
    @inline(__always)
    func mapLastBlock(_ input: UnsafeRawPointer, _ output: UnsafeMutablePointer<UInt8>, _ count: Int) {
        let v = input.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self)
        var add =
            SIMD16<UInt8>(repeating: delta[0])
            & _lanes(v &- SIMD16(repeating: first[0]) .<= SIMD16(repeating: span[0]))
        add |=
            SIMD16<UInt8>(repeating: delta[1])
            & _lanes(v &- SIMD16(repeating: first[1]) .<= SIMD16(repeating: span[1]))
        add |=
            SIMD16<UInt8>(repeating: delta[2])
            & _lanes(v &- SIMD16(repeating: first[2]) .<= SIMD16(repeating: span[2]))
        add |=
            SIMD16<UInt8>(repeating: delta[3])
            & _lanes(v &- SIMD16(repeating: first[3]) .<= SIMD16(repeating: span[3]))
        UnsafeMutableRawPointer(output).storeBytes(
            of: v &+ add, toByteOffset: count &- 16, as: SIMD16<UInt8>.self)
    }
}

/// A lane mask as bytes: 0xFF where set, 0 elsewhere.
@inlinable
@inline(__always)
internal func _lanes(_ mask: SIMDMask<SIMD16<Int8>>) -> SIMD16<UInt8> {
    unsafeBitCast(mask, to: SIMD16<UInt8>.self)
}
