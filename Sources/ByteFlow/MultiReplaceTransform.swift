/// A streaming find-and-replace of several fixed byte strings in one pass,
/// optionally ignoring ASCII case.
///
/// Scanning left to right, at the leftmost position where any pattern
/// matches, the **earliest-listed** pattern that matches there wins: its
/// replacement is written and the scan continues after the match. Replaced
/// text is never scanned again. This is what a regular-expression alternation
/// of the escaped patterns does in Perl or in Python's `re.sub`
/// (`re.sub("|".join(map(re.escape, patterns)), …)`), and it differs from
/// applying the replacements one after the other (`sed -e … -e …`):
///
/// ```swift
/// // "Hello" is listed before "Hell": at the H of "Hello", the first wins.
/// var pipeline = try BytesSource("Hello, Hell, Hello")
///     .transformed(by: MultiReplaceTransform([("Hello", "Hi"), ("Hell", "Heaven")]))
///     .into(BufferSink())
/// pipeline.run()  // pipeline.sink.string == "Hi, Heaven, Hi"
/// // Listed the other way round, "Hell" always wins where both match:
/// // [("Hell", "Heaven"), ("Hello", "Hi")] gives "Heaveno, Heaven, Heaveno".
/// ```
///
/// ## Defined edge cases
///
/// - **A pattern that is a prefix of another**: where both match, the one
///   listed first wins (see above). A longer pattern listed *after* its
///   prefix can never match.
/// - **Duplicate patterns**: the first occurrence wins; the later ones (and
///   their replacements) are never used. Not an error.
/// - **Empty pattern**: an error (``ByteFlowError/emptyPatternInList(index:)``),
///   as it would match between every two bytes. An empty list is
///   ``ByteFlowError/noPatterns``.
/// - **Replacements** are written exactly as given (also when ignoring
///   case) and may be empty, which deletes the matches.
///
/// ## Case-insensitive matching
///
/// With `ignoringCase: true`, ASCII letters match either case (`elvis`
/// matches `ELVIS` and `eLvIs`); every other byte, including the bytes of
/// non-ASCII UTF-8 characters, compares exactly. For a single pattern this
/// is the case-insensitive counterpart of ``ReplaceTransform``:
/// `MultiReplaceTransform([("elvis", "Elvis")], ignoringCase: true)`.
///
/// ## How it streams
///
/// Unchanged runs are forwarded as sub-spans of the chunk and replacements
/// from the transform's own storage. At the end of a chunk the transform
/// holds back only the bytes that may still begin a winning match: at most
/// ``longestPatternLength`` − 1, copied into a buffer allocated once by the
/// initializer. The next chunk resumes on those bytes and at most that many
/// of its own, so the output does not depend on how the stream is cut.
/// Processing allocates nothing.
///
/// ## How it searches
///
/// An Aho–Corasick automaton built for leftmost-first matching (a dense
/// transition table over byte classes; see `MultiPatternAutomaton.swift`)
/// decides every match in one pass; with up to 16 patterns a SIMD
/// prefilter on two rare bytes per pattern skips the text where no pattern
/// can start (see `PairPrefilter.swift`). When only one pattern can match
/// and case matters, the work is ``ReplaceTransform``'s.
///
/// - Complexity: Processing is O(*n*) for *n* input bytes, also on
///   adversarial input such as `a^31 b` listed before `a` over a run of `a`
///   (16 MiB: 0.70 s before the restarts were precomputed, 0.14–0.18 s
///   now; `Documentation/Benchmarks.md`), plus O(*m*) per chunk
///   for the held-back bytes of a longest pattern of *m* bytes. Pattern
///   lists whose restart set-up would exceed its budget (see
///   `MultiPatternAutomaton.swift`) fall back to O(*n* × *m* / *s*) for a
///   shortest pattern of *s* bytes. Memory is O(*L* × *k*) for a total
///   pattern length *L* and *k* distinct pattern bytes.
@frozen
public struct MultiReplaceTransform: ByteTransform, Sendable {
    /// Everything fixed at initialization, in one shared object so that the
    /// transform itself stays small (at most 64 bytes, tested): a chain moves the stages
    /// behind each level once per piece, and a 472-byte transform went
    /// through `memmove` every time, which made multi → hop → hop → multi
    /// slower specialized than boxed (see `Documentation/Benchmarks.md`,
    /// "Multi-pattern replace in a chain").
    @usableFromInline internal let _config: _MultiReplaceConfiguration
    /// With one pattern that can match, matched case-sensitively: the
    /// single-pattern search, which verifies candidates in registers instead
    /// of stepping the automaton (measured 1.8–2.7× faster on 64 MiB of text
    /// for `elvis`, `memphis`, `the`).
    @usableFromInline internal var _single: ReplaceTransform?
    @inlinable internal var _automaton: _MultiPatternAutomaton { _config.automaton }
    @inlinable internal var _prefilter: _PairPrefilter { _config.prefilter }
    @inlinable internal var _caselessWords: [UInt64] { _config.caselessWords }
    @inlinable internal var _caselessMasks: [UInt64] { _config.caselessMasks }
    @inlinable internal var _caselessPattern: Int { _config.caselessPattern }
    @inlinable internal var _patterns: [[UInt8]] { _config.patterns }
    @inlinable internal var _patternLengths: [Int] { _config.patternLengths }
    @inlinable internal var _replacementBytes: [UInt8] { _config.replacementBytes }
    @inlinable internal var _replacementBounds: [Int] { _config.replacementBounds }
    @inlinable internal var _longest: Int { _config.longest }
    @inlinable internal var _ignoresCase: Bool { _config.ignoresCase }
    /// Held-back bytes in `_buffer[0..<_heldCount]`; the rest of the buffer
    /// (as long again) is where a new chunk's first bytes join them.
    @usableFromInline internal var _buffer: [UInt8]
    @usableFromInline internal var _heldCount: Int

