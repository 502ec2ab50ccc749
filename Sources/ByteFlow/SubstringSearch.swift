#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
#if arch(x86_64)
    import CByteFlowSIMD
#endif

/// How a ``_SubstringSearcher/scan(_:in:from:to:onMatch:)`` ended.
@frozen
@usableFromInline
internal enum _ScanEnd {
    /// Every match in the range was reported.
    case finished
    /// The match handler asked to stop.
    case stopped
    /// The prefilter kept firing without a match (an adversarial input such
    /// as `aab` repeated for `a^32 b`): no match starts before this offset
    /// that was not reported; the caller should continue from here with an
    /// algorithm whose cost does not depend on the input.
    case gaveUp(Int)
}

/// The prefilter of ``SubstringFinder``: a SIMD scan for two rare bytes of
/// the pattern, whose candidates are verified in registers (patterns of up
/// to 16 bytes) or 8 bytes at a time (longer ones).
///
/// ## Why this shape (measured on a 2-core AMD EPYC VM, 256 MiB inputs)
///
/// - **Prefilter on two rare bytes.** A byte loop runs at ~4 GB/s and glibc
///   `memmem` at 5–9 GB/s, while SSE2 compares run at 30+ GB/s. Comparing
///   two of the pattern's bytes at their offsets rejects almost every
///   position at once; choosing the *rarest* two (a fixed ranking of byte
///   frequency in text, the idea of the `memchr` crate's rare-byte
///   prefilter) keeps candidates few on text, where the first and last
///   bytes (`e` and `s` of `elvis`) would fire often.
/// - **64 candidates per iteration.** Four 16-byte blocks are compared and
///   their masks OR-ed, so the loop pays one test+branch per 64 bytes
///   instead of per 16. 16 bytes per iteration ran at ~20 GB/s on text
///   without matches; 64 bytes run at ~26 (the loop is then bound by the two
///   unaligned loads per block, i.e. by L1/L2 bandwidth). `SIMD64<UInt8>`
///   itself lowers badly on x86 (~2 GB/s), hence four `SIMD16`s.
/// - **SSE2 only.** Swift has no per-function target attributes, so AVX2
///   would need a C target with runtime dispatch. The SSE2 loop already
///   outruns memory for inputs that are not in L2 (a page-cached file
///   streams at ~13–20 GB/s), so AVX2 would buy little outside of
///   benchmarks on cache-resident buffers; not worth a C target.
/// - **Hit test and bitmask without `any()` or `pmovmskb`.** SSE2's
///   `pmovmskb` is not exposed to Swift, and `any()` became a call to a
///   generic reduction once the caller grew. ``_isNonZero(_:)`` ORs the two
///   64-bit halves of the mask (three instructions, once per 64 bytes);
///   ``_bitmask(_:)`` gathers the lane bits with a multiply, only when a
///   block has a hit.
/// - **Every candidate of a 64-byte step is consumed before the next load.**
///   The step's whole bitmask is verified at once, and ``scan(_:in:from:to:onMatch:)``
///   hands each match to an inlined handler (the replace's two writes),
///   masks off the candidates the match covers and takes the next bit: a
///   dense input pays per match a few instructions, not a call, a SIMD
///   set-up and a rescan.
/// - **Verification without calls.** Patterns of 3 to 16 bytes are verified
///   with two overlapping loads compared against words precomputed from the
///   pattern (no branch on the outcome): a `memcmp` call per candidate was a
///   quarter of the time on dense input. Patterns of 1 or 2 bytes need no
///   verification (the two prefilter bytes are the pattern). Longer
///   patterns compare 8-byte words in a Swift loop, not with `memcmp`: a C
///   call is opaque to `@_noAllocation`, and the compile-time allocation
///   guard (`Sources/AllocationGuard`) rejects it.
/// - **Dense steps are checked whole.** A step with three or more candidates
///   of a pattern of 3 to 8 bytes is verified by comparing each of the
///   pattern's other bytes across all 64 starts (``exactStep(_:_:_:_:_:_:_:)``)
///   instead of candidate by candidate: the same cost for any number of
///   candidates, and no mispredicted loop exit per step. Dense text through
///   the tool: 0.80× the CPU time (4.7× Go's, from 3.9×).
/// - **One-byte patterns** take the same loop (offsets 0 and 0): on dense
///   input (`x` every byte) `memchr` paid a call and its vector set-up per
///   match; on sparse input the loop's ~26 GB/s is within a few percent of
///   `memchr`'s AVX2 once the buffer is not in L1.
/// - **Long patterns are verified in Two-Way order, and a failure skips.**
///   Beyond 16 bytes ``examine(_:_:at:)`` compares from the pattern's
///   critical position, and a mismatch tells how far the next match can
///   be at the earliest (Two-Way's shift); the candidates before that are
///   dropped unverified. On `a^999 b` in `a^99 b` (a candidate every 100
///   bytes) one verification in ten remains: 64 MiB through the tool took
///   18.0–19.3 ms of CPU before and 11.1–11.6 ms after, with the C `memmem`
///   loop at 12.5–13.5 (2026-11-30, `perf stat -r 7`, alternated). Patterns
///   of up to 16 bytes keep their branch-free check of a whole step's
///   candidates (~1 ns each): a skip has nothing to save there, and the
///   short adversarial class (`aaaaaaab` in `aaaaaab`) runs at ~24 GB/s.
/// - **Never quadratic.** When verifications keep failing (each charged
///   the bytes it compared plus 64, against an allowance of one per byte
///   scanned), the search stops with ``_ScanEnd/gaveUp(_:)`` and
///   ``SubstringFinder`` switches to Two-Way (`TwoWaySearch.swift`) for a
///   while.
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
    /// For verification of patterns up to 16 bytes: the pattern's first and
    /// last `wordSize` bytes as little-endian words (`wordSize` is 2, 4 or 8,
    /// the largest not above `count`). For longer patterns, `head` holds the
    /// first 8 bytes and `tail` is unused.
    @usableFromInline let head: UInt64
    @usableFromInline let tail: UInt64
    @usableFromInline let wordSize: Int
    /// For patterns longer than 16 bytes: the Two-Way critical position
    /// (``_TwoWay/critical``), where ``examine(_:_:at:)`` starts comparing.
    @usableFromInline let critical: Int
    /// For patterns longer than 16 bytes: how far a window may move when its
    /// right part (from ``critical``) matched and its left part did not
    /// (``_TwoWay/shift``).
    @usableFromInline let leftShift: Int
    /// For patterns of 3 to 16 bytes: the offsets of the pattern's bytes
    /// other than the two prefilter bytes, in increasing order, 4 bits each
    /// from the lowest (``exactStep(_:_:_:_:_:_:_:)`` reads them; the
    /// splats of those bytes are the finder's `lanes`, in the same order).
    @usableFromInline let otherOffsets: UInt64
    /// Whether two occurrences of the pattern can overlap (it has a
    /// proper prefix that is also a suffix, as `abab` or `aa`).
    @usableFromInline let overlaps: Bool

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
        let size = pattern.count >= 8 ? 8 : pattern.count >= 4 ? 4 : 2
        func word(_ from: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in 0..<size where from + i < pattern.count {
                value |= UInt64(pattern[from + i]) << (8 * UInt64(i))
            }
            return value
        }
        wordSize = size
        head = word(0)
        tail = pattern.count > 16 ? 0 : word(max(0, pattern.count - size))
        let twoWay = pattern.withUnsafeBufferPointer { _TwoWay(pattern: $0.baseAddress!, count: $0.count) }
        critical = twoWay.critical
        leftShift = twoWay.shift
        var others: UInt64 = 0
        if pattern.count > 2 && pattern.count <= 16 {
            var shift: UInt64 = 0
            for i in pattern.indices where i != first && i != second {
                others |= UInt64(i) << shift
                shift += 4
            }
        }
        otherOffsets = others
        // (Read only for patterns of up to 16 bytes: O(m²) is nothing there.)
        overlaps =
            pattern.count <= 16
            && (1..<pattern.count).contains { pattern[$0...].elementsEqual(pattern[..<(pattern.count - $0)]) }
    }

    /// The candidates of `bits` (bit *i*: the start `block + i`) at which
    /// the pattern, of at most 16 bytes, does occur.
    ///
    /// Verification has no branch on its outcome: on dense input (a match
    /// or near-miss every few bytes) whether a candidate matches is a coin
    /// toss for the branch predictor, and mispredictions were a third of
    /// the time. The loop over the candidates remains, one bit each.
    @inlinable
    @inline(__always)
    func confirm(_ bits: UInt64, _ base: UnsafeRawPointer, block: Int) -> UInt64 {
        // One loop per word size, the pattern's words and the offset of the
        // last word in locals: with the `switch` inside the loop, each
        // candidate re-tested the word size and reloaded the words from the
        // stack (dense text, ~1.8 candidates per match; see
        // `Documentation/Benchmarks.md`, "`pmovmskb` in the search").
        let last = count &- wordSize
        switch wordSize {
        case 8:
            return _confirm(bits, base, block: block, last: last, head: head, tail: tail)
        case 4:
            return _confirm(
                bits, base, block: block, last: last, head: UInt32(truncatingIfNeeded: head),
                tail: UInt32(truncatingIfNeeded: tail))
        default:
            return _confirm(
                bits, base, block: block, last: last, head: UInt16(truncatingIfNeeded: head),
                tail: UInt16(truncatingIfNeeded: tail))
        }
    }

    /// Whether `pattern` occurs at `base + p`, given that the two prefilter
    /// bytes do. The caller guarantees that `base[p..<p + count]` is readable.
    @inlinable
    @inline(__always)
    func matches(_ pattern: UnsafePointer<UInt8>, _ base: UnsafeRawPointer, at p: Int) -> Bool {
        if count <= 2 { return true }  // the prefilter bytes are the pattern
        switch wordSize {
        case 8:
            // Longer patterns: word by word (see `examine(_:_:at:)`).
            if count > 16 { return examine(pattern, base, at: p).shift == 0 }
            return base.loadUnaligned(fromByteOffset: p, as: UInt64.self) == head
                && base.loadUnaligned(fromByteOffset: p &+ count &- 8, as: UInt64.self) == tail
        case 4:
            return base.loadUnaligned(fromByteOffset: p, as: UInt32.self) == UInt32(truncatingIfNeeded: head)
                && base.loadUnaligned(fromByteOffset: p &+ count &- 4, as: UInt32.self)
                    == UInt32(truncatingIfNeeded: tail)
        default:  // 2 or 3 bytes
            return base.loadUnaligned(fromByteOffset: p, as: UInt16.self) == UInt16(truncatingIfNeeded: head)
                && base.loadUnaligned(fromByteOffset: p &+ count &- 2, as: UInt16.self)
                    == UInt16(truncatingIfNeeded: tail)
        }
    }

    /// For a pattern longer than 16 bytes whose two prefilter bytes occur at
    /// `base + p`: compares the window in Two-Way order and returns how far
    /// the next possible match is (`shift`: no occurrence starts in
    /// `p + 1 ..< p + shift`; 0 if the pattern occurs at `p`) and how many
    /// bytes were compared. The caller guarantees that `base[p..<p + count]`
    /// is readable.
    ///
    /// The right part (from ``critical``) is compared left to right, then
    /// the left part right to left, 8 bytes at a time (a Swift loop rather
    /// than `memcmp`, so that the allocation guard in
    /// `Sources/AllocationGuard` can see it: a C call is opaque to
    /// `@_noAllocation`). A first mismatch at pattern index `i` of the right
    /// part allows a shift of `i - critical + 1`; a mismatch in the left part
    /// allows ``leftShift``. These are Two-Way's shifts with no memory of
    /// earlier windows, the ones glibc's `two_way_long_needle` takes after a
    /// Horspool skip lands on an arbitrary window: they hold for any single
    /// window, however it was chosen. On `a^999 b` searched in `a^99 b`
    /// repeated, a candidate every 100 bytes, the first mismatch is found
    /// ~100 bytes into the left part and the shift of 1,000 passes over the
    /// next nine candidates (compared from the left, each candidate cost
    /// ~13 words and a mispredicted exit).
    ///
    /// Inlined: out of line, the call made the long near-miss class (whose
    /// rare-byte pairs also meet by chance, candidates that fail on the
    /// first word) 4% slower than before this search had skips (13.7
    /// against 13.1–13.3 ms of CPU for 64 MiB through the tool), inlined
    /// 3%. Inlining it made the classic 119-byte run slower (112 → 137 ns)
    /// only while the scan also checked `skip` in its bitmask path; with the
    /// long-pattern work all under one `count > 16` branch it does not (109
    /// against 110–117 ns, same minutes).
    @inlinable
    @inline(__always)
    func examine(_ pattern: UnsafePointer<UInt8>, _ base: UnsafeRawPointer, at p: Int) -> (
        shift: Int, compared: Int
    ) {
        let window = base + p
        let needle = UnsafeRawPointer(pattern)
        // The right part, left to right; the last word ends at `count`, its
        // lanes before `i` (already compared, or in the left part) dropped.
        var i = critical
        while i &+ 8 <= count {
            let difference =
                window.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                ^ needle.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if difference != 0 {
                return (i &+ difference.trailingZeroBitCount &>> 3 &- critical &+ 1, i &+ 8 &- critical)
            }
            i &+= 8
        }
        if i < count {
            let last = count &- 8
            let difference =
                (window.loadUnaligned(fromByteOffset: last, as: UInt64.self)
                    ^ needle.loadUnaligned(fromByteOffset: last, as: UInt64.self))
                &>> UInt64((i &- last) &<< 3)
            if difference != 0 {
                return (i &+ difference.trailingZeroBitCount &>> 3 &- critical &+ 1, count &- critical)
            }
        }
        // The left part, right to left; the last word starts at 0, its lanes
        // from `k` on (already compared) dropped.
        var k = critical
        while k >= 8 {
            let difference =
                window.loadUnaligned(fromByteOffset: k &- 8, as: UInt64.self)
                ^ needle.loadUnaligned(fromByteOffset: k &- 8, as: UInt64.self)
            if difference != 0 { return (leftShift, count &- k &+ 8) }
            k &-= 8
        }
        if k > 0 {
            let difference =
                (window.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                    ^ needle.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) &<< UInt64((8 &- k) &<< 3)
            if difference != 0 { return (leftShift, count) }
        }
        return (0, count)
    }

    /// The starts `p..<p + 64` at which the whole pattern (3 to 16 bytes)
    /// occurs, given the prefilter's masks `h0`…`h3` of its four 16-byte
    /// blocks: each of the pattern's other bytes is compared across the
    /// step (4 loads and compares per byte, from ``otherOffsets`` and
    /// `lanes`), with no branch per candidate.
    ///
    /// Taken instead of ``confirm(_:_:block:)`` when a step has three or more
    /// candidates and the pattern has at most 8 bytes: on dense text the
    /// number of candidates per step varies (the shuffled classic text has
    /// 4 to 13, mostly 7 to 10, for `elvis`), and the exit of `confirm`'s
    /// loop over them is a branch the predictor misses once per step; this
    /// costs the same for any number. Measured 2026-11-30, 64 MiB of dense
    /// text through the tool: 0.89× the CPU time with the splats built in
    /// the loop, 0.80× with them precomputed (`lanes`); the classic 119-byte
    /// run 91 → 83 ns. One or two candidates (and longer patterns, 6 to 14
    /// compares a byte) keep `confirm`: with a single failing candidate per
    /// 64 bytes, comparing the whole step ran at 7–9 GB/s against `confirm`'s
    /// 16.7, and a count of the candidates (no `popcnt` in the baseline
    /// x86-64 target: ~20 instructions) cost 25% there by itself.
    @inlinable
    @inline(__always)
    func exactStep(
        _ lanes: UnsafePointer<SIMD16<UInt8>>, _ base: UnsafeRawPointer, _ p: Int,
        _ h0: SIMDMask<SIMD16<Int8>>, _ h1: SIMDMask<SIMD16<Int8>>, _ h2: SIMDMask<SIMD16<Int8>>,
        _ h3: SIMDMask<SIMD16<Int8>>
    ) -> UInt64 {
        var a0 = h0
        var a1 = h1
        var a2 = h2
        var a3 = h3
        var offsets = otherOffsets
        var k = 0
        while k < count &- 2 {
            let j = Int(truncatingIfNeeded: offsets & 15)
            offsets &>>= 4
            let s = lanes[k]
            a0 .&= base.loadUnaligned(fromByteOffset: p &+ j, as: SIMD16<UInt8>.self) .== s
            a1 .&= base.loadUnaligned(fromByteOffset: p &+ 16 &+ j, as: SIMD16<UInt8>.self) .== s
            a2 .&= base.loadUnaligned(fromByteOffset: p &+ 32 &+ j, as: SIMD16<UInt8>.self) .== s
            a3 .&= base.loadUnaligned(fromByteOffset: p &+ 48 &+ j, as: SIMD16<UInt8>.self) .== s
            k &+= 1
        }
        return UInt64(_bitmask(a0)) | UInt64(_bitmask(a1)) << 16
            | UInt64(_bitmask(a2)) << 32 | UInt64(_bitmask(a3)) << 48
    }

    /// ``exactStep(_:_:_:_:_:_:_:)`` for one 16-byte block, given its
    /// prefilter mask `h`: the starts `p..<p + 16` at which the pattern
    /// occurs.
    ///
    /// ``exactStep(_:_:_:_:_:_:_:)`` is not written as four calls of this:
    /// the lane loop then ran once per block instead of once per step, and
    /// the classic run took 1.05–1.1× the time, dense text through the tool
    /// 1.07× (2026-11-30, side by side).
    @inlinable
    @inline(__always)
    func exactBlock(
        _ lanes: UnsafePointer<SIMD16<UInt8>>, _ base: UnsafeRawPointer, _ p: Int, _ h: SIMDMask<SIMD16<Int8>>
    ) -> UInt32 {
        var a = h
        var offsets = otherOffsets
        var k = 0
        while k < count &- 2 {
            let j = Int(truncatingIfNeeded: offsets & 15)
            offsets &>>= 4
            a .&= base.loadUnaligned(fromByteOffset: p &+ j, as: SIMD16<UInt8>.self) .== lanes[k]
            k &+= 1
        }
        return _bitmask(a)
    }

    /// The splats of the pattern's bytes other than the two prefilter
    /// bytes, in the order of ``otherOffsets`` (patterns of 3 to 16 bytes;
    /// otherwise empty).
    @usableFromInline
    static func lanes(for pattern: [UInt8], _ searcher: _SubstringSearcher) -> [SIMD16<UInt8>] {
        guard pattern.count > 2 && pattern.count <= 16 else { return [] }
        return pattern.indices.filter { $0 != searcher.offset1 && $0 != searcher.offset2 }.map {
            SIMD16<UInt8>(repeating: pattern[$0])
        }
    }

    /// The candidate starts `p..<p + 16` whose two prefilter bytes match.
    @inlinable
    @inline(__always)
    func block(_ base: UnsafeRawPointer, _ p: Int, _ splat1: SIMD16<UInt8>, _ splat2: SIMD16<UInt8>)
        -> SIMDMask<SIMD16<Int8>>
    {
        (base.loadUnaligned(fromByteOffset: p &+ offset1, as: SIMD16<UInt8>.self) .== splat1)
            .& (base.loadUnaligned(fromByteOffset: p &+ offset2, as: SIMD16<UInt8>.self) .== splat2)
    }

    /// The first start in `start...end - count` whose first prefilter byte
    /// (`byte1` at `offset1`) is in place, or -1: the next candidate of a
    /// range too short for the SIMD step, found 8 bytes at a time with no
    /// set-up. O(*n*).
    @inlinable
    @inline(__always)
    func firstCandidate(in base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        let last = end &- count
        guard start <= last else { return -1 }
        // The bytes that must be `byte1`: base[start + offset1 ... last + offset1].
        var i = start &+ offset1
        let stop = last &+ offset1 &+ 1
        let splat = 0x0101_0101_0101_0101 &* UInt64(byte1)
        while i &+ 8 <= stop {
            let hits = _zeroBytes(base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ splat)
            if hits != 0 { return i &- offset1 &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        guard i < stop else { return -1 }
        if stop &- start &- offset1 >= 8 {
            // The tail as one word ending at `stop`: its lanes before `i`
            // were searched already and hold no hit.
            let word = stop &- 8
            let hits = _zeroBytes(base.loadUnaligned(fromByteOffset: word, as: UInt64.self) ^ splat)
            return hits == 0 ? -1 : word &- offset1 &+ hits.trailingZeroBitCount &>> 3
        }
        while i < stop {
            if base.load(fromByteOffset: i, as: UInt8.self) == byte1 { return i &- offset1 }
            i &+= 1
        }
        return -1
    }

    /// Reports every leftmost, non-overlapping occurrence in
    /// `base[start..<end]`, in order, until `onMatch` returns `false`, by
    /// ``firstCandidate(in:from:to:)`` and a check in registers: for ranges
    /// shorter than one 64-byte step and patterns of at most
    /// ``shortScanMaximumPattern`` bytes (so that a candidate costs O(1)).
    ///
    /// `candidate` is the range's first candidate (from
    /// ``firstCandidate(in:from:to:)``, not -1).
    ///
    /// - Complexity: O(*n*) for *n* = `end - start`, plus the calls to `onMatch`.
    @inlinable
    @inline(__always)
    func scanShort<E: Error>(
        _ pattern: UnsafePointer<UInt8>, in base: UnsafeRawPointer, candidate first: Int, to end: Int,
        onMatch: (Int) throws(E) -> Bool
    ) throws(E) {
        var candidate = first
        while candidate >= 0 {
            var next = candidate &+ 1
            if base.load(fromByteOffset: candidate &+ offset2, as: UInt8.self) == byte2
                && matches(pattern, base, at: candidate)
            {
                guard try onMatch(candidate) else { return }
                next = candidate &+ count
            }
            candidate = firstCandidate(in: base, from: next, to: end)
        }
    }

    /// The longest pattern ``scanShort(_:in:candidate:to:onMatch:)`` takes:
    /// up to 16 bytes a candidate is verified with two loads.
    @inlinable
    static var shortScanMaximumPattern: Int { 16 }

    /// Reports every leftmost, non-overlapping occurrence of `pattern` that
    /// starts at `start` or later and lies wholly within `base[start..<end]`,
    /// in order, until `onMatch` returns `false` or the prefilter gives up.
    ///
    /// All of `base[0..<end]` must be readable: the last block may be
    /// shifted back before `start` (its lanes there are ignored). `lanes`
    /// holds the splats of the pattern's bytes at ``otherOffsets``
    /// (`_SubstringSearcher.lanes(for:_:)`, kept by the finder's storage).
    ///
    /// The candidates of one 64-byte step are all consumed before the next
    /// step loads anything: after a match the candidates it covers are
    /// masked off and the next one is taken from the same bitmask, so a
    /// dense input (a match every few bytes) costs a few instructions per
    /// match, with no call and no SIMD set-up.
    ///
    /// - Complexity: O(*n*) for *n* = `end - start` plus the calls to
    ///   `onMatch`; on adversarial inputs it gives up with
    ///   ``_ScanEnd/gaveUp(_:)`` after O(*n*) work.
    @_transparent @usableFromInline
    func scan<E: Error>(
        _ pattern: UnsafePointer<UInt8>, lanes: UnsafePointer<SIMD16<UInt8>>, in base: UnsafeRawPointer,
        from start: Int, to end: Int, onMatch: (Int) throws(E) -> Bool
    ) throws(E) -> _ScanEnd {
        let last = end &- count  // the last offset a match can start at
        var p = start  // where the next block starts
        var position = start  // no match may start before this
        // Candidates before this are not verified: a failed verification
        // showed that no match starts there (see `examine(_:_:at:)`). The
        // scan does not jump there; it scans on and drops them, and a step
        // wholly before `skip` is not turned into a bitmask. Jumping (up to
        // a pattern length) broke the sequential access the hardware
        // prefetcher follows: on `a^999 b` in `a^99 b` each window's left
        // part then missed the cache, 17.0–17.4 ms of CPU for 64 MiB through
        // the tool, against 14.0–14.4 scanning on, and 11.1–11.6 once steps
        // wholly before `skip` were no longer turned into bitmasks
        // (2026-11-30, alternated). The checks sit on the long-pattern path
        // and on a step with hits only: in the 64-byte step's bitmask path
        // they made the classic run 5–7 ns slower.
        var skip = start
        var verified = 0  // bytes charged to failed verifications
        var bits: UInt64 = 0
        var block = 0
        let splat1 = SIMD16<UInt8>(repeating: byte1)
        let splat2 = SIMD16<UInt8>(repeating: byte2)
        while true {
            // Consume the candidates of `block`, in order. Up to 16 bytes,
            // `confirm` kept only true matches.
            while bits != 0 {
                let candidate = block &+ bits.trailingZeroBitCount
                if count > 16 {
                    if candidate < skip {
                        bits = _dropCandidates(bits, before: skip &- block)
                        continue
                    }
                    let examined = examine(pattern, base, at: candidate)
                    if examined.shift != 0 {
                        skip = candidate &+ examined.shift
                        bits = _dropCandidates(bits, before: skip &- block)
                        verified &+= examined.compared &+ 64
                        continue
                    }
                }
                guard try onMatch(candidate) else { return .stopped }
                position = candidate &+ count
                if overlaps || count > 16 {
                    let covered = position &- block
                    bits = covered >= 64 ? 0 : bits & (~0 << UInt64(covered))
                } else {
                    // Up to 16 bytes the bits are exact matches, and for a
                    // pattern that cannot overlap itself the next one starts
                    // at `position` or later: only this bit goes (8
                    // instructions fewer per match; dense text through the
                    // tool 0.92× the CPU time with the two changes to the
                    // replace's match handler of the same commit).
                    bits &= bits &- 1
                }
            }
            // Give up once verification outgrows the bytes scanned (only
            // long patterns can): each failed verification is charged the
            // bytes it compared plus 64 for the candidate itself (a
            // mispredicted exit and the bitmask work), against one per byte
            // scanned; the candidates a failure skips cost nothing. So the
            // prefilter stays while failures come less often than about
            // every 70 bytes: `a^999 b` in `a^99 b` (one per 1,000 bytes,
            // ~170 charged) stays, and `a^32 b` in `aab` (one per 33) and
            // `a^16 b a^16` in `aab` (one per 6) give up within a few KiB.
            // With the old allowance (compared + 32, against 8 per byte)
            // neither gave up once failures skipped: 64 MiB through the tool
            // took 21–29 and 60 ms of CPU on the prefilter, against 11–13 and
            // 25–31 ms with Two-Way (2026-11-30).
            if verified > p &- start &+ 4096 {
                return .gaveUp(max(max(p, position), skip))
            }
            if position > p { p = position }
            // Scan on: 64 candidates per step; each step tests starts p..<p+64.
            while p &+ 63 <= last {
                let h0 = self.block(base, p, splat1, splat2)
                let h1 = self.block(base, p &+ 16, splat1, splat2)
                let h2 = self.block(base, p &+ 32, splat1, splat2)
                let h3 = self.block(base, p &+ 48, splat1, splat2)
                // (A step wholly before `skip` is still loaded and compared,
                // only its candidates are not extracted: see `skip`.)
                if _isNonZero((h0 .| h1) .| (h2 .| h3)) && skip <= p &+ 63 {
                    bits =
                        UInt64(_bitmask(h0)) | UInt64(_bitmask(h1)) << 16
                        | UInt64(_bitmask(h2)) << 32 | UInt64(_bitmask(h3)) << 48
                    if count > 2 && count <= 16 {
                        bits =
                            count <= 8 && _hasThreeBits(bits)
                            ? exactStep(lanes, base, p, h0, h1, h2, h3) : confirm(bits, base, block: p)
                    }
                    if bits != 0 {
                        block = p
                        p &+= 64
                        break
                    }
                }
                p &+= 64
            }
            if bits != 0 { continue }
            guard p <= last else { return .finished }
            // Fewer than 64 candidates left: blocks of 16, the last one
            // shifted back to end exactly at `last`, its lanes before `p`
            // masked off. (A last 64-byte step shifted back instead — 2 steps
            // for the classic 119 bytes, not 1 + 4 blocks — measured slower:
            // 137–144 ns against 116–135 per classic run, dense 1.07–1.22
            // against 1.19–1.41 GB/s, alternating A/B, 2026-11-30; here the
            // match handler is a closure, which then stopped being inlined.
            // `ReplaceTransform`'s kernel, which has no closure, does shift
            // its last step back: `ReplaceKernel.swift`.)
            if last < 15 {
                // Too short a buffer for one block (a small piece from an
                // upstream stage): if the rarer byte is nowhere in its lanes
                // (two overlapping 8-byte words, no SIMD set-up), done;
                // otherwise byte by byte.
                if last &- p >= 7
                    && !_containsByte(
                        base.loadUnaligned(fromByteOffset: p &+ offset1, as: UInt64.self), byte1)
                    && !_containsByte(
                        base.loadUnaligned(fromByteOffset: last &+ offset1 &- 7, as: UInt64.self), byte1)
                {
                    return .finished
                }
                while p <= last {
                    if base.load(fromByteOffset: p &+ offset1, as: UInt8.self) == byte1
                        && base.load(fromByteOffset: p &+ offset2, as: UInt8.self) == byte2
                        && matches(pattern, base, at: p)
                    {
                        guard try onMatch(p) else { return .stopped }
                        p &+= count
                    } else {
                        p &+= 1
                    }
                }
                return .finished
            }
            let q = min(p, last &- 15)
            let h = self.block(base, q, splat1, splat2)
            bits = UInt64(_bitmask(h)) & (~0 << UInt64(p &- q))
            if count > 2 && count <= 16 {
                bits =
                    count <= 8 && _hasThreeBits(bits)
                    ? bits & UInt64(exactBlock(lanes, base, q, h)) : confirm(bits, base, block: q)
            }
            block = q
            p = q &+ 16
        }
    }
}

/// Whether `bits` has at least three bits set: two `x & (x - 1)` steps,
/// four instructions (a population count is ~20 without `popcnt`).
@inlinable
@inline(__always)
internal func _hasThreeBits(_ bits: UInt64) -> Bool {
    let two = bits & (bits &- 1)
    return two & (two &- 1) != 0
}

/// `bits` (bit *i*: a candidate start `block + i`) without the candidates
/// below `block + offset`.
@inlinable
@inline(__always)
internal func _dropCandidates(_ bits: UInt64, before offset: Int) -> UInt64 {
    offset >= 64 ? 0 : offset <= 0 ? bits : bits & (~0 << UInt64(offset))
}

/// `_SubstringSearcher.confirm(_:_:block:)` for one word size: the
/// candidates of `bits` at which the first word of the window is `head` and
/// the word at `last` is `tail`, with no branch on the outcome.
@inlinable
@inline(__always)
internal func _confirm<Word: FixedWidthInteger & BitwiseCopyable>(
    _ bits: UInt64, _ base: UnsafeRawPointer, block: Int, last: Int, head: Word, tail: Word
) -> UInt64 {
    var rest = bits
    var confirmed: UInt64 = 0
    while rest != 0 {
        let i = rest.trailingZeroBitCount
        rest &= rest &- 1
        let p = block &+ i
        let difference =
            (base.loadUnaligned(fromByteOffset: p, as: Word.self) ^ head)
            | (base.loadUnaligned(fromByteOffset: p &+ last, as: Word.self) ^ tail)
        confirmed |= UInt64(difference == 0 ? 1 : 0) &<< UInt64(i)
    }
    return confirmed
}

/// Whether any byte of `word` is `byte` (the classic zero-byte test on
/// `word ^ byte×0x01…01`, exact as a yes/no answer).
@inlinable
@inline(__always)
internal func _containsByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
}

