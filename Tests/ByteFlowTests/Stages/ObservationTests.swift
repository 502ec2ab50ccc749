import ByteFlow
import Testing

/// Leftmost, non-overlapping occurrences of `pattern` in `input`.
private func referenceCount(_ input: [UInt8], _ pattern: [UInt8]) -> Int {
    var count = 0
    var i = 0
    while i + pattern.count <= input.count {
        if input[i..<i + pattern.count].elementsEqual(pattern) {
            count += 1
            i += pattern.count
        } else {
            i += 1
        }
    }
    return count
}

/// Runs `input`, cut by each of `chunkings`, through a `CountingTransform`
/// for `pattern`, specialized (into a `BufferSink`: the stream must pass on
/// unchanged) and boxed, and expects `expected` counts from both.
private func expectCounts(
    _ input: [UInt8], pattern: [UInt8], in chunkings: [Chunking], _ expected: CountingTransform.Counts,
    _ label: String
) throws {
    for chunking in chunkings {
        var pipeline = ChunkedSource(input, chunking).transformed(by: try CountingTransform(pattern: pattern))
            .into(BufferSink())
        try pipeline.run()
        #expect(pipeline.transform.counts == expected, "\(label) \(chunking)")
        #expect(pipeline.sink.bytes == input, "\(label) \(chunking)")
        var boxed = BoxedPipeline(
            source: ChunkedSource(input, chunking), transforms: [try CountingTransform(pattern: pattern)],
            sink: DiscardSink())
        try boxed.run()
        #expect(
            (boxed.transforms[0] as? CountingTransform)?.counts == expected, "boxed, \(label) \(chunking)")
    }
}

/// The same behind `DelimiterFramer.lines()` (one write per line): expects
/// `expected` from the counts' `part`, specialized and boxed.
private func expectFramedCounts<Part: Equatable>(
    _ input: [UInt8], pattern: [UInt8], in chunkings: [Chunking], _ expected: Part,
    _ part: KeyPath<CountingTransform.Counts, Part>, _ label: String
) throws {
    for chunking in chunkings {
        var pipeline = ChunkedSource(input, chunking).transformed(by: try DelimiterFramer.lines())
            .transformed(by: try CountingTransform(pattern: pattern)).into(DiscardSink())
        try pipeline.run()
        #expect(pipeline.transform.second.counts[keyPath: part] == expected, "\(label) \(chunking)")
        var boxed = BoxedPipeline(
            source: ChunkedSource(input, chunking),
            transforms: [try DelimiterFramer.lines(), try CountingTransform(pattern: pattern)],
            sink: DiscardSink())
        try boxed.run()
        #expect(
            (boxed.transforms[1] as? CountingTransform)?.counts[keyPath: part] == expected,
            "boxed, \(label) \(chunking)")
    }
}

/// A sink that throws on its `failAt`-th write (counting from 0).
private struct FailingAtWriteSink: ByteSink {
    struct Failure: Error {}
    var failAt: Int
    var writes = 0
    var received: [UInt8] = []
    mutating func write(_ bytes: RawSpan) throws {
        defer { writes += 1 }
        if writes == failAt { throw Failure() }
        bytes.withUnsafeBytes { received += $0 }
    }
}