    /// Creates a transform replacing each pattern by its replacement.
    ///
    /// ```swift
    /// let scrub = try MultiReplaceTransform(
    ///     [(Array("password".utf8), Array("***".utf8)), (Array("token".utf8), Array("***".utf8))],
    ///     ignoringCase: true)
    /// ```
    ///
    /// - Parameters:
    ///   - pairs: `(pattern, replacement)` pairs, in priority order: where
    ///     several patterns match at the same position, the earliest-listed
    ///     wins. Patterns must not be empty; replacements may be.
    ///   - ignoringCase: Whether ASCII letters match either case.
    /// - Throws: ``ByteFlowError/noPatterns`` if `pairs` is empty,
    ///   ``ByteFlowError/emptyPatternInList(index:)`` if a pattern is empty.
    /// - Complexity: O(*L* × *k*) time and memory for a total pattern length
    ///   *L* and *k* distinct pattern bytes; these are the transform's only
    ///   allocations.
    public init(_ pairs: [(pattern: [UInt8], replacement: [UInt8])], ignoringCase: Bool = false)
        throws(ByteFlowError)
    {
        guard !pairs.isEmpty else { throw .noPatterns }
        if let empty = pairs.firstIndex(where: { $0.pattern.isEmpty }) {
            throw .emptyPatternInList(index: empty)
        }
        let patterns = pairs.map(\.pattern)
        var bounds = [0]
        var bytes: [UInt8] = []
        for pair in pairs {
            bytes += pair.replacement
            bounds.append(bytes.count)
        }
        let automaton = _MultiPatternAutomaton(patterns: patterns, ignoringCase: ignoringCase)
        let live = patterns.indices.filter { automaton.live[$0] }.map { patterns[$0] }
        let liveIndex = live.count == 1 ? patterns.indices.first(where: { automaton.live[$0] }) : nil
        if let index = liveIndex, !ignoringCase {
            _single = try ReplaceTransform(patterns[index], with: pairs[index].replacement)
        } else {
            _single = nil
        }
        let caseless =
            liveIndex.map { ignoringCase ? _caselessWordsAndMasks(patterns[$0]) : ([], []) } ?? ([], [])
        let longest = patterns.map(\.count).max()!
        _config = _MultiReplaceConfiguration(
            automaton: automaton,
            prefilter: _PairPrefilter(patterns: live, ignoringCase: ignoringCase),
            caselessWords: caseless.0, caselessMasks: caseless.1, caselessPattern: liveIndex ?? -1,
            patterns: patterns, patternLengths: patterns.map(\.count), replacementBytes: bytes,
            replacementBounds: bounds, longest: longest, ignoresCase: ignoringCase)
        _buffer = [UInt8](repeating: 0, count: max(1, 2 * (longest - 1)))
        _heldCount = 0
    }

