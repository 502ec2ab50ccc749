/// The outcome of one ``_PairPrefilter`` search.
@frozen
@usableFromInline
internal enum _PrefilterResult {
    /// A pattern may start at `block + i` for each bit `i` set in `bits`
    /// (at least one), and starts nowhere else from the search's start to
    /// the highest such offset. The caller consumes the bits one by one
    /// before searching again: on dense input (a candidate every ~10 bytes)
    /// one search per candidate spent ~30% of the time re-scanning the same
    /// 64 bytes.
    case candidates(block: Int, bits: UInt64)
    /// No pattern starts before this offset; from here to the end the range
    /// is too short for the vector loop and must be scanned otherwise.
    case checkedUpTo(Int)
}

/// A vectorized prefilter for a few patterns: for each pattern, two of its
/// bytes (the rarest, at their offsets) are compared against 16 positions at
/// once; a position where both bytes of some pattern are in place is a
/// candidate start, which the automaton then verifies.
///
/// ## Why this shape (measured on this machine's 2-core VM, 64 MiB of text)
///
/// - **Pairs at their offsets, aligned on the start.** Every pattern's loads
///   are offset so that lane *j* of every mask means "a match may start at
///   *p* + *j*": the lowest set bit of the OR of all masks is the leftmost
///   candidate, which is what leftmost-first needs, and the automaton starts
///   exactly there. (A single rare-byte set would have to restart the
///   automaton up to a pattern length before each hit.)
/// - **Rare bytes, not first bytes.** The first bytes of English words (`t`,
///   `a`, `s`) are everywhere; the rarest two bytes by a fixed frequency
///   ranking (``_commonness(_:)``, shared with the single-pattern search)
///   make candidates rare on text.
/// - **Up to 16 patterns** (``maxPatterns``). Without a prefilter the
///   automaton costs one dependent table load per byte (~0.4 GB/s here; the
///   loop is bound by that load's latency). With 10 patterns over
///   `generate.py`'s sparse text: 264 MB/s with the automaton alone, 450 with
///   this prefilter; 2 patterns: 3.1 → 5.2 GB/s once the pairs are compared
///   in a helper the optimizer keeps in registers (64 MiB, best of 5, same
///   hour). Above 16 the compares per block outgrow the gain.
/// - **Case-insensitive for free.** With `ignoringCase`, both the loaded
///   bytes and the pattern bytes are OR-ed with `0x20`, which maps the two
///   cases of a letter to one value (and merges a few punctuation pairs,
///   harmless in a prefilter: the automaton decides).
@frozen
@usableFromInline
internal struct _PairPrefilter: Sendable {
    /// Patterns above this count make the automaton search alone.
    @usableFromInline static var maxPatterns: Int { 16 }

    /// Two offsets per pattern: `offsets[2k]`, `offsets[2k + 1]`.
    @usableFromInline let offsets: [Int]
    /// The bytes expected at those offsets, already OR-ed with ``fold``.
    @usableFromInline let splats: [SIMD16<UInt8>]
    /// `0x20` when ignoring ASCII case, else `0`.
    @usableFromInline let fold: SIMD16<UInt8>
    /// The largest offset: a vector step at `p` reads up to `p + 15 + reach`.
    @usableFromInline let reach: Int
    /// Whether there is a prefilter at all (there is none for no patterns or
    /// more than ``maxPatterns``).
    @usableFromInline let isEnabled: Bool
    /// The first pattern's offsets and bytes again, outside the arrays: the
    /// one-pattern loop then touches no array (an `if let` of an optional
    /// prefilter, or reading its arrays, retained and released them per
    /// candidate: ~3× slower on dense input ignoring case).
    @usableFromInline let offset1: Int
    @usableFromInline let offset2: Int
    @usableFromInline let splat1: SIMD16<UInt8>
    @usableFromInline let splat2: SIMD16<UInt8>

