import ByteFlow
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The error the test-only stages below throw.
enum InjectedFault: Error, Equatable {
    case source, sink, flush, process, finish
}

/// Hands out `bytes` in chunks of `chunkSize` and throws instead of producing
/// chunk number `failingChunk` (0-based).
struct FailingSource: ByteSource {
    let bytes: [UInt8]
    let chunkSize: Int
    let failingChunk: Int
    private(set) var delivered = 0

    init(_ bytes: [UInt8], chunkSize: Int, failingChunk: Int) {
        self.bytes = bytes
        self.chunkSize = chunkSize
        self.failingChunk = failingChunk
    }

    /// The chunks delivered before the failure.
    var deliveredChunks: [[UInt8]] {
        stride(from: 0, to: min(bytes.count, failingChunk * chunkSize), by: chunkSize).map {
            Array(bytes[$0..<min(bytes.count, $0 + chunkSize)])
        }
    }

    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        if delivered == failingChunk { throw InjectedFault.source }
        let start = delivered * chunkSize
        guard start < bytes.count else { return false }
        delivered += 1
        try body(bytes.span.bytes.extracting(start..<min(bytes.count, start + chunkSize)))
        return true
    }
}

/// Collects what it is given, but throws on the write that would take it
/// past `limit` bytes (taking none of that write), or from `flush`.
struct FailingSink: ByteSink {
    var limit = Int.max
    var failsOnFlush = false
    private(set) var bytes: [UInt8] = []

    init(limit: Int = .max, failsOnFlush: Bool = false) {
        self.limit = limit
        self.failsOnFlush = failsOnFlush
    }

    mutating func write(_ chunk: RawSpan) throws {
        guard bytes.count + chunk.byteCount <= limit else { throw InjectedFault.sink }
        chunk.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    mutating func flush() throws {
        if failsOnFlush { throw InjectedFault.flush }
    }
}

/// Takes every write in pieces of one to three bytes, as a device with a
/// tiny buffer would; the result must be the same as taking it at once.
struct TrickleSink: ByteSink {
    private(set) var bytes: [UInt8] = []
    private(set) var pieces = 0

    mutating func write(_ chunk: RawSpan) throws {
        var offset = 0
        while offset < chunk.byteCount {
            let end = min(chunk.byteCount, offset + 1 + pieces % 3)
            chunk.extracting(offset..<end).withUnsafeBytes { bytes.append(contentsOf: $0) }
            pieces += 1
            offset = end
        }
    }
}

/// Forwards chunks unchanged but throws from `process` once it has seen more
/// than `processLimit` bytes (before forwarding that chunk), or from
/// `finish`.
struct FailingTransform: ByteTransform {
    var processLimit = Int.max
    var failsInFinish = false
    private(set) var seen = 0

    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        seen += chunk.byteCount
        if seen > processLimit { throw InjectedFault.process }
        try next.write(chunk)
    }

    mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        if failsInFinish { throw InjectedFault.finish }
    }
}

/// Runs a pipeline expected to fail, specialized or boxed, and returns the
/// error with the sink as it was left.
private func runFailing<Source: ByteSource, Transform: ByteTransform, Sink: ByteSink>(
    boxed: Bool, _ source: Source, _ transform: Transform, boxedAs stages: [any ByteTransform]? = nil,
    _ sink: Sink, sourceLocation: SourceLocation = #_sourceLocation
) -> (error: PipelineError, sink: Sink)? {
    if boxed {
        var pipeline = BoxedPipeline(source: source, transforms: stages ?? [transform], sink: sink)
        do {
            try pipeline.run()
        } catch {
            return (error, pipeline.sink(as: Sink.self)!)
        }
    } else {
        var pipeline = source.transformed(by: transform).into(sink)
        do {
            try pipeline.run()
        } catch {
            return (error, pipeline.sink)
        }
    }
    Issue.record(
        "the run was expected to fail (\(boxed ? "boxed" : "specialized"))", sourceLocation: sourceLocation)
    return nil
}