    /// Creates a transform replacing the UTF-8 bytes of each pattern by those
    /// of its replacement.
    ///
    /// ```swift
    /// let names = try MultiReplaceTransform([("colour", "color"), ("grey", "gray")])
    /// ```
    ///
    /// - Parameters:
    ///   - pairs: `(pattern, replacement)` pairs in priority order.
    ///   - ignoringCase: Whether ASCII letters match either case.
    /// - Throws: ``ByteFlowError/noPatterns`` or
    ///   ``ByteFlowError/emptyPatternInList(index:)``.
    public init(_ pairs: [(String, String)], ignoringCase: Bool = false) throws(ByteFlowError) {
        try self.init(pairs.map { (Array($0.0.utf8), Array($0.1.utf8)) }, ignoringCase: ignoringCase)
    }

    /// The patterns, in priority order.
    public var patterns: [[UInt8]] { _patterns }
    /// The replacement of pattern `index`.
    ///
    /// - Parameter index: A position in ``patterns``.
    /// - Returns: The bytes each match of that pattern becomes.
    public func replacement(at index: Int) -> [UInt8] {
        Array(_replacementBytes[_replacementBounds[index]..<_replacementBounds[index + 1]])
    }
    /// Whether ASCII letters match either case.
    public var ignoresCase: Bool { _ignoresCase }
    /// The length of the longest pattern: at most one byte less is held back.
    public var longestPatternLength: Int { _longest }
    /// Bytes held back at the end of the last chunk, waiting to see whether
    /// they begin a match. At most ``longestPatternLength`` − 1.
    public var heldBackByteCount: Int { _single?.heldBackByteCount ?? _heldCount }