@Suite("Fan-out and observation")
struct ObservationTests {
    @Test(
        "CountingTransform counts bytes, lines and matches in every chunking, and passes the stream on",
        arguments: 0..<120)
    func counting(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &+ 500)
        let input = random.bytes(
            seed < 100
                ? Int.random(in: 0...120, using: &random) : Int.random(in: 5000...70_000, using: &random),
            from: utf8("ab\n"))
        let pattern = random.bytes(Int.random(in: 1...4, using: &random), from: utf8("ab\n"))
        let expected = CountingTransform.Counts(
            bytes: input.count, lines: input.count { $0 == 0x0A }, matches: referenceCount(input, pattern))
        try expectCounts(
            input, pattern: pattern,
            in: chunkings(for: input.count, randomCount: 3, everyFixedSizeUpTo: 40, using: &random),
            expected, "seed \(seed) pattern \(printable(pattern))")
    }

    @Test(
        "CountingTransform: every write length 0–300 (short-write, block and finder paths), patterns up to 20 bytes",
        arguments: [1, 2, 3, 5, 8, 15, 16, 17, 20])
    func countingEveryWriteLength(patternLength: Int) throws {
        var random = SeededRandom(seed: UInt64(patternLength) &+ 900)
        let alphabet = utf8("ab\n")
        let pattern = random.bytes(patternLength, from: alphabet)
        // The pattern planted often enough that long patterns match too.
        var text: [UInt8] = []
        while text.count < 400 {
            text +=
                Bool.random(using: &random)
                ? pattern : random.bytes(Int.random(in: 0...9, using: &random), from: alphabet)
        }
        for length in 0...300 {
            let input = Array(text.prefix(length))
            let expected = CountingTransform.Counts(
                bytes: length, lines: input.count { $0 == 0x0A }, matches: referenceCount(input, pattern))
            try expectCounts(
                input, pattern: pattern, in: [.whole, .fixed(17), .fixed(255)], expected, "length \(length)")
        }
    }

    @Test(
        "CountingTransform: writes of 1–80 bytes (the 64-byte mask path and around it), patterns of 1–70 bytes, matches across writes",
        arguments: [1, 2, 3, 5, 16, 17, 63, 64, 65, 70])
    func countingShortWrites(patternLength: Int) throws {
        var random = SeededRandom(seed: UInt64(patternLength) &+ 4_400)
        let alphabet = utf8("aab")
        let pattern = random.bytes(patternLength, from: alphabet)
        var input: [UInt8] = []
        while input.count < 700 {
            input +=
                Int.random(in: 0..<3, using: &random) == 0
                ? pattern + Array(pattern.prefix(Int.random(in: 0..<patternLength, using: &random)))
                : random.bytes(Int.random(in: 0...20, using: &random), from: alphabet)
        }
        let expected = CountingTransform.Counts(
            bytes: input.count, lines: 0, matches: referenceCount(input, pattern))
        let cuts: [Chunking] =
            [.whole] + (1...80).map { .fixed($0) }
            + (0..<4).map { _ in randomPieces(for: input.count, using: &random) }
        try expectCounts(input, pattern: pattern, in: cuts, expected, "pattern \(patternLength)")
    }

    @Test(
        "CountingTransform: one-pass count of 8–64-byte writes (lines and matches), \\r\\n lines, writes ending inside a partial match, patterns with and without borders",
        arguments: [
            "e", "\r\n", "ab", "aa", "elvis", "abcab", "aaaaa", "ab\nab", "abcdefgh", "aabaabaa",
            "abcdefghijklmnopq", "aabaabaabaabaabaa",
        ])
    func countingOnePassWrites(pattern patternText: String) throws {
        var random = SeededRandom(
            seed: UInt64(patternText.utf8.count) &* 31 &+ UInt64(patternText.utf8.first!) &+ 8_800)
        let pattern = utf8(patternText)
        // Pieces of the pattern (a prefix, a suffix, the whole) among text
        // made of its own bytes, `\r\n` and `\n`: matches, near misses and
        // writes that end or begin inside a match.
        let alphabet = Array(Set(pattern + utf8("x\r\n"))).sorted()
        var input: [UInt8] = []
        while input.count < 1_500 {
            switch Int.random(in: 0..<5, using: &random) {
            case 0: input += pattern
            case 1: input += pattern.prefix(Int.random(in: 1...pattern.count, using: &random))
            case 2: input += pattern.suffix(Int.random(in: 1...pattern.count, using: &random))
            case 3: input += utf8(Bool.random(using: &random) ? "\r\n" : "\n")
            default: input += random.bytes(Int.random(in: 0...12, using: &random), from: alphabet)
            }
        }
        let expected = CountingTransform.Counts(
            bytes: input.count, lines: input.count { $0 == 0x0A }, matches: referenceCount(input, pattern))
        let cuts: [Chunking] =
            [.whole, .fixed(1)] + (5...66).map { .fixed($0) } + [.fixed(255)]
            + (0..<6).map { _ in randomPieces(for: input.count, using: &random) }
        try expectCounts(input, pattern: pattern, in: cuts, expected, "pattern \(printable(pattern))")
        // Behind a line framer that strips `\r\n`: one write per line, the
        // counter sees the lines without their endings.
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        for byte in input {
            if byte == 0x0A {
                if line.last == 0x0D { line.removeLast() }
                lines.append(line)
                line = []
            } else {
                line.append(byte)
            }
        }
        lines.append(line)  // the last line, with no `\n`, is a frame too
        let framed = lines.joined().map { $0 }
        let framedExpected = CountingTransform.Counts(
            bytes: framed.count, lines: 0, matches: referenceCount(framed, pattern))
        try expectFramedCounts(
            input, pattern: pattern,
            in: [Chunking.whole, .fixed(1), .fixed(64), randomPieces(for: input.count, using: &random)],
            framedExpected, \.self, "framed, pattern \(printable(pattern))")
    }

    @Test(
        "CountingTransform behind a line framer (one write per line) counts matches within and across lines",
        arguments: 0..<20)
    func countingFramedLines(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &+ 77)
        let words = ["elvis", "ELVIS", "lives", "e", "s", "el", "vis", " ", " ", "x"].map { Array(utf8($0)) }
        var input: [UInt8] = []
        let length =
            seed < 10
            ? Int.random(in: 0...400, using: &random) : Int.random(in: 2_000...20_000, using: &random)
        while input.count < length {
            input +=
                Int.random(in: 0..<8, using: &random) == 0
                ? [0x0A] : words[Int.random(in: 0..<words.count, using: &random)]
        }
        // The counter sees the lines as one stream without their `\n`s: a
        // match may run from one line (write) into the next.
        let expected = referenceCount(input.filter { $0 != 0x0A }, utf8("elvis"))
        try expectFramedCounts(
            input, pattern: utf8("elvis"),
            in: chunkings(for: input.count, randomCount: 3, everyFixedSizeUpTo: 20, using: &random),
            expected, \.matches, "seed \(seed)")
    }

    @Test("Framing into a CountingSink counts lines like wc -l when the text ends with a newline")
    func framesCounted() throws {
        var random = SeededRandom(seed: 3)
        let input = random.bytes(50_000, from: utf8("abc \n")) + [0x0A]
        var pipeline = try BytesSource(input, chunkSize: 4096).transformed(by: DelimiterFramer.lines()).into(
            CountingSink())
        try pipeline.run()
        #expect(pipeline.sink.writeCount == input.count { $0 == 0x0A })
        #expect(pipeline.sink.byteCount == input.count { $0 != 0x0A })
    }

    @Test("Tee writes every byte to both sinks")
    func tee() throws {
        var random = SeededRandom(seed: 4)
        let input = random.anyBytes(10_000)
        var pipeline = try BytesSource(input, chunkSize: 333)
            .transformed(by: ByteMapTransform.asciiUppercase).into(TeeSink(BufferSink(), CRC32CSink()))
        try pipeline.run()
        let expected = input.map { (0x61...0x7A).contains($0) ? $0 - 32 : $0 }
        #expect(pipeline.sink.first.bytes == expected)
        var crc = CRC32C()
        crc.update(expected.span.bytes)
        #expect(pipeline.sink.second.checksum == crc.checksum)
        #expect(pipeline.sink.second.byteCount == input.count)
    }

    @Test("Tee error policy: a failing first sink keeps the write from the second; a failing second is named")
    func teeErrors() throws {
        let input = utf8("aaaabbbbcccc")
        var first = try BytesSource(input, chunkSize: 4).into(
            TeeSink(FailingAtWriteSink(failAt: 1), FailingAtWriteSink(failAt: 99)))
        let firstError = caught(PipelineError.self) { try first.run() }
        #expect((firstError?.underlying as? TeeSinkError)?.branch == .first)
        #expect(first.sink.first.received == utf8("aaaa") && first.sink.second.received == utf8("aaaa"))
        var second = try BytesSource(input, chunkSize: 4).into(
            TeeSink(FailingAtWriteSink(failAt: 99), FailingAtWriteSink(failAt: 1)))
        let secondError = caught(PipelineError.self) { try second.run() }
        #expect((secondError?.underlying as? TeeSinkError)?.branch == .second)
        #expect(secondError?.stage == .sink)
        #expect(second.sink.first.received == utf8("aaaabbbb") && second.sink.second.received == utf8("aaaa"))
    }
}
