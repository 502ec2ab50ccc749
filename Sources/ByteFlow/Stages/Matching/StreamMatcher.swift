#if arch(x86_64)
    import CByteFlowSIMD
#endif

/// Finds leftmost, non-overlapping occurrences of a byte string in a stream
/// that arrives in chunks: the delimiter search of ``DelimiterFramer`` and
/// the pattern count of ``CountingTransform``.
///
/// The only state carried across a chunk boundary is how many bytes of the
/// pattern the stream ended with (a KMP state, an integer): no bytes are
/// copied.
///
/// Why this shape: inside a chunk the search is ``SubstringFinder``'s (a
/// SIMD prefilter on the pattern's two rarest bytes, candidates verified in
/// registers), the same engine as ``ReplaceTransform``'s. It replaced
/// `memchr` on the first byte and `memcmp` to verify, which paid two C
/// calls per occurrence of the first byte: behind a line framer and an
/// upper-case map, counting `ELVIS` (an `E` every ~10 bytes) spent 40% of
/// the pipeline's time there (framing → map → count, 64 KiB chunks, 1 MiB of
/// 42-byte lines: 1,850 µs before). Ranges under 256 bytes (a frame behind
/// a framer, typically) take a lighter 16-byte block loop instead, which
/// sets up nothing per call (see ``_shortRangeLimit`` for the measured
/// crossover); counting takes bit masks for a range of at most 64 bytes
/// (see ``countMatches(in:_:)``). Only the last `pattern.count - 1` bytes of a chunk, which
/// may begin a match that the next chunk completes, are stepped through the
/// KMP automaton, and only from the first byte there that equals the
/// pattern's first.
///
/// The tables are immutable and live in one shared object, so that the
/// matcher itself is a few words: a stage behind another is moved in and out
/// of its place for every write it receives (see Lending.swift), and with the
/// finder stored inline (a dozen words more) that move was 11% of framing →
/// map → count.
@frozen
@usableFromInline
internal struct _StreamMatcher: Sendable {
    @usableFromInline internal let tables: _PatternTables
    /// The pattern's length.
    @usableFromInline internal let count: Int
    /// The pattern's first byte.
    @usableFromInline internal let head: UInt8
    /// The pattern's last byte.
    @usableFromInline internal let tail: UInt8
    /// Bytes of the pattern the stream so far ends with, below `count`.
    @usableFromInline internal var state: Int
    /// The pattern's first `min(count, 8)` bytes, byte 0 lowest: a pattern
    /// of up to 8 bytes is compared with one load, no table (see
    /// ``_equalsPattern(_:at:_:patternFrom:length:)``).
    @usableFromInline internal let prefixWord: UInt64

    @inlinable
    internal init(_ pattern: [UInt8]) {
        precondition(!pattern.isEmpty)
        tables = _PatternTables(pattern)
        count = pattern.count
        head = pattern[0]
        tail = pattern[pattern.count - 1]
        state = 0
        var word: UInt64 = 0
        for (k, byte) in pattern.prefix(8).enumerated() { word |= UInt64(byte) << UInt64(8 * k) }
        prefixWord = word
    }

    /// The pattern.
    @inlinable
    internal var pattern: [UInt8] { tables.pattern }

    /// One step of the automaton from `state` on `byte`.
    @inlinable
    internal func _step(_ state: Int, _ byte: UInt8) -> Int {
        let pattern = tables.pattern
        var k = state
        while k > 0 && pattern[k] != byte { k = tables.failure[k &- 1] }
        return pattern[k] == byte ? k &+ 1 : 0
    }

    /// Continues a match begun in an earlier chunk through `base[from..<end]`:
    /// returns where the bytes no earlier start can still claim begin, and
    /// sets `completed` if the match ended (before that position).
    @inlinable
    @inline(__always)
    internal mutating func _continuePending(
        _ base: UnsafeRawPointer, from: Int, to end: Int, completed: inout Bool
    ) -> Int {
        var i = from
        let m = count
        // At most a few bytes: the automaton falls back to nothing or completes.
        while state > 0 && i < end {
            state = _step(state, base.load(fromByteOffset: i, as: UInt8.self))
            i &+= 1
            if state == m {
                state = 0
                completed = true
                return i
            }
        }
        return i
    }

