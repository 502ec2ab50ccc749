import ByteFlow
import Testing

/// The table of the Go walkthrough that made `elvis` → `Elvis` the classic
/// streaming-replace exercise: every entry holds a trap for a naive
/// streaming implementation (restarting after a partial match, a match right
/// after a false start, self-overlap).
let classicCases: [(input: String, output: String)] = [
    ("abc", "abc"),
    ("elvis", "Elvis"),
    ("aElvis", "aElvis"),
    ("abcelvis", "abcElvis"),
    ("eelvis", "eElvis"),
    ("aelvis", "aElvis"),
    ("aabeeeelvis", "aabeeeElvis"),
    ("e l v i s", "e l v i s"),
    ("aa bb e l v i saa", "aa bb e l v i saa"),
    (" elvi s", " elvi s"),
    ("elvielvis", "elviElvis"),
    ("elvielvielviselvi1", "elvielviElviselvi1"),
    ("elvielviselvis", "elviElvisElvis"),
]

/// All classic inputs, concatenated: 119 bytes.
let classicTableInput = utf8(classicCases.map(\.input).joined())
let classicTableOutput = utf8(classicCases.map(\.output).joined())

/// Test-wide seed for the random chunkings of this file; printed by
/// ``Chunking`` in every failure message.
private let chunkingSeed: UInt64 = 0xB17E_F10E

@Suite("ReplaceTransform")
struct ReplaceTransformTests {
    let elvis: ReplaceTransform

    init() throws {
        elvis = try ReplaceTransform("elvis", with: "Elvis")
    }

    // MARK: The classic table

    @Test("classic table, every chunking", arguments: classicCases)
    func classicEntry(input: String, output: String) {
        var random = SeededRandom(seed: chunkingSeed)
        let bytes = utf8(input)
        #expect(referenceReplace(bytes, utf8("elvis"), utf8("Elvis")) == utf8(output), "the reference itself")
        expectEveryChunking(
            of: bytes, through: elvis, gives: utf8(output),
            in: chunkings(for: bytes.count, randomCount: 20, using: &random))
    }

    @Test func classicConcatenationIs119Bytes() {
        #expect(classicTableInput.count == 119)
        #expect(referenceReplace(classicTableInput, utf8("elvis"), utf8("Elvis")) == classicTableOutput)
    }

    /// The library's own ``BytesSource`` cutting the classic input, in every
    /// chunk size from 1 to past its length.
    @Test("classic concatenation, chunk size", arguments: 1...130)
    func classicConcatenation(chunkSize: Int) throws {
        var specialized = try BytesSource(classicTableInput, chunkSize: chunkSize)
            .transformed(by: elvis)
            .into(BufferSink())
        let summary = specialized.run()
        #expect(specialized.sink.bytes == classicTableOutput, "specialized, chunk size \(chunkSize)")
        #expect(summary == PipelineSummary(bytesRead: 119, bytesWritten: 119))

        var boxed = BoxedPipeline(
            source: try BytesSource(classicTableInput, chunkSize: chunkSize), transforms: [elvis],
            sink: BufferSink())
        let boxedSummary = try boxed.run()
        #expect(
            boxed.sink(as: BufferSink.self)?.bytes == classicTableOutput, "boxed, chunk size \(chunkSize)")
        #expect(boxedSummary == summary)

