// libFuzzer entry point for ReplaceTransform and MultiReplaceTransform, compiled into one module with
// Sources/ByteFlow/*.swift by Tests/Fuzz/run.sh (not part of the SwiftPM
// package).
//
// Each input is decoded into a stream, one to three (pattern, replacement)
// stages and a list of chunk sizes. `SubstringFinder` with the first stage's
// pattern must find what a naive search finds. The specialized Pipeline (fed by two
// different sources, and run twice to check that `finish` resets the
// transforms) and the BoxedPipeline must both produce what `referenceReplace`
// below produces; any difference traps, which libFuzzer reports as a crash.
// Cases with the interleave bit also run as a deep chain: the same stages spread over sixteen,
// padded with pass-through stages and one that splits its input into single
// bytes, built with `StagesBuilder` (specialized) and as a list (boxed).
//
// Input layout (missing bytes read as 0, so every input is valid):
//
//     header         bits 0-1: stages - 1 (3 means 1); bit 2: repeat mode;
//                    bit 3: interleave PassThroughTransform in the boxed run;
//                    bits 4-7: number of chunk sizes (0: the stream is one chunk)
//     per stage      pattern length (1 + b % 48), replacement length (b % 40),
//                    then the pattern bytes and the replacement bytes
//     chunk sizes    one byte each: 0-127 as is (0 is an empty chunk),
//                    128-255 mean (b - 127) * 64 bytes; the list repeats
//     repeat mode    two bytes, little endian: stream length 1 + v % 4096, or
//                    with bit 15 set 4097 + 2 × (v & 0x7FFF) (up to 68 KiB)
//     body           the stream, or in repeat mode the piece repeated to
//                    that length (long streams with few input bytes reach
//                    the 16-byte SIMD loop and its adversarial fallback)

/// Reads the fuzz input front to back; past the end every byte is 0.
struct InputReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in byte() }
    }

    mutating func rest() -> [UInt8] {
        guard offset < bytes.count else { return [] }
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}

/// Leftmost, non-overlapping replacement, one position at a time: the
/// definition, with nothing clever in it.
func referenceReplace(_ input: [UInt8], _ pattern: [UInt8], _ replacement: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    var i = 0
    while i < input.count {
        if i + pattern.count <= input.count && input[i..<i + pattern.count].elementsEqual(pattern) {
            output += replacement
            i += pattern.count
        } else {
            output.append(input[i])
            i += 1
        }
    }
    return output
}

/// A source that cuts the stream by a repeating list of chunk sizes,
/// including empty chunks.
struct CutSource: ByteSource {
    let bytes: [UInt8]
    let cuts: [Int]
    var offset = 0
    var index = 0

    init(_ bytes: [UInt8], cuts: [Int]) {
        self.bytes = bytes
        // A list of only empty chunks would never end.
        self.cuts = cuts.allSatisfy { $0 == 0 } ? [] : cuts
    }

    mutating func rewind() {
        offset = 0
        index = 0
    }

    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        guard offset < bytes.count else { return false }
        var size = bytes.count - offset
        if !cuts.isEmpty {
            size = min(size, cuts[index % cuts.count])
            index += 1
        }
        let start = offset
        offset += size
        try body(bytes.span.bytes.extracting(start..<offset))
        return true
    }
}

struct Case {
    var stream: [UInt8] = []
    var stages: [(pattern: [UInt8], replacement: [UInt8])] = []
    var cuts: [Int] = []
    var interleave = false

    init(_ data: UnsafeBufferPointer<UInt8>) {
        var input = InputReader(bytes: data)
        let header = input.byte()
        let stageCount = Int(header & 3) % 3 + 1
        let repeatMode = header & 4 != 0
        interleave = header & 8 != 0
        let cutCount = Int(header >> 4)
        for _ in 0..<stageCount {
            let patternCount = 1 + Int(input.byte()) % 48
            let replacementCount = Int(input.byte()) % 40
            stages.append((input.bytes(patternCount), input.bytes(replacementCount)))
        }
        for _ in 0..<cutCount {
            let b = Int(input.byte())
            cuts.append(b < 128 ? b : (b - 127) * 64)
        }
        if repeatMode {
            let v = Int(input.byte()) | Int(input.byte()) << 8
            // Bit 15 set: a long stream (4 KiB–68 KiB), long enough for the
            // search to fall back to Two-Way and hand back to the prefilter
            // (8 KiB spans) inside and across chunks.
            let length = v & 0x8000 != 0 ? 4097 + (v & 0x7FFF) * 2 : 1 + v % 4096
            var piece = input.rest()
            if piece.isEmpty { piece = [0] }
            stream.reserveCapacity(length)
            while stream.count < length {
                stream += piece.prefix(length - stream.count)
            }
        } else {
            stream = input.rest()
        }
    }

