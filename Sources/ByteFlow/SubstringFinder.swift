/// A fixed byte string prepared for fast, repeated searching: build it once,
/// then find the pattern in any number of buffers.
///
/// ```swift
/// let finder = try SubstringFinder("elvis")
/// let text = Array("the king: elvis".utf8)
/// if let offset = finder.firstMatch(in: text.span.bytes) {
///     print(offset)  // 10
/// }
/// ```
///
/// The search is the one ``ReplaceTransform`` runs: a SIMD prefilter on two
/// rare bytes of the pattern (64 candidate starts per step), candidates
/// verified in registers for patterns of 3 to 16 bytes (1 and 2 need no
/// verification) and 8 bytes at a time beyond, in Two-Way order, so that a
/// failed verification also rules out the candidates up to Two-Way's shift.
/// When
/// candidates keep failing verification (an input built from the pattern's
/// own bytes), the next 8 KiB of the buffer (doubling each time this
/// happens again, up to 1 MiB) are searched with Two-Way guarded by a
/// Horspool skip, after which the prefilter is tried again. See
/// `SubstringSearch.swift` and `TwoWaySearch.swift` for the reasons, with
/// figures.
///
/// A finder is immutable and `Sendable`: share it between tasks freely.
/// Searching never allocates.
///
/// - Complexity: Building is O(*m*) time and space for a pattern of *m*
///   bytes (one allocation). Every search is O(*n* + *m*) for *n* bytes
///   searched, whatever the input.
@frozen
public struct SubstringFinder: @unchecked Sendable {
    // Sendable: `_storage` is immutable after `init`, and the pointers below
    // point into it and are only read.
    @usableFromInline internal let _storage: _PatternStorage
    /// Everything a search reads, in `_storage`'s memory: read through a raw
    /// pointer, so that a search touches no reference count.
    ///
    /// Out of line so that the finder (and a ``ReplaceTransform``) is small:
    /// a chain lends the stages behind each level by moving them, once per
    /// piece the level receives, and a 160-byte `ReplaceTransform` was moved
    /// with a call to `memmove` each time. Four chained replaces at 1-byte
    /// chunks ran slower specialized than boxed (91.8 against 77.5 ms per
    /// MiB, Benchmarks `Replace 1 B x4`, 2026-11-30); at 40 bytes the moves
    /// are a few register stores.
    @usableFromInline internal let _core: UnsafePointer<_FinderCore>

    /// `_storage`'s pattern bytes.
    @inlinable internal var _pattern: UnsafePointer<UInt8> { _core.pointee.pattern }
    /// `_storage`'s Horspool table.
    @inlinable internal var _skip: UnsafePointer<Int32> { _core.pointee.skip }
    /// The SIMD prefilter on the pattern's two rarest bytes.
    @inlinable internal var _prefilter: _SubstringSearcher { _core.pointee.prefilter }
    /// The Two-Way fallback's parameters.
    @inlinable internal var _twoWay: _TwoWay { _core.pointee.twoWay }

    /// Prepares a search for `pattern`.
    ///
    /// - Parameter pattern: The bytes to find; at least one.
    /// - Throws: ``ByteFlowError/emptyPattern`` if `pattern` is empty.
    /// - Complexity: O(*m*) for a pattern of *m* bytes.
    public init(_ pattern: [UInt8]) throws(ByteFlowError) {
        guard !pattern.isEmpty else { throw .emptyPattern }
        self.init(_storage: _PatternStorage(pattern: pattern, replacement: []))
    }

    /// Prepares a search for the UTF-8 bytes of `pattern`.
    ///
    /// - Parameter pattern: The text to find; not empty.
    /// - Throws: ``ByteFlowError/emptyPattern`` if `pattern` is empty.
    public init(_ pattern: String) throws(ByteFlowError) {
        try self.init(Array(pattern.utf8))
    }

