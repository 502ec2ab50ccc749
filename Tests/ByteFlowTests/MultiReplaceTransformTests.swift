import ByteFlow
import Testing

/// One randomly generated multi-pattern problem, fully determined by its seed.
private struct MultiCase: CustomStringConvertible {
    let seed: UInt64
    var input: [UInt8]
    var pairs: [(pattern: [UInt8], replacement: [UInt8])]
    var ignoringCase: Bool
    var chunkings: [Chunking]

    init(seed: UInt64, ignoringCase: Bool) {
        self.seed = seed
        self.ignoringCase = ignoringCase
        var random = SeededRandom(seed: seed)
        // Small alphabets make matches, overlaps and prefixes frequent; both
        // cases of letters and non-ASCII bytes (é = C3 A9, É = C3 89) test the
        // case folding; a few cases use all 256 byte values.
        let alphabet: [UInt8]
        switch Int.random(in: 0..<20, using: &random) {
        case 0: alphabet = (0...255).map { UInt8($0) }
        case 1...3: alphabet = utf8("aAbB") + [0xC3, 0xA9, 0x89]
        case 4...8: alphabet = utf8("ab")
        case 9...12: alphabet = utf8("abc")
        case 13...15: alphabet = utf8("aAbBcC@`[{")
        default: alphabet = utf8("abcd")
        }
        let length: Int
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<70: length = Int.random(in: 0...64, using: &random)
        case 70..<95: length = Int.random(in: 65...600, using: &random)
        default: length = Int.random(in: 601...3000, using: &random)
        }
        input = random.bytes(length, from: alphabet)

        // Up to 8 patterns use the prefilter; more use the automaton alone.
        let patternCount: Int
        switch Int.random(in: 0..<10, using: &random) {
        case 0...5: patternCount = Int.random(in: 1...4, using: &random)
        case 6...7: patternCount = Int.random(in: 5...12, using: &random)
        default: patternCount = Int.random(in: 13...120, using: &random)
        }
        pairs = []
        for _ in 0..<patternCount {
            var pattern: [UInt8]
            let kind = Int.random(in: 0..<10, using: &random)
            switch pairs.isEmpty ? 9 : kind {
            case 0:
                // A duplicate of an earlier pattern (with its case changed).
                pattern = pairs[Int.random(in: 0..<pairs.count, using: &random)].pattern
                pattern = pattern.map { Bool.random(using: &random) ? asciiLowercase($0) : $0 }
            case 1:
                // A prefix or an extension of an earlier pattern.
                let other = pairs[Int.random(in: 0..<pairs.count, using: &random)].pattern
                pattern =
                    Bool.random(using: &random) || other.count == 1
                    ? other + random.bytes(Int.random(in: 1...3, using: &random), from: alphabet)
                    : Array(other.prefix(Int.random(in: 1..<other.count, using: &random)))
            default:
                let patternLength =
                    Int.random(in: 0..<10, using: &random) == 0
                    ? Int.random(in: 9...40, using: &random) : Int.random(in: 1...6, using: &random)
                pattern = random.bytes(patternLength, from: alphabet)
            }
            // Long patterns rarely occur by chance: plant a copy or two.
            if pattern.count > 6 && !input.isEmpty {
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    let at = Int.random(in: 0..<input.count, using: &random)
                    input.replaceSubrange(at..<min(input.count, at + pattern.count), with: pattern)
                }
            }
            let replacementLength =
                Int.random(in: 0..<4, using: &random) == 0 ? 0 : Int.random(in: 1...6, using: &random)
            pairs.append((pattern, random.bytes(replacementLength, from: alphabet + utf8("XY"))))
        }
        chunkings = [randomPieces(for: input.count, using: &random)]
        chunkings.append(.fixed(Int.random(in: 1...max(2, min(input.count + 1, 48)), using: &random)))
        if Int.random(in: 0..<3, using: &random) == 0 { chunkings.append(.whole) }
    }

    var description: String {
        let shown = pairs.prefix(12).map { "\(printable($0.pattern))→\(printable($0.replacement))" }
        return
            "seed \(seed), ignoringCase \(ignoringCase), \(pairs.count) pairs: \(shown.joined(separator: " "))"
    }
}