    /// The state after `base[from..<end]`, when no match ends in it: how
    /// much of the pattern its last bytes are. Only the last
    /// `pattern.count - 1` bytes can matter.
    @inlinable
    @inline(__always)
    internal func _tailState(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int {
        var j = max(from, end &- (count &- 1))
        // Nothing to step through until the pattern's first byte: the
        // common case, one compare per byte, no table.
        while j < end && base.load(fromByteOffset: j, as: UInt8.self) != head { j &+= 1 }
        var k = 0
        while j < end {
            k = _step(k, base.load(fromByteOffset: j, as: UInt8.self))
            j &+= 1
        }
        return k
    }

    /// The end (exclusive offset) of the next match in `base[from..<end]`,
    /// continuing the match in progress, or `nil` if there is none, in which
    /// case ``state`` then describes the tail of the range.
    @inlinable
    internal mutating func nextMatchEnd(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        var completed = false
        let i = _continuePending(base, from: from, to: end, completed: &completed)
        if completed { return i }
        guard i < end else { return nil }
        if let start = _firstMatch(base, from: i, to: end) { return start &+ count }
        state = _tailState(base, from: i, to: end)
        return nil
    }

    /// How many matches end in `base[0..<end]`, continuing the match in
    /// progress; afterwards ``state`` describes the tail of the range.
    ///
    /// One scan of the chunk, not one search per match: dense matches cost
    /// a few instructions each. A range of at most 64 bytes (a frame behind a
    /// framer, typically) in a write of at least 16 takes
    /// ``_countMatchesByMask(_:from:to:)``, inlined here; the rest is a call.
    @inlinable
    @inline(__always)
    internal mutating func countMatches(in base: UnsafeRawPointer, _ end: Int) -> Int {
        var total = 0
        var i = 0
        if state > 0 {
            var completed = false
            i = _continuePending(base, from: 0, to: end, completed: &completed)
            total = completed ? 1 : 0
            guard i < end else { return total }
        }
        if end >= 16 && end &- i <= 64 {
            return total &+ _countMatchesByMask(base, from: i, to: end)
        }
        return total &+ _countMatchesLong(base, from: i, to: end)
    }

    /// The newlines and the matches in a write `base[0..<n]` of 1 to 64
    /// bytes, continuing the match in progress; afterwards ``state``
    /// describes the write's tail. Returns the matches; `lines` receives the
    /// `\n` bytes.
    ///
    /// Why (a framer's output: one write per line, ~40–70 bytes): the ~24 ns
    /// a frame of the count before were two passes over the frame (the line
    /// count's lane sums, then one mask loop per pattern byte), candidates
    /// and the tail verified byte by byte through the shared tables (the
    /// matcher's tables object, then the array's buffer: two dependent loads
    /// before the first compare), a KMP step per byte of a match pending
    /// from the write before (a call each), and a stall: the splats of the
    /// pattern's bytes were 16-byte loads across ``state``, just stored, which
    /// the store cannot forward (see ``_splat(_:)``). Here the write is read
    /// once, as 16-byte blocks at `0, 16, 32, 48`, each clamped to end at `n`
    /// (overlapping blocks set the same bits again; two blocks up to 32
    /// bytes, one from smaller loads under 16, ``_shortBlock(_:_:)``), each
    /// giving three bit masks: `\n`, the pattern's first byte, its last. The
    /// line count is the bits of one mask.
    /// A pattern of up to 8 bytes is compared with one 8-byte load against
    /// ``prefixWord`` (candidates, the tail state, a pending match), and the
    /// pending match is tried at the starts its KMP failure chain allows.
    /// Behind the line framer, 1 MiB of the `Stages` benchmark's text
    /// (~53-byte lines), a scratch client: 27.8 → 21.9 ns a frame for the
    /// count alone, framing → count 32.9 → 28.8; 12-byte frames 26.7 → 16.1
    /// (figures and commands in `Documentation/WritingStages.md`, "Fourth
    /// session: the count per frame").
    @inlinable
    @inline(__always)
    internal mutating func countLinesAndMatches(_ base: UnsafeRawPointer, _ n: Int, lines: inout Int) -> Int {
        let splatLine = SIMD16<UInt8>(repeating: 0x0A)
        let splatHead = _splat(head)
        let splatTail = _splat(tail)
        var newlines: UInt64 = 0
        var heads: UInt64 = 0
        var tails: UInt64 = 0
        if n >= 16 {
            let lastBlock = n &- 16
            // One block covers 16 bytes, two up to 32; four, clamped, up to 64.
            for k in stride(from: 0, to: n > 32 ? 64 : n > 16 ? 32 : 16, by: 16) {
                let offset = Swift.min(k, lastBlock)
                let block = base.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                let shift = UInt64(truncatingIfNeeded: offset)
                newlines |= UInt64(_bitmask(block .== splatLine)) &<< shift
                heads |= UInt64(_bitmask(block .== splatHead)) &<< shift
                tails |= UInt64(_bitmask(block .== splatTail)) &<< shift
            }
        } else {
            let block = _shortBlock(base, n)
            let valid = _lowBits(n)
            newlines = UInt64(_bitmask(block .== splatLine)) & valid
            heads = UInt64(_bitmask(block .== splatHead)) & valid
            tails = UInt64(_bitmask(block .== splatTail)) & valid
        }
        // No branch: with `newlines == 0 ? 0 : …` (a frame has no `\n`),
        // 16-byte chunks of text mispredicted it (15.1 against 14.0 ns a
        // write); the population count without `popcnt` is ~12 instructions.
        lines = newlines.nonzeroBitCount
        let m = count
        var total = 0
        var from = 0
        if state > 0 {
            // The match in progress began `t` bytes before the write, for `t`
            // the state or a border of it (longest first: the leftmost start).
            var t = state
            state = 0
            while true {
                let need = m &- t
                if need <= n {
                    if _equalsPattern(base, at: 0, n, patternFrom: t, length: need) {
                        total = 1
                        from = need
                        break
                    }
                } else if _equalsPattern(base, at: 0, n, patternFrom: t, length: n) {
                    state = t &+ n  // the whole write continues it
                    return 0
                }
                guard tables.hasBorder else { break }  // rare: read from the tables
                t = tables.failure[t &- 1]
                guard t > 0 else { break }
            }
            guard from < n else { return total }
        }
        let shift = UInt64(truncatingIfNeeded: from)
        return total &+ _countByMasks(base, n, from: from, heads: heads &>> shift, tails: tails &>> shift)
    }

    /// The matches in `base[from..<n]` given the bits of its bytes equal to
    /// the pattern's first and last bytes (byte `from` in bit 0), all of
    /// `base[0..<n]` readable, `n - from <= 64`; sets ``state`` for the
    /// range's tail.
    @inlinable
    @inline(__always)
    internal mutating func _countByMasks(
        _ base: UnsafeRawPointer, _ n: Int, from: Int, heads: UInt64, tails: UInt64
    ) -> Int {
        let length = n &- from
        let m = count
        var total = 0
        var lastEnd = 0  // relative to `from`, like the bits
        if length >= m {  // then m ≤ 64
            var candidates = heads & (tails &>> UInt64(truncatingIfNeeded: m &- 1)) & _lowBits(length &- m &+ 1)
            while candidates != 0 {
                let start = candidates.trailingZeroBitCount
                if _equalsPattern(base, at: from &+ start, n, patternFrom: 0, length: m) {
                    total &+= 1
                    lastEnd = start &+ m
                    candidates &= ~_lowBits(lastEnd)
                } else {
                    candidates &= candidates &- 1
                }
            }
        }
        // The tail: the earliest start, after the last match and in the last
        // `m - 1` bytes, where the rest of the range is a prefix of the pattern.
        var starts = heads & ~_lowBits(Swift.max(lastEnd, length &- m &+ 1)) & _lowBits(length)
        var tailState = 0
        while starts != 0 {
            let start = starts.trailingZeroBitCount
            if _equalsPattern(base, at: from &+ start, n, patternFrom: 0, length: length &- start) {
                tailState = length &- start
                break
            }
            starts &= starts &- 1
        }
        state = tailState
        return total
    }

    /// Whether `base[at..<at + length]` equals `pattern[patternFrom..<patternFrom + length]`,
    /// for `1 <= length`, `at + length <= n` and `patternFrom + length <= count`,
    /// all of `base[0..<n]` readable.
    ///
    /// A pattern of up to 8 bytes in a write of at least 8: one load of the
    /// 8 bytes at `at` (or the last 8 of the write, if fewer follow `at`),
    /// shifted and masked, against ``prefixWord``.
    @inlinable
    @inline(__always)
    internal func _equalsPattern(
        _ base: UnsafeRawPointer, at: Int, _ n: Int, patternFrom: Int, length: Int
    ) -> Bool {
        if count <= 8 && n >= 8 {
            let p = Swift.min(at, n &- 8)
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self))
                &>> UInt64(truncatingIfNeeded: (at &- p) &* 8)
            let expected = prefixWord &>> UInt64(truncatingIfNeeded: patternFrom &* 8)
            let lengthMask: UInt64 = length >= 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: length &* 8)) &- 1
            return (word ^ expected) & lengthMask == 0
        }
        return tables.pattern.withUnsafeBufferPointer { pattern in
            var k = 0
            while k < length {
                if base.load(fromByteOffset: at &+ k, as: UInt8.self) != pattern[patternFrom &+ k] { return false }
                k &+= 1
            }
            return true
        }
    }

    /// ``countMatches(in:_:)`` for longer ranges: the block loop or the finder.
    @inlinable
    @inline(never)
    internal mutating func _countMatchesLong(_ base: UnsafeRawPointer, from i: Int, to end: Int) -> Int {
        var total = 0
        let m = count
        var lastEnd = i
        _forEachMatch(base, from: i, to: end) { start in
            total &+= 1
            lastEnd = start &+ m
        }
        state = _tailState(base, from: lastEnd, to: end)
        return total
    }

    /// The matches in `base[from..<end]`, at most 64 bytes of a range whose
    /// first 16 bytes `base[0..<16]` at least are readable, found with one
    /// bit mask per byte of interest; sets ``state`` for the range's tail.
    ///
    /// Why: behind a framer each write is one ~40-byte frame, and the block
    /// loop's per-write set-up, its bitmask gathered by multiplies and the
    /// KMP steps through the last bytes (a call each) cost ~24 ns a frame
    /// (lines → count `elvis`, 1 MiB of 42-byte lines: 644 µs per MiB against
    /// 53 for the lines alone). Here the first and last bytes of the
    /// pattern are two masks (`pmovmskb`), a match start is a bit set in
    /// both (the second shifted), and the tail state is the longest pattern
    /// prefix the range ends with, tried at the first-byte bits in its last
    /// `count - 1` bytes.
    @inlinable
    @inline(__always)
    internal mutating func _countMatchesByMask(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int {
        let n = end &- from
        let m = count
        let heads = _equalMask(base, from: from, to: end, head)
        var total = 0
        var lastEnd = 0  // relative to `from`, like the bits
        if n >= m {  // then m ≤ 64
            var candidates =
                heads & (_equalMask(base, from: from, to: end, tail) &>> UInt64(truncatingIfNeeded: m &- 1))
                & _lowBits(n &- m &+ 1)
            if candidates != 0 {
                tables.pattern.withUnsafeBufferPointer { pattern in
                    while candidates != 0 {
                        let start = candidates.trailingZeroBitCount
                        if _matchesPattern(base + (from &+ start), pattern, from: 1, to: m &- 1) {
                            total &+= 1
                            lastEnd = start &+ m
                            candidates &= ~_lowBits(lastEnd)
                        } else {
                            candidates &= candidates &- 1
                        }
                    }
                }
            }
        }
        // The tail: the earliest start, after the last match and in the last
        // `m - 1` bytes, where the rest of the range is a prefix of the pattern.
        var starts = heads & ~_lowBits(max(lastEnd, n &- m &+ 1))
        var tailState = 0
        if starts != 0 {
            tables.pattern.withUnsafeBufferPointer { pattern in
                while starts != 0 {
                    let start = starts.trailingZeroBitCount
                    if _matchesPattern(base + (from &+ start), pattern, from: 1, to: n &- start) {
                        tailState = n &- start
                        return
                    }
                    starts &= starts &- 1
                }
            }
        }
        state = tailState
        return total
    }
    /// The start of the first match that lies wholly in `base[from..<end]`.
    ///
    /// Why two paths: ``SubstringFinder`` sets up a 64-byte step and gathers
    /// a bitmask for every 16-byte block it tests, however short the range.
    /// After a framer every write is one short frame, and that set-up is
    /// paid per write; ranges under ``_shortRangeLimit`` bytes take a loop
    /// of 16-byte blocks that tests the pattern's first and last bytes and
    /// gathers a bitmask only where both occur (see the limit for the
    /// measured crossover).
    @inlinable
    @inline(__always)
    internal func _firstMatch(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        guard end &- from < _StreamMatcher._shortRangeLimit else {
            return tables.finder.firstMatch(in: UnsafeRawBufferPointer(start: base, count: end), from: from)
        }
        var found: Int?
        _forEachShortMatch(base, from: from, to: end) { start in
            found = start
            return false
        }
        return found
    }

    /// Calls `body` with the start of every leftmost, non-overlapping match
    /// that lies wholly in `base[from..<end]`, in order; the two paths of
    /// ``_firstMatch(_:from:to:)``.
    @inlinable
    @inline(__always)
    internal func _forEachMatch(_ base: UnsafeRawPointer, from: Int, to end: Int, _ body: (Int) -> Void) {
        guard end &- from < _StreamMatcher._shortRangeLimit else {
            // The finder's own loop keeps its candidates between matches.
            tables.finder.forEachMatch(
                in: UnsafeRawBufferPointer(start: base + from, count: end &- from).bytes
            ) {
                body(from &+ $0)
            }
            return
        }
        _forEachShortMatch(base, from: from, to: end) { start in
            body(start)
            return true
        }
    }

    /// Ranges shorter than this many bytes are searched by
    /// ``_forEachShortMatch(_:from:to:_:)``, longer ones by ``SubstringFinder``.
    ///
    /// Measured: `CountingTransform(pattern: "elvis")` over 1 MiB of
    /// 42-byte lines cut into writes of one size, µs per MiB, all writes by
    /// the finder against all by the block loop, in turn, wall clock,
    /// minimum of 15 runs (2026-11-30, 2-core EPYC VM):
    ///
    /// | write | finder | block loop |
    /// |---:|---:|---:|
    /// | 16 B | 2,504 | 1,861 |
    /// | 32 B | 1,455 | 703 |
    /// | 64 B | 943 | 595 |
    /// | 128 B | 520 | 408 |
    /// | 256 B | 321–333 | 315–333 |
    /// | 384 B | 188 | 299 |
    /// | 1 KiB | 176 | 241 |
    ///
    /// The two meet at 256 bytes.
    @inlinable
    internal static var _shortRangeLimit: Int { 256 }

    /// The short-range search of ``_firstMatch(_:from:to:)`` and
    /// ``_forEachMatch(_:from:to:_:)``: 16 starts
    /// per block, a block's bitmask gathered only when the first and the
    /// last byte of the pattern both occur at some start in it, candidates
    /// verified byte by byte. Ranges too short for one block (or a pattern
    /// longer than the whole buffer) are tested start by start.
    @inlinable
    @inline(__always)
    internal func _forEachShortMatch(
        _ base: UnsafeRawPointer, from: Int, to end: Int, _ onMatch: (Int) -> Bool
    ) {
        let m = count
        let last = end &- m  // the last start that fits
        guard from <= last else { return }
        let head = head
        let tail = tail
        /// Whether a match starts at `start`, whose first and last bytes
        /// are known to match.
        func verified(_ start: Int) -> Bool {
            tables.pattern.withUnsafeBufferPointer { pattern in
                var k = 1
                while k < m &- 1 {
                    if base.load(fromByteOffset: start &+ k, as: UInt8.self) != pattern[k] { return false }
                    k &+= 1
                }
                return true
            }
        }
        do {
            var next = from  // no match may start before this
            if last >= 15 {
                // Blocks of starts `q..<q + 16`, the last one shifted back
                // (its starts before `next` masked off); all of `base[0..<end]`
                // is readable.
                let splatHead = SIMD16<UInt8>(repeating: head)
                let splatTail = SIMD16<UInt8>(repeating: tail)
                while next <= last {
                    let q = min(next, last &- 15)
                    let hits =
                        (base.loadUnaligned(fromByteOffset: q, as: SIMD16<UInt8>.self) .== splatHead)
                        .& (base.loadUnaligned(fromByteOffset: q &+ m &- 1, as: SIMD16<UInt8>.self)
                            .== splatTail)
                    if _isNonZero(hits) {
                        var bits = UInt64(_bitmask(hits)) & (~0 &<< UInt64(next &- q))
                        while bits != 0 {
                            let start = q &+ bits.trailingZeroBitCount
                            if verified(start) {
                                guard onMatch(start) else { return }
                                next = start &+ m
                                let covered = next &- q
                                bits = covered >= 16 ? 0 : bits & (~0 &<< UInt64(covered))
                            } else {
                                bits &= bits &- 1
                            }
                        }
                    }
                    next = max(next, q &+ 16)
                }
            } else {
                while next <= last {
                    let start = next
                    if base.load(fromByteOffset: start, as: UInt8.self) == head
                        && base.load(fromByteOffset: start &+ m &- 1, as: UInt8.self) == tail
                        && verified(start)
                    {
                        guard onMatch(start) else { return }
                        next = start &+ m
                    } else {
                        next = start &+ 1
                    }
                }
            }
        }
    }
}