@Suite("Fault injection")
struct FaultInjectionTests {
    let elvis: ReplaceTransform

    init() throws {
        elvis = try ReplaceTransform("elvis", with: "Elvis")
    }

    // MARK: In memory

    /// The source fails before chunk k: the error names the source, counts
    /// the bytes of the k chunks delivered, and the sink holds exactly what
    /// the transform made of them (without the bytes it still held back).
    @Test("source fails mid-stream", arguments: [1, 3, 8, 119])
    func sourceFails(chunkSize: Int) throws {
        let chunkCount = (classicTableInput.count + chunkSize - 1) / chunkSize
        for failingChunk in 0..<chunkCount {
            for boxed in [false, true] {
                let source = FailingSource(
                    classicTableInput, chunkSize: chunkSize, failingChunk: failingChunk)
                guard let (error, sink) = runFailing(boxed: boxed, source, elvis, BufferSink()) else {
                    continue
                }
                let context = "chunk size \(chunkSize), failing chunk \(failingChunk), boxed \(boxed)"
                let delivered = source.deliveredChunks
                #expect(error.stage == .source, "\(context)")
                #expect(error.underlying as? InjectedFault == .source, "\(context)")
                #expect(error.bytesRead == delivered.joined().count, "\(context)")
                #expect(error.bytesWritten == sink.bytes.count, "\(context)")

                // What the transform itself makes of the delivered chunks.
                var transform = elvis
                var direct = BufferSink()
                for chunk in delivered { try transform.process(chunk.span.bytes, into: &direct) }
                #expect(sink.bytes == direct.bytes, "\(context)")
                // ...which, with the held-back bytes, is the prefix replaced.
                try transform.finish(into: &direct)
                #expect(
                    direct.bytes == referenceReplace(Array(delivered.joined()), utf8("elvis"), utf8("Elvis")),
                    "\(context)")
            }
        }
    }

    @Test("sink fails after n bytes", arguments: [0, 1, 4, 50, 118])
    func sinkFails(limit: Int) throws {
        let chained = elvis.followed(by: ASCIIUppercase(scratchSize: 4))
        let expected = uppercased(classicTableOutput)
        for chunkSize in [1, 5, 119] {
            for boxed in [false, true] {
                let source = try BytesSource(classicTableInput, chunkSize: chunkSize)
                guard
                    let (error, sink) = runFailing(
                        boxed: boxed, source, chained, boxedAs: [elvis, ASCIIUppercase(scratchSize: 4)],
                        FailingSink(limit: limit))
                else { continue }
                let context = "limit \(limit), chunk size \(chunkSize), boxed \(boxed)"
                #expect(error.stage == .sink, "\(context)")
                #expect(error.underlying as? InjectedFault == .sink, "\(context)")
                #expect(error.bytesWritten == sink.bytes.count, "\(context)")
                #expect(sink.bytes.count <= limit, "\(context)")
                #expect(Array(expected.prefix(sink.bytes.count)) == sink.bytes, "\(context)")
                #expect(error.bytesRead > 0 && error.bytesRead <= classicTableInput.count, "\(context)")
            }
        }
    }

    @Test func sinkFailsOnFlush() throws {
        for boxed in [false, true] {
            let source = try BytesSource(classicTableInput, chunkSize: 10)
            guard let (error, sink) = runFailing(boxed: boxed, source, elvis, FailingSink(failsOnFlush: true))
            else { continue }
            #expect(error.stage == .sink)
            #expect(error.underlying as? InjectedFault == .flush)
            #expect(error.bytesRead == classicTableInput.count)
            #expect(error.bytesWritten == classicTableOutput.count)
            #expect(sink.bytes == classicTableOutput)
        }
    }

    @Test func sinkTakingTinyPiecesGetsEverything() throws {
        var random = SeededRandom(seed: 77)
        let input = elvisText(3000, seed: 77)
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis"))
        for chunking in chunkings(for: input.count, randomCount: 5, everyFixedSizeUpTo: 20, using: &random) {
            var specialized = ChunkedSource(input, chunking).transformed(by: elvis).into(TrickleSink())
            try specialized.run()
            expectBytes(specialized.sink.bytes, equal: expected, "specialized, \(chunking)")
            var boxed = BoxedPipeline(
                source: ChunkedSource(input, chunking), transforms: [elvis], sink: TrickleSink())
            try boxed.run()
            expectBytes(boxed.sink(as: TrickleSink.self)?.bytes ?? [], equal: expected, "boxed, \(chunking)")
            #expect(specialized.sink.pieces > expected.count / 3)
        }
    }

    @Test("transform fails in process", arguments: [0, 1, 30, 100])
    func transformFailsInProcess(limit: Int) throws {
        for chunkSize in [1, 7, 119] {
            for boxed in [false, true] {
                let source = try BytesSource(classicTableInput, chunkSize: chunkSize)
                let failing = FailingTransform(processLimit: limit)
                guard let (error, sink) = runFailing(boxed: boxed, source, failing, BufferSink()) else {
                    continue
                }
                let context = "limit \(limit), chunk size \(chunkSize), boxed \(boxed)"
                // The chunk that crossed the limit was read, not forwarded.
                let chunksRead = limit / chunkSize + 1
                #expect(error.stage == .transform, "\(context)")
                #expect(error.underlying as? InjectedFault == .process, "\(context)")
                #expect(error.bytesRead == min(classicTableInput.count, chunksRead * chunkSize), "\(context)")
                #expect(
                    sink.bytes == Array(classicTableInput.prefix((chunksRead - 1) * chunkSize)), "\(context)")
                #expect(error.bytesWritten == sink.bytes.count, "\(context)")
            }
        }
    }

    @Test func transformFailsInFinish() throws {
        let failing = FailingTransform(failsInFinish: true)
        for boxed in [false, true] {
            // The ReplaceTransform before it flushes its held-back "elvi"
            // into it; the failure comes after that.
            let input = utf8("an elvis, an elvi")
            let source = try BytesSource(input, chunkSize: 4)
            guard
                let (error, sink) = runFailing(
                    boxed: boxed, source, elvis.followed(by: failing), boxedAs: [elvis, failing], BufferSink()
                )
            else { continue }
            #expect(error.stage == .transform)
            #expect(error.underlying as? InjectedFault == .finish)
            #expect(error.bytesRead == input.count)
            #expect(sink.string == "an Elvis, an elvi")
            #expect(error.bytesWritten == sink.bytes.count)
        }
    }

    @Test func errorThrownThroughAChainStillNamesTheSink() throws {
        // The sink's error passes through every transform on its way out;
        // the pipeline must still blame the sink, not the transforms.
        let stages = elvis.followed(by: FailingTransform()).followed(by: ASCIIUppercase())
        for boxed in [false, true] {
            guard
                let (error, _) = runFailing(
                    boxed: boxed, try BytesSource(classicTableInput, chunkSize: 9), stages,
                    boxedAs: [elvis, FailingTransform(), ASCIIUppercase()], FailingSink(limit: 20))
            else { continue }
            #expect(error.stage == .sink)
            #expect(error.underlying as? InjectedFault == .sink)
        }
    }

    /// Regression: a run that failed while a ReplaceTransform held back a
    /// partial match ("elv") left it in that state, so the next run of the
    /// reused pipeline began its output with the previous stream's "elv".
    @Test func reuseAfterAFailedRunStartsClean() throws {
        let failing = FailingSource(utf8("xx elv"), chunkSize: 6, failingChunk: 1)
        let next = FailingSource(utf8("abc elvis"), chunkSize: 4, failingChunk: .max)

        var specialized = failing.transformed(by: elvis).into(BufferSink())
        #expect(throws: PipelineError.self) { try specialized.run() }
        #expect(specialized.sink.string == "xx ")
        specialized.source = next
        specialized.sink.removeAll()
        try specialized.run()
        #expect(specialized.sink.string == "abc Elvis", "specialized")

        var boxed = BoxedPipeline(source: failing, transforms: [elvis], sink: BufferSink())
        #expect(throws: PipelineError.self) { try boxed.run() }
        boxed.source = next
        boxed.sink = BufferSink()
        try boxed.run()
        #expect(boxed.sink(as: BufferSink.self)?.string == "abc Elvis", "boxed")
    }

    /// The same for the async run: a failed stream must not leak its
    /// held-back bytes into the next one.
    @Test func asyncReuseAfterAFailedRunStartsClean() async throws {
        var transform = elvis
        var sink = BufferSink()
        let failing = AsyncThrowingStream<[UInt8], any Error> { continuation in
            continuation.yield(utf8("xx elv"))
            continuation.finish(throwing: InjectedFault.source)
        }
        do {
            try await transform.run(failing, into: &sink)
            Issue.record("the run was expected to fail")
        } catch {
            #expect(error.stage == .source)
        }
        #expect(sink.string == "xx ")
        sink.removeAll()
        let next = AsyncStream<[UInt8]> { continuation in
            continuation.yield(utf8("abc elv"))
            continuation.yield(utf8("is"))
            continuation.finish()
        }
        try await transform.run(next, into: &sink)
        #expect(sink.string == "abc Elvis")
    }

    // MARK: With files: failures leak no descriptor

    @Test func failuresWithFileStagesCloseEveryDescriptor() throws {
        let input = elvisText(20_000, seed: 5)
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis"))
        try withTemporaryDirectory { directory in
            let inPath = directory + "/in"
            let outPath = directory + "/out"
            try createFile(inPath, input)
            for boxed in [false, true] {
                // A transform fails: stages released by deinit.
                do {
                    let failing = FailingTransform(processLimit: 5000)
                    guard
                        let (error, _) = runFailing(
                            boxed: boxed, try FileSource(path: inPath, chunkSize: 1000), failing,
                            try FileSink(path: outPath, bufferSize: 700))
                    else { return }
                    #expect(error.stage == .transform)
                    #expect(error.bytesRead == 6000)
                }
                #expect(openDescriptors(inside: directory).isEmpty, "transform failure, boxed \(boxed)")

                // A sink fails: closed explicitly afterwards.
                do {
                    let source = try FileSource(path: inPath, chunkSize: 512)
                    guard let (error, _) = runFailing(boxed: boxed, source, elvis, FailingSink(limit: 3000))
                    else {
                        return
                    }
                    #expect(error.stage == .sink)
                    try source.close()
                    #expect(
                        openDescriptors(inside: directory).isEmpty, "sink failure, closed, boxed \(boxed)")
                }

                // The source fails: what the file sink wrote is a prefix of
                // the output; its buffered rest is dropped at deinit.
                var written = -1
                do {
                    let sink = try FileSink(path: outPath, bufferSize: 64)
                    let source = FailingSource(input, chunkSize: 100, failingChunk: 50)
                    guard let (error, _) = runFailing(boxed: boxed, source, elvis, sink) else { return }
                    #expect(error.stage == .source)
                    #expect(error.bytesRead == 5000)
                    written = sink.bytesWritten
                }
                #expect(openDescriptors(inside: directory).isEmpty, "source failure, boxed \(boxed)")
                let file = try contentsOfFile(outPath)
                #expect(file.count == written && written > 4000)
                expectBytes(file, equal: Array(expected.prefix(file.count)), "boxed \(boxed)")

                // The sink's device is full: both descriptors are released.
                let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
                try #require(full >= 0)
                do {
                    let sink = try FileSink(
                        fileDescriptor: full, path: "/dev/full", bufferSize: 256, closesOnDeinit: true)
                    guard
                        let (error, _) = runFailing(
                            boxed: boxed, try FileSource(path: inPath, chunkSize: 333), elvis, sink)
                    else { return }
                    #expect(error.stage == .sink)
                    #expect((error.underlying as? IOError)?.code == ENOSPC)
                }
                #expect(openDescriptors(inside: directory).isEmpty, "/dev/full, boxed \(boxed)")
                #expect(!descriptor(full, isOpenOn: "/dev/full"), "/dev/full, boxed \(boxed)")
            }
        }
    }

    @Test func closingAFileSinkWhoseFlushFailsStillClosesIt() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0)
        let sink = try FileSink(fileDescriptor: full, path: "/dev/full", bufferSize: 64, closesOnDeinit: true)
        try sink.write(utf8("buffered").span.bytes)
        #expect(sink.bufferedByteCount == 8)
        guard let error = caught(IOError.self, { try sink.close() }) else { return }
        #expect(error.code == ENOSPC)
        #expect(error.bytesTransferred == 0)
        #expect(!descriptor(full, isOpenOn: "/dev/full"), "closed although the flush failed")
        #expect(throws: Never.self) { try sink.close() }  // nothing left to do
    }

    /// Regression: after `close()`, a FileSink or FileSource kept using its
    /// old descriptor number. The kernel hands the lowest free number to the
    /// next `open`, so a later flush wrote the bytes into whatever file was
    /// opened next, silently, and a read read from it.
    @Test func useAfterCloseDoesNotTouchARecycledDescriptor() throws {
        try withTemporaryDirectory { directory in
            let sink = try FileSink(path: directory + "/closed-sink", bufferSize: 16)
            try sink.close()
            // Likely to receive the number the sink just closed.
            let bystander = try FileSink(path: directory + "/bystander", bufferSize: 16)
            try sink.write(utf8("lost").span.bytes)  // only buffered
            let error = caught(IOError.self) { try sink.flush() }
            #expect(error?.code == EBADF)
            #expect(throws: IOError.self) { try sink.write([UInt8](repeating: 1, count: 100).span.bytes) }
            try bystander.close()
            #expect(try contentsOfFile(directory + "/bystander") == [], "bytes went into another file")

            try createFile(directory + "/in", utf8("source bytes"))
            try createFile(directory + "/other", utf8("someone else's bytes"))
            let source = try FileSource(path: directory + "/in")
            try source.close()
            let other = try FileSource(path: directory + "/other")
            var read: [UInt8] = []
            let readError = caught(IOError.self) {
                _ = try source.read { chunk in chunk.withUnsafeBytes { read += $0 } }
            }
            #expect(readError?.code == EBADF)
            #expect(read.isEmpty, "read another file's bytes")
            #expect(source.bytesRead == 0)
            try other.close()
        }
    }

    // MARK: Error texts

    @Test func errorsDescribeThemselves() {
        let write = IOError(operation: "write", path: "/dev/full", code: ENOSPC, bytesTransferred: 12)
        #expect(
            write.description
                == "cannot write to '/dev/full': \(String(cString: strerror(ENOSPC))) (after 12 bytes)")
        let read = IOError(operation: "read", path: "standard input", code: EIO)
        #expect(read.description.hasPrefix("cannot read from 'standard input': "))
        #expect(read.description.hasSuffix("(after 0 bytes)"))
        let open = IOError(operation: "open", path: nil, code: ENOENT)
        #expect(open.description == "cannot open: \(String(cString: strerror(ENOENT)))")
        #expect(write == IOError(operation: "write", path: "/dev/full", code: ENOSPC, bytesTransferred: 12))
        #expect(write != read)

        let stages: [PipelineError.Stage] = [.source, .transform, .sink]
        #expect(stages.map(\.description) == ["source", "transform", "sink"])
        let error = PipelineError(stage: .sink, bytesRead: 3, bytesWritten: 2, underlying: write)
        #expect(error.description == write.description)
        #expect(error.bytesRead == 3 && error.bytesWritten == 2)
    }
}