@Suite("MultiReplaceTransform")
struct MultiReplaceTransformTests {
    /// 10,000 random cases per case mode, each in two or three chunkings, in
    /// the specialized and the boxed pipeline, against the reference.
    @Test("matches the leftmost-first reference", arguments: [false, true])
    func randomized(ignoringCase: Bool) throws {
        for index in 0..<10_000 {
            let seed = UInt64(index) &* 0x9E37_79B9 &+ (ignoringCase ? 7 : 3)
            let problem = MultiCase(seed: seed, ignoringCase: ignoringCase)
            let transform = try MultiReplaceTransform(problem.pairs, ignoringCase: problem.ignoringCase)
            let expected = referenceMultiReplace(
                problem.input, problem.pairs, ignoringCase: problem.ignoringCase)
            let ok = expectEveryChunking(
                of: problem.input, through: transform, gives: expected, in: problem.chunkings, "\(problem)")
            if !ok { return }
        }
    }

    @Test("every chunking of the documented examples")
    func examples() throws {
        var random = SeededRandom(seed: 10)
        let input = utf8("Hello, Hell, Hello! HELLO hell")
        for pairs in [[("Hello", "Hi"), ("Hell", "Heaven")], [("Hell", "Heaven"), ("Hello", "Hi")]] {
            for ignoringCase in [false, true] {
                let bytePairs = pairs.map { (pattern: utf8($0.0), replacement: utf8($0.1)) }
                expectEveryChunking(
                    of: input, through: try MultiReplaceTransform(pairs, ignoringCase: ignoringCase),
                    gives: referenceMultiReplace(input, bytePairs, ignoringCase: ignoringCase),
                    in: chunkings(for: input.count, using: &random), "\(pairs) \(ignoringCase)")
            }
        }
        // The order matters, and differs from applying the pairs one by one.
        var first = try BytesSource("Hello, Hell, Hello")
            .transformed(by: MultiReplaceTransform([("Hello", "Hi"), ("Hell", "Heaven")])).into(BufferSink())
        first.run()
        var second = try BytesSource("Hello, Hell, Hello")
            .transformed(by: MultiReplaceTransform([("Hell", "Heaven"), ("Hello", "Hi")])).into(BufferSink())
        second.run()
        #expect(first.sink.string == "Hi, Heaven, Hi")
        #expect(second.sink.string == "Heaveno, Heaven, Heaveno")
    }

    @Test("duplicates: the first wins; prefixes: the earlier-listed wins")
    func duplicatesAndPrefixes() throws {
        var random = SeededRandom(seed: 11)
        let input = utf8("abcab abc ABC aab abca")
        let cases: [[(pattern: [UInt8], replacement: [UInt8])]] = [
            [(utf8("ab"), utf8("1")), (utf8("ab"), utf8("2"))],
            [(utf8("ab"), utf8("1")), (utf8("abc"), utf8("2"))],
            [(utf8("abc"), utf8("1")), (utf8("ab"), utf8("2")), (utf8("a"), utf8("3"))],
            [(utf8("AB"), utf8("1")), (utf8("ab"), utf8("2"))],
            [(utf8("bca"), utf8("1")), (utf8("abcab"), utf8("2")), (utf8("c"), utf8(""))],
        ]
        for pairs in cases {
            for ignoringCase in [false, true] {
                expectEveryChunking(
                    of: input, through: try MultiReplaceTransform(pairs, ignoringCase: ignoringCase),
                    gives: referenceMultiReplace(input, pairs, ignoringCase: ignoringCase),
                    in: chunkings(for: input.count, using: &random), "\(pairs.map { printable($0.pattern) })")
            }
        }
        // The duplicate's replacement is never used.
        var pipeline = try BytesSource("ab")
            .transformed(by: MultiReplaceTransform([("ab", "1"), ("ab", "2")])).into(BufferSink())
        pipeline.run()
        #expect(pipeline.sink.string == "1")
    }

