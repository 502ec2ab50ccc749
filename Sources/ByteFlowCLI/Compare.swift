import ByteFlow

/// The classic input of the "elvis" find-and-replace walkthrough: 119 bytes
/// with matches at the edges, near misses and matches split by spaces.
let classicInput: [UInt8] = Array(
    [
        "abc", "elvis", "aElvis", "abcelvis", "eelvis", "aelvis", "aabeeeelvis", "e l v i s",
        "aa bb e l v i saa", " elvi s", "elvielvis", "elvielvielviselvi1", "elvielviselvis",
    ].joined().utf8)

/// Inputs at least this large are measured in MB/s rather than ns per run,
/// run once per batch, and skip the 1-byte chunks that would take minutes.
private let largeInput = 64 << 10

/// Runs per timed batch for small inputs: the Benchmarks package's
/// `scalingFactor: .kilo`, so the clock's resolution does not matter.
private let runsPerSmallBatch = 1_000

/// `byteflow compare`: runs FIND → REPLACEMENT through a specialized
/// ``Pipeline`` and a ``BoxedPipeline`` of the same stages, checks that they
/// agree, then times both at several chunk sizes and prints a table.
///
/// The measurement is the Benchmarks package's `Classic` rows d and e: the
/// same pipeline types (`Pipeline<BytesSource, ReplaceTransform, BufferSink>`
/// and a `BoxedPipeline` of the same stages), reused run after run (source
/// rewound, sink emptied with its storage kept), batches of 1,000 runs,
/// the median (p50) batch. On the classic input both print the same figure,
/// within the machine's noise.
///
/// - Parameters:
///   - request: The parsed command line.
///   - console: Where the table goes.
/// - Throws: ``ToolFailure/runtime(_:)`` if the input cannot be read, the
///   two pipelines disagree, or standard output cannot be written.
func runCompare(_ request: CompareRequest, console: Console) throws(ToolFailure) {
    let input: [UInt8]
    let inputLabel: String
    do throws(FileFailure) {
        switch request.input {
        case nil:
            input = classicInput
            inputLabel = "the classic \(input.count)-byte input"
        case .standardInput?:
            input = try readAll(
                try! FileSource(fileDescriptor: console.environment.standardInput, path: "standard input"))
            inputLabel = "standard input (\(byteCountLabel(input.count)), read into memory)"
        case .file(let bytes)?:
            let path = FilePath(bytes)
            input = try readAll(openInput(path, chunkSize: FileSource.defaultChunkSize))
            inputLabel = "\(path.display) (\(byteCountLabel(input.count)), read into memory)"
        }
    } catch {
        throw .runtime(error.message)
    }
    let rule = request.rule
    var intro = ""
    #if DEBUG
        intro += "Note: this is a debug build; for meaningful numbers run\n"
        intro += "      swift build -c release && .build/release/byteflow compare\n\n"
    #endif
    intro +=
        "Replacing \(displayLiteral(rule.find)) with \(displayLiteral(rule.replacement)) in \(inputLabel).\n"
    guard !input.isEmpty else {
        try console.output(
            intro
                + "The input is empty: there is nothing to replace, so nothing to time.\n"
                + "Give a FILE with some bytes in it, or no FILE for the classic input.\n")
        return
    }

    let isLarge = input.count >= largeInput
    var chunkSizes: [Int?] = [nil]  // nil: the whole input as one chunk
    if let chunkSize = request.chunkSize {
        chunkSizes.append(chunkSize)  // always shown, even when not smaller than the input
    } else {
        chunkSizes += (isLarge ? [64 << 10, 16] : [16, 1]).filter { $0 < input.count }
    }

    // Check first: a speed-up that changes the output is no speed-up.
    var pairs: [(specialized: SpecializedRun, boxed: BoxedRun)] = []
    var outputCount = 0
    for chunkSize in chunkSizes {
        var specialized: SpecializedRun
        var boxed: BoxedRun
        do {
            specialized = try SpecializedRun(input, rule: rule, chunkSize: chunkSize)
            boxed = try BoxedRun(input, rule: rule, chunkSize: chunkSize)
            try specialized.runOnce()
            try boxed.runOnce()
        } catch {
            throw .runtime(FileFailure(error).message)
        }
        let expected = specialized.output
        let actual = boxed.output
        guard expected == actual else {
            let firstDifference = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?
                .offset
            throw .runtime(
                "the boxed and specialized pipelines disagree at chunk size \(chunkSize ?? input.count): "
                    + "\(actual.count) and \(expected.count) bytes, first difference at byte "
                    + "\(firstDifference ?? min(expected.count, actual.count))")
        }
        outputCount = expected.count
        pairs.append((specialized, boxed))
    }

    intro += "Both pipelines give the same \(decimal(Double(outputCount), digits: 0)) bytes of output "
    intro += "at every chunk size.\n\n"
    try console.output(intro)

    let labels = chunkSizes.map { size -> String in
        guard let size else { return "\(byteCountLabel(input.count)) (whole)" }
        return size >= input.count ? "\(byteCountLabel(size)) (= whole)" : byteCountLabel(size)
    }
    let table = TableLayout(
        headers: [
            "pipeline", "chunk size", isLarge ? "MB/s (p50)" : "ns per run (p50)", "boxed/specialized",
        ],
        widths: [11, labels.map(\.count).max() ?? 0, 12, 0])
    try console.output(table.row(table.headers))
    // --quick checks that the command works (tests, CI, sanitizers): a few
    // short batches, whatever the machine's speed.
    let runsPerBatch = isLarge ? 1 : (request.quick ? 10 : runsPerSmallBatch)
    let budget: UInt64 = request.quick ? 20_000_000 : 500_000_000
    let minimumBatches = request.quick ? 3 : 5
    for (index, var pair) in pairs.enumerated() {
        let specialized: Double
        let boxed: Double
        do {
            (specialized, boxed) = try medianTimes(
                &pair.specialized, &pair.boxed, runsPerBatch: runsPerBatch, budget: budget,
                minimumBatches: minimumBatches)
        } catch {
            throw .runtime(FileFailure(error).message)
        }
        func rate(_ nanoseconds: Double) -> String {
            isLarge
                ? decimal(Double(input.count) * 1_000 / nanoseconds, digits: 1)
                : decimal(nanoseconds, digits: 1)
        }
        try console.output(table.row(["specialized", labels[index], rate(specialized), ""]))
        let ratio = specialized > 0 ? decimal(boxed / specialized, digits: 2) + "×" : "-"
        try console.output(table.row(["boxed", labels[index], rate(boxed), ratio]))
    }

    try console.output(
        """

        p50 of batches of \(runsPerBatch == 1 ? "one run" : "\(decimal(Double(runsPerBatch), digits: 0)) runs"), \
        the two pipelines interleaved, about \(budget / 1_000_000) ms each per row.
        This is what the Benchmarks package's Classic rows d and e measure (the same
        pipeline types, reused run after run), so on the classic input the figures
        agree with Documentation/Benchmarks.md within the machine's noise.
        boxed/specialized is how many times longer the boxed pipeline (each stage
        held as 'any' and called dynamically) takes than the specialized one (one
        generic type the compiler fuses into a single loop) for the same stages and
        output. Boxing costs a dynamic call per chunk and per piece a stage passes
        on, so the ratio grows as the chunks shrink.

        """)
}

