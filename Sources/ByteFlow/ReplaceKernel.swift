extension ReplaceTransform {
    /// Replaces every match in `base[start..<count]` and writes the result,
    /// except the longest tail that could begin a match, by copying into
    /// memory the sink lends (``ByteSink/beginDirectWrite(minimumCount:)``),
    /// one 64-byte step of starts at a time. Returns how many bytes to hold
    /// back (a pattern prefix); or, if the sink lends nothing (at the start,
    /// or after a long run was passed to its `write`), `~position` where
    /// `position` is the end of the last match written: the caller goes on
    /// from there with the general path (`_process`).
    ///
    /// For a transform with nothing held back (or none left: `start` is
    /// where `_resumeHeld` left off), and a chunk of at least
    /// `_FinderCore.directMinimum` bytes (a pattern of at most 16 bytes,
    /// whose prefilter candidates are verified exactly and which never
    /// falls back to Two-Way; a replacement of at most 32, stored from two
    /// vector registers; one whole 64-byte step of starts).
    ///
    /// The general path hands each match to a closure inside the finder's
    /// scan, which also carries the long-pattern verification, the skips and
    /// the Two-Way fallback, and it checks room, run length and the chunk's
    /// end for every match. Here:
    ///
    /// - each step's exact matches are computed first and consumed by the
    ///   loop itself: no closure, no state for long patterns;
    /// - a step whose every run is short, that ends 32 bytes or more before
    ///   the chunk's end and that has room for its worst case is consumed
    ///   with no test per match (a run is copied 32 bytes at a time, the
    ///   replacement stored from two registers); other steps test each
    ///   match and copy exactly;
    /// - the last step is one 64-byte step shifted back to end at the last
    ///   start, its starts already searched masked off, instead of up to
    ///   four 16-byte blocks.
    ///
    /// Measured 2026-11-30 from a client package on the classic 119-byte
    /// run: see `Documentation/Benchmarks.md`, "A kernel without a closure".
    ///
    /// - Complexity: O(*n*) for *n* = `count - start`, plus the copies.
    @inlinable
    @inline(__always)
    internal static func _replaceDirect<Next: ByteSink>(
        _ core: UnsafePointer<_FinderCore>, _ base: UnsafeRawPointer, from start: Int, _ count: Int,
        into next: inout Next
    ) throws -> Int {
        let replacementCount = core.pointee.replacementCount
        let reserve = _directRunLimit &+ replacementCount &+ 32
        guard let region = try next.beginDirectWrite(minimumCount: reserve) else { return ~start }
        let m = core.pointee.prefilter.count
        var state = _KernelState(_DirectOutput(region), from: start)
        // (A large chunk takes the loop out of line, a small one inlined:
        // see `_replaceStepsOutOfLine`.) The loop stops at a match it cannot
        // write itself, the lowest bit of `state.bits`: a long run, passed
        // to the sink's `write`, or no room left.
        while !(count >= _outOfLineSteps
            ? _replaceStepsOutOfLine(core, base, count, &state)
            : _replaceSteps(core, base, count, &state, scanAhead: false))
        {
            let found = state.step &+ state.bits.trailingZeroBitCount
            state.bits &= state.bits &- 1
            state.output = try _writeMatchSlowly(
                base, state.position, found, core.pointee.replacement, replacementCount, reserve: reserve,
                state.output, into: &next)
            state.position = found &+ m
            guard state.output.isLent else { return ~state.position }
        }
        var output = state.output
        var position = state.position
        // Hold back the longest tail that is a proper pattern prefix (see
        // `_process`); the run before it is copied too when it is short.
        var j = count &- min(m &- 1, count &- position)
        let first = core.pointee.pattern.pointee
        while j < count && base.load(fromByteOffset: j, as: UInt8.self) != first { j &+= 1 }
        let held =
            j < count
            ? _partialMatch(
                base, from: j, count, pattern: core.pointee.pattern, border: core.pointee.border, count: m)
            : 0
        let keep = count &- held
        let run = keep &- position
        if run > 0 && run < _directRunLimit && run <= output.room {
            output.copy(base + position, run)
            position = keep
        }
        if output.isLent { next.endDirectWrite(output.kept) }
        if keep > position { try _writeRange(base, position, keep, into: &next) }
        return held
    }

    /// The loop of ``_replaceDirect(_:_:from:_:into:)``: searches and writes
    /// from `state` on, and returns `true` when every start up to
    /// `count - m` is searched and every match written, `false` at a match
    /// it cannot write itself (a run of ``_directRunLimit`` bytes or more, or
    /// too little room): the lowest bit of `state.bits`, which the caller
    /// writes with the sink's `write` before calling it again.
    @inlinable
    @inline(__always)
    internal static func _replaceSteps(
        _ core: UnsafePointer<_FinderCore>, _ base: UnsafeRawPointer, _ count: Int,
        _ state: inout _KernelState,
        scanAhead: Bool
    ) -> Bool {
        let replacementCount = core.pointee.replacementCount
        var output = state.output
        let searcher = core.pointee.prefilter
        let m = searcher.count
        let replacement = UnsafeRawPointer(core.pointee.replacement)
        let words = core.pointee.replacementWords
        let replacementWords = (words[0], words[1])
        let lanes = core.pointee.lanes
        let laneOffsets = core.pointee.laneOffsets
        // A replacement as long as the pattern leaves every byte where it
        // was: a step's input is copied whole and its matches overwritten.
        let sameLength = replacementCount == m
        // What a step may add to the output beyond the input it covers: a
        // replacement longer than the pattern, for each of its matches.
        let growth = replacementCount > m ? (replacementCount &- m) &* (64 / m &+ 1) : 0
        let last = count &- m  // the last start a match can have
        // Where the prefilter's two bytes of the window starting at 0 are.
        let byte1At = base + searcher.offset1
        let byte2At = base + searcher.offset2
        let splat1 = SIMD16<UInt8>(repeating: searcher.byte1)
        let splat2 = SIMD16<UInt8>(repeating: searcher.byte2)
        var position = state.position  // the end of the last match: written up to here
        var p = state.next  // the first start not yet searched
        var q = state.step  // the current step's first start
        var bits = state.bits  // the current step's matches not yet written
        while true {
            if bits == 0 {
                var h0 = SIMDMask<SIMD16<Int8>>()
                var h1 = h0
                var h2 = h0
                var h3 = h0
                if scanAhead {
                    // The next step with a candidate: whole steps in a loop
                    // of their own (what sparse text runs), then the last
                    // one shifted back.
                    var hit = false
                    while p &+ 63 <= last {
                        (h0, h1, h2, h3) = Self._step(byte1At + p, byte2At + p, splat1, splat2)
                        if _isNonZero((h0 .| h1) .| (h2 .| h3)) {
                            hit = true
                            break
                        }
                        p &+= 64
                    }
                    if hit {
                        q = p
                    } else {
                        guard p <= last else { break }
                        q = last &- 63
                        (h0, h1, h2, h3) = Self._step(byte1At + q, byte2At + q, splat1, splat2)
                    }
                } else {
                    // One step: starts q..<q + 64, the last one shifted back
                    // to end at `last`.
                    guard p <= last else { break }
                    q = p &+ 63 <= last ? p : last &- 63
                    (h0, h1, h2, h3) = Self._step(byte1At + q, byte2At + q, splat1, splat2)
                }
                // (The caller guarantees last >= 63; the starts of a shifted
                // step before `p` were searched and are dropped.)
                let done = p &- q  // 0 to 63
                p = q &+ 64
                guard _isNonZero((h0 .| h1) .| (h2 .| h3)) else { continue }
                bits =
                    (UInt64(_bitmask(h0)) | UInt64(_bitmask(h1)) &<< 16
                        | UInt64(_bitmask(h2)) &<< 32 | UInt64(_bitmask(h3)) &<< 48)
                    & (~0 &<< UInt64(truncatingIfNeeded: done))
                if m > 2 {
                    bits =
                        m <= 8 && _hasThreeBits(bits)
                        ? bits & Self._exactStep(lanes, laneOffsets, m &- 2, base + q, h0, h1, h2, h3)
                        : searcher.confirm(bits, base, block: q)
                }
                // Every bit left is a match, except (for a pattern that
                // overlaps itself) one that starts before `position`.
                if sameLength {
                    // The input up to the step's end (`span` bytes from
                    // `position`), then each match's replacement over its
                    // bytes: a few stores per match, and no test of room
                    // or of the chunk's end (nothing is read past `p`).
                    let span = p &- position
                    if _fastPath(span < _directRunLimit && span &+ m <= output.room) {
                        // Where input byte 0 would go.
                        let origin = output.cursor.unsafelyUnwrapped.advanced(by: 0 &- position)
                        if span > 0 {
                            _copyExactly(to: origin + position, from: base + position, count: span)
                        }
                        // One loop per store width (the replacement's two
                        // overlapping words in registers, no test of its
                        // length per match).
                        if m >= 8 {
                            position = Self._patch(
                                bits, q, origin, position, m, replacement.loadUnaligned(as: UInt64.self),
                                replacement.loadUnaligned(fromByteOffset: m &- 8, as: UInt64.self))
                        } else if m >= 4 {
                            position = Self._patch(
                                bits, q, origin, position, m, replacement.loadUnaligned(as: UInt32.self),
                                replacement.loadUnaligned(fromByteOffset: m &- 4, as: UInt32.self))
                        } else if m >= 2 {
                            position = Self._patch(
                                bits, q, origin, position, m, replacement.loadUnaligned(as: UInt16.self),
                                replacement.loadUnaligned(fromByteOffset: m &- 2, as: UInt16.self))
                        } else {
                            position = Self._patch(
                                bits, q, origin, position, m, replacement.load(as: UInt8.self),
                                replacement.load(as: UInt8.self))
                        }
                        bits = 0
                        let end = max(position, p)
                        output.room &-= end &- (output.cursor.unsafelyUnwrapped - origin)
                        output.cursor = origin + end
                        position = end
                        continue
                    }
                } else {
                    let span = q &+ 63 &- position  // the longest run this step can copy
                    if _fastPath(
                        span < _directRunLimit && q &+ 63 <= count &- 32
                            && span &+ m &+ 32 &+ growth <= output.room)
                    {
                        // No test per match: every run is shorter than the
                        // limit, may be read 32 bytes at a time, and fits.
                        while bits != 0 {
                            let found = q &+ bits.trailingZeroBitCount
                            bits &= bits &- 1
                            if found >= position {
                                output.copyRun(base + position, found &- position)
                                output.store(replacementWords, replacementCount)
                                position = found &+ m
                            }
                        }
                        continue
                    }
                }
            }
            // A step near the chunk's end, with a long run, or short of
            // room: each match is tested, and a run copied exactly.
            while bits != 0 {
                let found = q &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                guard found >= position else { continue }
                let run = found &- position
                guard run < _directRunLimit && run &+ 32 <= output.room else {
                    // A long run (passed to the sink's `write`) or no room:
                    // the caller writes it, with this bit still set.
                    state = _KernelState(
                        output: output, position: position, next: p, step: q,
                        bits: bits | 1 &<< UInt64(found &- q))
                    return false
                }
                output.copy(base + position, run)
                output.store(replacementWords, replacementCount)
                position = found &+ m
            }
        }
        state = _KernelState(output: output, position: position, next: p, step: q, bits: 0)
        return true
    }
}