/// The immutable search tables of a ``_StreamMatcher``, shared by its
/// copies: the pattern, its KMP failure function and the finder that
/// searches inside a chunk.
@usableFromInline
internal final class _PatternTables: Sendable {
    @usableFromInline internal let pattern: [UInt8]
    /// KMP failure function: `failure[i]` is the length of the longest proper
    /// prefix of `pattern[0...i]` that is also its suffix.
    @usableFromInline internal let failure: [Int]
    /// The search inside a chunk.
    @usableFromInline internal let finder: SubstringFinder
    /// Whether some proper prefix of the pattern is also a suffix of it (a
    /// nonzero failure value), so that a match pending at a write's start
    /// may have more than one start to try. Here, not in the matcher: a
    /// matcher a word larger made unrelated paths of the count ~1 ns slower.
    @usableFromInline internal let hasBorder: Bool

    @usableFromInline
    internal init(_ pattern: [UInt8]) {
        self.pattern = pattern
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for i in 1..<max(pattern.count, 1) where pattern.count > 1 {
            while k > 0 && pattern[i] != pattern[k] { k = failure[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            failure[i] = k
        }
        self.failure = failure
        hasBorder = failure.contains { $0 > 0 }
        finder = try! SubstringFinder(pattern)  // not empty: the matcher checks
    }
}

/// One bit per byte of `base[0..<64]` that equals `byte`, byte 0 in bit 0.
///
/// Why this shape: Swift has no `pmovmskb`, so on x86-64 the mask comes from
/// a `static inline` C function (`CByteFlowSIMD`) that LLVM inlines here:
/// four compares and four `pmovmskb`. The Swift stand-in (other
/// architectures) reads each 16-byte compare back as two words and gathers
/// each word's top bits with a multiply (spelled `multipliedReportingOverflow`,
/// since LLVM vectorized a plain `&*` into `pmuludq` sequences); line framing
/// spent most of its time there (1 MiB of 42-byte lines, 64 KiB chunks:
/// 149 µs per MiB with the multiplies, 53–60 with `pmovmskb`).
@inlinable
@inline(__always)
internal func _mask64(_ base: UnsafeRawPointer, _ byte: UInt8) -> UInt64 {
    #if arch(x86_64)
        byteflow_equal_mask64(base, byte)
    #else
        _mask16(base, byte) | _mask16(base + 16, byte) &<< 16 | _mask16(base + 32, byte) &<< 32
            | _mask16(base + 48, byte) &<< 48
    #endif
}

/// One bit per byte of `base[0..<16]` that equals `byte`, byte 0 in bit 0.
@inlinable
@inline(__always)
internal func _mask16(_ base: UnsafeRawPointer, _ byte: UInt8) -> UInt64 {
    #if arch(x86_64)
        UInt64(byteflow_equal_mask16(base, byte))
    #else
        let splat = SIMD16<UInt8>(repeating: byte)
        let hits = unsafeBitCast(base.loadUnaligned(as: SIMD16<UInt8>.self) .== splat, to: SIMD2<UInt64>.self)
        let magic: UInt64 = 0x0002_0408_1020_4081
        let low = (hits[0] & 0x8080_8080_8080_8080).multipliedReportingOverflow(by: magic).partialValue &>> 56
        let high = (hits[1] & 0x8080_8080_8080_8080).multipliedReportingOverflow(by: magic).partialValue &>> 56
        return low | high &<< 8
    #endif
}

/// One bit per byte of `base[from..<end]` that equals `byte`, byte `from` in
/// bit 0, for `0 < end - from <= 64` and `end >= 16`: 16-byte blocks, the
/// last one ending at `end` (it may start before `from`, never after `end`).
@inlinable
@inline(__always)
internal func _equalMask(_ base: UnsafeRawPointer, from: Int, to end: Int, _ byte: UInt8) -> UInt64 {
    let n = end &- from
    var mask: UInt64 = 0
    var k = 0
    while n &- k > 16 {
        mask |= _mask16(base + (from &+ k), byte) &<< UInt64(truncatingIfNeeded: k)
        k &+= 16
    }
    let last = _mask16(base + (end &- 16), byte)
    return mask | (n >= 16 ? last &<< UInt64(truncatingIfNeeded: n &- 16) : last &>> UInt64(truncatingIfNeeded: 16 &- n))
}

/// `byte` in every lane, from a byte load: `SIMD16(repeating:)` on a
/// stored field became a 16-byte load at the field's address, which spans
/// ``_StreamMatcher/state``, stored by the write before, and so could not
/// be forwarded from the store (a stall of ~12 cycles per write, 14% of
/// the samples in the fused count).
@inlinable
@inline(__always)
internal func _splat(_ byte: UInt8) -> SIMD16<UInt8> {
    unsafeBitCast(SIMD2<UInt64>(repeating: UInt64(byte) &* 0x0101_0101_0101_0101), to: SIMD16<UInt8>.self)
}

/// A block whose lanes `0..<n` are `base[0..<n]`, for `1 <= n < 16`, from
/// loads inside the write (the other lanes are to be masked): from 8 bytes
/// on, two overlapping 8-byte loads, the second shifted so that lane 8 is
/// byte 8; below, ``_tinyBlock(_:_:)``.
@inlinable
@inline(__always)
internal func _shortBlock(_ base: UnsafeRawPointer, _ n: Int) -> SIMD16<UInt8> {
    guard n >= 8 else { return _tinyBlock(base, n) }
    // Numbers with byte 0 lowest, shifted, then back to memory order.
    let low = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
    let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
        &>> UInt64(truncatingIfNeeded: (16 &- n) &* 8)  // n = 8: a shift of 0, lanes masked
    return unsafeBitCast(SIMD2<UInt64>(low.littleEndian, high.littleEndian), to: SIMD16<UInt8>.self)
}

/// ``_shortBlock(_:_:)`` for `1 <= n < 8`: two 4-byte loads from 4 bytes
/// on, three byte loads below. Out of line, to keep the common path short.
/// Taking writes of 1–7 bytes into the one-pass count at all (inline or
/// not) cost the longer frames ~1 ns (frames of the benchmark's text 20.5 →
/// 21.5 ns a frame in a scratch client), and saved 5-byte frames 3.5 ns
/// (20.2 → 16.6; 17.3 before this session): kept for short frames.
@usableFromInline
@inline(never)
internal func _tinyBlock(_ base: UnsafeRawPointer, _ n: Int) -> SIMD16<UInt8> {
    let low: UInt64
    if n >= 4 {
        low = UInt64(UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
            | (UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)))
                &>> UInt64(truncatingIfNeeded: (8 &- n) &* 8)) &<< 32
    } else {
        low = UInt64(base.load(as: UInt8.self))
            | UInt64(base.load(fromByteOffset: n &>> 1, as: UInt8.self)) &<< 8
            | UInt64(base.load(fromByteOffset: n &- 1, as: UInt8.self)) &<< 16
    }
    return unsafeBitCast(SIMD2<UInt64>(low.littleEndian, 0), to: SIMD16<UInt8>.self)
}

/// The bits below `count`, for any `count` (none at or below 0, all from 64).
@inlinable
@inline(__always)
internal func _lowBits(_ count: Int) -> UInt64 {
    count >= 64 ? ~0 : count <= 0 ? 0 : (1 &<< UInt64(truncatingIfNeeded: count)) &- 1
}

/// Whether `bytes[k] == pattern[k]` for every `k` in `from..<to`.
@inlinable
@inline(__always)
internal func _matchesPattern(
    _ bytes: UnsafeRawPointer, _ pattern: UnsafeBufferPointer<UInt8>, from: Int, to: Int
) -> Bool {
    var k = from
    while k < to {
        if bytes.load(fromByteOffset: k, as: UInt8.self) != pattern[k] { return false }
        k &+= 1
    }
    return true
}