    func describe() -> String {
        func hex(_ bytes: [UInt8]) -> String {
            let shown = bytes.prefix(256).map { String($0, radix: 16) }.joined(separator: " ")
            return bytes.count > 256 ? "\(shown) … (\(bytes.count) bytes)" : shown
        }
        var text = "stream (\(stream.count) bytes): \(hex(stream))\ncuts: \(cuts)\n"
        for (i, stage) in stages.enumerated() {
            text += "stage \(i): pattern \(hex(stage.pattern)) -> replacement \(hex(stage.replacement))\n"
        }
        return text
    }
}

func check(_ condition: Bool, _ what: @autoclosure () -> String, _ testCase: Case) {
    if !condition {
        fatalError("ByteFlow fuzz mismatch: \(what())\n\(testCase.describe())")
    }
}

/// Runs `pipeline` twice (the second time after rewinding its source and
/// emptying its sink) and checks both outputs and summaries.
func checkSpecialized<Transform: ByteTransform>(
    _ testCase: Case, _ transform: Transform, expected: [UInt8]
) throws {
    var pipeline = CutSource(testCase.stream, cuts: testCase.cuts).transformed(by: transform)
        .into(BufferSink())
    for run in 0..<2 {
        let summary = try pipeline.run()
        check(pipeline.sink.bytes == expected, "specialized output, run \(run)", testCase)
        check(summary.bytesRead == testCase.stream.count, "specialized bytesRead", testCase)
        check(summary.bytesWritten == expected.count, "specialized bytesWritten", testCase)
        pipeline.source.rewind()
        pipeline.sink.removeAll(keepingCapacity: true)
    }
    // The library's own source, cut evenly.
    let chunkSize = testCase.cuts.first(where: { $0 > 0 }) ?? max(1, testCase.stream.count)
    var even = try BytesSource(testCase.stream, chunkSize: chunkSize).transformed(by: transform)
        .into(BufferSink())
    try even.run()
    check(even.sink.bytes == expected, "specialized output, BytesSource chunk \(chunkSize)", testCase)
}

/// The first stage's pattern through `SubstringFinder` on the whole stream:
/// every leftmost, non-overlapping match, and the first from a few starts.
func checkFinder(_ testCase: Case) throws {
    let pattern = testCase.stages[0].pattern
    let stream = testCase.stream
    var expected: [Int] = []
    var i = 0
    while i + pattern.count <= stream.count {
        if stream[i..<i + pattern.count].elementsEqual(pattern) {
            expected.append(i)
            i += pattern.count
        } else {
            i += 1
        }
    }
    let finder = try SubstringFinder(pattern)
    var found: [Int] = []
    finder.forEachMatch(in: stream.span.bytes) { found.append($0) }
    check(found == expected, "SubstringFinder.forEachMatch", testCase)
    for start in [0, stream.count / 3, stream.count / 2] {
        // The first match from `start`, overlapping ones included.
        var first: Int? = nil
        var j = start
        while j + pattern.count <= stream.count {
            if stream[j..<j + pattern.count].elementsEqual(pattern) {
                first = j
                break
            }
            j += 1
        }
        check(
            finder.firstMatch(in: stream.span.bytes, from: start) == first, "firstMatch from \(start)",
            testCase)
    }
}

func runCase(_ testCase: Case) throws {
    try checkFinder(testCase)
    var expected = testCase.stream
    for stage in testCase.stages {
        expected = referenceReplace(expected, stage.pattern, stage.replacement)
    }
    let transforms = try testCase.stages.map { try ReplaceTransform($0.pattern, with: $0.replacement) }

    switch transforms.count {
    case 1:
        try checkSpecialized(testCase, transforms[0], expected: expected)
    case 2:
        try checkSpecialized(testCase, transforms[0].followed(by: transforms[1]), expected: expected)
    default:
        try checkSpecialized(
            testCase, transforms[0].followed(by: transforms[1]).followed(by: transforms[2]),
            expected: expected)
    }

    // Half the cases (the interleave bit) also run as a deep chain: it is
    // the slowest check, and the rest keep the executions per second up.
    if testCase.interleave { try checkDeepChain(testCase, transforms, expected: expected) }

    var boxedStages: [any ByteTransform] = []
    for transform in transforms {
        boxedStages.append(transform)
        if testCase.interleave { boxedStages.append(PassThroughTransform()) }
    }
    var boxed = BoxedPipeline(
        source: CutSource(testCase.stream, cuts: testCase.cuts), transforms: boxedStages, sink: BufferSink())
    for run in 0..<2 {
        let summary = try boxed.run()
        check(boxed.sink(as: BufferSink.self)?.bytes == expected, "boxed output, run \(run)", testCase)
        check(summary.bytesRead == testCase.stream.count, "boxed bytesRead", testCase)
        check(summary.bytesWritten == expected.count, "boxed bytesWritten", testCase)
        boxed.source = CutSource(testCase.stream, cuts: testCase.cuts)
        boxed.sink = BufferSink()
    }
}