extension ReplaceTransform {
    /// ``_replaceSteps(_:_:_:_:scanAhead:)`` out of line, for chunks of
    /// ``_outOfLineSteps`` bytes or more, with whole steps without a
    /// candidate skipped in a loop of their own (`scanAhead`, what sparse
    /// text runs).
    ///
    /// Why out of line (measured 2026-11-30, callgrind and side by side, from
    /// a client package): inlined into each specialization of
    /// `_replaceDirect`, the loop's registers depended on the sink's calls
    /// inlined around it, and on dense lines at 64 KiB chunks into a
    /// `BufferSink` the boxed pipeline (the unspecialized code) ran fewer
    /// instructions than the specialized one (3.42 M against 3.49 M per
    /// MiB). Not generic and out of line, it is one loop for every sink:
    /// 3.32 M specialized against 3.33 M boxed (the boxed pipeline's
    /// dynamic calls per chunk are the difference). Why not for small
    /// chunks: out of line, the classic 119-byte run took 49–51 ns against
    /// 45–46 inlined, for the same ~840 instructions. Why the skip loop only
    /// here: inlined, it cost the classic run ~50 instructions; out of line,
    /// sparse text (a match every 1 KiB, 64 KiB chunks) runs 0.99× the
    /// instructions of the scan before the kernel, where the plain step loop
    /// ran 1.07×.
    @inlinable
    @inline(never)
    internal static func _replaceStepsOutOfLine(
        _ core: UnsafePointer<_FinderCore>, _ base: UnsafeRawPointer, _ count: Int,
        _ state: inout _KernelState
    ) -> Bool {
        _replaceSteps(core, base, count, &state, scanAhead: true)
    }

