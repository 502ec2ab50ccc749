/// The search that takes over when the rare-byte prefilter gives up:
/// Crochemore–Perrin Two-Way, guarded by a Horspool skip on the last byte of
/// each window (the shape of glibc's `two_way_long_needle`).
///
/// ## Why this shape (measured on a 2-core AMD EPYC VM; figures in
/// `Documentation/Benchmarks.md`, "Adversarial search")
///
/// - **Linear whatever the input, with O(1) extra space.** Two-Way compares
///   the right half of the pattern (from its critical position) left to
///   right, then the left half right to left, and on a periodic pattern
///   remembers how much of the window is already known to match, so that no
///   text byte is compared more than about twice. The byte-at-a-time KMP it
///   replaces touched every byte and followed failure links: 0.29–0.37 GB/s
///   in memory on every class built to defeat the prefilter, against
///   3.2–16 GB/s now (periodic `(ab)^16 b` in `(ab)^16 c` 9.6, `a^32 b` in
///   `aab` 16, `a^16 b a^16` in `aab` 3.6, `a^999 b` in `a^99 b` 4.7; one
///   buffer of 64 MiB; Python's `bytes.replace`: 10.6, 5.1, 2.0, 4.1).
///   Two-Way without the skip, and a skip loop without Two-Way, were not
///   measured separately: the skip alone is quadratic on `centered`-like
///   inputs, and the combination is what glibc ships for long needles.
/// - **A skip on the window's last byte** (the Horspool table:
///   `m - 1 -` the last index of the byte in the pattern): inputs that
///   defeat a two-byte prefilter are made of the pattern's own bytes, but a
///   text byte that the pattern's tail does not end with still moves the
///   window by up to `m` with one load and one table lookup. On the periodic
///   class above every window ends on the `c` the pattern lacks, so the
///   search moves 33 bytes per step.
/// - **Memory reset on a skip.** A Horspool shift forgets what Two-Way knew
///   of the window; the left half is compared at most once per period
///   shifted, so the search stays linear (glibc makes the same trade).
@frozen
@usableFromInline
internal struct _TwoWay: Sendable {
    /// Pattern length.
    @usableFromInline let count: Int
    /// The critical position: the pattern is `left + right` with `right`
    /// starting here.
    @usableFromInline let critical: Int
    /// The shift after a full match of the right half and a mismatch in the
    /// left: the pattern's period when `periodic`, otherwise
    /// `max(critical, count - critical) + 1`.
    @usableFromInline let shift: Int
    /// Whether the pattern's left half repeats with the period of its right
    /// half; only then is a partial match remembered across a shift.
    @usableFromInline let periodic: Bool

    /// Prepares the search for `pattern[0..<count]`, `count >= 1`.
    @usableFromInline
    init(pattern: UnsafePointer<UInt8>, count m: Int) {
        count = m
        let (forward, forwardPeriod) = _TwoWay.maximalSuffix(pattern, m, reversed: false)
        let (backward, backwardPeriod) = _TwoWay.maximalSuffix(pattern, m, reversed: true)
        let (start, period) =
            forward >= backward ? (forward &+ 1, forwardPeriod) : (backward &+ 1, backwardPeriod)
        critical = start
        var repeats = start &+ period <= m
        if repeats {
            for i in 0..<start where pattern[i] != pattern[i &+ period] {
                repeats = false
                break
            }
        }
        periodic = repeats
        shift = repeats ? period : max(start, m &- start) &+ 1
    }

    /// The start (minus one) and period of the maximal suffix of the pattern
    /// under the byte order, or its reverse.
    private static func maximalSuffix(_ x: UnsafePointer<UInt8>, _ m: Int, reversed: Bool) -> (Int, Int) {
        var suffix = -1
        var j = 0
        var k = 1
        var period = 1
        while j &+ k < m {
            let a = x[j &+ k]
            let b = x[suffix &+ k]
            if reversed ? a > b : a < b {
                j &+= k
                k = 1
                period = j &- suffix
            } else if a == b {
                if k != period {
                    k &+= 1
                } else {
                    j &+= period
                    k = 1
                }
            } else {
                suffix = j
                j &+= 1
                k = 1
                period = 1
            }
        }
        return (suffix, period)
    }

    /// The first start in `start...end - count` where `pattern` occurs in
    /// `base`, or -1.
    ///
    /// - Parameters:
    ///   - pattern: The pattern this search was prepared for.
    ///   - skip: The Horspool table: for each byte value, `count - 1` minus
    ///     its last index in the pattern, or `count` if absent (values may
    ///     be capped lower).
    /// - Complexity: O(`end - start`), at most about two comparisons per byte.
    @inlinable
    func find(
        _ pattern: UnsafePointer<UInt8>, skip: UnsafePointer<Int32>, in base: UnsafeRawPointer,
        from start: Int, to end: Int
    ) -> Int {
        let m = count
        let last = end &- m
        let tail = m &- 1
        var j = start
        var memory = 0
        while j <= last {
            let byte = base.load(fromByteOffset: j &+ tail, as: UInt8.self)
            let skipBy = Int(skip[Int(byte)])
            if skipBy > 0 {
                j &+= skipBy
                memory = 0
                continue
            }
            // The last byte matches; the right half, left to right.
            var i = max(critical, memory)
            while i < tail && pattern[i] == base.load(fromByteOffset: j &+ i, as: UInt8.self) {
                i &+= 1
            }
            if i < tail {
                j &+= i &- critical &+ 1
                memory = 0
                continue
            }
            // The left half, right to left, down to what is remembered.
            var k = critical &- 1
            while k >= memory && pattern[k] == base.load(fromByteOffset: j &+ k, as: UInt8.self) {
                k &-= 1
            }
            if k < memory { return j }
            j &+= shift
            if periodic { memory = m &- shift }
        }
        return -1
    }
}
