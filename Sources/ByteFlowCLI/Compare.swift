import ByteFlow
import Glibc

/// The classic input of the "elvis" find-and-replace walkthrough: 119 bytes
/// with matches at the edges, near misses and matches split by spaces.
let classicInput: [UInt8] = Array(
    [
        "abc", "elvis", "aElvis", "abcelvis", "eelvis", "aelvis", "aabeeeelvis", "e l v i s",
        "aa bb e l v i saa", " elvi s", "elvielvis", "elvielvielviselvi1", "elvielviselvis",
    ].joined().utf8)

/// Inputs at least this large are measured in MB/s rather than ns per run,
/// and skip the 1-byte chunks that would take minutes.
private let largeInput = 64 << 10

/// How long one timed batch of runs should take, in nanoseconds.
private let batchTarget: UInt64 = 200_000_000

/// How many timed batches each pipeline gets; the best one counts.
private let rounds = 4

/// `byteflow compare`: runs "elvis" -> "Elvis" through a specialized
/// ``Pipeline`` and a ``BoxedPipeline`` of the same stages, checks that they
/// agree, then times both at several chunk sizes and prints a table.
///
/// - Parameter request: The parsed command line.
/// - Throws: ``ToolFailure/runtime(_:)`` if the input cannot be read, the
///   two pipelines disagree, or standard output cannot be written.
func runCompare(_ request: CompareRequest) throws(ToolFailure) {
    let input: [UInt8]
    let inputLabel: String
    do {
        switch request.input {
        case nil:
            input = classicInput
            inputLabel = "the classic \(input.count)-byte input"
        case .standardInput?:
            input = try readAll(FileSource.standardInput())
            inputLabel = "standard input (\(byteCountLabel(input.count)), read into memory)"
        case .file(let path)?:
            input = try readAll(FileSource(path: path))
            inputLabel = "'\(path)' (\(byteCountLabel(input.count)), read into memory)"
        }
    } catch {
        throw ToolFailure(error)
    }
    let isLarge = input.count >= largeInput
    let whole = max(input.count, 1)
    var chunkSizes = [whole]
    if let chunkSize = request.chunkSize {
        chunkSizes.append(chunkSize)
    } else {
        chunkSizes += isLarge ? [64 << 10, 16] : [16, 1]
    }
    chunkSizes = chunkSizes.enumerated().filter { $0.offset == 0 || $0.element < whole }.map(\.element)

    // Check first: a speed-up that changes the output is no speed-up.
    var pairs: [(chunkSize: Int, specialized: SpecializedRun, boxed: BoxedRun)] = []
    var outputCount = 0
    for chunkSize in chunkSizes {
        var specialized = try SpecializedRun(input, chunkSize: chunkSize)
        var boxed = try BoxedRun(input, chunkSize: chunkSize)
        do {
            try specialized.runOnce()
            try boxed.runOnce()
        } catch {
            throw ToolFailure(error)
        }
        let expected = specialized.output
        let actual = boxed.output
        guard expected == actual else {
            let firstDifference = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?
                .offset
            throw .runtime(
                "the boxed and specialized pipelines disagree at chunk size \(chunkSize): "
                    + "\(actual.count) and \(expected.count) bytes, first difference at byte "
                    + "\(firstDifference ?? min(expected.count, actual.count))")
        }
        outputCount = expected.count
        pairs.append((chunkSize, specialized, boxed))
    }

    var intro = ""
    #if DEBUG
        intro += "Note: this is a debug build; for meaningful numbers run\n"
        intro += "      swift build -c release && .build/release/byteflow compare\n\n"
    #endif
    intro += "Replacing \"elvis\" with \"Elvis\" in \(inputLabel).\n"
    intro += "Both pipelines give the same \(decimal(Double(outputCount), digits: 0)) bytes of output "
    intro += "at every chunk size.\n\n"
    try writeStandardOutput(intro)

    let labels = chunkSizes.map {
        $0 == whole ? "\(byteCountLabel(input.count)) (whole)" : byteCountLabel($0)
    }
    let table = TableLayout(
        headers: ["pipeline", "chunk size", isLarge ? "MB/s" : "ns per run", "boxed/specialized"],
        widths: [11, labels.map(\.count).max() ?? 0, 12, 0])
    try writeStandardOutput(table.row(table.headers))
    for (index, var pair) in pairs.enumerated() {
        let best: (specialized: Double, boxed: Double)
        do {
            best = try bestTimes(&pair.specialized, &pair.boxed)
        } catch {
            throw ToolFailure(error)
        }
        func rate(_ nanoseconds: Double) -> String {
            isLarge
                ? decimal(Double(input.count) * 1_000 / nanoseconds, digits: 1)
                : decimal(nanoseconds, digits: 1)
        }
        try writeStandardOutput(table.row(["specialized", labels[index], rate(best.specialized), ""]))
        let ratio = best.specialized > 0 ? decimal(best.boxed / best.specialized, digits: 2) + "×" : "-"
        try writeStandardOutput(table.row(["boxed", labels[index], rate(best.boxed), ratio]))
    }

    try writeStandardOutput(
        """

        Best of \(rounds) rounds of about \(batchTarget / 1_000_000) ms each.
        boxed/specialized is how many times longer the boxed pipeline (each stage
        held as 'any' and called dynamically) takes than the specialized one (one
        generic type the compiler fuses into a single loop) for the same stages and
        output. Boxing costs a dynamic call per chunk and per piece a stage passes
        on, so the ratio grows as the chunks shrink.

        """)
}

/// Reads a whole source into memory.
private func readAll(_ source: FileSource) throws -> [UInt8] {
    var pipeline = source.into(BufferSink())
    try pipeline.run()
    return pipeline.sink.bytes
}

