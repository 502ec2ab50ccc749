// The search kernel is internal; these tests reach it with @testable. Every
// other test file imports ByteFlow plainly, as a client would.
import Testing

@testable import ByteFlow

/// The first start of `pattern` lying wholly within `input[start..<end]`.
private func naiveFind(_ pattern: [UInt8], in input: [UInt8], from start: Int, to end: Int) -> Int? {
    guard end - start >= pattern.count else { return nil }
    for i in start...(end - pattern.count) where Array(input[i..<(i + pattern.count)]) == pattern {
        return i
    }
    return nil
}

/// What the prefilter alone finds from `start`: the first match, nothing,
/// or the point where it gave up.
private enum PrefilterResult {
    case found(Int)
    case notFound
    case gaveUp(Int)
}

private func find(_ pattern: [UInt8], in input: [UInt8], from start: Int, to end: Int) -> PrefilterResult {
    let searcher = _SubstringSearcher(pattern: pattern)
    let lanes = _SubstringSearcher.lanes(for: pattern, searcher) + [SIMD16()]
    return pattern.withUnsafeBufferPointer { pattern in
        input.withUnsafeBytes { input in
            var first = -1
            let result = lanes.withUnsafeBufferPointer { lanes in
                searcher.scan(
                    pattern.baseAddress!, lanes: lanes.baseAddress!, in: input.baseAddress!, from: start,
                    to: end
                ) {
                    first = $0
                    return false
                }
            }
            switch result {
            case .stopped: return .found(first)
            case .finished: return .notFound
            case .gaveUp(let resume): return .gaveUp(resume)
            }
        }
    }
}

@Suite("Search kernel (internal)")
struct SearchKernelTests {
    @Test func bitmaskHasOneBitPerLane() {
        #expect(_bitmask(SIMDMask<SIMD16<Int8>>(repeating: false)) == 0)
        #expect(_bitmask(SIMDMask<SIMD16<Int8>>(repeating: true)) == 0xFFFF)
        for lane in 0..<16 {
            var mask = SIMDMask<SIMD16<Int8>>(repeating: false)
            mask[lane] = true
            #expect(_bitmask(mask) == 1 << lane, "lane \(lane)")
        }
        var random = SeededRandom(seed: 16)
        for _ in 0..<2000 {
            var mask = SIMDMask<SIMD16<Int8>>(repeating: false)
            var expected: UInt32 = 0
            for lane in 0..<16 where Bool.random(using: &random) {
                mask[lane] = true
                expected |= 1 << lane
            }
            #expect(_bitmask(mask) == expected)
        }
    }

