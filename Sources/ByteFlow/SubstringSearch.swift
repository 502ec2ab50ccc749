#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The outcome of one search by ``_SubstringSearcher``.
@frozen
@usableFromInline
internal enum _SearchResult {
    /// The pattern starts at this offset.
    case found(Int)
    /// The pattern does not occur in the range searched.
    case notFound
    /// The prefilter kept firing without a match (an adversarial input such
    /// as `aaaa…` for `aaa…ab`); the caller should continue from this offset
    /// with an algorithm whose cost does not depend on the input.
    case prefilterFailed(Int)
}

/// A substring search over raw memory: a SIMD prefilter on two rare bytes of
/// the pattern, verified with `memcmp`.
///
/// Why this shape: a byte-at-a-time loop runs at ~4 GB/s here, `memmem` at
/// 5–9 GB/s, while a 16-byte SIMD compare runs at 30+ GB/s. Comparing two of
/// the pattern's bytes at their offsets rejects almost every position at once;
/// choosing the *rarest* two (by a fixed ranking of byte frequency in text,
/// the idea of the `memchr` crate's rare-byte prefilter) keeps candidates few
/// on ordinary input, where the pattern's first and last bytes (say `e` and
/// `s` of `elvis`) would fire often. One-byte patterns go to `memchr`, which
/// glibc vectorizes. When candidates keep failing verification, the search
/// stops and says so, and the caller switches to a linear-time scan, so that
/// no input can make the search quadratic.
@frozen
@usableFromInline
internal struct _SubstringSearcher: Sendable {
    /// Pattern length.
    @usableFromInline let count: Int
    /// Offsets of the two prefilter bytes within the pattern.
    @usableFromInline let offset1: Int
    @usableFromInline let offset2: Int
    /// The prefilter bytes, `pattern[offset1]` and `pattern[offset2]`.
    @usableFromInline let byte1: UInt8
    @usableFromInline let byte2: UInt8

    /// Prepares a search for `pattern`, which must not be empty.
    @usableFromInline
    init(pattern: [UInt8]) {
        precondition(!pattern.isEmpty)
        count = pattern.count
        var first = 0
        for i in pattern.indices where _commonness(pattern[i]) < _commonness(pattern[first]) {
            first = i
        }
        // The second byte: the rarest at another offset, preferring another
        // value (two offsets of the same byte filter less well).
        var second = -1
        for i in pattern.indices where i != first {
            if second < 0 {
                second = i
                continue
            }
            let distinct = pattern[i] != pattern[first]
            let secondDistinct = pattern[second] != pattern[first]
            if distinct != secondDistinct {
                if distinct { second = i }
            } else if _commonness(pattern[i]) < _commonness(pattern[second]) {
                second = i
            }
        }
        if second < 0 { second = first }
        offset1 = first
        offset2 = second
        byte1 = pattern[first]
        byte2 = pattern[second]
    }

    /// Finds the first occurrence of `pattern` starting in `start..<end - count + 1`,
    /// that is, lying wholly within `base[start..<end]`.
    ///
    /// - Complexity: O(*m*) for *m* = `end - start` on all but adversarial
    ///   inputs, where it gives up with ``_SearchResult/prefilterFailed(_:)``
    ///   after O(*m*) work.
    @inlinable
    func find(_ pattern: UnsafePointer<UInt8>, in base: UnsafeRawPointer, from start: Int, to end: Int)
        -> _SearchResult
    {
        let last = end &- count  // the last offset a match can start at
        guard start <= last else { return .notFound }
        if count == 1 {
            guard let hit = memchr(base + start, Int32(byte1), end &- start) else { return .notFound }
            return .found(base.distance(to: UnsafeRawPointer(hit)))
        }
        let splat1 = SIMD16<UInt8>(repeating: byte1)
        let splat2 = SIMD16<UInt8>(repeating: byte2)
        var misses = 0
        var p = start
        // Each step tests the 16 candidate starts p..<p+16.
        while p &+ 15 <= last {
            let a = base.loadUnaligned(fromByteOffset: p &+ offset1, as: SIMD16<UInt8>.self)
            let b = base.loadUnaligned(fromByteOffset: p &+ offset2, as: SIMD16<UInt8>.self)
            let hits = (a .== splat1) .& (b .== splat2)
            if any(hits) {
                var bits = _bitmask(hits)
                repeat {
                    let candidate = p &+ bits.trailingZeroBitCount
                    if memcmp(base + candidate, pattern, count) == 0 { return .found(candidate) }
                    misses &+= 1
                    bits &= bits &- 1
                } while bits != 0
                // Verification cost is misses × count; give up once it clearly
                // outgrows the bytes scanned.
                if misses &* count > 8 &* (p &- start) &+ 4096 { return .prefilterFailed(p &+ 16) }
            }
            p &+= 16
        }
        while p <= last {
            if base.load(fromByteOffset: p &+ offset1, as: UInt8.self) == byte1
                && base.load(fromByteOffset: p &+ offset2, as: UInt8.self) == byte2
                && memcmp(base + p, pattern, count) == 0
            {
                return .found(p)
            }
            p &+= 1
        }
        return .notFound
    }
}

/// One bit per lane of a 16-lane mask, lane 0 in bit 0 (SSE2's `pmovmskb`,
/// which Swift does not expose): each 8-lane half is turned into 8 bits by a
/// multiply that gathers the lanes' top bits into the top byte.
@inlinable
@inline(__always)
internal func _bitmask(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt32 {
    let lanes = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
    let magic: UInt64 = 0x0002_0408_1020_4081
    let low = ((lanes[0] & 0x8080_8080_8080_8080) &* magic) >> 56
    let high = ((lanes[1] & 0x8080_8080_8080_8080) &* magic) >> 56
    return UInt32(truncatingIfNeeded: low | (high << 8))
}

/// How common `byte` is in typical text and data, higher is more common.
///
/// A fixed ranking, as English letter frequency and the shape of source
/// code, UTF-8 and binary data suggest. It only steers the prefilter: a poor
/// guess costs speed, never correctness.
@usableFromInline
internal func _commonness(_ byte: UInt8) -> Int {
    let letters = Array("etaoinshrdlcumwfgypbvkjxqz".utf8)
    switch byte {
    case UInt8(ascii: " "): return 255
    case UInt8(ascii: "a")...UInt8(ascii: "z"):
        return 240 &- 8 &* letters.firstIndex(of: byte)!
    case UInt8(ascii: "A")...UInt8(ascii: "Z"):
        return (240 &- 8 &* letters.firstIndex(of: byte | 0x20)!) / 3
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return 60
    case UInt8(ascii: "\n"): return 120
    case UInt8(ascii: ","), UInt8(ascii: "."): return 90
    case 0x00: return 100
    case 0xFF: return 60
    case 0x01..<0x20, 0x7F: return 10
    case 0x80...: return 30
    default: return 50  // other ASCII punctuation
    }
}