/// Times both runs, interleaved so that both see the same machine state,
/// and returns the best nanoseconds per run of each.
private func bestTimes(
    _ specialized: inout SpecializedRun, _ boxed: inout BoxedRun
) throws(PipelineError) -> (specialized: Double, boxed: Double) {
    let (specializedCount, specializedFirst) = try calibrate(&specialized)
    let (boxedCount, boxedFirst) = try calibrate(&boxed)
    var bestSpecialized = specializedFirst
    var bestBoxed = boxedFirst
    for _ in 1..<rounds {
        bestSpecialized = min(bestSpecialized, try elapsed(&specialized, runs: specializedCount))
        bestBoxed = min(bestBoxed, try elapsed(&boxed, runs: boxedCount))
    }
    return (Double(bestSpecialized) / Double(specializedCount), Double(bestBoxed) / Double(boxedCount))
}

/// Finds how many runs take about ``batchTarget``; returns that count and
/// the time of the last batch (which counts as the first round).
private func calibrate<Run: TimedRun>(_ run: inout Run) throws(PipelineError) -> (Int, UInt64) {
    var count = 1
    while true {
        let time = try elapsed(&run, runs: count)
        if time >= batchTarget / 2 || count >= 1 << 40 { return (count, time) }
        let estimate = Double(count) * Double(batchTarget) / Double(max(time, 1))
        count = Int(min(max(estimate, Double(count) * 2), Double(count) * 100))
    }
}

/// Nanoseconds `runs` back-to-back runs take.
private func elapsed<Run: TimedRun>(_ run: inout Run, runs: Int) throws(PipelineError) -> UInt64 {
    let start = monotonicNanoseconds()
    for _ in 0..<runs {
        try run.runOnce()
    }
    return monotonicNanoseconds() &- start
}

private func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// One pipeline, ready to be run again and again.
private protocol TimedRun {
    /// Runs the whole input once into an emptied sink.
    mutating func runOnce() throws(PipelineError)
    /// The output of the last run.
    var output: [UInt8] { get }
}

/// The stages, composed generically: one concrete type the compiler
/// specializes and inlines.
private struct SpecializedRun: TimedRun {
    var pipeline: Pipeline<RepeatingSource, ReplaceTransform, ReusableBufferSink>

    init(_ input: [UInt8], chunkSize: Int) throws(ToolFailure) {
        do {
            pipeline = try RepeatingSource(input, chunkSize: chunkSize)
                .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
                .into(ReusableBufferSink(capacity: input.count * 2))
        } catch {
            throw ToolFailure(error)
        }
    }

    mutating func runOnce() throws(PipelineError) {
        pipeline.sink.reset()
        try pipeline.run()
    }

    var output: [UInt8] { pipeline.sink.buffer.bytes }
}

/// The same stages, held as existentials and composed at run time.
private struct BoxedRun: TimedRun {
    var pipeline: BoxedPipeline
    let sink: ReusableBufferSink

    init(_ input: [UInt8], chunkSize: Int) throws(ToolFailure) {
        sink = ReusableBufferSink(capacity: input.count * 2)
        do {
            pipeline = BoxedPipeline(
                source: try RepeatingSource(input, chunkSize: chunkSize),
                transforms: [try ReplaceTransform("elvis", with: "Elvis")],
                sink: sink)
        } catch {
            throw ToolFailure(error)
        }
    }

    mutating func runOnce() throws(PipelineError) {
        sink.reset()
        try pipeline.run()
    }

    var output: [UInt8] { sink.buffer.bytes }
}

/// A ``BytesSource`` that rewinds itself when it reports the end, so that a
/// pipeline can run again without its source being replaced or touched from
/// outside (which, through an existential, would cost a cast or a copy).
private struct RepeatingSource: ByteSource {
    var base: BytesSource

    init(_ bytes: [UInt8], chunkSize: Int) throws(ByteFlowError) {
        base = try BytesSource(bytes, chunkSize: chunkSize)
    }

    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        if try base.read(body) { return true }
        base.rewind()
        return false
    }
}

/// A ``BufferSink`` held by reference, so that the timing loop can empty it
/// while a pipeline holds it. Once it has grown to the output's size,
/// reuse allocates nothing.
private final class ReusableBufferSink: ByteSink {
    var buffer: BufferSink

    init(capacity: Int) {
        buffer = BufferSink(capacity: capacity)
    }

    func write(_ bytes: RawSpan) {
        buffer.write(bytes)
    }

    func reset() {
        buffer.removeAll(keepingCapacity: true)
    }
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

/// `value` with `digits` decimals and thousands separators: `12,345.6`.
private func decimal(_ value: Double, digits: Int) -> String {
    guard value.isFinite, value >= 0, value < 1e15 else { return value.isNaN ? "-" : "\(value)" }
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * Double(scale)).rounded())
    var whole = String(scaled / scale)
    var index = whole.count - 3
    while index > 0 {
        whole.insert(",", at: whole.index(whole.startIndex, offsetBy: index))
        index -= 3
    }
    guard digits > 0 else { return whole }
    let fraction = String(scaled % scale)
    return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
}

/// A byte count for people: `119 B`, `64 KiB`, `16.0 MiB`.
private func byteCountLabel(_ count: Int) -> String {
    if count < 1 << 10 { return "\(count) B" }
    if count % (1 << 10) == 0 && count < 1 << 20 { return "\(count >> 10) KiB" }
    if count < 1 << 20 { return decimal(Double(count) / 1024, digits: 1) + " KiB" }
    if count < 1 << 30 { return decimal(Double(count) / Double(1 << 20), digits: 1) + " MiB" }
    return decimal(Double(count) / Double(1 << 30), digits: 1) + " GiB"
}
