import ByteFlow
import Glibc

/// `byteflow replace`: streams the input through a ``MultiReplaceTransform``
/// (which hands a single case-sensitive pair to ``ReplaceTransform``) into
/// the output.
///
/// Order matters for safety: the input and output are compared (by device and
/// inode) before either is opened, the input is opened before the output, and
/// a regular output file is only replaced after the whole run succeeded.
///
/// - Parameter request: The parsed command line.
/// - Throws: ``ToolFailure/usage(_:)`` if the input and output are the same
///   regular file or the pairs file is malformed; ``ToolFailure/runtime(_:)`` if opening, reading or
///   writing fails.
func runReplace(_ request: ReplaceRequest) throws(ToolFailure) {
    let chunkSize = request.chunkSize ?? FileSource.defaultChunkSize
    let transform = try makeReplaceTransform(request)

    let inputStatus: FileStatus?
    let inputName: String
    switch request.input {
    case .standardInput:
        inputStatus = FileStatus(descriptor: 0)
        inputName = "standard input"
    case .file(let path):
        inputStatus = FileStatus(path: path)
        inputName = "'\(path)'"
    }
    let plan = OutputPlan(request.output)
    if let inputStatus, let outputStatus = plan.existingFile,
        inputStatus.isRegularFile && inputStatus.isSameFile(as: outputStatus)
    {
        let outputName: String
        switch request.output {
        case .standardOutput: outputName = "standard output"
        case .file(let path): outputName = "'\(path)'"
        }
        let files =
            inputName == outputName
            ? "\(inputName) is both the input and the output"
            : "\(inputName) and \(outputName) are the same file"
        throw .usage(UsageError("\(files); write the output to another file", topic: .replace))
    }

    let source: FileSource
    let output: OutputFile
    do {
        switch request.input {
        case .standardInput: source = try FileSource.standardInput(chunkSize: chunkSize)
        case .file(let path): source = try FileSource(path: path, chunkSize: chunkSize)
        }
        output = try OutputFile(plan)
    } catch {
        throw ToolFailure(error)
    }

    // A regular file is read in full chunks until its end; anything else
    // (a pipe, a terminal) may deliver a little at a time, and then what was
    // written so far should not wait for a full output buffer.
    let input = FlushingSource(
        base: source, chunkSize: chunkSize,
        flushes: inputStatus?.isRegularFile == true ? nil : output.sink)
    do {
        if request.boxed {
            var pipeline = BoxedPipeline(source: input, transforms: [transform], sink: output.sink)
            try pipeline.run()
        } else {
            var pipeline = input.transformed(by: transform).into(output.sink)
            try pipeline.run()
        }
        try output.commit()
    } catch {
        output.abandon()
        throw ToolFailure(error)
    }
}

/// A file source that flushes a sink whenever the input stalls: before each
/// read that follows a short chunk.
///
/// `cat`-like streaming for pipes and terminals (`tail -f log | byteflow
/// replace ...` shows each piece as it comes) at no cost for regular files,
/// whose chunks are short only at the end.
struct FlushingSource: ByteSource {
    /// The source read from.
    let base: FileSource
    /// The size the source was asked for; a smaller chunk means a stall.
    let chunkSize: Int
    /// The sink to flush, or `nil` to never flush.
    let sink: FileSink?
    private var stalled = false

    /// Wraps `base`.
    ///
    /// - Parameters:
    ///   - base: The source read from.
    ///   - chunkSize: `base`'s chunk size.
    ///   - sink: The sink to flush when the input stalls; `nil` for none.
    init(base: FileSource, chunkSize: Int, flushes sink: FileSink?) {
        self.base = base
        self.chunkSize = chunkSize
        self.sink = sink
    }

    /// Flushes the sink if the previous chunk was short, then reads the next
    /// chunk from the base source.
    ///
    /// - Parameter body: Receives the chunk, borrowed for the call.
    /// - Returns: `false` at the end of the input.
    /// - Throws: The source's ``IOError``, the sink's ``IOError`` from the
    ///   flush, or what `body` throws.
    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        if stalled, let sink {
            stalled = false
            try sink.flush()
        }
        var short = false
        let limit = chunkSize
        let more = try base.read { chunk in
            short = chunk.byteCount < limit
            try body(chunk)
        }
        stalled = short
        return more
    }
}