    /// The prefilter answers `.found` with the first match, `.notFound` only
    /// when there is none, and `.gaveUp(r)` only when no match starts
    /// before `r`.
    @Test func findAgreesWithANaiveSearch() {
        var random = SeededRandom(seed: 0x5EA7C4)
        for index in 0..<3000 {
            let alphabet = Array(utf8("abcd").prefix(Int.random(in: 1...4, using: &random)))
            let pattern = random.bytes(Int.random(in: 1...20, using: &random), from: alphabet)
            var input = random.bytes(Int.random(in: 0...300, using: &random), from: alphabet)
            if !input.isEmpty && Bool.random(using: &random) {
                let at = Int.random(in: 0..<input.count, using: &random)
                input.replaceSubrange(at..<min(input.count, at + pattern.count), with: pattern)
            }
            let start = Int.random(in: 0...(input.count / 2), using: &random)
            let end = Int.random(in: start...input.count, using: &random)
            let expected = naiveFind(pattern, in: input, from: start, to: end)
            let context = "case \(index): \(printable(pattern)) in \(printable(input))[\(start)..<\(end)]"
            let searcher = _SubstringSearcher(pattern: pattern)
            let may = input.withUnsafeBytes { bytes in
                bytes.baseAddress.map { searcher.firstCandidate(in: $0, from: start, to: end) >= 0 } ?? false
            }
            if !may { #expect(expected == nil, "firstCandidate said none: \(context)") }
            switch find(pattern, in: input, from: start, to: end) {
            case .found(let offset): #expect(offset == expected, "\(context)")
            case .notFound: #expect(expected == nil, "\(context)")
            case .gaveUp(let resume):
                #expect(resume >= start && resume <= end, "\(context)")
                #expect(expected.map { $0 >= resume } ?? true, "\(context): a match before \(resume)")
            }
        }
    }

    /// The short-range search (pieces under one 64-byte step): the first
    /// candidate is exactly the first start whose first prefilter byte is
    /// in place, in every alignment of the range (whole words, the
    /// overlapping last word, the byte tail); byte values one apart and
    /// with the top bit set would expose a zero-byte test that marks false
    /// lanes. `scanShort` then reports every leftmost, non-overlapping
    /// match.
    @Test func shortScanAgreesWithANaiveSearch() {
        var random = SeededRandom(seed: 0x5407)
        for index in 0..<4000 {
            let alphabet: [UInt8] =
                Bool.random(using: &random)
                ? utf8("abcd") : [0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF]
            let pattern = random.bytes(
                Int.random(in: 1..._SubstringSearcher.shortScanMaximumPattern, using: &random), from: alphabet
            )
            var input = random.bytes(Int.random(in: 0...90, using: &random), from: alphabet)
            for _ in 0..<Int.random(in: 0...3, using: &random) where !input.isEmpty {
                let at = Int.random(in: 0..<input.count, using: &random)
                input.replaceSubrange(at..<min(input.count, at + pattern.count), with: pattern)
            }
            let start = Int.random(in: 0...input.count, using: &random)
            let end = Int.random(in: start...input.count, using: &random)
            let context = "case \(index): \(printable(pattern)) in \(printable(input))[\(start)..<\(end)]"
            let searcher = _SubstringSearcher(pattern: pattern)
            let prefilterByte = pattern[searcher.offset1]
            var expectedCandidate = -1
            if end - start >= pattern.count {
                for i in start...(end - pattern.count) where input[i + searcher.offset1] == prefilterByte {
                    expectedCandidate = i
                    break
                }
            }
            var expectedMatches: [Int] = []
            var from = start
            while let found = naiveFind(pattern, in: input, from: from, to: end) {
                expectedMatches.append(found)
                from = found + pattern.count
            }
            var candidate = -2
            var found: [Int] = []
            pattern.withUnsafeBufferPointer { pattern in
                input.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    candidate = searcher.firstCandidate(in: base, from: start, to: end)
                    guard candidate >= 0 else { return }
                    searcher.scanShort(pattern.baseAddress!, in: base, candidate: candidate, to: end) {
                        found.append($0)
                        return true
                    }
                }
            }
            if input.isEmpty { continue }
            #expect(candidate == expectedCandidate, "\(context)")
            #expect(found == expectedMatches, "\(context)")
        }
    }