        // The same sweep with empty chunks and a trailing empty chunk.
        var random = SeededRandom(seed: chunkingSeed &+ UInt64(chunkSize))
        expectEveryChunking(
            of: classicTableInput, through: elvis, gives: classicTableOutput,
            in: [.fixed(chunkSize), randomPieces(for: 119, using: &random)], "chunk size \(chunkSize)")
    }

    // MARK: Edge cases, each in every chunking

    @Test(
        "edge cases",
        arguments: [
            // A partial match at the end of the stream is released unchanged.
            ("xxelvi", "elvis", "Elvis"),
            ("elv", "elvis", "Elvis"),
            ("e", "elvis", "Elvis"),
            // Self-overlapping patterns.
            ("aaab", "aab", "X"),
            ("aaaab", "aab", "X"),
            ("abababab", "abab", "X"),
            ("ababababa", "abab", "X"),
            ("aaaaaaa", "aaa", "X"),
            ("aaaaaaa", "aa", "a"),
            ("abcabcabdabcabd", "abcabd", "-"),
            ("aabaabaaab", "aabaaab", "!"),
            // Longer than the input.
            ("elv", "elvis presley", "E"),
            ("", "elvis", "Elvis"),
            // Deletion and expansion (the replacement 10x the pattern).
            ("elvis and elvis", "elvis", ""),
            ("elviselviselvis", "elvis", ""),
            ("a.b.c.", ".", ""),
            ("elvis elvis", "elvis", String(repeating: "ELVIS", count: 10)),
            ("aaaa", "a", String(repeating: "bb", count: 5)),
            // The replacement contains the pattern: no rescan.
            ("aaa", "a", "aa"),
            ("elvis", "elvis", "elviselvis"),
            // One-byte patterns.
            ("hello world", "o", "0"),
            ("ooo", "o", ""),
            ("xyz", "q", "Q"),
            // Pattern equals the input.
            ("elvis", "elvis", "Elvis"),
        ])
    func edgeCase(input: String, pattern: String, replacement: String) throws {
        var random = SeededRandom(seed: chunkingSeed)
        let (bytes, pattern, replacement) = (utf8(input), utf8(pattern), utf8(replacement))
        let expected = referenceReplace(bytes, pattern, replacement)
        expectEveryChunking(
            of: bytes, through: try ReplaceTransform(pattern, with: replacement), gives: expected,
            in: chunkings(for: bytes.count, randomCount: 12, using: &random))
    }

    @Test func referenceAgreesWithHandWrittenResults() {
        #expect(referenceReplace(utf8("aaab"), utf8("aab"), utf8("X")) == utf8("aX"))
        #expect(referenceReplace(utf8("abababab"), utf8("abab"), utf8("X")) == utf8("XX"))
        #expect(referenceReplace(utf8("aaaaaaa"), utf8("aaa"), utf8("X")) == utf8("XXa"))
        #expect(referenceReplace(utf8("xxelvi"), utf8("elvis"), utf8("Elvis")) == utf8("xxelvi"))
        #expect(referenceReplace(utf8("aaa"), utf8("a"), utf8("aa")) == utf8("aaaaaa"))
        #expect(referenceReplace([], utf8("a"), utf8("b")) == [])
    }

    @Test func emptyInputProducesNothing() throws {
        expectEveryChunking(
            of: [], through: elvis, gives: [],
            in: [.whole, .fixed(1), .pieces([0]), .pieces([0, 0, 0])])
    }

    @Test func patternLongerThanTheChunkSize() throws {
        let pattern = utf8("supercalifragilisticexpialidocious")
        let input = utf8("a supercalifragilisticexpialidocious day, supercalifragilisticexpialidociou")
        let expected = utf8("a [word] day, supercalifragilisticexpialidociou")
        #expect(referenceReplace(input, pattern, utf8("[word]")) == expected)
        var random = SeededRandom(seed: chunkingSeed)
        expectEveryChunking(
            of: input, through: try ReplaceTransform(pattern, with: utf8("[word]")), gives: expected,
            in: chunkings(for: input.count, randomCount: 20, using: &random))
    }

    @Test(
        "NUL and 0xFF bytes", arguments: [[0x00], [0xFF], [0x00, 0xFF], [0xFF, 0x00, 0x00], [0x00, 0x00]])
    func binaryBytes(pattern: [UInt8]) throws {
        var random = SeededRandom(seed: chunkingSeed)
        for _ in 0..<20 {
            let input = random.bytes(Int.random(in: 0...120, using: &random), from: [0x00, 0xFF, 0x01])
            let replacement: [UInt8] = [0xFF, 0xFF, 0x00]
            expectEveryChunking(
                of: input, through: try ReplaceTransform(pattern, with: replacement),
                gives: referenceReplace(input, pattern, replacement),
                in: chunkings(for: input.count, randomCount: 3, everyFixedSizeUpTo: 40, using: &random),
                "pattern \(printable(pattern))")
        }
    }

    @Test("long patterns", arguments: [64, 65, 100, 200])
    func longPattern(length: Int) throws {
        var random = SeededRandom(seed: chunkingSeed &+ UInt64(length))
        let pattern = random.bytes(length, from: utf8("abc"))
        // Copies of the pattern, near misses (one byte changed, or cut short)
        // and noise, so that both matches and failed verifications happen.
        var input: [UInt8] = []
        for _ in 0..<6 {
            input += random.bytes(Int.random(in: 0...40, using: &random), from: utf8("abcd"))
            input += pattern
            var nearMiss = pattern
            nearMiss[Int.random(in: 0..<length, using: &random)] = UInt8(ascii: "d")
            input += nearMiss
            input += pattern.prefix(Int.random(in: 1..<length, using: &random))
        }
        input += pattern.prefix(length - 1)
        let replacement = utf8("<long>")
        let expected = referenceReplace(input, pattern, replacement)
        #expect(expected.count < input.count, "the input must contain matches")
        expectEveryChunking(
            of: input, through: try ReplaceTransform(pattern, with: replacement), gives: expected,
            in: chunkings(for: input.count, randomCount: 10, using: &random))
    }

    // MARK: The SIMD prefilter loop

    /// One match at every offset of a few hundred bytes of filler, in chunk
    /// sizes around the 16-byte block, so that the match starts at every
    /// position relative to the block and to the chunk, and in the scalar
    /// tail after the last whole block.
    @Test("a match at every offset", arguments: [1, 2, 3, 5, 15, 16, 17, 64, 70])
    func matchAtEveryOffset(patternLength: Int) throws {
        var random = SeededRandom(seed: chunkingSeed &+ UInt64(patternLength))
        let pattern = Array(random.bytes(patternLength, from: utf8("elvis")))
        // Filler that holds the pattern's bytes (so the prefilter fires) but
        // not the pattern itself.
        let filler = utf8(String(repeating: "sivle", count: 60))
        let replacement = utf8("<>")
        let transform = try ReplaceTransform(pattern, with: replacement)
        let length = 240
        for offset in 0...(length - patternLength) {
            var input = Array(filler.prefix(length))
            input.replaceSubrange(offset..<(offset + patternLength), with: pattern)
            let expected = referenceReplace(input, pattern, replacement)
            let ok = expectEveryChunking(
                of: input, through: transform, gives: expected,
                in: [
                    .whole, .fixed(7), .fixed(15), .fixed(16), .fixed(17), .fixed(64), .fixed(100),
                    randomPieces(for: length, using: &random),
                ],
                "pattern \(printable(pattern)) at offset \(offset)")
            if !ok { break }
        }
    }

    /// Matches separated by every gap from 0 to 40 bytes: many matches in one
    /// buffer, at every alignment, resuming the search after each.
    @Test(
        "dense matches",
        arguments: ["e", "el", "elvis", "elviselvis!", String(repeating: "elvis", count: 13)])
    func denseMatches(pattern: String) throws {
        var random = SeededRandom(seed: chunkingSeed)
        let pattern = utf8(pattern)
        var input: [UInt8] = []
        for gap in 0...40 {
            input += random.bytes(gap, from: utf8("sivl"))
            input += pattern
        }
        for replacement in [[], utf8("E"), utf8(String(repeating: "Elvis", count: 3))] {
            expectEveryChunking(
                of: input, through: try ReplaceTransform(pattern, with: replacement),
                gives: referenceReplace(input, pattern, replacement),
                in: chunkings(for: input.count, randomCount: 6, using: &random),
                "replacement \(printable(replacement))")
        }
    }

    /// Replace → replace on dense lines, the shape in which the second
    /// stage receives pieces of 1–40 bytes (many shorter than its pattern,
    /// each searched by the short-piece path), holds back prefixes across
    /// pieces and chunks, and finds matches that the first stage's
    /// replacement completes or splits (`kinKING…`, `elvisking`).
    @Test(
        "replace → replace on dense text",
        arguments: [("elvis", "Elvis", "king", "KING"), ("e", "ee", "ee", "E"), ("is", "", "ki", "k")])
    func replaceThenReplaceSplitsAndCompletesMatches(steps: (String, String, String, String)) throws {
        var random = SeededRandom(seed: chunkingSeed &+ 8)
        let words = ["the", "king", "elvis", "has", "left", "kin", "elvi", "kingelvis", "elvisking", "\n", "k"]
        var input: [UInt8] = []
        while input.count < 700 {
            input += utf8(words[Int.random(in: 0..<words.count, using: &random)])
            if Bool.random(using: &random) { input.append(UInt8(ascii: " ")) }
        }
        let first = try ReplaceTransform(steps.0, with: steps.1)
        let second = try ReplaceTransform(steps.2, with: steps.3)
        let expected = referenceReplace(
            referenceReplace(input, utf8(steps.0), utf8(steps.1)), utf8(steps.2), utf8(steps.3))
        expectEveryChunking(
            of: input, through: first.followed(by: second), boxedAs: [first, second], gives: expected,
            in: chunkings(for: input.count, randomCount: 8, using: &random),
            "\(steps.0) → \(steps.1), then \(steps.2) → \(steps.3)")
    }

    /// Pieces of every length below and around the 64-byte step with the
    /// pattern at every offset, a near miss at every offset (a candidate
    /// that fails), and a prefix held back at the end: the
    /// short-piece path's word, overlapping-word and byte tails, and the
    /// hand-over to the SIMD scan at 64 bytes.
    @Test("short pieces around the SIMD step", arguments: ["k", "ki", "kin", "king", "kingdom!", "kingdomsofelvis!"])
    func shortPiecesAroundTheStep(pattern: String) throws {
        let pattern = utf8(pattern)
        let transform = try ReplaceTransform(pattern, with: utf8("<>"))
        var random = SeededRandom(seed: chunkingSeed &+ UInt64(pattern.count))
        for length in [1, 2, 7, 8, 9, 15, 16, 17, 31, 40, 62, 63, 64, 65, 66, 79, 80] {
            for offset in 0..<length {
                let filler = random.bytes(length, from: utf8("abcdefgh"))
                var variants: [[UInt8]] = []
                // The pattern (or as much of it as fits, held back) at
                // `offset`, and the same with its last byte changed: a
                // candidate that fails verification.
                for changeLast in [false, true] {
                    var input = filler
                    var placed = pattern
                    if changeLast { placed[placed.count - 1] = UInt8(ascii: "#") }
                    let end = min(length, offset + placed.count)
                    input.replaceSubrange(offset..<end, with: placed[0..<(end - offset)])
                    variants.append(input)
                }
                for input in variants {
                    let ok = expectEveryChunking(
                        of: input, through: transform, gives: referenceReplace(input, pattern, utf8("<>")),
                        in: [.whole, .fixed(max(1, pattern.count - 1)), .fixed(pattern.count), .fixed(13)],
                        "pattern \(printable(pattern)), length \(length), offset \(offset)")
                    if !ok { return }
                }
            }
        }
    }

    // MARK: Inputs that defeat the prefilter

    /// Pattern `a…ab` (23 `a`s) against runs of `aaab`: the prefilter's
    /// candidates fail verification (one in six is verified, the others are
    /// skipped), so the search gives up on the prefilter and continues with
    /// Two-Way. The real matches
    /// are placed at every offset around the point where that happens
    /// (SearchKernelTests checks that it does happen for this input).
    @Test func adversarialInputSwitchesToLinearSearchAndStaysCorrect() throws {
        let pattern = [UInt8](repeating: UInt8(ascii: "a"), count: 23) + [UInt8(ascii: "b")]
        let transform = try ReplaceTransform(pattern, with: utf8("<match>"))
        let runs = [UInt8](utf8(String(repeating: "aaab", count: 600)))
        var random = SeededRandom(seed: chunkingSeed)
        // The prefilter gives up at about byte 2,064 of runs of `aaab` (each
        // failed verification is charged the 9 bytes compared plus 64 and
        // skips the 24 starts that follow, against an allowance of 1 per
        // byte scanned plus 4,096; pinned by SearchKernelTests); the first
        // match is placed at every offset from well before to well after
        // that point.
        for prefixLength in 1950...2300 {
            let input =
                Array(runs.prefix(prefixLength)) + pattern + Array(runs.prefix(37)) + pattern + pattern
                + Array(runs.prefix(1000)) + pattern + utf8("aaa")
            let expected = referenceReplace(input, pattern, utf8("<match>"))
            let ok = expectEveryChunking(
                of: input, through: transform, gives: expected,
                in: [.whole, .fixed(1500), randomPieces(for: input.count, using: &random)],
                "prefix length \(prefixLength)")
            if !ok { break }
        }
    }

    /// Dense candidates with one- and two-byte patterns (exact from the
    /// prefilter alone) and short patterns verified in registers.
    @Test func adversarialShortPatterns() throws {
        var random = SeededRandom(seed: chunkingSeed)
        for (pattern, unit) in [
            (utf8("ab"), utf8("a")), (utf8("aab"), utf8("ab")), (utf8("aaaaaaab"), utf8("aaaaaab")),
        ] {
            var input = [UInt8]()
            for _ in 0..<800 { input += unit }
            input += pattern
            for _ in 0..<100 { input += unit }
            input += pattern
            expectEveryChunking(
                of: input, through: try ReplaceTransform(pattern, with: utf8("!")),
                gives: referenceReplace(input, pattern, utf8("!")),
                in: [.whole, .fixed(4096), .fixed(1000), randomPieces(for: input.count, using: &random)],
                "pattern \(printable(pattern))")
        }
    }

    /// Adversarial regions (where the search falls back to Two-Way) with
    /// matches inside them, across the end of the fallback's span and in the
    /// ordinary text after it, in chunkings that cut the fallback at every
    /// kind of place: the fallback's entry and exit inside a chunk and across
    /// chunk boundaries, specialized and boxed.
    @Test(arguments: AdversarialClass.allCases)
    func adversarialRegionsEveryChunking(_ kind: AdversarialClass) throws {
        let pattern = kind.pattern
        var random = SeededRandom(seed: chunkingSeed)
        var input =
            kind.text(20 << 10) + utf8(String(repeating: "text and more text ", count: 200))
            + kind.text(12 << 10)
        for _ in 0..<12 {
            let at = Int.random(in: 0..<(input.count - pattern.count), using: &random)
            input.replaceSubrange(at..<(at + pattern.count), with: pattern)
        }
        for at in [8190, 8192, 8200, 16383] {
            input.replaceSubrange(at..<(at + pattern.count), with: pattern)
        }
        let transform = try ReplaceTransform(pattern, with: utf8("<m>"))
        expectEveryChunking(
            of: input, through: transform, gives: referenceReplace(input, pattern, utf8("<m>")),
            in: [
                .whole, .fixed(1), .fixed(37), .fixed(1000), .fixed(8191), .fixed(16 << 10),
                randomPieces(for: input.count, using: &random),
            ],
            "\(kind)")
    }

    @Test func resetDiscardsHeldBytes() throws {
        var transform = try ReplaceTransform("elvis", with: "Elvis")
        var sink = BufferSink()
        try transform.process(utf8("the elv").span.bytes, into: &sink)
        #expect(transform.heldBackByteCount == 3)
        transform.reset()
        #expect(transform.heldBackByteCount == 0)
        try transform.process(utf8("is here").span.bytes, into: &sink)
        try transform.finish(into: &sink)
        #expect(sink.bytes == utf8("the is here"))
    }

    // MARK: State and errors

    @Test func emptyPatternIsRejected() {
        #expect(throws: ByteFlowError.emptyPattern) { try ReplaceTransform("", with: "x") }
        #expect(throws: ByteFlowError.emptyPattern) { try ReplaceTransform([], with: [1, 2]) }
        #expect(ByteFlowError.emptyPattern.description.contains("empty"))
    }

    @Test func invalidChunkSizeIsRejected() {
        #expect(throws: ByteFlowError.invalidChunkSize(0)) { try BytesSource([1, 2, 3], chunkSize: 0) }
        #expect(throws: ByteFlowError.invalidChunkSize(-5)) { try BytesSource("abc", chunkSize: -5) }
        #expect(ByteFlowError.invalidChunkSize(-5).description.contains("-5"))
    }

    @Test func propertiesReportTheConfiguration() throws {
        let transform = try ReplaceTransform(utf8("elvis"), with: [])
        #expect(transform.pattern == utf8("elvis"))
        #expect(transform.replacement == [])
        #expect(transform.heldBackByteCount == 0)
    }

    /// The transform holds back the longest tail that may begin a match, at
    /// most `pattern.count - 1` bytes, and `finish` releases it and resets.
    @Test func holdsBackAPartialMatchAndFinishReleasesIt() throws {
        var transform = elvis
        var sink = BufferSink()
        try transform.process(utf8("xx elv").span.bytes, into: &sink)
        #expect(sink.string == "xx ")
        #expect(transform.heldBackByteCount == 3)
        try transform.process(utf8("i").span.bytes, into: &sink)
        #expect(transform.heldBackByteCount == 4)
        try transform.process(utf8("").span.bytes, into: &sink)
        #expect(transform.heldBackByteCount == 4)
        try transform.process(utf8("e").span.bytes, into: &sink)
        #expect(sink.string == "xx elvi")
        #expect(transform.heldBackByteCount == 1)
        try transform.finish(into: &sink)
        #expect(sink.string == "xx elvie")
        #expect(transform.heldBackByteCount == 0)

        // Back in its initial state: the next stream is independent.
        sink.removeAll()
        try transform.process(utf8("lvis").span.bytes, into: &sink)
        try transform.finish(into: &sink)
        #expect(sink.string == "lvis")
    }

    @Test func heldBackBytesNeverReachThePatternLength() throws {
        var random = SeededRandom(seed: chunkingSeed)
        for pattern in [utf8("aab"), utf8("abab"), utf8("aaaa"), utf8("a")] {
            var transform = try ReplaceTransform(pattern, with: utf8("."))
            var sink = DiscardSink()
            for _ in 0..<400 {
                let chunk = random.bytes(Int.random(in: 0...5, using: &random), from: utf8("ab"))
                try transform.process(chunk.span.bytes, into: &sink)
                #expect(transform.heldBackByteCount < pattern.count)
            }
            try transform.finish(into: &sink)
            #expect(transform.heldBackByteCount == 0)
        }
    }
}