    /// A prefilter for `patterns`, disabled if there are none or too many to
    /// pay off.
    @usableFromInline
    init(patterns: [[UInt8]], ignoringCase: Bool) {
        let patterns = patterns.count <= _PairPrefilter.maxPatterns ? patterns : []
        let foldByte: UInt8 = ignoringCase ? 0x20 : 0
        func rarity(_ byte: UInt8) -> Int {
            // Folded, a letter stands for both its cases.
            ignoringCase && (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
                ? _commonness(byte | 0x20) : _commonness(byte)
        }
        var offsets: [Int] = []
        var splats: [SIMD16<UInt8>] = []
        for pattern in patterns {
            var first = 0
            for i in pattern.indices where rarity(pattern[i]) < rarity(pattern[first]) { first = i }
            // The second: the rarest other offset, preferring another value.
            var second = first
            for i in pattern.indices where i != first {
                if second == first {
                    second = i
                    continue
                }
                let distinct = pattern[i] | foldByte != pattern[first] | foldByte
                let secondDistinct = pattern[second] | foldByte != pattern[first] | foldByte
                if distinct != secondDistinct {
                    if distinct { second = i }
                } else if rarity(pattern[i]) < rarity(pattern[second]) {
                    second = i
                }
            }
            offsets += [first, second]
            splats += [
                SIMD16(repeating: pattern[first] | foldByte), SIMD16(repeating: pattern[second] | foldByte),
            ]
        }
        self.offsets = offsets
        self.splats = splats
        self.fold = SIMD16(repeating: foldByte)
        self.reach = offsets.max() ?? 0
        self.isEnabled = !patterns.isEmpty
        self.offset1 = offsets.first ?? 0
        self.offset2 = offsets.dropFirst().first ?? 0
        self.splat1 = splats.first ?? SIMD16()
        self.splat2 = splats.dropFirst().first ?? SIMD16()
    }

    /// Finds the first candidate start in `base[from..<count]`.
    ///
    /// - Complexity: O(*n* × *k*) vector operations for *n* bytes and *k*
    ///   patterns, with *k* at most ``maxPatterns``.
    @inlinable
    internal func find(_ base: UnsafeRawPointer, from: Int, to count: Int) -> _PrefilterResult {
        var p = from
        let last = count &- 16 &- reach
        guard p <= last else { return .checkedUpTo(p) }
        if offsets.count == 2 { return findOne(base, from: p, last: last) }
        return offsets.withUnsafeBufferPointer { offsets in
            splats.withUnsafeBufferPointer { splats in
                let pairs = offsets.count
                while p <= last {
                    var hits = SIMDMask<SIMD16<Int8>>(repeating: false)
                    var k = 0
                    while k < pairs {
                        hits = hits
                            .| block(base, p &+ offsets[k], p &+ offsets[k &+ 1], splats[k], splats[k &+ 1])
                        k &+= 2
                    }
                    if _isNonZero(hits) {
                        return .candidates(block: p, bits: UInt64(_bitmask(hits)))
                    }
                    p &+= 16
                }
                return .checkedUpTo(p)
            }
        }
    }

    /// One pattern's two bytes compared at 16 positions.
    @inlinable
    @inline(__always)
    internal func block(
        _ base: UnsafeRawPointer, _ at1: Int, _ at2: Int, _ splat1: SIMD16<UInt8>, _ splat2: SIMD16<UInt8>
    ) -> SIMDMask<SIMD16<Int8>> {
        let a = base.loadUnaligned(fromByteOffset: at1, as: SIMD16<UInt8>.self) | fold
        let b = base.loadUnaligned(fromByteOffset: at2, as: SIMD16<UInt8>.self) | fold
        return (a .== splat1) .& (b .== splat2)
    }

    /// The one-pattern case (a case-insensitive single replace): 64
    /// positions per iteration, one branch for the four masks, as in the
    /// single-pattern search. Ignoring case, `elvis` over 64 MiB of sparse
    /// text: 16 positions per iteration 6.9 GB/s, 64 per iteration 22.6
    /// (best of 5, same hour; `ReplaceTransform` 24.6 beside it).
    @inlinable
    internal func findOne(_ base: UnsafeRawPointer, from start: Int, last: Int) -> _PrefilterResult {
        let o1 = offset1
        let o2 = offset2
        let s1 = splat1
        let s2 = splat2
        var p = start
        while p &+ 48 <= last {
            let h0 = block(base, p &+ o1, p &+ o2, s1, s2)
            let h1 = block(base, p &+ 16 &+ o1, p &+ 16 &+ o2, s1, s2)
            let h2 = block(base, p &+ 32 &+ o1, p &+ 32 &+ o2, s1, s2)
            let h3 = block(base, p &+ 48 &+ o1, p &+ 48 &+ o2, s1, s2)
            if _isNonZero((h0 .| h1) .| (h2 .| h3)) {
                let bits =
                    UInt64(_bitmask(h0)) | UInt64(_bitmask(h1)) << 16 | UInt64(_bitmask(h2)) << 32
                    | UInt64(_bitmask(h3)) << 48
                return .candidates(block: p, bits: bits)
            }
            p &+= 64
        }
        while p <= last {
            let h = block(base, p &+ o1, p &+ o2, s1, s2)
            if _isNonZero(h) { return .candidates(block: p, bits: UInt64(_bitmask(h))) }
            p &+= 16
        }
        return .checkedUpTo(p)
    }
}
