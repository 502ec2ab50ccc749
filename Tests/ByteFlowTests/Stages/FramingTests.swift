import ByteFlow
import Testing

/// The obvious delimiter splitter every ``DelimiterFramer`` result is
/// compared with: scan left to right, cut where the delimiter starts, skip
/// it; the tail after the last delimiter is a last frame unless empty.
private func referenceFrames(
    _ input: [UInt8], delimiter: [UInt8], keepsDelimiter: Bool, stripsCarriageReturn: Bool,
    maximum: Int, oversized: OversizedFramePolicy
) -> Result<[[UInt8]], FramingError> {
    var frames: [(start: Int, bytes: [UInt8])] = []
    var current: [UInt8] = []
    var start = 0
    var i = 0
    while i < input.count {
        if input[i...].starts(with: delimiter) {
            frames.append((start, current + (keepsDelimiter ? delimiter : [])))
            i += delimiter.count
            current = []
            start = i
        } else {
            current.append(input[i])
            i += 1
        }
    }
    if !current.isEmpty { frames.append((start, current)) }
    var result: [[UInt8]] = []
    for (start, var frame) in frames {
        if stripsCarriageReturn && frame.last == 0x0D { frame.removeLast() }
        if frame.count > maximum {
            guard oversized == .split else {
                return .failure(.frameTooLong(maximum: maximum, frameStart: start))
            }
            var at = 0
            while frame.count - at > maximum {
                result.append(Array(frame[at..<at + maximum]))
                at += maximum
            }
            result.append(Array(frame[at...]))
        } else {
            result.append(frame)
        }
    }
    return .success(result)
}

