#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds leftmost, non-overlapping occurrences of a byte string in a stream
/// that arrives in chunks: the delimiter search of ``DelimiterFramer`` and
/// the pattern count of ``CountingTransform``.
///
/// The only state carried across a chunk boundary is how many bytes of the
/// pattern the stream ended with (a KMP state, an integer): no bytes are
/// copied.
///
/// Why this shape: one-byte patterns (lines) go straight to `memchr`, which
/// runs at 33–40 GB/s here and is what a line splitter spends its time in.
/// Longer patterns take `memchr` on the first byte and `memcmp` to verify,
/// which is O(*n*·*m*) on adversarial input (`aaaa…` against `aaab`) but
/// needs no tables in the hot loop; delimiters are short.
@frozen
@usableFromInline
internal struct _StreamMatcher: Sendable {
    @usableFromInline internal let pattern: [UInt8]
    /// KMP failure function: `failure[i]` is the length of the longest proper
    /// prefix of `pattern[0...i]` that is also its suffix.
    @usableFromInline internal let failure: [Int]
    /// Bytes of the pattern the stream so far ends with, below `pattern.count`.
    @usableFromInline internal var state: Int

    @inlinable
    internal init(_ pattern: [UInt8]) {
        precondition(!pattern.isEmpty)
        self.pattern = pattern
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for i in 1..<max(pattern.count, 1) where pattern.count > 1 {
            while k > 0 && pattern[i] != pattern[k] { k = failure[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            failure[i] = k
        }
        self.failure = failure
        state = 0
    }

    /// One step of the automaton from `state` on `byte`.
    @inlinable
    internal func _step(_ state: Int, _ byte: UInt8) -> Int {
        var k = state
        while k > 0 && pattern[k] != byte { k = failure[k &- 1] }
        return pattern[k] == byte ? k &+ 1 : 0
    }

    /// The end (exclusive offset) of the next match in `base[from..<end]`,
    /// continuing the match in progress, or `nil` if there is none, in which
    /// case ``state`` then describes the tail of the range.
    @inlinable
    internal mutating func nextMatchEnd(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        var i = from
        let m = pattern.count
        // A match begun in an earlier chunk: advance byte by byte until it
        // completes or falls back to nothing (at most a few bytes).
        while state > 0 && i < end {
            state = _step(state, base.load(fromByteOffset: i, as: UInt8.self))
            i &+= 1
            if state == m {
                state = 0
                return i
            }
        }
        guard i < end else { return nil }
        let first = pattern[0]
        if m == 1 {
            guard let hit = memchr(base + i, Int32(first), end &- i) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit)) &+ 1
        }
        var tailState = 0
        let found: Int? = pattern.withUnsafeBytes { (pattern: UnsafeRawBufferPointer) -> Int? in
            while i < end {
                guard let hit = memchr(base + i, Int32(first), end &- i) else { return nil }
                let q = base.distance(to: UnsafeRawPointer(hit))
                if q &+ m > end {
                    // A possible match running past the chunk: remember how
                    // much of it is there. No earlier start can still match,
                    // so the automaton starts from nothing at `q`.
                    var k = 0
                    for j in q..<end { k = _step(k, base.load(fromByteOffset: j, as: UInt8.self)) }
                    tailState = k
                    return nil
                }
                if memcmp(hit, pattern.baseAddress!, m) == 0 { return q &+ m }
                i = q &+ 1
            }
            return nil
        }
        state = tailState
        return found
    }
}