/// The byte lanes of `word` that are zero, as their top bit (0x80) set and
/// every other bit clear: exact, with no false lane (unlike the shorter
/// `(x - 0x01…) & ~x & 0x80…`, whose borrow can mark a lane above a zero).
@inlinable
@inline(__always)
internal func _zeroBytes(_ word: UInt64) -> UInt64 {
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((word & low) &+ low) | word | low)
}

/// Whether any lane of `mask` is set. `any(_:)` becomes a call to a generic
/// `min()` reduction once the caller is large; two 64-bit lanes OR-ed are
/// three instructions, and this test runs once per 64 bytes.
@inlinable
@inline(__always)
internal func _isNonZero(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
    let lanes = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
    return lanes[0] | lanes[1] != 0
}

/// One bit per lane of a 16-lane mask, lane 0 in bit 0: SSE2's `pmovmskb`
/// on x86-64, through a `static inline` C function (`CByteFlowSIMD`) that
/// LLVM inlines, since Swift does not expose it. Elsewhere each 8-lane half
/// is turned into 8 bits by a multiply that gathers the lanes' top bits into
/// the top byte; on x86-64 the compiler had turned those multiplies, four per
/// 64-byte step, into long vector-multiply sequences (~30 instructions per
/// step; see `Documentation/Benchmarks.md`, "`pmovmskb` in the search").
@inlinable
@inline(__always)
internal func _bitmask(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt32 {
    let lanes = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
    #if arch(x86_64)
        return byteflow_movemask_words(lanes[0], lanes[1])
    #else
        let magic: UInt64 = 0x0002_0408_1020_4081
        let low = ((lanes[0] & 0x8080_8080_8080_8080) &* magic) >> 56
        let high = ((lanes[1] & 0x8080_8080_8080_8080) &* magic) >> 56
        return UInt32(truncatingIfNeeded: low | (high << 8))
    #endif
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