/// `"text"` for printable UTF-8 without quotes or backslashes, else the
/// shell-quoted form.
private func displayLiteral(_ bytes: [UInt8]) -> String {
    let plain = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    return plain ? "\"" + String(decoding: bytes, as: UTF8.self) + "\"" : quoted(bytes)
}

/// Reads a whole source into memory.
private func readAll(_ source: FileSource) throws(FileFailure) -> [UInt8] {
    var pipeline = source.into(BufferSink())
    do {
        try pipeline.run()
    } catch {
        throw FileFailure(error)
    }
    return pipeline.sink.bytes
}

/// Times both runs in batches, interleaved so that both see the same
/// machine state, until `budget` nanoseconds have passed for each and at
/// least `minimumBatches` batches ran, and returns the median nanoseconds
/// per run of each.
private func medianTimes(
    _ specialized: inout SpecializedRun, _ boxed: inout BoxedRun, runsPerBatch: Int, budget: UInt64,
    minimumBatches: Int
) throws(PipelineError) -> (specialized: Double, boxed: Double) {
    var specializedTimes: [UInt64] = []
    var boxedTimes: [UInt64] = []
    var spent: UInt64 = 0
    while spent < 2 * budget || specializedTimes.count < minimumBatches {
        let first = try elapsed(&specialized, runs: runsPerBatch)
        let second = try elapsed(&boxed, runs: runsPerBatch)
        specializedTimes.append(first)
        boxedTimes.append(second)
        spent &+= first &+ second
        if specializedTimes.count >= 100_000 { break }
    }
    func median(_ times: [UInt64]) -> Double {
        Double(times.sorted()[times.count / 2]) / Double(runsPerBatch)
    }
    return (median(specializedTimes), median(boxedTimes))
}

