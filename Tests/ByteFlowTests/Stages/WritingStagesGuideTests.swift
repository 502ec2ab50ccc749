import ByteFlow
import Foundation
import Testing

// The code of Documentation/WritingStages.md, compiled and run here. Every
// ```swift block of the guide must appear verbatim in this file or in
// Benchmarks/Benchmarks/Stages/Stages.swift (checked by the last test).

// MARK: A stateless stage

/// Removes every carriage return, forwarding the runs between them as
/// sub-spans of the chunk: no copy, no state.
struct DropCarriageReturns: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        var start = 0
        for index in 0..<chunk.byteCount where chunk.unsafeLoad(fromByteOffset: index, as: UInt8.self) == 0x0D
        {
            if index > start { try next.write(chunk.extracting(start..<index)) }
            start = index + 1
        }
        if start < chunk.byteCount { try next.write(chunk.extracting(start..<chunk.byteCount)) }
    }
}

// MARK: A stateful stage

/// Turns CRLF into LF. A `\r` at the end of a chunk may be the first half of
/// a CRLF cut by the chunk boundary: it is held back (one Bool of state, not
/// a buffer) until the next chunk, or the end of the stream, says.
struct CRLFToLF: ByteTransform {
    private var heldCarriageReturn = false
    private static let carriageReturn: [UInt8] = [0x0D]

    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        guard chunk.byteCount > 0 else { return }
        var start = 0
        if heldCarriageReturn {
            heldCarriageReturn = false
            // Not followed by `\n`: the held `\r` was data after all.
            if chunk.unsafeLoad(as: UInt8.self) != 0x0A { try next.write(Self.carriageReturn.span.bytes) }
        }
        var index = 0
        while index < chunk.byteCount {
            if chunk.unsafeLoad(fromByteOffset: index, as: UInt8.self) == 0x0D {
                if index + 1 == chunk.byteCount {
                    try next.write(chunk.extracting(start..<index))
                    heldCarriageReturn = true
                    return
                }
                if chunk.unsafeLoad(fromByteOffset: index + 1, as: UInt8.self) == 0x0A {
                    try next.write(chunk.extracting(start..<index))
                    start = index + 1  // the `\n` starts the next run
                }
            }
            index += 1
        }
        try next.write(chunk.extracting(start..<chunk.byteCount))
    }

    mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        if heldCarriageReturn { try next.write(Self.carriageReturn.span.bytes) }
        reset()
    }

    mutating func reset() {
        heldCarriageReturn = false
    }
}

// MARK: A framing stage

/// Passes on the lines that contain `needle` (`grep -F`). It relies on the
/// framing contract: behind `DelimiterFramer.lines(lineEnding: .kept)`, each
/// write is exactly one whole line.
struct LinesContaining: ByteTransform {
    let needle: [UInt8]

    mutating func process<Next: ByteSink>(_ line: RawSpan, into next: inout Next) throws {
        let found = line.withUnsafeBytes { bytes in
            bytes.count >= needle.count
                && (0...(bytes.count - needle.count)).contains { start in
                    bytes[start..<start + needle.count].elementsEqual(needle)
                }
        }
        if found { try next.write(line) }
    }
}

@Suite("Guide: writing stages")
struct WritingStagesGuideTests {
    @Test("The stateless stage, in every chunking, specialized and boxed")
    func stateless() {
        var random = SeededRandom(seed: 21)
        let input = random.bytes(500, from: utf8("ab\r\n"))
        #expect(
            expectEveryChunking(
                of: input, through: DropCarriageReturns(), gives: input.filter { $0 != 0x0D },
                in: chunkings(for: input.count, randomCount: 4, everyFixedSizeUpTo: 40, using: &random)))
    }

    @Test("The stateful stage, in every chunking, specialized and boxed")
    func stateful() {
        var random = SeededRandom(seed: 22)
        for _ in 0..<20 {
            let input = random.bytes(Int.random(in: 0...80, using: &random), from: utf8("a\r\n"))
            let expected = Array(
                String(decoding: input, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").utf8)
            #expect(
                expectEveryChunking(
                    of: input, through: CRLFToLF(), gives: expected,
                    in: chunkings(for: input.count, randomCount: 4, everyFixedSizeUpTo: 90, using: &random)))
        }
    }

    @Test("The framing stage sees whole lines, however the stream is cut")
    func framing() throws {
        var random = SeededRandom(seed: 23)
        let lines: [[UInt8]] = (0..<200).map { _ in
            random.bytes(Int.random(in: 0...30, using: &random), from: utf8("elvis "))
        }
        let input: [UInt8] = lines.flatMap { $0 + [0x0A] }
        let expected: [UInt8] = lines.filter { String(decoding: $0, as: UTF8.self).contains("elvis") }
            .flatMap { $0 + [0x0A] }
        let grep = try DelimiterFramer.lines(lineEnding: .kept).followed(
            by: LinesContaining(needle: utf8("elvis")))
        #expect(
            expectEveryChunking(
                of: input, through: grep,
                boxedAs: [
                    try DelimiterFramer.lines(lineEnding: .kept), LinesContaining(needle: utf8("elvis")),
                ],
                gives: expected, in: chunkings(for: input.count, randomCount: 4, using: &random)))
    }

    @Test("The guide's pipelines run as the guide says")
    func guidePipelines() throws {
        // Specialized: one type spells out every stage.
        var pipeline = try BytesSource("one\r\ntwo elvis\r\nthree\r\nelvis four")
            .transformed(by: CRLFToLF())
            .transformed(by: DelimiterFramer.lines(lineEnding: .kept))
            .transformed(by: LinesContaining(needle: Array("elvis".utf8)))
            .into(BufferSink())
        try pipeline.run()
        // pipeline.sink.string == "two elvis\nelvis four"

        // Boxed: the same stages, composed at run time.
        var boxed = BoxedPipeline(
            source: BytesSource("one\r\ntwo elvis\r\nthree\r\nelvis four"),
            transforms: [
                CRLFToLF(), try DelimiterFramer.lines(lineEnding: .kept),
                LinesContaining(needle: Array("elvis".utf8)),
            ],
            sink: BufferSink())
        try boxed.run()
        #expect(pipeline.sink.string == "two elvis\nelvis four")
        #expect(boxed.sink(as: BufferSink.self)?.string == pipeline.sink.string)
    }

    @Test("Every swift block of the guide is code from this file or the Stages benchmark")
    func guideBlocksAreCompiled() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let guide = try String(
            contentsOf: root.appendingPathComponent("Documentation/WritingStages.md"), encoding: .utf8)
        let sources = try [
            String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8),
            String(
                contentsOf: root.appendingPathComponent("Benchmarks/Benchmarks/Stages/Stages.swift"),
                encoding: .utf8),
        ]
        var blocks: [String] = []
        var current: [Substring]?
        for line in guide.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        // Indentation differs (the guide shows function bodies flush left).
        func unindented(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0.drop { $0 == " " }) }.joined(separator: "\n")
        }
        let compiled = sources.map(unindented)
        #expect(blocks.count >= 5)
        for block in blocks {
            #expect(
                compiled.contains { $0.contains(unindented(block)) },
                "guide block not found in the compiled sources:\n\(block)")
        }
    }
}
