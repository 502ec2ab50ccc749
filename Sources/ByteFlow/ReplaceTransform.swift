/// A streaming find-and-replace of a fixed byte string.
///
/// Every occurrence of ``pattern`` is replaced by ``replacement``, scanning
/// left to right and taking leftmost, non-overlapping matches: the output is
/// that of Python's `bytes.replace`, Go's `bytes.ReplaceAll` or
/// `sed 's/x/y/g'` on fixed strings, for a stream of any length cut into
/// chunks of any size.
///
/// ```swift
/// var pipeline = try BytesSource("elvis, elvis")
///     .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
///     .into(BufferSink())
/// pipeline.run()  // pipeline.sink.string == "Elvis, Elvis"
/// ```
///
/// ## How it streams
///
/// Within a chunk, unchanged runs are forwarded as sub-spans of the chunk and
/// the replacement from the transform's own storage: nothing is copied. At the
/// end of a chunk the transform holds back the longest tail that could still
/// begin a match (at most `pattern.count - 1` bytes). That tail is always a
/// prefix of the pattern, so it is not stored at all: the transform keeps its
/// *length*, the state of a Knuth–Morris–Pratt automaton, and resumes that
/// automaton on the next chunk's first bytes. A match split across any number
/// of chunks, in a pattern that overlaps itself (`abab` in `ababab`), comes
/// out exactly as if the stream were one buffer.
///
/// All state (pattern, replacement, the search tables) is allocated once,
/// in one block, by the initializer; processing allocates nothing and
/// touches no reference count (the value caches raw pointers into that
/// block), so a transform fed many small pieces (downstream of another
/// replace on dense text) pays little per call. A transform is `Sendable`.
///
/// Searching within a chunk is ``SubstringFinder``'s: a SIMD prefilter on
/// two rare bytes of the pattern (64 starts per step), whose candidates need
/// no verification for 1- and 2-byte patterns, are verified in registers for
/// 3 to 16 bytes and 8 bytes at a time beyond; each match
/// goes to the replace's writes without leaving the scan loop. Inputs that
/// defeat the prefilter are searched with Two-Way guarded by a Horspool
/// skip for a while (state carried across chunks), so no input is slow.
/// A piece too short for one 64-byte step (and a pattern of at most 16
/// bytes) is searched 8 bytes at a time for the rarer prefilter byte, with
/// no SIMD set-up; a piece shorter than the pattern is not searched at all.
/// Deciding what to hold back at the end of a chunk first looks for the
/// pattern's first byte among the last `pattern.count - 1` bytes (8 at a
/// time), and runs the automaton only from there.
///
/// A chunk that holds a whole 64-byte step of starts (`63 + pattern.count`
/// bytes or more), for a pattern of at most 16 bytes and a replacement of at
/// most 32, into a sink that lends its memory (``BufferSink``,
/// ``FileSink``), takes a kernel of its own (`ReplaceKernel.swift`): each
/// step's exact matches are computed, then written in the same loop, with no
/// closure and no test per match where the step allows; a replacement as
/// long as the pattern is written over a copy of the step's input. The
/// classic 119-byte run takes 44 ns (77 before), dense text 0.78× the time
/// (`Documentation/Benchmarks.md`, "A kernel without a closure").
@frozen
public struct ReplaceTransform: ByteTransform, @unchecked Sendable {
    // Sendable: the finder's storage is immutable; the pointers below point
    // into it and are only read.
    // 40 bytes in all: the finder keeps what it reads out of line (see
    // `SubstringFinder._core`), because a chain moves the stages behind each
    // level once per piece.
    @usableFromInline internal let _finder: SubstringFinder
    /// The replacement bytes, in the finder's storage.
    @inlinable internal var _replacement: UnsafePointer<UInt8> { _finder._core.pointee.replacement }
    @inlinable internal var _replacementCount: Int { _finder._core.pointee.replacementCount }
    /// `_border[i]`: the length of the longest proper prefix of
    /// `pattern[0...i]` that is also its suffix (KMP's failure function).
    @inlinable internal var _border: UnsafePointer<Int> { _finder._core.pointee.border }
    /// How many bytes are held back: they are `pattern[0..<_held]`.
    @usableFromInline internal var _held: Int
    /// Speed only, never output: the search's fallback state, carried
    /// across chunks so that an adversarial stream in 64 KiB chunks does not
    /// retry the prefilter at every chunk (that retry cost up to 40% on
    /// `(ab)^16 b` in `(ab)^16 c`: 6.1 GB/s against 9.3 as one buffer).
    @usableFromInline internal var _fallback: _SearchFallback

