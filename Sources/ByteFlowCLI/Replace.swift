import ByteFlow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one input gave: for `--stats` and `--count`.
struct FileCounts: Equatable {
    /// The input's name as messages show it.
    var name: String
    /// Leftmost, non-overlapping matches of FIND.
    var matches: Int
    /// Bytes read from the input.
    var bytesRead: Int
    /// Bytes written for it (0 with `--count`).
    var bytesWritten: Int
}

/// `byteflow replace`: streams each input through a ``MultiReplaceTransform``
/// (one pass over all rules; a single case-sensitive rule is
/// ``ReplaceTransform``'s search),
/// into one output (standard output or `-o FILE`, the results concatenated
/// like `sed`), back into each file (`-i`), or into a count (`-c`).
///
/// Order matters for safety: the inputs and output are compared (by device
/// and inode) before anything is opened, an input is opened before its
/// output, and a regular output file is only replaced after its run
/// succeeded. An input that cannot be read is reported on one line and the
/// others are still processed; an output that cannot be written ends the
/// run (except with `-i`, where each file is its own output).
///
/// - Parameters:
///   - request: The parsed command line.
///   - console: Where output and messages go.
/// - Returns: 0, or 1 if any input failed (each reported already).
/// - Throws: ``ToolFailure/usage(_:)`` if an input and the output are the
///   same regular file; ``ToolFailure/runtime(_:)`` if the output fails.
func runReplace(_ request: ReplaceRequest, console: Console) throws(ToolFailure) -> Int32 {
    let started = monotonicNanoseconds()
    var request = request
    try addPairsFile(to: &request)
    let stages: StageSet
    do {
        stages = try StageSet(request, console: console)
    } catch {
        throw .runtime(error.message)
    }
    var results: [FileCounts] = []
    var failures = 0

    if request.output == .inPlace {
        for case .file(let bytes) in request.inputs {
            do throws(FileFailure) {
                results.append(try editInPlace(FilePath(bytes), stages: stages))
            } catch {
                console.report(error.message)
                failures += 1
            }
        }
    } else {
        let plan: OutputPlan?
        switch request.output {
        case .file(let bytes):
            do {
                plan = try OutputPlan.output(FilePath(bytes))
            } catch {
                throw .runtime(error.message)
            }
        case .count: plan = nil
        default: plan = .descriptor(console.environment.standardOutput, name: "standard output")
        }
        if let plan { try refuseSameFile(request.inputs, plan, console: console) }
        let output: OutputFile?
        do {
            output = try plan.map { plan throws(FileFailure) in try OutputFile(plan) }
        } catch {
            throw .runtime(error.message)
        }
        for input in request.inputs {
            let source: FileSource
            let name: String
            let status: FileStatus?
            do throws(FileFailure) {
                switch input {
                case .standardInput:
                    name = "standard input"
                    status = FileStatus(descriptor: console.environment.standardInput)
                    source = try! FileSource(
                        fileDescriptor: console.environment.standardInput, path: name,
                        chunkSize: stages.chunkSize)
                case .file(let bytes):
                    let path = FilePath(bytes)
                    name = path.display
                    source = try openInput(path, chunkSize: stages.chunkSize)
                    status = FileStatus(path: path)
                }
            } catch {
                console.report(error.message)
                failures += 1
                continue
            }
            do throws(PipelineError) {
                if let output {
                    results.append(try stages.run(source, name: name, status: status, into: output.sink))
                } else {
                    results.append(try stages.run(source, name: name, status: status, into: DiscardSink()))
                }
            } catch {
                if error.stage == .sink || error.underlying is OutputFlushFailure {
                    output?.abandon()
                    throw .runtime(FileFailure(error).message)
                }
                console.report(FileFailure(error).message)
                failures += 1
            }
        }
        if let output, let plan {
            if case .atomic = plan, failures > 0 {
                output.abandon()
                console.report("\(plan.display) left unchanged because an input failed")
            } else {
                do {
                    try output.commit()
                } catch {
                    throw .runtime(error.message)
                }
            }
        }
    }

    if request.output == .count {
        try console.output("\(results.reduce(0) { $0 + $1.matches })\n")
    }
    if request.stats {
        console.error(statsTable(results, seconds: Double(monotonicNanoseconds() &- started) / 1e9))
    }
    return failures > 0 ? 1 : 0
}

/// Edits one file in place: reads it, writes a temporary file in its
/// directory (its target's, for a symbolic link) and renames that over it.
///
/// - Throws: ``FileFailure`` naming the file: it does not exist, is not a
///   regular file, cannot be read, or the temporary file cannot be made,
///   written or renamed. The file is then untouched.
private func editInPlace(_ path: FilePath, stages: StageSet) throws(FileFailure) -> FileCounts {
    let plan = try OutputPlan.inPlace(path)
    let source = try openInput(path, chunkSize: stages.chunkSize)
    let output = try OutputFile(plan)
    let counts: FileCounts
    do {
        counts = try stages.run(source, name: path.display, status: plan.existingFile, into: output.sink)
    } catch {
        output.abandon()
        throw FileFailure(error)
    }
    try output.commit()
    return counts
}