/// Forwards its input one byte at a time: the tiniest pieces a stage can
/// hand the next one.
struct ByteSplitter: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        for offset in 0..<chunk.byteCount {
            try next.write(chunk.extracting(offset..<offset + 1))
        }
    }
}

/// The case's stages spread over a chain of sixteen (the rest pass-through
/// stages and one ``ByteSplitter``), specialized through the builder and
/// boxed.
func checkDeepChain(_ testCase: Case, _ t: [ReplaceTransform], expected: [UInt8]) throws {
    let p = PassThroughTransform()
    let s = ByteSplitter()
    let boxedStages: [any ByteTransform]
    switch t.count {
    case 1:
        boxedStages = [p, p, p, p, p, p, p, t[0], s, p, p, p, p, p, p, p]
        try checkSpecialized(
            testCase, StagesBuilder.buildBlock(p, p, p, p, p, p, p, t[0], s, p, p, p, p, p, p, p),
            expected: expected)
    case 2:
        boxedStages = [t[0], p, p, p, p, p, p, s, t[1], p, p, p, p, p, p, p]
        try checkSpecialized(
            testCase, StagesBuilder.buildBlock(t[0], p, p, p, p, p, p, s, t[1], p, p, p, p, p, p, p),
            expected: expected)
    default:
        boxedStages = [t[0], p, p, p, p, t[1], s, p, p, p, p, t[2], p, p, p, p]
        try checkSpecialized(
            testCase, StagesBuilder.buildBlock(t[0], p, p, p, p, t[1], s, p, p, p, p, t[2], p, p, p, p),
            expected: expected)
    }
    var boxed = BoxedPipeline(
        source: CutSource(testCase.stream, cuts: testCase.cuts), transforms: boxedStages, sink: BufferSink())
    try boxed.run()
    check(boxed.sink(as: BufferSink.self)?.bytes == expected, "boxed deep chain output", testCase)
}

// MARK: MultiReplaceTransform

/// Leftmost-first replacement of several patterns, one position at a time:
/// at each position the first-listed pattern that matches there wins (ASCII
/// letters compared without case if `ignoringCase`).
func referenceMultiReplace(
    _ input: [UInt8], _ pairs: [(pattern: [UInt8], replacement: [UInt8])], ignoringCase: Bool
) -> [UInt8] {
    func fold(_ byte: UInt8) -> UInt8 { ignoringCase && byte >= 65 && byte <= 90 ? byte + 32 : byte }
    var output: [UInt8] = []
    var i = 0
    scan: while i < input.count {
        for pair in pairs where i + pair.pattern.count <= input.count {
            if pair.pattern.indices.allSatisfy({ fold(input[i + $0]) == fold(pair.pattern[$0]) }) {
                output += pair.replacement
                i += pair.pattern.count
                continue scan
            }
        }
        output.append(input[i])
        i += 1
    }
    return output
}

/// The same case read another way: its stages as the pairs of one
/// `MultiReplaceTransform` (one pass, leftmost-first), with and without
/// case, specialized (run twice, so `finish` must reset) and boxed.
func runMultiCase(_ testCase: Case) throws {
    for ignoringCase in [false, true] {
        let transform = try MultiReplaceTransform(testCase.stages, ignoringCase: ignoringCase)
        let expected = referenceMultiReplace(testCase.stream, testCase.stages, ignoringCase: ignoringCase)
        try checkSpecialized(testCase, transform, expected: expected)
        var boxed = BoxedPipeline(
            source: CutSource(testCase.stream, cuts: testCase.cuts), transforms: [transform],
            sink: BufferSink())
        let summary = try boxed.run()
        check(
            boxed.sink(as: BufferSink.self)?.bytes == expected, "multi boxed output, ci \(ignoringCase)",
            testCase)
        check(summary.bytesWritten == expected.count, "multi boxed bytesWritten", testCase)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let testCase = Case(UnsafeBufferPointer(start: data, count: size))
    do {
        try runCase(testCase)
        try runMultiCase(testCase)
    } catch {
        fatalError("ByteFlow fuzz: unexpected error \(error)\n\(testCase.describe())")
    }
    return 0
}