    /// Creates a transform replacing `pattern` by `replacement`.
    ///
    /// - Parameters:
    ///   - pattern: The bytes to find; at least one.
    ///   - replacement: The bytes to put in their place; may be empty, which
    ///     deletes every match.
    /// - Throws: ``ByteFlowError/emptyPattern`` if `pattern` is empty.
    /// - Complexity: O(*m*) time and memory for *m* = `pattern.count +
    ///   replacement.count`; this is the transform's only allocation.
    public init(_ pattern: [UInt8], with replacement: [UInt8]) throws(ByteFlowError) {
        guard !pattern.isEmpty else { throw .emptyPattern }
        let storage = _PatternStorage(pattern: pattern, replacement: replacement)
        _finder = SubstringFinder(_storage: storage)
        _held = 0
        _fallback = _SearchFallback()
    }

    /// Creates a transform replacing the UTF-8 bytes of `pattern` by those of
    /// `replacement`.
    ///
    /// - Parameters:
    ///   - pattern: The text to find; not empty.
    ///   - replacement: The text to put in its place; may be empty.
    /// - Throws: ``ByteFlowError/emptyPattern`` if `pattern` is empty.
    public init(_ pattern: String, with replacement: String) throws(ByteFlowError) {
        try self.init(Array(pattern.utf8), with: Array(replacement.utf8))
    }

    /// The bytes to find (a new array on every call).
    public var pattern: [UInt8] { _finder.pattern }
    /// The bytes each match becomes (a new array on every call).
    public var replacement: [UInt8] { _finder._storage.replacementArray }
    /// Bytes held back at the end of the last chunk, waiting to see whether
    /// they begin a match. At most `pattern.count - 1`.
    public var heldBackByteCount: Int { _held }