    /// Replaces the matches in `chunk`, including those that began in earlier
    /// chunks, and writes the result to `next`.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: The downstream stage. Receives sub-spans of `chunk`,
    ///     replacements and held-back bytes, all borrowed for each call.
    /// - Throws: What `next` throws. The held-back bytes are then unspecified;
    ///   ``reset()`` or ``finish(into:)`` starts over.
    /// - Complexity: O(*n* + *m*) for a chunk of *n* bytes in the usual case;
    ///   see the type's complexity note.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        if _single != nil { return try _single!.process(chunk, into: &next) }
        let count = chunk.byteCount
        guard count > 0 else { return }
        try chunk.withUnsafeBytes { chunkBytes in
            try _process(chunkBytes.baseAddress!, count, into: &next)
        }
    }

    @inlinable
    internal mutating func _process<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, into next: inout Next
    ) throws {
        var from = 0
        if _heldCount > 0 {
            // Join the held bytes and up to `_longest - 1` new ones in the
            // buffer and decide them there. Every match that starts in the
            // held bytes ends within those, so the scan leaves at most the
            // new bytes undecided, and the chunk takes over from there.
            let held = _heldCount
            let joined = min(count, _longest &- 1)
            _buffer.withUnsafeMutableBytes { buffer in
                buffer.baseAddress!.advanced(by: held).copyMemory(from: base, byteCount: joined)
            }
            let undecided = try _buffer.withUnsafeBytes { buffer in
                try _scan(buffer.baseAddress!, held &+ joined, from: 0, endOfStream: false, into: &next)
            }
            if joined == count {
                _keep(from: undecided, to: held &+ joined)
                return
            }
            from = undecided &- held
            _heldCount = 0
        }
        let undecided = try _scan(base, count, from: from, endOfStream: false, into: &next)
        _heldCount = count &- undecided
        if _heldCount > 0 {
            let kept = _heldCount
            _buffer.withUnsafeMutableBytes { buffer in
                buffer.baseAddress!.copyMemory(from: base + undecided, byteCount: kept)
            }
        }
    }

    /// Keeps `_buffer[start..<end]` as the held-back bytes.
    @inlinable
    internal mutating func _keep(from start: Int, to end: Int) {
        _heldCount = end &- start
        guard start > 0 && end > start else { return }
        _buffer.withUnsafeMutableBytes { buffer in
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: end &- start)
        }
    }

    /// Writes whatever is held back (replacing the matches in it) and resets
    /// the transform for a new stream.
    ///
    /// - Parameter next: The downstream stage.
    /// - Throws: What `next` throws; the transform is reset either way.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        if _single != nil { return try _single!.finish(into: &next) }
        let held = _heldCount
        _heldCount = 0
        guard held > 0 else { return }
        _ = try _buffer.withUnsafeBytes { buffer in
            try _scan(buffer.baseAddress!, held, from: 0, endOfStream: true, into: &next)
        }
    }

    /// Discards whatever is held back, writing nothing, and returns the
    /// transform to its initial state.
    ///
    /// ```swift
    /// var scrub = try MultiReplaceTransform([("secret", "***")])
    /// scrub.reset()  // after a failed run: start the next stream afresh
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func reset() {
        _heldCount = 0
        _single?.reset()
    }

    /// Scans `base[from..<count]` from the automaton's start state, writing
    /// every decided byte and replacement to `next`. Returns where the
    /// undecided tail begins (`count` if none): the bytes that may still
    /// begin a winning match. At the end of the stream every byte is decided.
    @inlinable
    internal func _scan<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, from start: Int, endOfStream: Bool, into next: inout Next
    ) throws -> Int {
        try _automaton.classes.withUnsafeBufferPointer { classes in
            try _automaton.table.withUnsafeBufferPointer { table in
                try _scan(
                    base, count, from: start, endOfStream: endOfStream, classes.baseAddress!,
                    table.baseAddress!,
                    into: &next)
            }
        }
    }

    // The hot loop is two dependent loads per byte and one compare: the
    // state ids are numbered so that every state needing attention (dead,
    // match, and with a prefilter the start state) is at most `special`.
    @inlinable
    internal func _scan<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, from begin: Int, endOfStream: Bool,
        _ classes: UnsafePointer<UInt8>, _ table: UnsafePointer<UInt32>, into next: inout Next
    ) throws -> Int {
        // The configuration is bound once and passed down: reading its
        // fields through `self` on every candidate and match cost 7% more
        // instructions (2 patterns, dense text, callgrind).
        let config = _config
        let startState = config.automaton.start
        let prefiltered = config.prefilter.isEnabled
        let caseless = !config.caselessWords.isEmpty
        let special = prefiltered ? startState : config.automaton.maxMatch
        let shift = config.automaton.shift
        var position = begin
        var emitted = begin
        var state = startState
        var matched = -1
        var matchEnd = 0
        // The prefilter is asked again only past its last candidate; the
        // candidates it found are `block + i` for the bits `i` of `bits`.
        var fence = begin &- 1
        var block = begin
        var bits: UInt64 = 0
        while true {
            while position < count {
                if state == startState && position > fence && prefiltered {
                    if caseless && bits == 0 {
                        try _scanCaseless(config, base, count, &position, &emitted, into: &next)
                    }
                    // Candidates before `position` are decided.
                    let skip = position &- block
                    bits = skip >= 64 ? 0 : bits & (~0 &<< UInt64(truncatingIfNeeded: skip))
                    if bits == 0 {
                        switch config.prefilter.find(base, from: position, to: count) {
                        case .candidates(let start, let found):
                            block = start
                            bits = found
                        case .checkedUpTo(let at):
                            position = at
                            fence = count
                        }
                        if bits == 0 && position >= count { break }
                    }
                    if bits != 0 {
                        let at = block &+ bits.trailingZeroBitCount
                        if caseless && at &+ 8 &* config.caselessWords.count <= count {
                            if _caselessMatch(config, base, at) {
                                let end = at &+ config.patternLengths[config.caselessPattern]
                                try _writeMatch(
                                    config, base, emitted, config.caselessPattern, end, into: &next)
                                emitted = end
                                position = end
                                fence = end &- 1
                            } else {
                                position = at &+ 1
                                fence = at
                            }
                            continue
                        }
                        position = at
                        fence = at
                    }
                }
                var previous = state
                repeat {
                    previous = state
                    let byte = base.load(fromByteOffset: position, as: UInt8.self)
                    state = table[Int(state) &+ Int(classes[Int(byte)])]
                    position &+= 1
                } while state > special && position < count
                if state > special || state == startState { continue }
                if state != _MultiPatternAutomaton.dead {
                    let index = Int(state) &>> shift
                    matched = Int(config.automaton.matchPattern[index])
                    matchEnd = position
                    // A match nothing can extend is decided now.
                    guard config.automaton.terminal[index] else { continue }
                }
                try _writeMatch(config, base, emitted, matched, matchEnd, into: &next)
                emitted = matchEnd
                let died = Int(previous) &>> shift
                if state == _MultiPatternAutomaton.dead && config.automaton.restartState[died] != UInt32.max {
                    // Resume where a fresh search from `matchEnd` would be
                    // once it reached the byte that ended the match, without
                    // re-reading the bytes in between (see "Complexity").
                    var j = Int(config.automaton.restartBounds[died])
                    let last = Int(config.automaton.restartBounds[died &+ 1])
                    while j < last {
                        let end = matchEnd &+ Int(config.automaton.restartEnds[j])
                        try _writeMatch(
                            config, base, emitted, Int(config.automaton.restartPatterns[j]), end, into: &next)
                        emitted = end
                        j &+= 1
                    }
                    state = config.automaton.restartState[died]
                    matched = Int(config.automaton.restartPending[died])
                    matchEnd &+= Int(config.automaton.restartPendingEnd[died])
                    position &-= 1
                } else {
                    position = matchEnd
                    state = startState
                    matched = -1
                }
            }
            guard endOfStream && matched >= 0 else { break }
            try _writeMatch(config, base, emitted, matched, matchEnd, into: &next)
            emitted = matchEnd
            position = matchEnd
            state = startState
            matched = -1
        }
        let undecided = endOfStream ? count : count &- Int(config.automaton.depth[Int(state) &>> shift])
        if undecided > emitted { try _writeRange(base, emitted, undecided, into: &next) }
        return undecided
    }

    /// The one caseless pattern, 64 positions per step: every candidate of a
    /// step is verified by words and replaced here, without leaving the loop
    /// (returning to the caller per candidate cost 2–3× on dense input).
    /// Stops where fewer than 64 positions (plus the prefilter's reach) are
    /// left, or at a candidate whose words would pass the end; the caller
    /// goes on from `position`.
    @inlinable
    internal func _scanCaseless<Next: ByteSink>(
        _ config: _MultiReplaceConfiguration, _ base: UnsafeRawPointer, _ count: Int, _ position: inout Int,
        _ emitted: inout Int,
        into next: inout Next
    ) throws {
        let o1 = config.prefilter.offset1
        let o2 = config.prefilter.offset2
        let s1 = config.prefilter.splat1
        let s2 = config.prefilter.splat2
        let last = count &- 16 &- config.prefilter.reach
        let span = 8 &* config.caselessWords.count
        let length = config.patternLengths[config.caselessPattern]
        var p = position
        while p &+ 48 <= last {
            let h0 = config.prefilter.block(base, p &+ o1, p &+ o2, s1, s2)
            let h1 = config.prefilter.block(base, p &+ 16 &+ o1, p &+ 16 &+ o2, s1, s2)
            let h2 = config.prefilter.block(base, p &+ 32 &+ o1, p &+ 32 &+ o2, s1, s2)
            let h3 = config.prefilter.block(base, p &+ 48 &+ o1, p &+ 48 &+ o2, s1, s2)
            if _isNonZero((h0 .| h1) .| (h2 .| h3)) {
                var bits =
                    UInt64(_bitmask(h0)) | UInt64(_bitmask(h1)) << 16 | UInt64(_bitmask(h2)) << 32
                    | UInt64(_bitmask(h3)) << 48
                while bits != 0 {
                    let at = p &+ bits.trailingZeroBitCount
                    bits &= bits &- 1
                    // Inside the last match, or before where the scan began.
                    if at < position { continue }
                    guard at &+ span <= count else {
                        position = at
                        return
                    }
                    if _caselessMatch(config, base, at) {
                        let end = at &+ length
                        try _writeMatch(config, base, emitted, config.caselessPattern, end, into: &next)
                        emitted = end
                        position = end
                    }
                }
            }
            p &+= 64
            if position < p { position = p }
        }
    }

    /// Whether the one caseless pattern matches at `base + at`; its padded
    /// words must lie within the buffer.
    @inlinable
    @inline(__always)
    internal func _caselessMatch(_ config: _MultiReplaceConfiguration, _ base: UnsafeRawPointer, _ at: Int)
        -> Bool
    {
        var k = 0
        while k < config.caselessWords.count {
            let window = UInt64(
                littleEndian: base.loadUnaligned(fromByteOffset: at &+ 8 &* k, as: UInt64.self))
            if window | config.caselessMasks[k] != config.caselessWords[k] { return false }
            k &+= 1
        }
        return true
    }

    /// Writes the bytes from `emitted` up to the match of pattern `pattern`
    /// that ends at `end`, then its replacement.
    @inlinable
    internal func _writeMatch<Next: ByteSink>(
        _ config: _MultiReplaceConfiguration, _ base: UnsafeRawPointer, _ emitted: Int, _ pattern: Int,
        _ end: Int, into next: inout Next
    ) throws {
        let start = end &- config.patternLengths[pattern]
        if start > emitted { try _writeRange(base, emitted, start, into: &next) }
        let lower = config.replacementBounds[pattern]
        let upper = config.replacementBounds[pattern &+ 1]
        guard upper > lower else { return }
        try config.replacementBytes.withUnsafeBytes { bytes in
            try next.write(UnsafeRawBufferPointer(rebasing: bytes[lower..<upper]).bytes)
        }
    }

    /// Writes `base[start..<end]` to `next` as a borrowed span: no copy.
    @inlinable
    @inline(__always)
    internal func _writeRange<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ start: Int, _ end: Int, into next: inout Next
    ) throws {
        try next.write(UnsafeRawBufferPointer(start: base + start, count: end &- start).bytes)
    }
}