    /// The input of
    /// ``ReplaceTransformTests/adversarialInputSwitchesToLinearSearchAndStaysCorrect()``
    /// does make the prefilter give up, so that test covers the switch.
    @Test func adversarialInputMakesThePrefilterGiveUp() {
        let pattern = [UInt8](repeating: UInt8(ascii: "a"), count: 23) + [UInt8(ascii: "b")]
        let input = utf8(String(repeating: "aaab", count: 600)) + pattern
        guard case .gaveUp(let resume) = find(pattern, in: input, from: 0, to: input.count) else {
            Issue.record("expected the prefilter to give up on runs of aaab")
            return
        }
        #expect(
            resume > 2000 && resume < 2250,
            """
            the prefilter now gives up at \(resume): move the sweep of \
            ReplaceTransformTests.adversarialInputSwitchesToLinearSearchAndStaysCorrect \
            (1950...2300) so that it still covers that point
            """)
    }

    /// `examine` (patterns longer than 16 bytes) answers 0 exactly where the
    /// pattern occurs, and otherwise a shift over which no occurrence starts:
    /// every window of random, periodic and near-miss texts, over one to
    /// three letters, so that both of Two-Way's shifts (a mismatch in the
    /// right part, and in the left part of periodic and aperiodic patterns)
    /// and the word loops' partial last words are all taken.
    @Test func examineShiftsSkipNoMatch() {
        var random = SeededRandom(seed: 0x7E57)
        for index in 0..<600 {
            let pattern = longTestPattern(using: &random)
            let input = nearMissText(
                for: pattern, count: Int.random(in: 0...400, using: &random), using: &random)
            let searcher = _SubstringSearcher(pattern: pattern)
            let m = pattern.count
            guard input.count >= m else { continue }
            let occurs = (0...(input.count - m)).map { Array(input[$0..<($0 + m)]) == pattern }
            let context = "case \(index): \(printable(pattern)) in \(printable(input))"
            pattern.withUnsafeBufferPointer { pattern in
                input.withUnsafeBytes { input in
                    for p in occurs.indices {
                        let (shift, compared) = searcher.examine(
                            pattern.baseAddress!, input.baseAddress!, at: p)
                        #expect((shift == 0) == occurs[p], "\(context) at \(p)")
                        #expect(compared >= 1 && compared <= m, "\(context) at \(p): compared \(compared)")
                        #expect(shift >= 0 && shift <= m, "\(context) at \(p): shift \(shift)")
                        for d in 1..<max(1, shift) where p + d < occurs.count && occurs[p + d] {
                            Issue.record(
                                "\(context): the shift \(shift) at \(p) passes over the match at \(p + d)")
                        }
                    }
                }
            }
        }
    }

    /// The scan with long patterns, periodic or not, over texts made of
    /// near misses (so that failed verifications and their skips are the
    /// common case) from random starts to random ends: `.found` is the first
    /// match, `.gaveUp(r)` only when none starts before `r`.
    @Test func longPatternScanAgreesWithANaiveSearch() {
        var random = SeededRandom(seed: 0x10C6)
        for index in 0..<1500 {
            let pattern = longTestPattern(using: &random)
            let input = nearMissText(
                for: pattern, count: Int.random(in: 0...3000, using: &random), using: &random)
            let start = Int.random(in: 0...(input.count / 2), using: &random)
            let end = Int.random(in: start...input.count, using: &random)
            let expected = naiveFind(pattern, in: input, from: start, to: end)
            let context = "case \(index): \(printable(pattern)) in \(printable(input))[\(start)..<\(end)]"
            switch find(pattern, in: input, from: start, to: end) {
            case .found(let offset): #expect(offset == expected, "\(context)")
            case .notFound: #expect(expected == nil, "\(context)")
            case .gaveUp(let resume):
                #expect(resume >= start && resume <= end, "\(context)")
                #expect(expected.map { $0 >= resume } ?? true, "\(context): a match before \(resume)")
            }
        }
    }

    /// The same patterns and texts through `ReplaceTransform` in every
    /// chunking, specialized and boxed: matches inside chunks and across
    /// their boundaries, with the skips of failed verifications.
    @Test func longPatternsReplaceInEveryChunking() throws {
        var random = SeededRandom(seed: 0x5C1B)
        for index in 0..<60 {
            let pattern = longTestPattern(using: &random)
            let input = nearMissText(
                for: pattern, count: Int.random(in: 500...6000, using: &random), using: &random)
            let transform = try ReplaceTransform(pattern, with: utf8("<m>"))
            let ok = expectEveryChunking(
                of: input, through: transform, gives: referenceReplace(input, pattern, utf8("<m>")),
                in: [
                    .whole, .fixed(Int.random(in: 1...pattern.count, using: &random)),
                    .fixed(Int.random(in: 64...700, using: &random)),
                    randomPieces(for: input.count, using: &random),
                ],
                "case \(index): \(printable(pattern))")
            if !ok { break }
        }
    }
}

/// Every start of a leftmost, non-overlapping match of `pattern` in `input`,
/// found the obvious way.
private func naiveMatches(_ pattern: [UInt8], in input: [UInt8]) -> [Int] {
    var result: [Int] = []
    var i = 0
    while let found = naiveFind(pattern, in: input, from: i, to: input.count) {
        result.append(found)
        i = found + pattern.count
    }
    return result
}

/// A pattern of 17 to 80 bytes over one to three letters, half of them
/// periodic (a short root repeated, perhaps cut), some with one odd byte.
private func longTestPattern(using random: inout SeededRandom) -> [UInt8] {
    let alphabet = Array(utf8("abc").prefix(Int.random(in: 1...3, using: &random)))
    let count = Int.random(in: 17...80, using: &random)
    var pattern = random.bytes(count, from: alphabet)
    if Bool.random(using: &random) {
        let root = random.bytes(Int.random(in: 1...7, using: &random), from: alphabet)
        pattern = (0..<count).map { root[$0 % root.count] }
    }
    if Int.random(in: 0..<3, using: &random) == 0 {
        pattern[Int.random(in: 0..<count, using: &random)] = UInt8(ascii: "d")
    }
    return pattern
}