    /// A finder over storage that may also hold a replacement.
    @usableFromInline
    internal init(_storage storage: _PatternStorage) {
        _storage = storage
        _core = UnsafePointer(storage.core)
    }

    /// The pattern's length in bytes.
    @inlinable
    public var count: Int { _twoWay.count }

    /// The bytes this finder looks for (a new array on every call).
    public var pattern: [UInt8] { _storage.patternArray }

    /// The offset of the first occurrence of the pattern in `bytes` that
    /// starts at `start` or later, or `nil`.
    ///
    /// To find every non-overlapping occurrence, search again from the
    /// offset found plus ``count``; ``forEachMatch(in:_:)`` does this and
    /// also keeps the prefilter's work between matches.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to search, borrowed for the call.
    ///   - start: Where the search begins; `0...bytes.byteCount`.
    /// - Returns: An offset into `bytes`, or `nil` if the pattern does not
    ///   occur wholly within `bytes[start...]`.
    /// - Complexity: O(*n* + *m*) for *n* = `bytes.byteCount - start`.
    @inlinable
    public func firstMatch(in bytes: RawSpan, from start: Int = 0) -> Int? {
        bytes.withUnsafeBytes { firstMatch(in: $0, from: start) }
    }

    /// The offset of the first occurrence of the pattern in `bytes` that
    /// starts at `start` or later, or `nil`.
    ///
    /// - Parameters:
    ///   - bytes: The memory to search; only read.
    ///   - start: Where the search begins; `0...bytes.count`.
    /// - Returns: An offset into `bytes`, or `nil`.
    /// - Complexity: O(*n* + *m*) for *n* = `bytes.count - start`.
    @inlinable
    public func firstMatch(in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        precondition(start >= 0 && start <= bytes.count, "start out of range")
        guard let base = bytes.baseAddress else { return nil }
        var fallback = _SearchFallback()
        var first = -1
        _scan(base, from: start, to: bytes.count, fallback: &fallback) { (found) -> Bool in
            first = found
            return false
        }
        return first < 0 ? nil : first
    }

    /// Calls `body` with the offset of every leftmost, non-overlapping
    /// occurrence of the pattern in `bytes`, in order (the matches that
    /// `bytes.replace` in Python would replace).
    ///
    /// Faster than repeated `firstMatch(in:from:)` on dense
    /// matches: the candidates the prefilter found in one 64-byte step are
    /// consumed one after the other instead of being searched for again.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to search, borrowed for the call.
    ///   - body: Called with each match's offset.
    /// - Throws: What `body` throws; the search stops there.
    /// - Complexity: O(*n* + *m*) plus the calls to `body`.
    @inlinable
    public func forEachMatch<E: Error>(in bytes: RawSpan, _ body: (Int) throws(E) -> Void) throws(E) {
        let n = bytes.byteCount
        guard n > 0 else { return }
        try bytes.withUnsafeBytes { (buffer) throws(E) -> Void in
            var fallback = _SearchFallback()
            try _scan(buffer.baseAddress!, from: 0, to: n, fallback: &fallback) { (found) throws(E) -> Bool in
                try body(found)
                return true
            }
        }
    }