/// The fixed part of a ``MultiReplaceTransform``: the automaton, the
/// prefilter, the patterns and replacements. Shared by every copy of the
/// transform and never mutated after initialization.
@usableFromInline
internal final class _MultiReplaceConfiguration: Sendable {
    @usableFromInline let automaton: _MultiPatternAutomaton
    @usableFromInline let prefilter: _PairPrefilter
    /// With one pattern that can match, ignoring case: the pattern as
    /// little-endian words, letters folded to lower case, padded with `0xFF`;
    /// `caselessMasks` has `0x20` for each letter and `0xFF` for padding. A
    /// window matches when `(window | mask) == word` for every word. Empty
    /// otherwise. Candidates are verified with these instead of the
    /// automaton: with the candidate mask (see `_scan`), dense input went from
    /// 148–192 to 296 MB/s (64 MiB, `elvis`, loaded machine, side by side).
    @usableFromInline let caselessWords: [UInt64]
    @usableFromInline let caselessMasks: [UInt64]
    /// The pattern whose words those are (-1 if none).
    @usableFromInline let caselessPattern: Int
    @usableFromInline let patterns: [[UInt8]]
    @usableFromInline let patternLengths: [Int]
    /// Every replacement, concatenated; pattern *i*'s is
    /// `replacementBytes[replacementBounds[i]..<replacementBounds[i + 1]]`.
    @usableFromInline let replacementBytes: [UInt8]
    @usableFromInline let replacementBounds: [Int]
    @usableFromInline let longest: Int
    @usableFromInline let ignoresCase: Bool