/// `count` bytes of copies of `pattern`, most with a byte or two changed and
/// some cut short or run together with letters in between: a text of near
/// misses with a few matches.
private func nearMissText(for pattern: [UInt8], count: Int, using random: inout SeededRandom) -> [UInt8] {
    let letters = utf8("abcd")
    var text: [UInt8] = []
    while text.count < count {
        var copy = pattern
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            copy[Int.random(in: 0..<copy.count, using: &random)] = letters.randomElement(using: &random)!
        }
        if Int.random(in: 0..<4, using: &random) == 0 {
            copy.removeFirst(Int.random(in: 0..<copy.count, using: &random))
        }
        text += copy
        if Int.random(in: 0..<4, using: &random) == 0 {
            text += random.bytes(Int.random(in: 1...5, using: &random), from: letters)
        }
    }
    return Array(text.prefix(count))
}

/// Inputs built to defeat a two-rare-byte prefilter: the pattern's own bytes
/// everywhere, near misses dense. The same classes are in the benchmarks
/// (`Benchmarks/Benchmarks/Search`) and the peer comparison.
enum AdversarialClass: String, CaseIterable, Sendable {
    /// `(ab)^16 b` in `(ab)^16 c` repeated.
    case periodic
    /// `a^32 b` in `aab` repeated: a candidate every third byte.
    case alternating
    /// `a^16 b a^16` in `aab` repeated: a candidate every third byte, and
    /// at each the window's last byte is the pattern's (no Horspool skip).
    case centered
    /// A 1,000-byte pattern, a copy with its middle byte changed every
    /// 1,000 bytes.
    case longNearMiss
    /// `a^999 b` in `a^99 b` repeated: a candidate every 100 bytes, each
    /// failing ~100 bytes into the left part, and a skip of 1,000.
    case longRuns

    var pattern: [UInt8] {
        switch self {
        case .periodic: return utf8(String(repeating: "ab", count: 16) + "b")
        case .alternating: return utf8(String(repeating: "a", count: 32) + "b")
        case .centered:
            return utf8(String(repeating: "a", count: 16) + "b" + String(repeating: "a", count: 16))
        case .longNearMiss:
            var random = SeededRandom(seed: 1000)
            return random.bytes(1000, from: utf8("etaoinshrdlu "))
        case .longRuns: return utf8(String(repeating: "a", count: 999) + "b")
        }
    }

    /// `count` bytes of the class's text (no match in it).
    func text(_ count: Int) -> [UInt8] {
        let unit: [UInt8]
        switch self {
        case .periodic: unit = utf8(String(repeating: "ab", count: 16) + "c")
        case .alternating, .centered: unit = utf8("aab")
        case .longNearMiss:
            var near = pattern
            near[500] = UInt8(ascii: "Z")
            unit = near
        case .longRuns: unit = utf8(String(repeating: "a", count: 99) + "b")
        }
        var result: [UInt8] = []
        result.reserveCapacity(count + unit.count)
        while result.count < count { result += unit }
        return Array(result.prefix(count))
    }
}

@Suite("SubstringFinder")
struct SubstringFinderTests {
    /// Random patterns and texts over small alphabets (so that matches, near
    /// misses and self-overlaps are common), every alignment of the buffer
    /// and random start offsets, both entry points.
    @Test func agreesWithANaiveSearchInEveryAlignment() throws {
        var random = SeededRandom(seed: 0xF1D)
        for index in 0..<1500 {
            let alphabet = Array(utf8("abcd").prefix(Int.random(in: 1...4, using: &random)))
            let pattern = random.bytes(Int.random(in: 1...40, using: &random), from: alphabet)
            var input = random.bytes(Int.random(in: 0...400, using: &random), from: alphabet)
            for _ in 0..<Int.random(in: 0...3, using: &random) where !input.isEmpty {
                let at = Int.random(in: 0..<input.count, using: &random)
                input.replaceSubrange(at..<min(input.count, at + pattern.count), with: pattern)
            }
            let finder = try SubstringFinder(pattern)
            let alignment = index % 16
            // The input at `alignment` bytes into a larger buffer.
            let padded = [UInt8](repeating: 0xEE, count: alignment) + input
            let start = Int.random(in: 0...input.count, using: &random)
            let expected = naiveFind(pattern, in: input, from: start, to: input.count)
            let context = "case \(index): \(printable(pattern)) in \(printable(input)) from \(start)"
            padded.withUnsafeBytes { whole in
                let buffer = UnsafeRawBufferPointer(rebasing: whole[alignment...])
                #expect(finder.firstMatch(in: buffer, from: start) == expected, "\(context)")
            }
            #expect(finder.firstMatch(in: input.span.bytes, from: start) == expected, "\(context)")
            var all: [Int] = []
            finder.forEachMatch(in: input.span.bytes) { all.append($0) }
            #expect(all == naiveMatches(pattern, in: input), "\(context)")
        }
    }