/// Nanoseconds `runs` back-to-back runs take.
private func elapsed<Run: TimedRun>(_ run: inout Run, runs: Int) throws(PipelineError) -> UInt64 {
    let start = monotonicNanoseconds()
    for _ in 0..<runs {
        try run.runOnce()
    }
    return monotonicNanoseconds() &- start
}

/// One pipeline, ready to be run again and again.
private protocol TimedRun {
    /// Runs the whole input once into an emptied sink.
    mutating func runOnce() throws(PipelineError)
    /// The output of the last run.
    var output: [UInt8] { get }
}

/// The source of both runs: the whole input as one chunk (`nil`), as the
/// Benchmarks package's `BytesSource(data)`, or chunks of a given size.
private func makeSource(_ input: [UInt8], chunkSize: Int?) throws(ByteFlowError) -> BytesSource {
    guard let chunkSize else { return BytesSource(input) }
    return try BytesSource(input, chunkSize: chunkSize)
}

/// Benchmarks row d: the stages composed generically, one concrete type
/// the compiler specializes and inlines, reused run after run.
private struct SpecializedRun: TimedRun {
    var pipeline: Pipeline<BytesSource, ReplaceTransform, BufferSink>

    init(_ input: [UInt8], rule: ReplaceRule, chunkSize: Int?) throws(ByteFlowError) {
        pipeline = try makeSource(input, chunkSize: chunkSize)
            .transformed(by: ReplaceTransform(rule.find, with: rule.replacement))
            .into(BufferSink(capacity: max(256, input.count * 2)))
    }

    mutating func runOnce() throws(PipelineError) {
        pipeline.reset()
        pipeline.run()
    }

    var output: [UInt8] { pipeline.sink.bytes }
}

/// Benchmarks row e: the same stages held as existentials, reused the same
/// way (`BoxedPipeline.reset()` casts each end to `any Resettable`, as in the
/// Benchmarks package; the casts are part of the boxed time there too).
private struct BoxedRun: TimedRun {
    var pipeline: BoxedPipeline

    init(_ input: [UInt8], rule: ReplaceRule, chunkSize: Int?) throws(ByteFlowError) {
        pipeline = BoxedPipeline(
            source: try makeSource(input, chunkSize: chunkSize),
            transforms: [try ReplaceTransform(rule.find, with: rule.replacement)],
            sink: BufferSink(capacity: max(256, input.count * 2)))
    }

    mutating func runOnce() throws(PipelineError) {
        pipeline.reset()
        try pipeline.run()
    }

    var output: [UInt8] { pipeline.sink(as: BufferSink.self)?.bytes ?? [] }
}

/// Columns padded to a common width: text left-aligned in the first two,
/// numbers right-aligned in the others.
private struct TableLayout {
    let headers: [String]
    let widths: [Int]

    init(headers: [String], widths: [Int]) {
        self.headers = headers
        self.widths = zip(headers, widths).map { max($0.count, $1) }
    }

    func row(_ cells: [String]) -> String {
        var line = ""
        for (column, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
            if column > 0 { line += "   " }
            line += column < 2 ? cell + padding : padding + cell
        }
        while line.last == " " { line.removeLast() }
        return line + "\n"
    }
}