    @usableFromInline
    init(
        automaton: _MultiPatternAutomaton, prefilter: _PairPrefilter, caselessWords: [UInt64],
        caselessMasks: [UInt64], caselessPattern: Int, patterns: [[UInt8]], patternLengths: [Int],
        replacementBytes: [UInt8], replacementBounds: [Int], longest: Int, ignoresCase: Bool
    ) {
        self.automaton = automaton
        self.prefilter = prefilter
        self.caselessWords = caselessWords
        self.caselessMasks = caselessMasks
        self.caselessPattern = caselessPattern
        self.patterns = patterns
        self.patternLengths = patternLengths
        self.replacementBytes = replacementBytes
        self.replacementBounds = replacementBounds
        self.longest = longest
        self.ignoresCase = ignoresCase
    }
}

/// The words and masks of ``MultiReplaceTransform``'s caseless check for
/// `pattern`: bytes in little-endian order, letters folded and masked with
/// `0x20`, the last word padded with `0xFF` in both.
@usableFromInline
internal func _caselessWordsAndMasks(_ pattern: [UInt8]) -> (words: [UInt64], masks: [UInt64]) {
    var words: [UInt64] = []
    var masks: [UInt64] = []
    var k = 0
    while k < pattern.count {
        var word: UInt64 = 0
        var mask: UInt64 = 0
        for i in 0..<8 {
            let shift = UInt64(8 * i)
            guard k + i < pattern.count else {
                word |= 0xFF << shift
                mask |= 0xFF << shift
                continue
            }
            let byte = pattern[k + i]
            let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
            word |= UInt64(isLetter ? byte | 0x20 : byte) << shift
            mask |= UInt64(isLetter ? 0x20 : 0) << shift
        }
        words.append(word)
        masks.append(mask)
        k += 8
    }
    return (words, masks)
}