    /// Reports every leftmost, non-overlapping occurrence in
    /// `base[start..<end]`, in order, until `onMatch` returns `false`.
    ///
    /// The prefilter runs first. When it gives up at `r`, the starts
    /// `r..<r + span` are searched with Two-Way, then the prefilter gets a
    /// fresh start (the fallback's exit), so that one adversarial region
    /// does not slow the rest of a large buffer down to Two-Way's speed; the
    /// span doubles each time the prefilter gives up again (8 KiB up to
    /// 1 MiB). `fallback` carries that state from one buffer to the next
    /// when they are consecutive pieces of one stream.
    @inlinable
    @inline(__always)
    internal func _scan<E: Error>(
        _ base: UnsafeRawPointer, from start: Int, to end: Int, fallback: inout _SearchFallback,
        onMatch: (Int) throws(E) -> Bool
    ) throws(E) {
        var position = start
        var fallbackEnd = fallback.left > 0 ? start &+ fallback.left : 0
        let failures = fallback.failures
        while true {
            if fallbackEnd > position {
                position = try Self._scanTwoWay(
                    _twoWay, _pattern, _skip, base, from: position, before: fallbackEnd, to: end,
                    onMatch: onMatch)
                if position < 0 { return }
            }
            guard position &+ count <= end else { break }
            switch try _prefilter.scan(
                _pattern, lanes: _core.pointee.lanes, in: base, from: position, to: end, onMatch: onMatch)
            {
            case .finished:
                fallbackEnd = 0
                position = end
            case .stopped:
                return
            case .gaveUp(let resume):
                position = resume
                fallbackEnd = resume &+ _SubstringFinderTuning.fallbackSpan << min(fallback.failures, 7)
                fallback.failures &+= 1
            }
            if position &+ count > end { break }
        }
        if fallbackEnd > end {
            fallback.left = fallbackEnd &- end
        } else {
            fallback.left = 0
            // A buffer (or its end) where the prefilter held: forget a failure.
            if fallback.failures == failures && failures > 0 { fallback.failures &-= 1 }
        }
    }

    /// Two-Way over the starts `from..<before` that fit before `end`,
    /// reporting each match. Returns where the search continues, or -1 if
    /// `onMatch` asked to stop.
    ///
    /// Static, taking only what Two-Way needs: as a method it made callers
    /// copy the whole finder to the stack on every call, used or not.
    @inlinable
    @inline(never)
    internal static func _scanTwoWay<E: Error>(
        _ twoWay: _TwoWay, _ pattern: UnsafePointer<UInt8>, _ skip: UnsafePointer<Int32>,
        _ base: UnsafeRawPointer, from: Int, before: Int, to end: Int, onMatch: (Int) throws(E) -> Bool
    ) throws(E) -> Int {
        let limit = min(end, before &+ twoWay.count &- 1)
        var position = from
        while true {
            let found = twoWay.find(pattern, skip: skip, in: base, from: position, to: limit)
            guard found >= 0 else { return max(position, before) }
            guard try onMatch(found) else { return -1 }
            position = found &+ twoWay.count
        }
    }
}

/// What ``SubstringFinder``'s search carries from one buffer to the next
/// when they are consecutive pieces of one stream (``ReplaceTransform``
/// keeps one): speed only, never which matches are found.
@frozen
@usableFromInline
internal struct _SearchFallback: Sendable {
    /// How many more bytes Two-Way searches before the prefilter is tried
    /// again; 0 when the prefilter is in use.
    @usableFromInline var left: Int
    /// How often the prefilter gave up lately (decays by one per buffer in
    /// which it held).
    @usableFromInline var failures: Int

    @inlinable
    init() {
        left = 0
        failures = 0
    }
}

/// Tuning constants of ``SubstringFinder``, with their reasons.
@usableFromInline
internal enum _SubstringFinderTuning {
    /// How many starts Two-Way searches after the prefilter gives up before
    /// the prefilter is tried again. The prefilter needs a few KiB of
    /// failing candidates to give up (its allowance is 4096 charged bytes
    /// plus 1 per byte scanned), so a retry on a still-adversarial input
    /// costs up to about half the span's Two-Way time; 8 KiB keeps that
    /// overhead bounded while an input that turns ordinary again is back at
    /// SIMD speed within 8 KiB.
    @usableFromInline static let fallbackSpan = 8 << 10
}

