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

private func find(_ pattern: [UInt8], in input: [UInt8], from start: Int, to end: Int) -> _SearchResult {
    let searcher = _SubstringSearcher(pattern: pattern)
    return pattern.withUnsafeBufferPointer { pattern in
        input.withUnsafeBytes { input in
            var cursor = _SearchCursor(origin: start)
            return searcher.find(
                pattern.baseAddress!, in: input.baseAddress!, from: start, to: end, cursor: &cursor)
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

    /// `find` answers `.found` with the first match, `.notFound` only when
    /// there is none, and `.prefilterFailed(r)` only when no match starts
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
            switch find(pattern, in: input, from: start, to: end) {
            case .found(let offset): #expect(offset == expected, "\(context)")
            case .notFound: #expect(expected == nil, "\(context)")
            case .prefilterFailed(let resume):
                #expect(resume >= start && resume <= end, "\(context)")
                #expect(expected.map { $0 >= resume } ?? true, "\(context): a match before \(resume)")
            }
        }
    }

    /// The input of
    /// ``ReplaceTransformTests/adversarialInputSwitchesToLinearSearchAndStaysCorrect()``
    /// does make the prefilter give up, so that test covers the switch.
    @Test func adversarialInputMakesThePrefilterGiveUp() {
        let pattern = [UInt8](repeating: UInt8(ascii: "a"), count: 63) + [UInt8(ascii: "b")]
        let input = utf8(String(repeating: "aaab", count: 600)) + pattern
        guard case .prefilterFailed(let resume) = find(pattern, in: input, from: 0, to: input.count) else {
            Issue.record("expected the prefilter to give up on runs of aaab")
            return
        }
        #expect(
            resume > 500 && resume < 650,
            """
            the prefilter now gives up at \(resume): move the sweep of \
            ReplaceTransformTests.adversarialInputSwitchesToLinearSearchAndStaysCorrect \
            (450...700) so that it still covers that point
            """)
    }
}