    /// Discards the held-back bytes without writing them, returning the
    /// transform to its initial state: for a run that failed, so that the
    /// next one starts clean without pushing stale bytes downstream.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func reset() {
        _held = 0
        _fallback = _SearchFallback()
    }

    /// Replaces the matches in `chunk`, including one that began in earlier
    /// chunks, and writes the result to `next`.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: The downstream stage. Receives sub-spans of `chunk`, the
    ///     replacement, and held-back bytes, all borrowed for each call.
    /// - Throws: What `next` throws.
    /// - Complexity: O(*n* + *m*) for a chunk of *n* bytes and a pattern of *m*.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let count = chunk.byteCount
        guard count > 0 else { return }
        // Both calls take the same arguments, so that the caller's loop
        // keeps no more live across them than with one (a 1-byte chunk pays
        // the compare, no reloads); each closure holds one call, which the
        // unspecialized code (a boxed pipeline) inlines too. A sink that
        // never lends memory (`DiscardSink`, a chain's next stage) skips the
        // kernel at compile time.
        if Next.lendsMemory && count > 63 {
            try chunk.withUnsafeBytes { try _processDirect($0.baseAddress!, count, into: &next) }
        } else {
            try chunk.withUnsafeBytes { try _process($0.baseAddress!, count, into: &next) }
        }
    }

    /// ``process(_:into:)`` for a chunk of 64 bytes or more: the kernel
    /// (``_replaceDirect(_:_:from:_:into:)``) if the chunk holds a whole
    /// step of starts (`_FinderCore.directMinimum`), after the bytes held
    /// back if any; the general path (`_process`) otherwise, or from where
    /// the kernel stopped if the sink lends no memory.
    ///
    /// Out of line, and called with the same arguments as `_process`, so
    /// that the caller's loop (inlined `process`) keeps no more values live
    /// across its call than with one callee: a 1-byte chunk pays the
    /// `count > 63` compare and nothing else.
    @inlinable
    @inline(never)
    internal mutating func _processDirect<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, into next: inout Next
    ) throws {
        let core = _finder._core
        guard count >= core.pointee.directMinimum else {
            return try _process(base, count, into: &next)
        }
        var start = 0
        if _held > 0 {
            guard let resume = try _resumeHeld(base, count, into: &next) else { return }
            start = resume
        }
        let held = try Self._replaceDirect(core, base, from: start, count, into: &next)
        if held >= 0 {
            _held = held
        } else {
            // The rest of the chunk, as a chunk of its own: nothing is
            // held back, and no match starts before `~held`.
            let start = ~held
            try _process(base + start, count &- start, into: &next)
        }
    }

    // The per-chunk work is split so that the hot loop (search, write the run,
    // write the replacement) stays small: with the rare paths inlined too,
    // the optimizer stopped inlining the sink's `write` into it and dense
    // input (a match every ~13 bytes) paid a call per piece. The rare paths
    // are specialized like the rest but kept out of line.

    @inlinable
    internal mutating func _process<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, into next: inout Next
    ) throws {
        let m = _finder.count
        var position = 0
        if _held > 0 {
            guard let resume = try _resumeHeld(base, count, into: &next) else { return }
            position = resume
        }
        // A piece too short for a 64-byte step (downstream of another stage
        // on dense text: 5–30 bytes) is searched for the rarer prefilter
        // byte with 8-byte words; without it nothing can match, and with it
        // a short scan takes over whose set-up is a few registers. The SIMD
        // scan's set-up (the finder's fields, the SIMD splats, ~100
        // instructions) was most of such a piece's cost.
        // A piece shorter than the pattern (1-byte chunks, a replacement
        // passed down by another replace) has nothing to search: straight
        // to the hold-back.
        let remaining = count &- position
        if remaining < m {
            // No match fits in what is left.
        } else if remaining < _shortPiece && m <= _SubstringSearcher.shortScanMaximumPattern {
            let candidate = _finder._prefilter.firstCandidate(in: base, from: position, to: count)
            if candidate >= 0 {
                position = try Self._replaceShort(
                    base, from: position, candidate: candidate, count, searcher: _finder._prefilter,
                    pattern: _finder._pattern, replacement: _replacement, replacementCount: _replacementCount,
                    into: &next)
            }
        } else if remaining >= 64 || _finder._prefilter.firstCandidate(in: base, from: position, to: count) >= 0 {
            position = try _replaceMatches(base, from: position, count, into: &next)
        }
        // Hold back the longest tail that is a proper pattern prefix. It
        // starts with the pattern's first byte, so where none of the last
        // m - 1 bytes is that byte (the common case: a few compares), nothing
        // is held and the automaton does not run.
        let window = min(m &- 1, count &- position)
        let first = _finder._pattern.pointee
        var j = count &- window
        // (Only a window of 8 bytes or more, i.e. a pattern of 9 or more,
        // takes the word loop: for a shorter one its set-up was ~8 of a
        // 1-byte chunk's ~140 instructions.)
        if window >= 8 {
            while j &+ 8 <= count
                && !_containsByte(base.loadUnaligned(fromByteOffset: j, as: UInt64.self), first)
            {
                j &+= 8
            }
        }
        while j < count && base.load(fromByteOffset: j, as: UInt8.self) != first { j &+= 1 }
        let held =
            j < count
            ? Self._partialMatch(base, from: j, count, pattern: _finder._pattern, border: _border, count: m)
            : 0
        let keep = count &- held
        if keep > position { try Self._writeRange(base, position, keep, into: &next) }
        _held = held
    }

    /// Replaces every match in `base[start..<count]`; returns the end of the
    /// last match (or `start`): what follows it is still to be written.
    ///
    /// Out of line so that a small piece with no candidate does not pay for
    /// its set-up; a chunk that comes here pays one call.
    @inlinable
    @inline(never)
    internal mutating func _replaceMatches<Next: ByteSink>(
        _ base: UnsafeRawPointer, from start: Int, _ count: Int, into next: inout Next
    ) throws -> Int {
        // The handler is inlined into the scan: a match costs its two writes
        // and a few instructions.
        //
        // Sub-spans, not a staging buffer (measured 2026-11-30, dense classic
        // text, a match every ~13 bytes, release, one process, side by side):
        // gathering runs shorter than 64 bytes and the replacement into a
        // 2 KiB stack buffer and passing one span per 2 KiB made
        // replace → DiscardSink 1.34 → 0.67 GB/s, replace → BufferSink
        // 0.67 → 0.59 GB/s and the classic 119-byte run 117 → 129 ns; it won
        // only for replace → replace at 64 KiB chunks (0.50 → 0.63 GB/s), and
        // lost there at 256-byte chunks (0.36 → 0.34). With a downstream
        // replace at ~6 ns per piece (see `_process`), the copy costs more
        // than the pieces it saves: there is no crossover worth a mode.
        //
        // A sink that copies anyway (`BufferSink`, `FileSink`) lends its own
        // memory instead (`ByteSink.beginDirectWrite`), so the copy it would
        // make is made here, with no call per piece: see `_DirectOutput`.
        let m = _finder.count
        var position = start
        var fallback = _fallback
        let replacement = _replacement
        let replacementCount = _replacementCount
        // What one match copies at most on the direct path: a run shorter
        // than `_directRunLimit`, over-copied by up to 32 bytes, and the
        // replacement.
        let reserve = Self._directRunLimit &+ replacementCount &+ 32
        if let region = try next.beginDirectWrite(minimumCount: reserve) {
            var output = _DirectOutput(region)
            // A replacement of up to 32 bytes is stored from two vector
            // registers loaded once, 32 bytes whatever its length. (Built
            // by the storage's `init`: assembled here with a `memcpy` per
            // call, they were ~55 of the classic run's ~1,700 instructions.)
            let words = _finder._core.pointee.replacementWords
            let replacementWords = (words[0], words[1])
            // Runs that may be copied 32 bytes at a time end at least 32
            // bytes before the chunk's end (they are read, never written).
            let copyLimit = count &- 32
            let need = replacementCount &+ 32
            try _finder._scan(base, from: position, to: count, fallback: &fallback) { found in
                let run = found &- position
                // One test for the common case (a short run, room, not near
                // the chunk's end), then the rarer ones.
                if _fastPath(run < Self._directRunLimit && run &+ need <= output.room && found <= copyLimit) {
                    output.copyRun(base + position, run)
                    output.storeReplacement(replacementWords, replacement, replacementCount)
                } else if run < Self._directRunLimit && run &+ need <= output.room {
                    output.copy(base + position, run)
                    output.storeReplacement(replacementWords, replacement, replacementCount)
                } else {
                    output = try Self._writeMatchSlowly(
                        base, position, found, replacement, replacementCount, reserve: reserve, output,
                        into: &next)
                }
                position = found &+ m
                return true
            }
            if output.isLent { next.endDirectWrite(output.kept) }
        } else {
            try _finder._scan(base, from: position, to: count, fallback: &fallback) { found in
                if found > position { try Self._writeRange(base, position, found, into: &next) }
                if replacementCount > 0 {
                    try Self._writeRange(replacement, 0, replacementCount, into: &next)
                }
                position = found &+ m
                return true
            }
        }
        _fallback = fallback
        return position
    }

    /// The longest run between matches that the direct path copies itself:
    /// a longer one goes to the sink's ``ByteSink/write(_:)``, which may
    /// keep it by address (``FileSink/gathering(from:_:)``) or write it
    /// straight out instead of copying it.
    @inlinable
    internal static var _directRunLimit: Int { 256 }

    /// A match the direct path could not copy in place (a long run, a run
    /// near the chunk's end, a region that is full): ends the loan, writes
    /// the run and the replacement with ``ByteSink/write(_:)``, and borrows
    /// again. Returns the new loan (one that lends nothing if the sink
    /// declined).
    @inlinable
    @inline(never)
    internal static func _writeMatchSlowly<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ position: Int, _ found: Int, _ replacement: UnsafePointer<UInt8>,
        _ replacementCount: Int, reserve: Int, _ output: _DirectOutput, into next: inout Next
    ) throws -> _DirectOutput {
        if output.isLent { next.endDirectWrite(output.kept) }
        if found > position { try _writeRange(base, position, found, into: &next) }
        if replacementCount > 0 { try _writeRange(replacement, 0, replacementCount, into: &next) }
        guard output.isLent, let region = try next.beginDirectWrite(minimumCount: reserve) else {
            return _DirectOutput()
        }
        return _DirectOutput(region)
    }

    /// ``_replaceMatches(_:from:_:into:)`` for a range shorter than
    /// ``_shortPiece`` and a pattern of at most 16 bytes, from its first
    /// candidate on: a word-at-a-time search for the rarer prefilter byte,
    /// each candidate checked in registers.
    ///
    /// Static over what it reads: as a method, each call copied the whole
    /// transform (a `memcpy` per piece) out of the `inout` caller. Inlined
    /// into `_process` (see ``_shortPiece`` for the figures).
    @inlinable
    @inline(__always)
    internal static func _replaceShort<Next: ByteSink>(
        _ base: UnsafeRawPointer, from start: Int, candidate: Int, _ count: Int,
        searcher: _SubstringSearcher, pattern: UnsafePointer<UInt8>,
        replacement: UnsafePointer<UInt8>, replacementCount: Int, into next: inout Next
    ) throws -> Int {
        let m = searcher.count
        var position = start
        try searcher.scanShort(pattern, in: base, candidate: candidate, to: count) { found in
            if found > position { try _writeRange(base, position, found, into: &next) }
            if replacementCount > 0 { try _writeRange(replacement, 0, replacementCount, into: &next) }
            position = found &+ m
            return true
        }
        return position
    }

    /// Below this many bytes a chunk (or what is left of it after a
    /// held-back match) is searched by ``_replaceShort(_:from:candidate:_:into:)``
    /// instead of the SIMD scan.
    ///
    /// Measured 2026-11-30 with callgrind (instructions, deterministic), from
    /// a client package: replace(`elvis`) → replace(`king`) on 1 MiB of
    /// `the king elvis has left the building` lines, 64 KiB chunks (the
    /// second stage gets pieces of 5 and 32 bytes): 19.70 M instructions
    /// per MiB with the SIMD scan for every piece, 14.67 M with this path
    /// (the SIMD scan's set-up was ~100 instructions of a 32-byte piece's
    /// ~375). Raising the bound to 128 so that the classic 119-byte input
    /// takes it too made that run 1,743 → 2,246 instructions: on a
    /// candidate every few bytes the SIMD step's bitmask wins, hence one
    /// step's length. Inlined into `_process` (not a call): 15.52 M → 14.67 M
    /// on the run above, but 1-byte chunks pay ~4% for the larger frame.
    @inlinable
    internal var _shortPiece: Int { 64 }

    /// The length of the longest tail of `base[start..<end]` that is a
    /// prefix of the pattern (no match lies wholly within it).
    ///
    /// Static over raw pointers and `@_noAllocation`: it stays out of line
    /// (not inlined into a client), so the client's allocation guard
    /// (`Sources/AllocationGuard`) cannot look into it and relies on this
    /// annotation, checked here. (Reading `_finder` in a method counts as a
    /// copy that may deallocate.)
    @inlinable
    @inline(never)
    @_noAllocation
    internal static func _partialMatch(
        _ base: UnsafeRawPointer, from start: Int, _ end: Int,
        pattern: UnsafePointer<UInt8>, border: UnsafePointer<Int>, count m: Int
    ) -> Int {
        var state = 0
        var j = start
        while j < end {
            state = _step(state, base.load(fromByteOffset: j, as: UInt8.self), pattern, border, m)
            j &+= 1
        }
        return state
    }

    /// Resumes the automaton on the held-back prefix and the chunk's first
    /// bytes. Returns where the scan of the chunk continues, or `nil` if the
    /// whole chunk was consumed (and a new prefix is held back).
    @inlinable
    @inline(never)
    internal mutating func _resumeHeld<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, into next: inout Next
    ) throws -> Int? {
        let m = _finder.count
        // Resume on at most m - 1 bytes: enough to decide every match that
        // starts in the held-back prefix.
        let take = min(count, m &- 1)
        var state = _held
        var matchEnd = -1
        for j in 0..<take {
            state = _step(state, base.load(fromByteOffset: j, as: UInt8.self))
            if state == m {
                matchEnd = j
                break
            }
        }
        var position = 0
        if matchEnd >= 0 {
            // Held bytes before the match pass through; the match spans the
            // rest of them and chunk[0...matchEnd].
            let start = _held &+ matchEnd &+ 1 &- m
            try _writeHeld(start, into: &next)
            try _writeReplacement(into: &next)
            position = matchEnd &+ 1
        } else if take == count {
            // The whole chunk was consumed; keep the longest tail that is
            // still a pattern prefix, write the rest.
            let released = _held &+ count &- state
            try _writeHeld(min(_held, released), into: &next)
            if released > _held {
                try Self._writeRange(base, 0, released &- _held, into: &next)
            }
            _held = state
            return nil
        } else {
            // No match starts in the held bytes; any partial match now starts
            // in this chunk, where the scan will find it.
            try _writeHeld(_held, into: &next)
        }
        _held = 0
        return position
    }

    /// Writes whatever is held back and resets the transform for a new stream.
    ///
    /// - Parameter next: The downstream stage.
    /// - Throws: What `next` throws.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        let held = _held
        reset()
        try _writeHeld(held, into: &next)
    }

    /// One transition of the KMP automaton: the state after reading `byte` in
    /// state `state` (the length of the pattern prefix matched so far).
    @inlinable
    @inline(__always)
    internal func _step(_ state: Int, _ byte: UInt8) -> Int {
        Self._step(state, byte, _finder._pattern, _border, _finder.count)
    }

    /// ``_step(_:_:)`` over the pattern of `m` bytes and its border table.
    @inlinable
    @inline(__always)
    internal static func _step(
        _ state: Int, _ byte: UInt8, _ pattern: UnsafePointer<UInt8>, _ border: UnsafePointer<Int>, _ m: Int
    ) -> Int {
        var state = state
        if state == m { state = border[state &- 1] }
        while state > 0 && pattern[state] != byte { state = border[state &- 1] }
        return pattern[state] == byte ? state &+ 1 : state
    }

    /// Writes `base[start..<end]` to `next` as a borrowed span: no copy.
    @inlinable
    @inline(__always)
    internal static func _writeRange<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ start: Int, _ end: Int, into next: inout Next
    ) throws {
        try next.write(UnsafeRawBufferPointer(start: base + start, count: end &- start).bytes)
    }

    @inlinable
    internal func _writeHeld<Next: ByteSink>(_ count: Int, into next: inout Next) throws {
        guard count > 0 else { return }
        try Self._writeRange(_finder._pattern, 0, count, into: &next)
    }

    @inlinable
    @inline(__always)
    internal func _writeReplacement<Next: ByteSink>(into next: inout Next) throws {
        guard _replacementCount > 0 else { return }
        try Self._writeRange(_replacement, 0, _replacementCount, into: &next)
    }
}

