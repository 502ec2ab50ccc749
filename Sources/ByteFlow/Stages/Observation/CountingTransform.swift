/// Passes the stream on unchanged while counting its bytes, its lines (`\n`
/// bytes) and, optionally, the occurrences of a pattern; read the totals
/// after the run.
///
/// ```swift
/// var pipeline = try FileSource(path: "app.log")
///     .transformed(by: CountingTransform(pattern: "ERROR"))
///     .into(DiscardSink())
/// try pipeline.run()
/// let counts = pipeline.transform.counts  // bytes, lines, matches
/// ```
///
/// In a chain, reach it through ``Chain/first`` and ``Chain/second``; in a
/// ``BoxedPipeline``, cast `transforms[i]` back to `CountingTransform`.
/// Totals accumulate across runs until ``reset()``, so that a stream split
/// over several runs is counted whole; ``finish(into:)`` only completes the
/// count of a pattern match pending at the end.
///
/// Matches are leftmost and non-overlapping (`"aa"` occurs twice in
/// `"aaaaa"`), the semantics of ``ReplaceTransform`` and Python's
/// `bytes.count`. The chunk is forwarded whole, as is: the stage adds a scan
/// and no copy.
///
/// Why this shape: lines are counted 16 bytes at a time (a SIMD compare whose
/// lanes are summed every 255 blocks), about 4× faster here than `memchr` per
/// line on text with 41-byte lines (22–30 GB/s against 5–8). The pattern is
/// found with ``SubstringFinder`` in long writes and a first-and-last-byte
/// block loop in short ones (`StreamMatcher.swift` has the crossover): it
/// was `memchr` on the first byte and `memcmp` per candidate, two C calls
/// per `e` when counting `elvis` (64 KiB chunks of text: 585 → 90 µs per
/// MiB). Behind a framer, every write is one short frame: a write of at
/// most 64 bytes with a pattern is counted in one pass, lines and matches
/// from bit masks of the same loads (`_StreamMatcher.countLinesAndMatches`;
/// ~41–53-byte frames, 27.8 → 21.9 ns a frame); other writes take
/// `_countByte` and `_StreamMatcher.countMatches` (figures in
/// `Documentation/WritingStages.md`, "Measured" and "Fourth session").
@frozen
public struct CountingTransform: ByteTransform, Sendable {
    /// What a ``CountingTransform`` has seen.
    @frozen
    public struct Counts: Sendable, Equatable {
        /// Bytes passed through.
        public var bytes: Int
        /// `\n` bytes passed through (`wc -l`).
        public var lines: Int
        /// Occurrences of the pattern; 0 without one.
        public var matches: Int

        /// Creates counts.
        ///
        /// - Parameters:
        ///   - bytes: Bytes seen.
        ///   - lines: `\n` bytes seen.
        ///   - matches: Pattern occurrences.
        @inlinable
        public init(bytes: Int = 0, lines: Int = 0, matches: Int = 0) {
            self.bytes = bytes
            self.lines = lines
            self.matches = matches
        }
    }

    @usableFromInline internal var _counts: Counts

    /// The totals so far.
    @inlinable
    public var counts: Counts { _counts }
    @usableFromInline internal var _matcher: _StreamMatcher?

    /// Creates a counter of bytes and lines.
    ///
    /// ```swift
    /// let wc = CountingTransform()
    /// ```
    @inlinable
    public init() {
        _counts = Counts()
        _matcher = nil
    }

    /// Creates a counter of bytes, lines and occurrences of `pattern`.
    ///
    /// - Parameter pattern: The bytes to count; at least one.
    /// - Throws: ``ByteFlowError/emptyPattern`` for an empty pattern.
    @inlinable
    public init(pattern: [UInt8]) throws(ByteFlowError) {
        guard !pattern.isEmpty else { throw .emptyPattern }
        _counts = Counts()
        _matcher = _StreamMatcher(pattern)
    }

    /// Creates a counter of bytes, lines and occurrences of the UTF-8 bytes
    /// of `pattern`.
    ///
    /// - Parameter pattern: The text to count; not empty.
    /// - Throws: ``ByteFlowError/emptyPattern`` for an empty pattern.
    @inlinable
    public init(pattern: String) throws(ByteFlowError) {
        try self.init(pattern: Array(pattern.utf8))
    }

    /// Counts `chunk` and writes it to `next` unchanged.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: Receives `chunk` itself.
    /// - Throws: What `next` throws.
    /// - Complexity: O(*n*); allocates nothing.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let count = chunk.byteCount
        if count > 0 {
            chunk.withUnsafeBytes { bytes in
                let base = bytes.baseAddress!
                // A write of 1–64 bytes (a frame) with a pattern: one pass
                // for both counts (see `_StreamMatcher.countLinesAndMatches`).
                var lines = 0
                // Optional chaining mutates the matcher in place; `_matcher!`
                // after a `!= nil` test copied it (its arrays retained) per write.
                if count <= 64, let matches = _matcher?.countLinesAndMatches(base, count, lines: &lines) {
                    _counts.lines &+= lines
                    _counts.matches &+= matches
                    return
                }
                _countOther(base, count)
            }
            _counts.bytes &+= count
        }
        try next.write(chunk)
    }

    /// The counts of a write that the one-pass path does not take: longer
    /// than 64 bytes, or no pattern. Out of line, so that the one-pass path
    /// is compiled alone (inline, neither path measured faster).
    @inlinable
    @inline(never)
    internal mutating func _countOther(_ base: UnsafeRawPointer, _ count: Int) {
        _counts.lines &+= _countByte(0x0A, in: base, count)
        if let matches = _matcher?.countMatches(in: base, count) {
            _counts.matches &+= matches
        }
    }

    /// Drops a partial match pending at the end of the stream; keeps the
    /// totals and writes nothing.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        _matcher?.state = 0
    }

    /// Sets the totals to zero and drops a pending partial match.
    ///
    /// ```swift
    /// counter.reset()
    /// ```
    @inlinable
    public mutating func reset() {
        _counts = Counts()
        _matcher?.state = 0
    }
}