@Suite("Framing")
struct FramingTests {
    @Test("Lines: LF, CRLF, empty lines, a last line without a newline")
    func lines() throws {
        let input = utf8("one\r\ntwo\n\nthree\r\n\r\nlast\r")
        let expected = ["one", "two", "", "three", "", "last"].map(utf8)
        var random = SeededRandom(seed: 1)
        #expect(
            expectFrames(
                of: input, through: try DelimiterFramer.lines(), give: .success(expected),
                in: chunkings(for: input.count, using: &random)))
        let kept = ["one\r\n", "two\n", "\n", "three\r\n", "\r\n", "last\r"].map(utf8)
        #expect(
            expectFrames(
                of: input, through: try DelimiterFramer.lines(lineEnding: .kept), give: .success(kept),
                in: chunkings(for: input.count, using: &random)))
        let newlineOnly = ["one\r", "two", "", "three\r", "\r", "last\r"].map(utf8)
        #expect(
            expectFrames(
                of: input, through: try DelimiterFramer.lines(lineEnding: .strippedNewlineOnly),
                give: .success(newlineOnly), in: chunkings(for: input.count, using: &random)))
    }

    @Test("A frame inside one chunk reaches the sink as a sub-span of the chunk, not a copy")
    func noCopyInsideAChunk() throws {
        let input = utf8("alpha\nbeta\ngamma\n")
        var addresses: [UnsafeRawPointer] = []
        try input.withUnsafeBytes { whole in
            var framer = try DelimiterFramer.lines()
            var sink = ForEachSink { frame in frame.withUnsafeBytes { addresses.append($0.baseAddress!) } }
            try framer.process(UnsafeRawBufferPointer(whole).bytes, into: &sink)
            #expect(addresses == [0, 6, 11].map { whole.baseAddress! + $0 })
        }
    }

    @Test(
        "Delimiter framing matches the reference in every chunking, specialized and boxed", arguments: 0..<300
    )
    func randomDelimiterFraming(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &* 0x9E37)
        let alphabet = utf8(["ab\n", "ab\r\n", "aab", "xy,"][seed % 4])
        let input = random.bytes(Int.random(in: 0...90, using: &random), from: alphabet)
        let lines = seed % 5 == 0
        let delimiter = lines ? [0x0A] : random.bytes(Int.random(in: 1...3, using: &random), from: alphabet)
        let keeps = Bool.random(using: &random)
        let strips = lines && !keeps && Bool.random(using: &random)
        let maximum = Bool.random(using: &random) ? Int.random(in: 1...12, using: &random) : 1000
        let oversized: OversizedFramePolicy = Bool.random(using: &random) ? .split : .fail
        let framer: DelimiterFramer =
            lines
            ? try .lines(
                maximumFrameLength: maximum,
                lineEnding: keeps ? .kept : (strips ? .stripped : .strippedNewlineOnly),
                oversized: oversized)
            : try DelimiterFramer(
                delimiter, maximumFrameLength: maximum, keepsDelimiter: keeps, oversized: oversized)
        let expected = referenceFrames(
            input, delimiter: delimiter, keepsDelimiter: keeps, stripsCarriageReturn: strips,
            maximum: maximum,
            oversized: oversized)
        let cuts = chunkings(for: input.count, randomCount: 4, everyFixedSizeUpTo: 40, using: &random)
        #expect(
            expectFrames(
                of: input, through: framer, give: expected, in: cuts,
                "seed \(seed) delimiter \(printable(delimiter)) keeps \(keeps) strips \(strips) max \(maximum) \(oversized)"
            ))
    }

    @Test(
        "Long streams with sparse to dense line ends (the 64-byte mask path and its batches)",
        arguments: ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "ab\n", "\n", "a\r\n"])
    func longLineStreams(alphabet: String) throws {
        var random = SeededRandom(seed: UInt64(alphabet.utf8.count))
        let input = random.bytes(20_000, from: utf8(alphabet))
        let expected = referenceFrames(
            input, delimiter: [0x0A], keepsDelimiter: false, stripsCarriageReturn: true, maximum: 1000,
            oversized: .fail)
        #expect(
            expectFrames(
                of: input, through: try DelimiterFramer.lines(maximumFrameLength: 1000), give: expected,
                in: [.whole, .fixed(64), .fixed(100), .fixed(4096), .fixed(20_000)]
                    + (0..<3).map { _ in randomPieces(for: input.count, using: &random) }))
    }

    @Test(
        "Lines through the 64-byte block loop: every line ending, short maxima split or failing, CRLF cut by a chunk boundary",
        arguments: 0..<48)
    func blockLoopLines(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &* 0x2545_F491 &+ 9)
        // Lines of 0–150 bytes, some with `\r` inside or before the `\n`,
        // runs of empty lines, and sometimes no `\n` at the end.
        var input: [UInt8] = []
        let length = Int.random(in: 64...1_500, using: &random)
        while input.count < length {
            switch Int.random(in: 0..<8, using: &random) {
            case 0: input += [0x0A, 0x0A]
            case 1: input += [0x0D, 0x0A]
            case 2: input += random.bytes(Int.random(in: 0...150, using: &random), from: utf8("ab\r")) + [0x0A]
            default: input += random.bytes(Int.random(in: 0...60, using: &random), from: utf8("xyz")) + [0x0A]
            }
        }
        if Bool.random(using: &random) { input += utf8("tail\r") }
        let lineEnding = [DelimiterFramer.LineEnding.stripped, .strippedNewlineOnly, .kept][seed % 3]
        let maximum = seed % 4 == 3 ? 1_000 : Int.random(in: 1...80, using: &random)
        let oversized: OversizedFramePolicy = seed % 2 == 0 ? .split : .fail
        let expected = referenceFrames(
            input, delimiter: [0x0A], keepsDelimiter: lineEnding == .kept,
            stripsCarriageReturn: lineEnding == .stripped, maximum: maximum, oversized: oversized)
        // Chunks that end on a `\r` whose `\n` opens the next chunk.
        var crlfCuts: [Int] = []
        var previous = 0
        for i in 1..<input.count where input[i - 1] == 0x0D && input[i] == 0x0A {
            crlfCuts.append(i - previous)
            previous = i
        }
        crlfCuts.append(input.count - previous)
        let cuts: [Chunking] =
            [.whole, .pieces(crlfCuts)] + [1, 63, 64, 65, 100, 127, 128, 129, 200].map { .fixed($0) }
            + (0..<4).map { _ in randomPieces(for: input.count, using: &random) }
        #expect(
            expectFrames(
                of: input, through: try DelimiterFramer.lines(
                    maximumFrameLength: maximum, lineEnding: lineEnding, oversized: oversized),
                give: expected, in: cuts, "seed \(seed) \(lineEnding) max \(maximum) \(oversized)"))
    }

    @Test(
        "Multi-byte delimiters in long inputs (the matcher's block and finder paths), specialized and boxed",
        arguments: 0..<40)
    func longDelimiterFraming(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &* 0x51ED &+ 3)
        let alphabet = utf8(["ab\n", "aab", "xy,"][seed % 3])
        let delimiter = random.bytes(Int.random(in: 2...6, using: &random), from: alphabet)
        var input: [UInt8] = []
        let length = Int.random(in: 200...3_000, using: &random)
        while input.count < length {
            input +=
                Int.random(in: 0..<6, using: &random) == 0
                ? delimiter : random.bytes(Int.random(in: 1...40, using: &random), from: alphabet)
        }
        let keeps = Bool.random(using: &random)
        let framer = try DelimiterFramer(delimiter, maximumFrameLength: 4_000, keepsDelimiter: keeps)
        let expected = referenceFrames(
            input, delimiter: delimiter, keepsDelimiter: keeps, stripsCarriageReturn: false, maximum: 4_000,
            oversized: .fail)
        let cuts = chunkings(for: input.count, randomCount: 4, everyFixedSizeUpTo: 40, using: &random)
        #expect(
            expectFrames(
                of: input, through: framer, give: expected, in: cuts,
                "seed \(seed) delimiter \(printable(delimiter)) keeps \(keeps)"))
    }

    @Test(
        "Frames longer than the frame buffer's first 4 KiB, cut by chunk boundaries: it grows, up to the maximum",
        arguments: 0..<6)
    func framesLongerThanTheFirstBuffer(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &+ 6_100)
        let cuts: [Chunking] =
            [.whole, .fixed(1), .fixed(1_000), .fixed(4_095), .fixed(4_097), .fixed(9_000)]
            + (0..<2).map { _ in .pieces((0..<40).map { _ in Int.random(in: 1...3_000, using: &random) }) }
        // Lines of up to 20 KiB under a maximum of 12 KiB, split or failing.
        var text: [UInt8] = []
        for _ in 0..<8 {
            text += random.bytes(Int.random(in: 0...20_000, using: &random), from: utf8("ab\r")) + [0x0A]
        }
        let oversized: OversizedFramePolicy = seed % 2 == 0 ? .split : .fail
        #expect(
            expectFrames(
                of: text, through: try DelimiterFramer.lines(maximumFrameLength: 12_000, oversized: oversized),
                give: referenceFrames(
                    text, delimiter: [0x0A], keepsDelimiter: false, stripsCarriageReturn: true, maximum: 12_000,
                    oversized: oversized),
                in: cuts, "lines, seed \(seed) \(oversized)"))
        // Records of 10,000 bytes.
        let records = random.anyBytes(30_000)
        #expect(
            expectFrames(
                of: records, through: try FixedLengthFramer(recordLength: 10_000),
                give: .success([Array(records[0..<10_000]), Array(records[10_000..<20_000]), Array(records[20_000...])]),
                in: cuts, "records, seed \(seed)"))
        // Length-prefixed frames of up to 15,000 bytes (2-byte big-endian lengths).
        var prefixed: [UInt8] = []
        var frames: [[UInt8]] = []
        for _ in 0..<4 {
            let payload = random.anyBytes(Int.random(in: 0...15_000, using: &random))
            prefixed += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
            frames.append(payload)
        }
        #expect(
            expectFrames(
                of: prefixed,
                through: try LengthPrefixFramer(
                    lengthByteCount: 2, byteOrder: .bigEndian, maximumFrameLength: 15_000),
                give: .success(frames), in: cuts, "prefixed, seed \(seed)"))
    }

    @Test("Fixed-length records, and a truncated last record", arguments: 0..<60)
    func fixedLength(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &+ 77)
        let length = Int.random(in: 1...9, using: &random)
        let input = random.anyBytes(Int.random(in: 0...70, using: &random))
        let whole = input.count / length * length
        let expected: Result<[[UInt8]], FramingError> =
            whole == input.count
            ? .success(stride(from: 0, to: whole, by: length).map { Array(input[$0..<$0 + length]) })
            : .failure(.truncatedFrame(expected: length, received: input.count - whole, frameStart: whole))
        #expect(
            expectFrames(
                of: input, through: try FixedLengthFramer(recordLength: length), give: expected,
                in: chunkings(for: input.count, randomCount: 3, everyFixedSizeUpTo: 30, using: &random),
                "seed \(seed) length \(length)"))
    }

    @Test("Length-prefixed records in every prefix size and byte order", arguments: 0..<80)
    func lengthPrefixed(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &+ 1000)
        let prefixSize = seed % 8 + 1
        let order: LengthPrefixFramer.ByteOrder = seed % 16 < 8 ? .bigEndian : .littleEndian
        let maximum = Bool.random(using: &random) ? Int.random(in: 1...10, using: &random) : 300
        let oversized: OversizedFramePolicy = Bool.random(using: &random) ? .split : .fail
        let limit = prefixSize == 1 ? 255 : 40
        let payloads = (0..<Int.random(in: 0...6, using: &random)).map { _ in
            random.anyBytes(Int.random(in: 0...min(limit, 30), using: &random))
        }
        var input: [UInt8] = []
        var expectedFrames: [[UInt8]] = []
        var failure: FramingError?
        for payload in payloads {
            var prefix = (0..<prefixSize).map { UInt8(truncatingIfNeeded: payload.count >> (8 * $0)) }
            if order == .bigEndian { prefix.reverse() }
            if failure == nil && payload.count > maximum {
                if oversized == .fail {
                    failure = .frameTooLong(maximum: maximum, frameStart: input.count)
                } else {
                    expectedFrames += stride(from: 0, to: payload.count, by: maximum).map {
                        Array(payload[$0..<min($0 + maximum, payload.count)])
                    }
                }
            } else if failure == nil {
                expectedFrames.append(payload)
            }
            input += prefix + payload
        }
        // Sometimes cut the stream short, inside a prefix or a payload.
        if failure == nil && !input.isEmpty && Bool.random(using: &random) {
            let cut = Int.random(in: 0..<input.count, using: &random)
            var at = 0
            for payload in payloads {
                let end = at + prefixSize + payload.count
                if cut > at && cut < end {
                    failure =
                        cut < at + prefixSize
                        ? .truncatedFrame(expected: prefixSize, received: cut - at, frameStart: at)
                        : .truncatedFrame(
                            expected: payload.count, received: cut - at - prefixSize, frameStart: at)
                    break
                }
                at = end
            }
            input = Array(input[..<cut])
            if failure == nil {
                // The cut fell between records: fewer, complete frames.
                let split = oversized == .split
                var count = 0
                at = 0
                var kept: [[UInt8]] = []
                for payload in payloads where at + prefixSize + payload.count <= cut {
                    at += prefixSize + payload.count
                    count += 1
                    kept +=
                        split && payload.count > maximum
                        ? stride(from: 0, to: payload.count, by: maximum).map {
                            Array(payload[$0..<min($0 + maximum, payload.count)])
                        } : [payload]
                }
                expectedFrames = kept
            }
        }
        let framer = try LengthPrefixFramer(
            lengthByteCount: prefixSize, byteOrder: order, maximumFrameLength: maximum, oversized: oversized)
        #expect(
            expectFrames(
                of: input, through: framer,
                give: failure.map { .failure($0) } ?? .success(expectedFrames),
                in: chunkings(for: input.count, randomCount: 3, everyFixedSizeUpTo: 30, using: &random),
                "seed \(seed) prefix \(prefixSize) \(order) max \(maximum) \(oversized)"))
    }

    @Test("The length-prefix framer undoes the test's frame encoder")
    func lengthPrefixRoundTrip() throws {
        let frames = ["", "a", "hello", String(repeating: "x", count: 300)].map(utf8)
        let input = encodeFrames(frames)
        var random = SeededRandom(seed: 9)
        #expect(
            expectFrames(
                of: input,
                through: try LengthPrefixFramer(
                    lengthByteCount: 4, byteOrder: .littleEndian, maximumFrameLength: 300),
                give: .success(frames), in: chunkings(for: input.count, using: &random)))
    }

    @Test("A framer is reusable after a failed run: reset() discards the partial frame")
    func reuseAfterFailure() throws {
        var framer = try DelimiterFramer.lines(maximumFrameLength: 4)
        var sink = CountingSink()
        try framer.process(utf8("ab").span.bytes, into: &sink)
        #expect(framer.heldBackByteCount == 2)
        framer.reset()
        #expect(framer.heldBackByteCount == 0)
        try framer.process(utf8("cd\n").span.bytes, into: &sink)
        #expect(sink.writeCount == 1 && sink.byteCount == 2)
        #expect(throws: ByteFlowError.emptyPattern) { try DelimiterFramer([UInt8]()) }
        #expect(throws: ByteFlowError.invalidChunkSize(0)) {
            try DelimiterFramer.lines(maximumFrameLength: 0)
        }
        #expect(throws: ByteFlowError.invalidChunkSize(9)) {
            try LengthPrefixFramer(lengthByteCount: 9, byteOrder: .bigEndian)
        }
    }

    @Test("Errors name the maximum and where the frame began")
    func errorText() {
        #expect(
            FramingError.frameTooLong(maximum: 4, frameStart: 10).description
                == "a frame starting at byte 10 is longer than the maximum of 4 bytes")
    }
}