    /// A pattern that cannot overlap itself lets the scan drop only the
    /// match's own bit (the next match starts after it); one that can
    /// (`aba` in `ababa`) must drop the candidates the match covers.
    @Test func overlapFlagAndAdjacentMatches() throws {
        let cases: [(String, Bool)] = [
            ("x", false), ("ab", false), ("aa", true), ("aba", true), ("elvis", false), ("abab", true),
            ("abcab", true), ("abcabd", false),
        ]
        for (pattern, overlaps) in cases {
            #expect(_SubstringSearcher(pattern: utf8(pattern)).overlaps == overlaps, "\(pattern)")
            // Back to back, and overlapping copies, across a 64-byte step.
            for text in [String(repeating: pattern, count: 40), String(repeating: "ab", count: 70) + "a"] {
                let finder = try SubstringFinder(pattern)
                var found: [Int] = []
                finder.forEachMatch(in: utf8(text).span.bytes) { found.append($0) }
                #expect(found == naiveMatches(utf8(pattern), in: utf8(text)), "\(pattern) in \(text)")
            }
        }
    }

    /// Steps with three or more candidates of a 3- to 8-byte pattern are
    /// verified by comparing every byte of the pattern across the whole step
    /// (``_SubstringSearcher/exactStep(_:_:_:_:_:_:_:)``): each of the
    /// pattern's bytes must be checked. Texts of near-misses that differ
    /// from the pattern in one byte, at each offset in turn, mixed with true
    /// matches, so that steps have many candidates; found against a naive
    /// search, at every alignment of the buffer and through the 16-byte
    /// blocks of the tail.
    @Test func denseCandidatesAreVerifiedAtEveryPatternByte() throws {
        var random = SeededRandom(seed: 0xE4AC7)
        for m in 3...8 {
            for trial in 0..<40 {
                let pattern = random.bytes(m, from: utf8("abcdefgh"))
                let finder = try SubstringFinder(pattern)
                var input: [UInt8] = []
                while input.count < 300 {
                    var piece = pattern
                    if Int.random(in: 0..<4, using: &random) != 0 {
                        // A near-miss: one byte of the pattern changed.
                        let at = Int.random(in: 0..<m, using: &random)
                        piece[at] = piece[at] == UInt8(ascii: "z") ? UInt8(ascii: "y") : UInt8(ascii: "z")
                    }
                    input += piece
                    input += random.bytes(Int.random(in: 0...2, using: &random), from: utf8("ab"))
                }
                let expected = naiveMatches(pattern, in: input)
                let alignment = trial % 16
                let padded = [UInt8](repeating: 0xEE, count: alignment) + input
                var found: [Int] = []
                padded.withUnsafeBytes { whole in
                    let buffer = UnsafeRawBufferPointer(rebasing: whole[alignment...])
                    var start = 0
                    while let next = finder.firstMatch(in: buffer, from: start) {
                        found.append(next)
                        start = next + m
                    }
                }
                let context = "\(printable(pattern)) in \(printable(input))"
                #expect(found == expected, "\(context)")
                var all: [Int] = []
                finder.forEachMatch(in: input.span.bytes) { all.append($0) }
                #expect(all == expected, "\(context)")
            }
        }
    }