/// How many bytes of `base[0..<count]` equal `byte`.
///
/// Why this shape (1 MiB of 42-byte lines in one write per line, behind a
/// line framer): the 16-byte blocks are followed by one last block shifted
/// back to end at `count`, its already counted lanes masked off, instead of
/// a byte loop over up to 15 bytes that mispredicted on every write; writes
/// under 16 bytes test two overlapping 8-byte words. Figures next to
/// ``CountingTransform``'s in `Documentation/WritingStages.md`, "Measured".
@inlinable
@inline(__always)
internal func _countByte(_ byte: UInt8, in base: UnsafeRawPointer, _ count: Int) -> Int {
    guard count >= 16 else { return _countByteShort(byte, in: base, count) }
    let splat = SIMD16<UInt8>(repeating: byte)
    var total = 0
    var i = 0
    if count < 256 {
        // A short write (a frame): at most 16 lanes per lane, summed once.
        var lanes = SIMD16<UInt8>()
        while count &- i >= 16 {
            lanes &-= unsafeBitCast(
                base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) .== splat,
                to: SIMD16<UInt8>.self)
            i &+= 16
        }
        if i < count {
            // The last 16 bytes; the first `16 - (count - i)` lanes were counted.
            let block = base.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self)
            let fresh =
                _laneIndices .>= SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: 16 &- (count &- i)))
            lanes &-= unsafeBitCast((block .== splat) .& fresh, to: SIMD16<UInt8>.self)
        }
        return _sumOfSmallBytes(lanes)
    }
    // Each lane counts to at most 255 before the lanes are summed.
    while count &- i >= 16 {
        var lanes = SIMD16<UInt8>()
        let blocks = min((count &- i) / 16, 255)
        for _ in 0..<blocks {
            let block = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            lanes &-= unsafeBitCast(block .== splat, to: SIMD16<UInt8>.self)
            i &+= 16
        }
        total &+= _sumOfBytes(lanes)
    }
    if i < count {
        let block = base.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self)
        let fresh = _laneIndices .>= SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: 16 &- (count &- i)))
        total &+= _sumOfSmallBytes(unsafeBitCast((block .== splat) .& fresh, to: SIMD16<UInt8>.self) & 1)
    }
    return total
}

/// The sum of the 16 bytes of `lanes`, in words: the stdlib's generic
/// `wrappedSum()` was a call per use (5% of a line count over 42-byte writes).
@inlinable
@inline(__always)
internal func _sumOfBytes(_ lanes: SIMD16<UInt8>) -> Int {
    let words = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
    let evenOdd = SIMD2<UInt64>(repeating: 0x00FF_00FF_00FF_00FF)
    let pairs = (words & evenOdd) &+ ((words &>> 8) & evenOdd)  // four 16-bit sums per word, each ≤ 510
    let sums = (pairs &* 0x0001_0001_0001_0001) &>> 48  // each word's four sums, ≤ 2,040
    return Int(truncatingIfNeeded: sums[0] &+ sums[1])
}

/// The sum of the 16 bytes of `lanes` when each 8 of them sum to under 256:
/// one multiply per word gathers a word's bytes into its top byte. (The
/// baseline x86-64 target has no `popcnt`: counting mask bits with
/// `nonzeroBitCount` was a dozen instructions per 64-bit word.)
@inlinable
@inline(__always)
internal func _sumOfSmallBytes(_ lanes: SIMD16<UInt8>) -> Int {
    let words = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
    let sums = (words &* 0x0101_0101_0101_0101) &>> 56
    return Int(truncatingIfNeeded: sums[0] &+ sums[1])
}

/// `0, 1, …, 15`.
@inlinable
internal var _laneIndices: SIMD16<UInt8> { SIMD16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) }

/// ``_countByte(_:in:_:)`` for fewer than 16 bytes: two overlapping 8-byte
/// words from 8 bytes on (each equal byte found exactly, by the zero-byte
/// test, and counted once), a byte loop below.
@inlinable
@inline(__always)
internal func _countByteShort(_ byte: UInt8, in base: UnsafeRawPointer, _ count: Int) -> Int {
    guard count >= 8 else {
        var total = 0
        var i = 0
        while i < count {
            if base.load(fromByteOffset: i, as: UInt8.self) == byte { total &+= 1 }
            i &+= 1
        }
        return total
    }
    let first = _equalBytes(UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)), byte)
    // The second word ends at `count`; its first `16 - count` bytes are in
    // the first word already.
    let second = _equalBytes(
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)), byte)
    let overlap = UInt64(16 &- count) &* 8
    let fresh = overlap == 64 ? 0 : second &>> overlap
    // 0x80 → 1 in each equal byte, then the bytes of the two words summed.
    return Int(truncatingIfNeeded: (((first &>> 7) &+ (fresh &>> 7)) &* 0x0101_0101_0101_0101) &>> 56)
}

/// 0x80 in each byte of `word` that equals `byte`, 0 elsewhere (exact: the
/// carry-free form of the zero-byte test).
@inlinable
@inline(__always)
internal func _equalBytes(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    let low7 = (x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F
    return ~(low7 | x) & 0x8080_8080_8080_8080
}
