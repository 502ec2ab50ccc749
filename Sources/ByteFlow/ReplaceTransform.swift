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
/// try pipeline.run()  // pipeline.sink.string == "Elvis, Elvis"
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
/// All state (pattern, replacement, the automaton's failure table) is
/// allocated once by the initializer; processing allocates nothing.
///
/// Searching within a chunk uses a SIMD prefilter on two rare bytes of the
/// pattern, verified with `memcmp`, with a linear-time fallback for inputs
/// that defeat the prefilter.
@frozen
public struct ReplaceTransform: ByteTransform {
    @usableFromInline internal let _pattern: [UInt8]
    @usableFromInline internal let _replacement: [UInt8]
    /// `_failure[i]`: the length of the longest proper prefix of
    /// `pattern[0...i]` that is also its suffix.
    @usableFromInline internal let _failure: [Int]
    @usableFromInline internal let _searcher: _SubstringSearcher
    /// How many bytes are held back: they are `pattern[0..<_held]`.
    @usableFromInline internal var _held: Int

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
        _pattern = pattern
        _replacement = replacement
        _searcher = _SubstringSearcher(pattern: pattern)
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for i in pattern.indices.dropFirst() {
            while k > 0 && pattern[i] != pattern[k] { k = failure[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            failure[i] = k
        }
        _failure = failure
        _held = 0
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

    /// The bytes to find.
    public var pattern: [UInt8] { _pattern }
    /// The bytes each match becomes.
    public var replacement: [UInt8] { _replacement }
    /// Bytes held back at the end of the last chunk, waiting to see whether
    /// they begin a match. At most `pattern.count - 1`.
    public var heldBackByteCount: Int { _held }

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
        try chunk.withUnsafeBytes { chunkBytes in
            try _pattern.withUnsafeBufferPointer { pattern in
                try _process(chunkBytes.baseAddress!, count, pattern, into: &next)
            }
        }
    }

    // The per-chunk work is split so that the hot loop (search, write the run,
    // write the replacement) stays small: with the rare paths inlined too,
    // the optimizer stopped inlining the sink's `write` into it and dense
    // input (a match every ~13 bytes) paid a call per piece. The rare paths
    // are specialized like the rest but kept out of line.

    @inlinable
    internal mutating func _process<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, _ pattern: UnsafeBufferPointer<UInt8>,
        into next: inout Next
    ) throws {
        let m = pattern.count
        var position = 0
        if _held > 0 {
            guard let resume = try _resumeHeld(base, count, pattern, into: &next) else { return }
            position = resume
        }
        var cursor = _SearchCursor(origin: position)
        let patternBase = pattern.baseAddress!
        while true {
            let found: Int
            switch _searcher.find(patternBase, in: base, from: position, to: count, cursor: &cursor) {
            case .found(let offset): found = offset
            case .notFound:
                try _holdBack(base, from: position, count, pattern, into: &next)
                return
            case .prefilterFailed(let resume):
                try _processLinear(base, from: position, count, pattern, checkedBefore: resume, into: &next)
                return
            }
            if found > position { try _writeRange(base, position, found, into: &next) }
            try _writeReplacement(into: &next)
            position = found &+ m
        }
    }