/// A region of a sink's memory that ``ReplaceTransform`` copies runs and
/// replacements into (see ``ByteSink/beginDirectWrite(minimumCount:)``).
///
/// Measured 2026-11-30 on dense text (a match every ~13 bytes) into a
/// ``FileSink``: two calls to `write(_:)` per match loaded and stored the
/// sink's cursor through its class reference and branched on each piece's
/// length for the copy. With the cursor in a register and fixed 32-byte
/// copies (``copyRun(_:_:)``) the tool's dense run went from ~145 to ~119
/// instructions per match and from 0.117 to 0.077 s for 64 MiB (whole
/// process, side by side); the classic 119-byte run from ~1,770 to ~1,500
/// instructions (Documentation/Benchmarks.md, "Direct writes").
@frozen
@usableFromInline
internal struct _DirectOutput {
    /// The region's first byte (nil: nothing lent).
    @usableFromInline var start: UnsafeMutableRawPointer?
    /// Where the next byte goes.
    @usableFromInline var cursor: UnsafeMutableRawPointer?
    /// Bytes free after `cursor`.
    @usableFromInline var room: Int

    /// A loan of nothing: every match takes the slow path.
    @inlinable
    init() {
        start = nil
        cursor = nil
        room = 0
    }

    @inlinable
    init(_ region: UnsafeMutableRawBufferPointer) {
        start = region.baseAddress
        cursor = region.baseAddress
        room = region.count
    }

