import ByteFlow
import Testing

/// One randomly generated replace problem, fully determined by its seed.
private struct DifferentialCase: CustomStringConvertible {
    let seed: UInt64
    var input: [UInt8]
    /// One step, or 2–3 steps applied as a chain of transforms.
    var steps: [(pattern: [UInt8], replacement: [UInt8])]
    var chunkings: [Chunking]

    init(seed: UInt64) {
        self.seed = seed
        var random = SeededRandom(seed: seed)
        // Small alphabets make matches, partial matches and self-overlap
        // frequent; a few cases use all 256 byte values.
        let alphabet: [UInt8]
        switch Int.random(in: 0..<20, using: &random) {
        case 0: alphabet = (0...255).map { UInt8($0) }
        case 1: alphabet = [0x00, 0xFF, 0x0A]
        case 2...8: alphabet = utf8("ab")
        case 9...14: alphabet = utf8("abc")
        default: alphabet = utf8("abcd")
        }
        let length: Int
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<75: length = Int.random(in: 0...64, using: &random)
        case 75..<95: length = Int.random(in: 65...600, using: &random)
        default: length = Int.random(in: 601...4096, using: &random)
        }
        input = random.bytes(length, from: alphabet)

        let stepCount = Int.random(in: 0..<5, using: &random) == 0 ? Int.random(in: 2...3, using: &random) : 1
        steps = []
        for _ in 0..<stepCount {
            let patternLength =
                Int.random(in: 0..<10, using: &random) == 0
                ? Int.random(in: 9...80, using: &random) : Int.random(in: 1...8, using: &random)
            let pattern = random.bytes(patternLength, from: alphabet)
            // A long pattern over a small alphabet rarely occurs by chance:
            // plant a few copies.
            if patternLength > 8 && !input.isEmpty {
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let at = Int.random(in: 0..<input.count, using: &random)
                    input.replaceSubrange(at..<min(input.count, at + patternLength), with: pattern)
                }
            }
            // Replacements drawn from the same alphabet may contain the
            // pattern; the output must not be scanned again.
            let replacementLength: Int
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1: replacementLength = 0
            case 2: replacementLength = Int.random(in: 20...60, using: &random)
            default: replacementLength = Int.random(in: 1...8, using: &random)
            }
            steps.append((pattern, random.bytes(replacementLength, from: alphabet + utf8("XY"))))
        }

        chunkings = [randomPieces(for: input.count, using: &random)]
        let fixedLimit = max(2, min(input.count + 1, 80))
        chunkings.append(.fixed(Int.random(in: 1...fixedLimit, using: &random)))
        if Int.random(in: 0..<4, using: &random) == 0 { chunkings.append(.whole) }
        if Int.random(in: 0..<80, using: &random) == 0 { makePrefilterDefeating(using: &random) }
    }

    /// Replaces the case with one that makes the SIMD prefilter give up:
    /// pattern `a…ab`, input made of short runs `a…ab`, so that every `b` is
    /// a candidate that fails verification, with real matches planted after
    /// the point where the search switches to its linear fallback.
    private mutating func makePrefilterDefeating(using random: inout SeededRandom) {
        let a = UInt8(ascii: "a")
        let b = UInt8(ascii: "b")
        let m = Int.random(in: 40...80, using: &random)
        let pattern = [UInt8](repeating: a, count: m - 1) + [b]
        input = []
        // The prefilter's budget for failed candidates grows with the bytes
        // one search call scans, so it gives up only in a long stretch with
        // no match; after that, matches come often, sometimes back to back.
        let quiet = Int.random(in: 800...2000, using: &random)
        let length = quiet + Int.random(in: 0...800, using: &random)
        while input.count < length {
            if input.count > quiet && Int.random(in: 0..<8, using: &random) == 0 {
                for _ in 0...Int.random(in: 0...2, using: &random) { input += pattern }
            } else {
                input +=
                    [UInt8](repeating: a, count: Int.random(in: 1...max(1, m / 10), using: &random)) + [b]
            }
        }
        steps = [(pattern, random.bytes(Int.random(in: 0...6, using: &random), from: [a, b]))]
        // The prefilter gives up only after scanning several hundred bytes
        // of one chunk.
        chunkings = [.whole, .fixed(Int.random(in: 1000...2000, using: &random))]
    }

    var description: String {
        let shownSteps = steps.map {
            "\(printable($0.pattern, limit: 90)) -> \(printable($0.replacement, limit: 90))"
        }
        return "seed \(seed) (DifferentialCase(seed: \(seed))), steps [\(shownSteps.joined(separator: ", "))]"
    }
}

@Suite("Differential against the reference")
struct DifferentialTests {
    static let batchCount = 10
    static let casesPerBatch = 1000

    /// 10,000 seeded random cases, each through the specialized and the
    /// boxed pipeline in random chunkings (empty chunks included), compared
    /// with the reference. A failure prints the case's seed; rebuilding
    /// `DifferentialCase(seed:)` with it replays the case exactly.
    @Test("random cases", arguments: 0..<batchCount)
    func randomCases(batch: Int) throws {
        for index in 0..<Self.casesPerBatch {
            let seed = UInt64(batch * Self.casesPerBatch + index) &* 0x9E37_79B9 &+ 0xB1E
            let problem = DifferentialCase(seed: seed)
            if !check(problem) { break }  // one failure is enough to read
        }
    }

    @Test func caseGenerationIsReproducible() {
        let a = DifferentialCase(seed: 42)
        let b = DifferentialCase(seed: 42)
        #expect(a.input == b.input)
        #expect(a.steps.map(\.pattern) == b.steps.map(\.pattern))
        #expect(a.steps.map(\.replacement) == b.steps.map(\.replacement))
        #expect(a.chunkings.description == b.chunkings.description)
        #expect(DifferentialCase(seed: 43).input != a.input || DifferentialCase(seed: 44).input != a.input)
    }

    /// Runs one case; `false` if it failed.
    private func check(_ problem: DifferentialCase) -> Bool {
        let expected = referenceReplace(problem.input, problem.steps)
        let transforms: [ReplaceTransform]
        do {
            transforms = try problem.steps.map { try ReplaceTransform($0.pattern, with: $0.replacement) }
        } catch {
            Issue.record("\(problem): init threw \(error)")
            return false
        }
        let boxed: [any ByteTransform] = transforms
        // The specialized pipeline's type spells out the number of stages.
        switch transforms.count {
        case 1:
            return expectEveryChunking(
                of: problem.input, through: transforms[0], gives: expected, in: problem.chunkings,
                "\(problem)")
        case 2:
            return expectEveryChunking(
                of: problem.input, through: transforms[0].followed(by: transforms[1]), boxedAs: boxed,
                gives: expected, in: problem.chunkings, "\(problem)")
        default:
            return expectEveryChunking(
                of: problem.input,
                through: transforms[0].followed(by: transforms[1]).followed(by: transforms[2]),
                boxedAs: boxed, gives: expected, in: problem.chunkings, "\(problem)")
        }
    }
}