    /// The chunk size from which ``_replaceDirect(_:_:from:_:into:)`` runs
    /// its loop out of line (``_replaceStepsOutOfLine(_:_:_:_:)``).
    @inlinable
    internal static var _outOfLineSteps: Int { 1024 }

    /// Writes the replacement (`count` bytes, the same as the pattern's,
    /// 1 to 16) over each match of `bits` (bit *i*: a match at `step + i`)
    /// that starts at `position` or later, where `origin + i` is the
    /// output of input byte `i`: its first `Word` (`head`) and its last
    /// (`tail`), which overlap unless the length is exactly two words, and
    /// nothing beyond it. Returns the end of the last match written.
    @inlinable
    @inline(__always)
    internal static func _patch<Word: FixedWidthInteger>(
        _ bits: UInt64, _ step: Int, _ origin: UnsafeMutableRawPointer, _ position: Int, _ count: Int,
        _ head: Word, _ tail: Word
    ) -> Int {
        var bits = bits
        var position = position
        while bits != 0 {
            let found = step &+ bits.trailingZeroBitCount
            bits &= bits &- 1
            if found >= position {
                let destination = origin + found
                destination.storeBytes(of: head, as: Word.self)
                destination.storeBytes(
                    of: tail, toByteOffset: count &- MemoryLayout<Word>.size, as: Word.self)
                position = found &+ count
            }
        }
        return position
    }