    /// Whether a sink's memory is lent (and must be given back).
    @inlinable
    var isLent: Bool { start != nil }

    /// The bytes written so far.
    @inlinable
    var kept: Int { start.map { cursor.unsafelyUnwrapped - $0 } ?? 0 }

    /// Copies `count` bytes from `source`, which must have at least
    /// `max(count, 32)` readable bytes, with room for `count + 32`: 32 bytes
    /// at once whatever `count` (most runs between dense matches are shorter),
    /// then 16 at a time. The bytes past `count` are scratch.
    @inlinable
    @inline(__always)
    mutating func copyRun(_ source: UnsafeRawPointer, _ count: Int) {
        let destination = cursor.unsafelyUnwrapped
        destination.storeBytes(of: source.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
        destination.storeBytes(
            of: source.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self), toByteOffset: 16,
            as: SIMD16<UInt8>.self)
        var offset = 32
        while offset < count {
            let piece = source.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            destination.storeBytes(of: piece, toByteOffset: offset, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
        cursor = destination + count
        room &-= count
    }

    /// Stores `words` (the replacement's first 32 bytes, zero past its end:
    /// `_FinderCore.replacementWords`) and keeps `count` of their bytes,
    /// at most 32 (room for 32 is checked by the caller). Both words are
    /// stored whatever `count`: no branch per match.
    @inlinable
    @inline(__always)
    mutating func store(_ words: (SIMD16<UInt8>, SIMD16<UInt8>), _ count: Int) {
        let destination = cursor.unsafelyUnwrapped
        destination.storeBytes(of: words.0, as: SIMD16<UInt8>.self)
        destination.storeBytes(of: words.1, toByteOffset: 16, as: SIMD16<UInt8>.self)
        cursor = destination + count
        room &-= count
    }

    /// Writes the replacement, `count` bytes at `source`: from `words` (its
    /// first 32 bytes, see ``store(_:_:)``) when it fits in them, otherwise
    /// copied (room for `max(count, 32)` bytes is checked by the caller).
    @inlinable
    @inline(__always)
    mutating func storeReplacement(
        _ words: (SIMD16<UInt8>, SIMD16<UInt8>), _ source: UnsafePointer<UInt8>, _ count: Int
    ) {
        if count <= 32 {
            store(words, count)
        } else {
            copy(source, count)
        }
    }

    /// Copies exactly `count` bytes from `source`, no byte read or written
    /// beyond them (``_copyExactly(to:from:count:)``; room for them is
    /// checked by the caller).
    @inlinable
    @inline(__always)
    mutating func copy(_ source: UnsafeRawPointer, _ count: Int) {
        let destination = cursor.unsafelyUnwrapped
        _copyExactly(to: destination, from: source, count: count)
        cursor = destination + count
        room &-= count
    }
}
