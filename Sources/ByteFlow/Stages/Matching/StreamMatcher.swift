#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds leftmost, non-overlapping occurrences of a byte string in a stream
/// that arrives in chunks: the delimiter search of ``DelimiterFramer`` and
/// the pattern count of ``CountingTransform``.
///
/// The only state carried across a chunk boundary is how many bytes of the
/// pattern the stream ended with (a KMP state, an integer): no bytes are
/// copied.
///
/// Why this shape: one-byte patterns (lines) go straight to `memchr`, which
/// runs at 33–40 GB/s here and is what a line splitter spends its time in.
/// Longer patterns take `memchr` on the first byte and `memcmp` to verify,
/// which is O(*n*·*m*) on adversarial input (`aaaa…` against `aaab`) but
/// needs no tables in the hot loop; delimiters are short.
@frozen
@usableFromInline
internal struct _StreamMatcher: Sendable {
    @usableFromInline internal let pattern: [UInt8]
    /// KMP failure function: `failure[i]` is the length of the longest proper
    /// prefix of `pattern[0...i]` that is also its suffix.
    @usableFromInline internal let failure: [Int]
    /// Bytes of the pattern the stream so far ends with, below `pattern.count`.
    @usableFromInline internal var state: Int

    @inlinable
    internal init(_ pattern: [UInt8]) {
        precondition(!pattern.isEmpty)
        self.pattern = pattern
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for i in 1..<max(pattern.count, 1) where pattern.count > 1 {
            while k > 0 && pattern[i] != pattern[k] { k = failure[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            failure[i] = k
        }
        self.failure = failure
        state = 0
    }

    /// One step of the automaton from `state` on `byte`.
    @inlinable
    internal func _step(_ state: Int, _ byte: UInt8) -> Int {
        var k = state
        while k > 0 && pattern[k] != byte { k = failure[k &- 1] }
        return pattern[k] == byte ? k &+ 1 : 0
    }

    /// The end (exclusive offset) of the next match in `base[from..<end]`,
    /// continuing the match in progress, or `nil` if there is none, in which
    /// case ``state`` then describes the tail of the range.
    @inlinable
    internal mutating func nextMatchEnd(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        var i = from
        let m = pattern.count
        // A match begun in an earlier chunk: advance byte by byte until it
        // completes or falls back to nothing (at most a few bytes).
        while state > 0 && i < end {
            state = _step(state, base.load(fromByteOffset: i, as: UInt8.self))
            i &+= 1
            if state == m {
                state = 0
                return i
            }
        }
        guard i < end else { return nil }
        let first = pattern[0]
        if m == 1 {
            guard let hit = memchr(base + i, Int32(first), end &- i) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit)) &+ 1
        }
        var tailState = 0
        let found: Int? = pattern.withUnsafeBytes { (pattern: UnsafeRawBufferPointer) -> Int? in
            while i < end {
                guard let hit = memchr(base + i, Int32(first), end &- i) else { return nil }
                let q = base.distance(to: UnsafeRawPointer(hit))
                if q &+ m > end {
                    // A possible match running past the chunk: remember how
                    // much of it is there. No earlier start can still match,
                    // so the automaton starts from nothing at `q`.
                    var k = 0
                    for j in q..<end { k = _step(k, base.load(fromByteOffset: j, as: UInt8.self)) }
                    tailState = k
                    return nil
                }
                if memcmp(hit, pattern.baseAddress!, m) == 0 { return q &+ m }
                i = q &+ 1
            }
            return nil
        }
        state = tailState
        return found
    }
}

/// One bit per byte of `base[0..<64]` that equals the lanes of `splat`,
/// byte 0 in bit 0.
///
/// Why this shape: Swift has no `pmovmskb`. Each 16-byte compare is read
/// back as two words with 0x80 in the matching bytes, and a multiply gathers
/// each word's eight top bits into its top byte. The multiply is spelled
/// `multipliedReportingOverflow` because LLVM vectorized a plain `&*` of the
/// two words into `pmuludq` sequences (line framing at 2.3 GB/s); summing
/// weighted lanes instead became shuffles and spills. Scanning word by word
/// without a 64-bit mask mispredicted a branch per line (4.4 GB/s): a mask
/// per 64 bytes exits its bit loop once per block.
@inlinable
@inline(__always)
internal func _mask64(_ base: UnsafeRawPointer, _ splat: SIMD16<UInt8>) -> UInt64 {
    _mask16(base, splat) | _mask16(base + 16, splat) &<< 16 | _mask16(base + 32, splat) &<< 32
        | _mask16(base + 48, splat) &<< 48
}

@inlinable
@inline(__always)
internal func _mask16(_ base: UnsafeRawPointer, _ splat: SIMD16<UInt8>) -> UInt64 {
    let hits = unsafeBitCast(base.loadUnaligned(as: SIMD16<UInt8>.self) .== splat, to: SIMD2<UInt64>.self)
    let magic: UInt64 = 0x0002_0408_1020_4081
    let low = (hits[0] & 0x8080_8080_8080_8080).multipliedReportingOverflow(by: magic).partialValue &>> 56
    let high = (hits[1] & 0x8080_8080_8080_8080).multipliedReportingOverflow(by: magic).partialValue &>> 56
    return low | high &<< 8
}