    /// `_SubstringSearcher.exactStep` with the lanes' offsets read from a
    /// table (`_FinderCore.laneOffsets`) instead of the nibbles of a word:
    /// unrolled over at most six lanes, the nibbles were all extracted
    /// before the kernel's loop and kept in the stack (~30 instructions per
    /// call). The starts `at[0..<64]` at which the whole pattern occurs,
    /// given the prefilter's masks of the four blocks.
    @inlinable
    @inline(__always)
    internal static func _exactStep(
        _ lanes: UnsafePointer<SIMD16<UInt8>>, _ offsets: UnsafePointer<Int>, _ laneCount: Int,
        _ at: UnsafeRawPointer, _ h0: SIMDMask<SIMD16<Int8>>, _ h1: SIMDMask<SIMD16<Int8>>,
        _ h2: SIMDMask<SIMD16<Int8>>, _ h3: SIMDMask<SIMD16<Int8>>
    ) -> UInt64 {
        var a0 = h0
        var a1 = h1
        var a2 = h2
        var a3 = h3
        var k = 0
        while k < laneCount {
            let lane = at + offsets[k]
            let s = lanes[k]
            a0 .&= lane.loadUnaligned(as: SIMD16<UInt8>.self) .== s
            a1 .&= lane.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self) .== s
            a2 .&= lane.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self) .== s
            a3 .&= lane.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self) .== s
            k &+= 1
        }
        return UInt64(_bitmask(a0)) | UInt64(_bitmask(a1)) &<< 16
            | UInt64(_bitmask(a2)) &<< 32 | UInt64(_bitmask(a3)) &<< 48
    }

    /// The prefilter's masks of the four 16-byte blocks of a step whose
    /// two bytes are at `b1` and `b2`.
    @inlinable
    @inline(__always)
    internal static func _step(
        _ b1: UnsafeRawPointer, _ b2: UnsafeRawPointer, _ splat1: SIMD16<UInt8>, _ splat2: SIMD16<UInt8>
    ) -> (SIMDMask<SIMD16<Int8>>, SIMDMask<SIMD16<Int8>>, SIMDMask<SIMD16<Int8>>, SIMDMask<SIMD16<Int8>>) {
        (
            _pair(b1, b2, 0, splat1, splat2), _pair(b1, b2, 16, splat1, splat2),
            _pair(b1, b2, 32, splat1, splat2), _pair(b1, b2, 48, splat1, splat2)
        )
    }

    /// The prefilter's mask for the 16 starts at `offset` of a step whose
    /// two bytes are at `b1` and `b2`.
    @inlinable
    @inline(__always)
    internal static func _pair(
        _ b1: UnsafeRawPointer, _ b2: UnsafeRawPointer, _ offset: Int, _ splat1: SIMD16<UInt8>,
        _ splat2: SIMD16<UInt8>
    ) -> SIMDMask<SIMD16<Int8>> {
        (b1.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self) .== splat1)
            .& (b2.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self) .== splat2)
    }
}