/// The fields a search and a replace read, in a ``_PatternStorage``'s
/// memory: plain values and pointers into the same storage, so reading them
/// through a raw pointer needs no reference count.
@frozen
@usableFromInline
internal struct _FinderCore {
    @usableFromInline let pattern: UnsafePointer<UInt8>
    @usableFromInline let skip: UnsafePointer<Int32>
    @usableFromInline let prefilter: _SubstringSearcher
    @usableFromInline let twoWay: _TwoWay
    @usableFromInline let replacement: UnsafePointer<UInt8>
    @usableFromInline let replacementCount: Int
    @usableFromInline let border: UnsafePointer<Int>
    /// The splats of the pattern's bytes that the prefilter does not
    /// compare, for the exact masks of patterns of 3 to 16 bytes
    /// (``_SubstringSearcher/exactStep(_:_:_:_:_:_:_:)``; one unused lane
    /// otherwise).
    @usableFromInline let lanes: UnsafePointer<SIMD16<UInt8>>
    /// The offsets of `lanes`' bytes in the pattern (the nibbles of
    /// ``_SubstringSearcher/otherOffsets`` as a table, for
    /// `ReplaceTransform._exactStep`).
    @usableFromInline let laneOffsets: UnsafePointer<Int>
    /// The replacement's first 32 bytes as two vectors, zero past its end
    /// (what ``ReplaceTransform`` stores per match on its direct path).
    @usableFromInline let replacementWords: UnsafePointer<SIMD16<UInt8>>
    /// The shortest chunk ``ReplaceTransform`` hands to its kernel
    /// (`ReplaceTransform._replaceDirect`): one 64-byte step of starts and
    /// the pattern, `63 + count`, for a pattern of at most 16 bytes and a
    /// replacement of at most 32; `Int.max` (never) otherwise.
    @usableFromInline let directMinimum: Int

    @usableFromInline
    init(
        pattern: UnsafePointer<UInt8>, skip: UnsafePointer<Int32>, prefilter: _SubstringSearcher,
        twoWay: _TwoWay,
        replacement: UnsafePointer<UInt8>, replacementCount: Int, border: UnsafePointer<Int>,
        lanes: UnsafePointer<SIMD16<UInt8>>, laneOffsets: UnsafePointer<Int>,
        replacementWords: UnsafePointer<SIMD16<UInt8>>
    ) {
        self.lanes = lanes
        self.laneOffsets = laneOffsets
        self.replacementWords = replacementWords
        directMinimum = prefilter.count <= 16 && replacementCount <= 32 ? 63 &+ prefilter.count : .max
        self.pattern = pattern
        self.skip = skip
        self.prefilter = prefilter
        self.twoWay = twoWay
        self.replacement = replacement
        self.replacementCount = replacementCount
        self.border = border
    }
}

/// The immutable storage behind a ``SubstringFinder`` (and a
/// ``ReplaceTransform``): the pattern, an optional replacement and the
/// tables built from them, in one allocation made by `init`.
///
/// A class so that copying a finder or a transform costs one reference
/// count, whatever the pattern's length; the structs that hold it cache raw
/// pointers into it, so searching and replacing touch no reference count at
/// all.
@usableFromInline
internal final class _PatternStorage: @unchecked Sendable {
    // Sendable: written only by `init`.
    @usableFromInline let count: Int
    @usableFromInline let replacementCount: Int
    /// `count` bytes.
    @usableFromInline let pattern: UnsafeMutablePointer<UInt8>
    /// `replacementCount` bytes.
    @usableFromInline let replacement: UnsafeMutablePointer<UInt8>
    /// 256 entries: Horspool's shift for each value of a window's last byte.
    @usableFromInline let skip: UnsafeMutablePointer<Int32>
    /// `count` entries: `border[i]` is the length of the longest proper
    /// prefix of `pattern[0...i]` that is also its suffix (the KMP failure
    /// function).
    @usableFromInline let border: UnsafeMutablePointer<Int>
    /// What a search and a replace read, built once from the above.
    @usableFromInline let core: UnsafeMutablePointer<_FinderCore>
    private let block: UnsafeMutableRawPointer