    @Test("empty lists and empty patterns are typed errors")
    func errors() {
        #expect(throws: ByteFlowError.noPatterns) { try MultiReplaceTransform([(String, String)]()) }
        #expect(throws: ByteFlowError.emptyPatternInList(index: 1)) {
            try MultiReplaceTransform([("a", "b"), ("", "c")])
        }
        #expect(ByteFlowError.emptyPatternInList(index: 1).description == "pattern 2 of the list is empty")
    }

    @Test("ASCII case is ignored only for letters; other bytes compare exactly")
    func caseFolding() throws {
        var random = SeededRandom(seed: 12)
        // `@` and `` ` `` differ by 0x20 like A and a, as do É and é's second bytes.
        let input = utf8("Élvis ÉLVIS élvis @x `x [y {y") + [0xC3, 0x89]
        let pairs = [
            (pattern: utf8("élvis"), replacement: utf8("E")), (utf8("`x"), utf8("1")),
            (utf8("{Y"), utf8("2")),
        ]
        let expected = referenceMultiReplace(input, pairs, ignoringCase: true)
        #expect(expected == utf8("Élvis ÉLVIS E @x 1 [y 2") + [0xC3, 0x89])
        expectEveryChunking(
            of: input, through: try MultiReplaceTransform(pairs, ignoringCase: true), gives: expected,
            in: chunkings(for: input.count, using: &random))
    }

    /// The adversarial shape for leftmost-first: `a…ab` listed before `a`
    /// over a long run of `a`: every position needs the long pattern ruled
    /// out. The output must still be right, and at most `m - 1` bytes held.
    @Test("adversarial a…ab over a…a: correct and bounded hold-back")
    func adversarial() throws {
        var random = SeededRandom(seed: 13)
        for k in [1, 5, 31, 64] {
            let long = [UInt8](repeating: UInt8(ascii: "a"), count: k) + utf8("b")
            let pairs = [
                (pattern: long, replacement: utf8("L")), (utf8("a"), utf8("s")), (utf8("ab"), utf8("x")),
            ]
            var input = [UInt8](repeating: UInt8(ascii: "a"), count: 3000)
            input[1500] = UInt8(ascii: "b")
            input[2999] = UInt8(ascii: "b")
            for ignoringCase in [false, true] {
                expectEveryChunking(
                    of: input, through: try MultiReplaceTransform(pairs, ignoringCase: ignoringCase),
                    gives: referenceMultiReplace(input, pairs, ignoringCase: ignoringCase),
                    in: chunkings(for: input.count, randomCount: 3, using: &random), "k \(k)")
            }
        }
        // A restart whose re-read bytes hold a whole match and its end: after
        // `ab` wins over `abcdeW`, `cd` must still be found inside `cde`.
        let pairs = [
            (pattern: utf8("abcdeW"), replacement: utf8("1")), (utf8("ab"), utf8("2")),
            (utf8("cdz"), utf8("3")), (utf8("cd"), utf8("4")),
        ]
        let input = utf8("abcdeQ abcdeW abcdz abcd")
        let expected = referenceMultiReplace(input, pairs, ignoringCase: false)
        #expect(expected == utf8("24eQ 1 23 24"))
        expectEveryChunking(
            of: input, through: try MultiReplaceTransform(pairs), gives: expected,
            in: chunkings(for: input.count, using: &random))
    }

    /// Randomized adversarial shapes: every pattern is a prefix of one base
    /// word (or a prefix with one byte changed), listed in random order, over
    /// a one- or two-letter alphabet, and the text is made of prefixes of that
    /// word. This is where a leftmost-first search restarts after a match that
    /// ended before where it had read (`a…ab` listed before `a`), and where a
    /// restart that skips the rescan would go wrong (`MultiReplaceTransform`'s
    /// "Complexity" note). Every fixed chunk size up to the input length plus
    /// random pieces, specialized and boxed, both case modes.
    @Test("adversarial prefix families over tiny alphabets", arguments: [false, true])
    func adversarialFamilies(ignoringCase: Bool) throws {
        var random = SeededRandom(seed: ignoringCase ? 17 : 16)
        for round in 0..<300 {
            let alphabet = round % 3 == 0 ? utf8("a") : (ignoringCase ? utf8("aAb") : utf8("ab"))
            let base = random.bytes(Int.random(in: 1...40, using: &random), from: alphabet)
            var pairs: [(pattern: [UInt8], replacement: [UInt8])] = []
            for index in 0..<Int.random(in: 1...8, using: &random) {
                var pattern = Array(base.prefix(Int.random(in: 1...base.count, using: &random)))
                if Bool.random(using: &random) {
                    // Diverge at the last byte: a near miss of a longer prefix.
                    pattern[pattern.count - 1] = pattern.last == UInt8(ascii: "b") ? 0x61 : 0x62
                }
                pairs.append((pattern, utf8("<\(index)>")))
            }
            pairs.shuffle(using: &random)
            var input: [UInt8] = []
            let length = Int.random(in: 0...200, using: &random)
            while input.count < length {
                input += base.prefix(Int.random(in: 1...base.count, using: &random))
                if Int.random(in: 0..<4, using: &random) == 0 { input += random.bytes(1, from: utf8("abc")) }
            }
            expectEveryChunking(
                of: input, through: try MultiReplaceTransform(pairs, ignoringCase: ignoringCase),
                gives: referenceMultiReplace(input, pairs, ignoringCase: ignoringCase),
                in: chunkings(for: input.count, randomCount: 2, using: &random),
                "round \(round): \(pairs.map { printable($0.pattern) }) over \(printable(input))")
        }
    }

    // A chain moves the stages behind each level once per piece; a stage of
    // more than about 128 bytes goes through `memmove` each time, which made
    // multi → hop → hop → multi slower specialized than boxed when the
    // transform was 472 bytes (Documentation/Benchmarks.md).
    @Test("the replace stages a chain moves per piece stay within 64 bytes")
    func storedSize() {
        #expect(MemoryLayout<MultiReplaceTransform>.size <= 64)
        #expect(MemoryLayout<ReplaceTransform>.size <= 64)
    }

    @Test("copies share the patterns but not the held-back bytes")
    func copiesAreIndependent() throws {
        var first = try MultiReplaceTransform([("abc", "X"), ("bcd", "Y")])
        var firstSink = BufferSink()
        try first.process(utf8("zab").span.bytes, into: &firstSink)
        var second = first  // holds "ab" too, in its own buffer
        var secondSink = BufferSink()
        try first.process(utf8("c!").span.bytes, into: &firstSink)
        try first.finish(into: &firstSink)
        try second.process(utf8("zcd").span.bytes, into: &secondSink)
        try second.finish(into: &secondSink)
        #expect(firstSink.string == "zX!")
        #expect(secondSink.string == "abzcd")
    }

    @Test("holds back at most the longest pattern minus one byte, and reset discards it")
    func holdBackBound() throws {
        var random = SeededRandom(seed: 14)
        for _ in 0..<200 {
            let alphabet = utf8("abAB")
            let pairs = (0..<Int.random(in: 1...20, using: &random)).map { _ in
                (
                    pattern: random.bytes(Int.random(in: 1...12, using: &random), from: alphabet),
                    replacement: utf8("#")
                )
            }
            var transform = try MultiReplaceTransform(pairs, ignoringCase: Bool.random(using: &random))
            var sink = BufferSink()
            let input = random.bytes(400, from: alphabet)
            var offset = 0
            while offset < input.count {
                let size = min(input.count - offset, Int.random(in: 0...20, using: &random))
                try transform.process(input.span.bytes.extracting(offset..<offset + size), into: &sink)
                #expect(transform.heldBackByteCount <= transform.longestPatternLength - 1)
                offset += size
            }
            try transform.finish(into: &sink)
            expectBytes(
                sink.bytes, equal: referenceMultiReplace(input, pairs, ignoringCase: transform.ignoresCase))
            #expect(transform.heldBackByteCount == 0)
        }
        var transform = try MultiReplaceTransform([("abc", "X")])
        var sink = BufferSink()
        try transform.process(utf8("zab").span.bytes, into: &sink)
        #expect(transform.heldBackByteCount == 2)
        transform.reset()
        #expect(transform.heldBackByteCount == 0)
        try transform.process(utf8("c").span.bytes, into: &sink)
        try transform.finish(into: &sink)
        #expect(sink.string == "zc")
    }

    @Test("many patterns over long text, in a chain with ReplaceTransform")
    func longTextAndChains() throws {
        var random = SeededRandom(seed: 15)
        let text = elvisText(20_000, seed: 15)
        let words = ["elvis", "king", "the", "lives", "Elvis", "elvi", "e", "\n"].map(utf8)
        for count in [1, 2, 3, 8, 9, 100] {
            var pairs: [(pattern: [UInt8], replacement: [UInt8])] = []
            for i in 0..<count {
                let pattern =
                    i < words.count
                    ? words[i] : random.bytes(Int.random(in: 2...7, using: &random), from: utf8("elvisking"))
                pairs.append((pattern, utf8("<\(i)>")))
            }
            for ignoringCase in [false, true] {
                let multi = try MultiReplaceTransform(pairs, ignoringCase: ignoringCase)
                let expected = referenceMultiReplace(text, pairs, ignoringCase: ignoringCase)
                expectEveryChunking(
                    of: text, through: multi, gives: expected,
                    in: chunkings(for: text.count, randomCount: 2, using: &random), "\(count) patterns")
                let replace = try ReplaceTransform("<1>", with: "[one]")
                expectEveryChunking(
                    of: text, through: multi.followed(by: replace), boxedAs: [multi, replace],
                    gives: referenceReplace(expected, utf8("<1>"), utf8("[one]")),
                    in: [.fixed(7), .fixed(4096), randomPieces(for: text.count, using: &random)],
                    "chain \(count)")
            }
        }
    }
}