    /// Two-Way on its own (the finder reaches it only after the prefilter
    /// gives up): periodic and aperiodic patterns over 1–3 letters.
    @Test func twoWayAgreesWithANaiveSearch() throws {
        var random = SeededRandom(seed: 0x2A7)
        for index in 0..<4000 {
            let alphabet = Array(utf8("abc").prefix(Int.random(in: 1...3, using: &random)))
            var pattern = random.bytes(Int.random(in: 1...24, using: &random), from: alphabet)
            if Bool.random(using: &random) {
                // A periodic pattern: a short root repeated, perhaps cut.
                let root = random.bytes(Int.random(in: 1...4, using: &random), from: alphabet)
                pattern = Array((0..<pattern.count).map { root[$0 % root.count] })
            }
            var input = random.bytes(Int.random(in: 0...200, using: &random), from: alphabet)
            if !input.isEmpty && Bool.random(using: &random) {
                let at = Int.random(in: 0..<input.count, using: &random)
                input.replaceSubrange(at..<min(input.count, at + pattern.count), with: pattern)
            }
            let storage = _PatternStorage(pattern: pattern, replacement: [])
            let twoWay = _TwoWay(pattern: storage.pattern, count: pattern.count)
            let start = Int.random(in: 0...input.count, using: &random)
            let found = input.withUnsafeBytes { bytes in
                twoWay.find(
                    storage.pattern, skip: storage.skip,
                    in: bytes.baseAddress ?? UnsafeRawPointer(storage.pattern),
                    from: start, to: input.count)
            }
            let expected = naiveFind(pattern, in: input, from: start, to: input.count) ?? -1
            #expect(
                found == expected, "case \(index): \(printable(pattern)) in \(printable(input)) from \(start)"
            )
        }
    }

    /// Every adversarial class does make the prefilter give up (so the tests
    /// below cover Two-Way), except the two with a 1,000-byte pattern, whose
    /// failed verifications skip ~1,000 bytes each and stay within the
    /// allowance.
    @Test(arguments: AdversarialClass.allCases)
    func adversarialClassesDefeatThePrefilter(_ kind: AdversarialClass) {
        let text = kind.text(64 << 10)
        let result = find(kind.pattern, in: text, from: 0, to: text.count)
        switch kind {
        case .longNearMiss, .longRuns:
            if case .notFound = result {} else { Issue.record("\(kind): \(result)") }
        default:
            if case .gaveUp = result {} else { Issue.record("\(kind): \(result)") }
        }
    }

    /// Matches placed in an adversarial region (Two-Way), across the point
    /// where the fallback ends and the prefilter takes over again, and in
    /// ordinary text after it; every match found, none invented.
    @Test(arguments: AdversarialClass.allCases)
    func fallbackEntryAndExitFindEveryMatch(_ kind: AdversarialClass) throws {
        let pattern = kind.pattern
        let finder = try SubstringFinder(pattern)
        var random = SeededRandom(seed: 0xE817)
        var input = kind.text(40 << 10) + utf8(String(repeating: "plain text, no match here. ", count: 400))
        // Matches at random places, more around the ends of 8 KiB spans.
        var places = (0..<40).map { _ in Int.random(in: 0..<(input.count - pattern.count), using: &random) }
        for span in 1...5 { places += (-3...3).map { span * 8192 + $0 * 17 } }
        for at in places where at + pattern.count <= input.count {
            input.replaceSubrange(at..<(at + pattern.count), with: pattern)
        }
        var all: [Int] = []
        finder.forEachMatch(in: input.span.bytes) { all.append($0) }
        let expected = naiveMatches(pattern, in: input)
        #expect(all == expected, "\(kind): \(all.count) matches found, \(expected.count) expected")
        #expect(finder.firstMatch(in: input.span.bytes) == expected.first)
    }

    /// `forEachMatch` stops at the first error `body` throws, and the typed
    /// error comes out as thrown; searches from the end or past the last
    /// possible start find nothing.
    @Test func forEachMatchStopsOnAThrowAndBoundsHold() throws {
        struct Enough: Error, Equatable {}
        let finder = try SubstringFinder("ab")
        let text = utf8(String(repeating: "xab", count: 100))
        var seen: [Int] = []
        #expect(throws: Enough.self) {
            try finder.forEachMatch(in: text.span.bytes) { (offset) throws(Enough) in
                seen.append(offset)
                if seen.count == 3 { throw Enough() }
            }
        }
        #expect(seen == [1, 4, 7])
        #expect(finder.firstMatch(in: text.span.bytes, from: text.count) == nil)
        #expect(finder.firstMatch(in: text.span.bytes, from: text.count - 1) == nil)
        #expect(finder.firstMatch(in: text.span.bytes, from: text.count - 2) == text.count - 2)
        var none = 0
        finder.forEachMatch(in: [UInt8]().span.bytes) { _ in none += 1 }
        #expect(none == 0)
    }

    @Test func emptyPatternIsRejectedAndPropertiesReport() throws {
        #expect(throws: ByteFlowError.emptyPattern) { try SubstringFinder([]) }
        let finder = try SubstringFinder("elvis")
        #expect(finder.count == 5)
        #expect(finder.pattern == utf8("elvis"))
        let shared: any Sendable = finder
        #expect((shared as? SubstringFinder)?.count == 5)
        #expect(finder.firstMatch(in: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
    }
}