/// Copies exactly `count` bytes from `source` to `destination`, reading
/// and writing no byte beyond them, with no call up to 256 bytes: 16 bytes
/// at a time, the last 16 ending at `count`; under 16 by two overlapping
/// words; beyond 256 with `memcpy`.
@inlinable
@inline(__always)
internal func _copyExactly(to destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int)
{
    if count >= 16 && count <= 256 {
        var offset = 0
        while offset &+ 16 < count {
            destination.storeBytes(
                of: source.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self),
                toByteOffset: offset, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
        destination.storeBytes(
            of: source.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self),
            toByteOffset: count &- 16, as: SIMD16<UInt8>.self)
    } else {
        _copyBytes(to: destination, from: source, count: count)
    }
}

/// Where ``ReplaceTransform/_replaceSteps(_:_:_:_:scanAhead:)`` stands in a chunk,
/// between its calls.
@frozen
@usableFromInline
internal struct _KernelState {
    /// The sink's memory being written.
    @usableFromInline var output: _DirectOutput
    /// The end of the last match: the input is written up to here.
    @usableFromInline var position: Int
    /// The first start not yet searched.
    @usableFromInline var next: Int
    /// The first start of the step whose matches `bits` holds.
    @usableFromInline var step: Int
    /// The step's matches not yet written (bit *i*: a match at `step + i`).
    @usableFromInline var bits: UInt64

    @inlinable
    init(_ output: _DirectOutput, from start: Int) {
        self.init(output: output, position: start, next: start, step: 0, bits: 0)
    }

    @inlinable
    init(output: _DirectOutput, position: Int, next: Int, step: Int, bits: UInt64) {
        self.output = output
        self.position = position
        self.next = next
        self.step = step
        self.bits = bits
    }
}
