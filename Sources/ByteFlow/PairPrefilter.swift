/// The outcome of one ``_PairPrefilter`` search.
@frozen
@usableFromInline
internal enum _PrefilterResult {
    /// A pattern may start at this offset (no pattern starts earlier in the
    /// range searched).
    case candidate(Int)
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
///   make candidates rare on text. See `Documentation/Benchmarks.md`
///   ("Multi-pattern replace") for the figures behind the pattern-count
///   limit ``maxPatterns``: above it, the compares per 16 bytes cost more
///   than the automaton's two loads per byte.
/// - **Case-insensitive for free.** With `ignoringCase`, both the loaded
///   bytes and the pattern bytes are OR-ed with `0x20`, which maps the two
///   cases of a letter to one value (and merges a few punctuation pairs,
///   harmless in a prefilter: the automaton decides).
@frozen
@usableFromInline
internal struct _PairPrefilter: Sendable {
    /// Patterns above this count make the automaton search alone.
    @usableFromInline static var maxPatterns: Int { 8 }

    /// Two offsets per pattern: `offsets[2k]`, `offsets[2k + 1]`.
    @usableFromInline let offsets: [Int]
    /// The bytes expected at those offsets, already OR-ed with ``fold``.
    @usableFromInline let splats: [SIMD16<UInt8>]
    /// `0x20` when ignoring ASCII case, else `0`.
    @usableFromInline let fold: SIMD16<UInt8>
    /// The largest offset: a vector step at `p` reads up to `p + 15 + reach`.
    @usableFromInline let reach: Int

    /// A prefilter for `patterns`, or `nil` if there are none or too many to
    /// pay off.
    @usableFromInline
    init?(patterns: [[UInt8]], ignoringCase: Bool) {
        guard !patterns.isEmpty && patterns.count <= _PairPrefilter.maxPatterns else { return nil }
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
        self.reach = offsets.max()!
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
        return offsets.withUnsafeBufferPointer { offsets in
            splats.withUnsafeBufferPointer { splats in
                let pairs = offsets.count
                while p <= last {
                    var hits = SIMDMask<SIMD16<Int8>>(repeating: false)
                    var k = 0
                    while k < pairs {
                        let a =
                            base.loadUnaligned(fromByteOffset: p &+ offsets[k], as: SIMD16<UInt8>.self) | fold
                        let b =
                            base.loadUnaligned(fromByteOffset: p &+ offsets[k &+ 1], as: SIMD16<UInt8>.self)
                            | fold
                        hits = hits .| ((a .== splats[k]) .& (b .== splats[k &+ 1]))
                        k &+= 2
                    }
                    if _isNonZero(hits) {
                        return .candidate(p &+ _bitmask(hits).trailingZeroBitCount)
                    }
                    p &+= 16
                }
                return .checkedUpTo(p)
            }
        }
    }
}