    @usableFromInline
    init(pattern bytes: [UInt8], replacement: [UInt8]) {
        precondition(!bytes.isEmpty)
        let m = bytes.count
        count = m
        replacementCount = replacement.count
        // One block: lanes (SIMD16), lane offsets and border (Int), skip (Int32), pattern, replacement.
        let prefilter = _SubstringSearcher(pattern: bytes)
        let laneValues = _SubstringSearcher.lanes(for: bytes, prefilter)
        let laneBytes = (2 + max(1, laneValues.count)) * MemoryLayout<SIMD16<UInt8>>.stride
        let offsetBytes = max(1, laneValues.count) * MemoryLayout<Int>.stride
        let borderBytes = offsetBytes + m * MemoryLayout<Int>.stride
        let skipBytes = 256 * MemoryLayout<Int32>.stride
        block = UnsafeMutableRawPointer.allocate(
            byteCount: laneBytes + borderBytes + skipBytes + m + max(1, replacement.count),
            alignment: MemoryLayout<SIMD16<UInt8>>.alignment
        )
        let vectors = block.bindMemory(to: SIMD16<UInt8>.self, capacity: 2 + max(1, laneValues.count))
        vectors.initialize(repeating: SIMD16(), count: 2 + max(1, laneValues.count))
        for i in 0..<min(32, replacement.count) { vectors[i / 16][i % 16] = replacement[i] }
        let lanes = vectors + 2
        for (i, lane) in laneValues.enumerated() { lanes[i] = lane }
        // The lanes' offsets, then the border table, in the Int region.
        let laneOffsets = (block + laneBytes).bindMemory(to: Int.self, capacity: max(1, laneValues.count))
        laneOffsets.initialize(repeating: 0, count: max(1, laneValues.count))
        for i in laneValues.indices {
            laneOffsets[i] = Int(truncatingIfNeeded: prefilter.otherOffsets >> (4 * UInt64(i)) & 15)
        }
        border = (block + laneBytes + offsetBytes).bindMemory(to: Int.self, capacity: m)
        skip = (block + laneBytes + borderBytes).bindMemory(to: Int32.self, capacity: 256)
        pattern = (block + laneBytes + borderBytes + skipBytes).bindMemory(to: UInt8.self, capacity: m)
        self.replacement = (block + laneBytes + borderBytes + skipBytes + m).bindMemory(
            to: UInt8.self, capacity: max(1, replacement.count))
        pattern.initialize(from: bytes, count: m)
        if !replacement.isEmpty { self.replacement.initialize(from: replacement, count: replacement.count) }
        skip.initialize(repeating: Int32(clamping: m), count: 256)
        for i in 0..<m { skip[Int(bytes[i])] = Int32(clamping: m - 1 - i) }
        border.initialize(repeating: 0, count: m)
        var k = 0
        for i in 1..<max(1, m) {
            while k > 0 && bytes[i] != bytes[k] { k = border[k - 1] }
            if bytes[i] == bytes[k] { k += 1 }
            border[i] = k
        }
        core = UnsafeMutablePointer<_FinderCore>.allocate(capacity: 1)
        core.initialize(
            to: _FinderCore(
                pattern: UnsafePointer(pattern), skip: UnsafePointer(skip),
                prefilter: prefilter, twoWay: _TwoWay(pattern: pattern, count: m),
                replacement: UnsafePointer(self.replacement), replacementCount: replacement.count,
                border: UnsafePointer(border), lanes: UnsafePointer(lanes),
                laneOffsets: UnsafePointer(laneOffsets), replacementWords: UnsafePointer(vectors)))
    }

    deinit {
        core.deinitialize(count: 1)
        core.deallocate()
        block.deallocate()
    }

    /// The pattern as a new array.
    @usableFromInline
    var patternArray: [UInt8] { Array(UnsafeBufferPointer(start: pattern, count: count)) }

    /// The replacement as a new array.
    @usableFromInline
    var replacementArray: [UInt8] { Array(UnsafeBufferPointer(start: replacement, count: replacementCount)) }
}