    /// Resumes the automaton on the held-back prefix and the chunk's first
    /// bytes. Returns where the scan of the chunk continues, or `nil` if the
    /// whole chunk was consumed (and a new prefix is held back).
    @inlinable
    @inline(never)
    internal mutating func _resumeHeld<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, _ pattern: UnsafeBufferPointer<UInt8>,
        into next: inout Next
    ) throws -> Int? {
        let m = pattern.count
        // Resume on at most m - 1 bytes: enough to decide every match that
        // starts in the held-back prefix.
        let take = min(count, m &- 1)
        var state = _held
        var matchEnd = -1
        for j in 0..<take {
            state = _step(state, base.load(fromByteOffset: j, as: UInt8.self), pattern)
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
                try _writeRange(base, 0, released &- _held, into: &next)
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

    /// The rest of a chunk after the prefilter gave up: KMP, linear whatever
    /// the input. No match starts before `checkedBefore`.
    @inlinable
    @inline(never)
    internal mutating func _processLinear<Next: ByteSink>(
        _ base: UnsafeRawPointer, from start: Int, _ count: Int, _ pattern: UnsafeBufferPointer<UInt8>,
        checkedBefore: Int, into next: inout Next
    ) throws {
        var position = start
        var checked = checkedBefore
        while true {
            let found = _linearFind(base, from: position, to: count, pattern, checkedBefore: checked)
            guard found >= 0 else { break }
            if found > position { try _writeRange(base, position, found, into: &next) }
            try _writeReplacement(into: &next)
            position = found &+ pattern.count
            checked = position
        }
        try _holdBack(base, from: position, count, pattern, into: &next)
    }

    /// Writes the chunk from `position` on, except the longest tail (shorter
    /// than the pattern) that is a pattern prefix, which is held back.
    @inlinable
    @inline(never)
    internal mutating func _holdBack<Next: ByteSink>(
        _ base: UnsafeRawPointer, from position: Int, _ count: Int, _ pattern: UnsafeBufferPointer<UInt8>,
        into next: inout Next
    ) throws {
        var state = 0
        var j = max(position, count &- (pattern.count &- 1))
        while j < count {
            state = _step(state, base.load(fromByteOffset: j, as: UInt8.self), pattern)
            j &+= 1
        }
        let keep = count &- state
        if keep > position { try _writeRange(base, position, keep, into: &next) }
        _held = state
    }

    /// Writes whatever is held back and resets the transform for a new stream.
    ///
    /// - Parameter next: The downstream stage.
    /// - Throws: What `next` throws.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        let held = _held
        _held = 0
        try _writeHeld(held, into: &next)
    }

    /// One transition of the KMP automaton: the state after reading `byte` in
    /// state `state` (the length of the pattern prefix matched so far).
    @inlinable
    @inline(__always)
    internal func _step(_ state: Int, _ byte: UInt8, _ pattern: UnsafeBufferPointer<UInt8>) -> Int {
        var state = state
        if state == pattern.count { state = _failure[state &- 1] }
        while state > 0 && pattern[state] != byte { state = _failure[state &- 1] }
        return pattern[state] == byte ? state &+ 1 : state
    }

    /// KMP search of `base[start..<end]`: O(*n*) whatever the input. Used when
    /// the prefilter gives up. No match starts before `checkedBefore`.
    @usableFromInline
    internal func _linearFind(
        _ base: UnsafeRawPointer, from start: Int, to end: Int, _ pattern: UnsafeBufferPointer<UInt8>,
        checkedBefore: Int
    ) -> Int {
        let m = pattern.count
        // Starting the automaton afresh at `checkedBefore` finds every match
        // that starts there or later, which are the only ones left.
        var j = max(start, checkedBefore)
        var state = 0
        while j < end {
            state = _step(state, base.load(fromByteOffset: j, as: UInt8.self), pattern)
            if state == m { return j &+ 1 &- m }
            j &+= 1
        }
        return -1
    }

    /// Writes `base[start..<end]` to `next` as a borrowed span: no copy.
    @inlinable
    @inline(__always)
    internal func _writeRange<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ start: Int, _ end: Int, into next: inout Next
    ) throws {
        try next.write(
            RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: base + start, count: end &- start)))
    }

    @inlinable
    internal func _writeHeld<Next: ByteSink>(_ count: Int, into next: inout Next) throws {
        guard count > 0 else { return }
        try next.write(_pattern.span.bytes.extracting(0..<count))
    }

    @inlinable
    internal func _writeReplacement<Next: ByteSink>(into next: inout Next) throws {
        guard !_replacement.isEmpty else { return }
        try next.write(_replacement.span.bytes)
    }
}