/// Throws a usage error if an input is the same regular file as the
/// output (reading and writing it at once would lose it).
private func refuseSameFile(_ inputs: [InputSpec], _ plan: OutputPlan, console: Console) throws(ToolFailure) {
    guard let outputStatus = plan.existingFile else { return }
    for input in inputs {
        let inputStatus: FileStatus?
        let inputName: String
        switch input {
        case .standardInput:
            inputStatus = FileStatus(descriptor: console.environment.standardInput)
            inputName = "standard input"
        case .file(let bytes):
            inputStatus = FileStatus(path: FilePath(bytes))
            inputName = FilePath(bytes).display
        }
        guard let inputStatus, inputStatus.isRegularFile, inputStatus.isSameFile(as: outputStatus) else {
            continue
        }
        let outputName = plan.display
        let files =
            inputName == outputName
            ? "\(inputName) is both the input and the output"
            : "\(inputName) and \(outputName) are the same file"
        throw .usage(UsageError("\(files); write the output to another file", topic: .replace))
    }
}

/// The stages every input goes through, and how to run them.
struct StageSet {
    let transform: MultiReplaceTransform
    let find: [UInt8]
    let replacement: [UInt8]
    let counting: Bool
    let boxed: Bool
    let chunkSize: Int
    /// Whether to count matches with a ``MatchCounter`` (`--stats` when FIND
    /// and REPLACEMENT have the same length, so sizes do not tell).
    let needsCounter: Bool
    /// Where progress lines go, if they are drawn.
    let progressConsole: Console?

    /// The stages `request` asks for.
    ///
    /// - Throws: ``FileFailure`` if the transform cannot be made.
    init(_ request: ReplaceRequest, console: Console) throws(FileFailure) {
        let rule = request.rules[0]
        find = rule.find
        replacement = rule.replacement
        counting = request.output == .count
        boxed = request.boxed
        chunkSize = request.chunkSize ?? FileSource.defaultChunkSize
        needsCounter = request.stats && !counting && find.count == replacement.count
        progressConsole = request.progress && console.environment.standardErrorIsTerminal ? console : nil
        do {
            // Counting replaces with nothing: each match then shortens the
            // output by exactly FIND's length.
            transform = try makeReplaceTransform(
                request.rules, ignoringCase: request.ignoresCase, counting: counting)
        } catch {
            throw FileFailure(error)
        }
    }

    /// Runs `source` through the stages into `sink`.
    ///
    /// - Parameters:
    ///   - source: The input, read to its end.
    ///   - name: Its name for progress and statistics.
    ///   - status: What `stat(2)` said about it (its size for progress; a
    ///     regular file is not flushed on stalls).
    ///   - sink: The output.
    /// - Returns: The counts of this input.
    /// - Throws: ``PipelineError`` naming the stage that failed.
    func run<Sink: ByteSink>(
        _ source: FileSource, name: String, status: FileStatus?, into sink: Sink
    ) throws(PipelineError) -> FileCounts {
        let isRegular = status?.isRegularFile == true
        let input = FlushingSource(
            base: source, chunkSize: chunkSize, flushes: isRegular ? nil : sink as? FileSink,
            gathersInto: sink as? FileSink)
        let tally = MatchTally()
        let counter = needsCounter ? MatchCounter(find, tally: tally) : nil
        let progress = progressConsole.map { console in
            ProgressTransform(totalBytes: isRegular ? status?.size : nil, everyMilliseconds: 100) { report in
                console.error(
                    report.isFinished
                        ? progressLineClear
                        : progressLine(report, name: name, width: console.environment.terminalWidth))
            }
        }
        let summary = try runStages(input, progress: progress, counter: counter, into: sink)
        let matches: Int
        if counting {
            matches = (summary.bytesRead - summary.bytesWritten) / find.count
        } else if counter != nil {
            matches = tally.count
        } else if replacement.count != find.count {
            matches = (summary.bytesWritten - summary.bytesRead) / (replacement.count - find.count)
        } else {
            matches = 0  // not asked for (no --stats), and the sizes do not tell
        }
        return FileCounts(
            name: name, matches: matches, bytesRead: summary.bytesRead,
            bytesWritten: counting ? 0 : summary.bytesWritten)
    }

    /// The pipeline proper: boxed, or one specialized type per combination
    /// of the optional stages (so a run without them pays nothing for them).
    private func runStages<Source: ByteSource, Sink: ByteSink>(
        _ source: Source, progress: ProgressTransform?, counter: MatchCounter?, into sink: Sink
    ) throws(PipelineError) -> PipelineSummary {
        if boxed {
            var stages: [any ByteTransform] = []
            if let progress { stages.append(progress) }
            if let counter { stages.append(counter) }
            stages.append(transform)
            var pipeline = BoxedPipeline(source: source, transforms: stages, sink: sink)
            return try pipeline.run()
        }
        switch (progress, counter) {
        case (nil, nil):
            var pipeline = source.transformed(by: transform).into(sink)
            return try pipeline.run()
        case (let progress?, nil):
            var pipeline = source.transformed(by: progress).transformed(by: transform).into(sink)
            return try pipeline.run()
        case (nil, let counter?):
            var pipeline = source.transformed(by: counter).transformed(by: transform).into(sink)
            return try pipeline.run()
        case (let progress?, let counter?):
            var pipeline = source.transformed(by: progress).transformed(by: counter).transformed(
                by: transform
            )
            .into(sink)
            return try pipeline.run()
        }
    }
}

/// The `--stats` table: one row per input and a total, for standard error.
func statsTable(_ results: [FileCounts], seconds: Double) -> String {
    var rows: [[String]] = [["matches", "read", "written", "input"]]
    for result in results {
        rows.append(["\(result.matches)", "\(result.bytesRead)", "\(result.bytesWritten)", result.name])
    }
    let files = results.count == 1 ? "1 input" : "\(results.count) inputs"
    rows.append([
        "\(results.reduce(0) { $0 + $1.matches })", "\(results.reduce(0) { $0 + $1.bytesRead })",
        "\(results.reduce(0) { $0 + $1.bytesWritten })", "total (\(files), \(decimal(seconds, digits: 3)) s)",
    ])
    let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        (0..<3).map { String(repeating: " ", count: widths[$0] - row[$0].count) + row[$0] }.joined(
            separator: "  ")
            + "  " + row[3]
    }.joined(separator: "\n") + "\n"
}

/// The monotonic clock in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// A file source that flushes a sink whenever the input stalls: before each
/// read that follows a short chunk; and that lends each chunk to the output
/// sink while the stages run over it, so that long unchanged runs are written
/// from the chunk itself (``FileSink/gathering(from:_:)``).
///
/// `cat`-like streaming for pipes and terminals (`tail -f log | byteflow
/// replace ...` shows each piece as it comes) at no cost for regular files,
/// whose chunks are short only at the end.
///
/// Gathering: sparse 256 MiB → `/dev/null`, CPU time, interleaved pairs:
/// runs copied into the sink's buffer (17% of the samples in `memmove`)
/// against one `writev(2)` per 1 MiB chunk; see `Documentation/Benchmarks.md`,
/// "Faster than `cat`?".
struct FlushingSource: ByteSource {
    /// The source read from.
    let base: FileSource
    /// The size the source was asked for; a smaller chunk means a stall.
    let chunkSize: Int
    /// The sink to flush, or `nil` to never flush.
    let sink: FileSink?
    /// The sink each chunk is lent to, or `nil`.
    let gatherer: FileSink?
    private var stalled = false

    /// Wraps `base`.
    ///
    /// - Parameters:
    ///   - base: The source read from.
    ///   - chunkSize: `base`'s chunk size.
    ///   - sink: The sink to flush when the input stalls; `nil` for none.
    ///   - gatherer: The output sink to lend each chunk to; `nil` for none.
    init(base: FileSource, chunkSize: Int, flushes sink: FileSink?, gathersInto gatherer: FileSink? = nil) {
        self.base = base
        self.chunkSize = chunkSize
        self.sink = sink
        self.gatherer = gatherer
    }

    /// Flushes the sink if the previous chunk was short, then reads the next
    /// chunk from the base source.
    ///
    /// - Parameter body: Receives the chunk, borrowed for the call.
    /// - Returns: `false` at the end of the input.
    /// - Throws: The source's ``IOError``, ``OutputFlushFailure`` if the
    ///   sink fails to flush or to write what it gathered, or what `body`
    ///   throws.
    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        if stalled, let sink {
            stalled = false
            do {
                try sink.flush()
            } catch {
                throw OutputFlushFailure(underlying: error)
            }
        }
        var short = false
        let limit = chunkSize
        let gatherer = gatherer
        let more = try base.read { chunk in
            short = chunk.byteCount < limit
            guard let gatherer else { return try body(chunk) }
            var bodyFailed = false
            do {
                try gatherer.gathering(from: chunk) {
                    do {
                        try body(chunk)
                    } catch {
                        bodyFailed = true
                        throw error
                    }
                }
            } catch let error as IOError where !bodyFailed {
                throw OutputFlushFailure(underlying: error)
            }
        }
        stalled = short
        return more
    }
}

/// The output failed while ``FlushingSource`` flushed it: an output error,
/// though it surfaces from the source's `read`.
struct OutputFlushFailure: Error {
    /// The sink's error.
    var underlying: IOError
}
