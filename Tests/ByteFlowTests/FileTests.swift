import ByteFlow
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite("Files and pipes")
struct FileTests {
    let elvis: ReplaceTransform

    init() throws {
        elvis = try ReplaceTransform("elvis", with: "Elvis Presley")
    }

    // MARK: Round trips through files

    @Test(
        "file round trip",
        arguments: [
            (1, 1), (1, 4096), (7, 3), (4096, 1), (4096, 65536), (65536, 7), (5000, 5000),
            (FileSource.defaultChunkSize, FileSink.defaultBufferSize),
        ])
    func fileRoundTrip(chunkSize: Int, bufferSize: Int) throws {
        // One-byte chunks or buffers mean a system call per byte: keep those
        // files small.
        let size = min(chunkSize, bufferSize) == 1 ? 6000 : 300_000
        let input = elvisText(size, seed: UInt64(chunkSize &* 31 &+ bufferSize))
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis Presley"))
        try withTemporaryDirectory { directory in
            let inPath = directory + "/in.txt"
            try createFile(inPath, input)
            do {
                let outPath = directory + "/specialized.txt"
                var pipeline = try FileSource(path: inPath, chunkSize: chunkSize)
                    .transformed(by: elvis)
                    .into(try FileSink(path: outPath, bufferSize: bufferSize))
                let summary = try pipeline.run()
                #expect(summary == PipelineSummary(bytesRead: input.count, bytesWritten: expected.count))
                #expect(pipeline.source.bytesRead == input.count)
                #expect(pipeline.source.path == inPath)
                #expect(pipeline.sink.bytesWritten == expected.count)
                #expect(pipeline.sink.bufferedByteCount == 0)
                expectBytes(try contentsOfFile(outPath), equal: expected)
                try pipeline.sink.close()
                try pipeline.source.close()
                #expect(openDescriptors(inside: directory).isEmpty, "closed explicitly")
            }
            do {
                let outPath = directory + "/boxed.txt"
                var boxed = BoxedPipeline(
                    source: try FileSource(path: inPath, chunkSize: chunkSize), transforms: [elvis],
                    sink: try FileSink(path: outPath, bufferSize: bufferSize))
                try boxed.run()
                expectBytes(try contentsOfFile(outPath), equal: expected)
                withExtendedLifetime(boxed) {
                    #expect(openDescriptors(inside: directory).count == 2, "open while the stages live")
                }
            }
            #expect(openDescriptors(inside: directory).isEmpty, "closed by deinit")
        }
    }

    @Test func emptyFileGivesEmptyOutput() throws {
        try withTemporaryDirectory { directory in
            try createFile(directory + "/empty", [])
            var pipeline = try FileSource(path: directory + "/empty", chunkSize: 16)
                .transformed(by: elvis)
                .into(try FileSink(path: directory + "/out", bufferSize: 16))
            #expect(try pipeline.run() == PipelineSummary(bytesRead: 0, bytesWritten: 0))
            #expect(try contentsOfFile(directory + "/out") == [])
        }
    }

    @Test func fileSinkTruncatesAnExistingFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/out"
            try createFile(path, [UInt8](repeating: 0x41, count: 1000))
            var pipeline = BytesSource("elvis").transformed(by: elvis).into(try FileSink(path: path))
            try pipeline.run()
            try pipeline.sink.close()
            try pipeline.sink.close()  // a second close does nothing
            #expect(try contentsOfFile(path) == utf8("Elvis Presley"))
        }
    }

    @Test func fileSinkTakesEmptyChunks() throws {
        try withTemporaryDirectory { directory in
            let input = utf8("elvis and elvis")
            for bufferSize in [1, 4, 100] {
                let path = directory + "/out\(bufferSize)"
                var pipeline = ChunkedSource(input, .pieces([0, 3, 0, 0, 4, 0, 100, 0]))
                    .into(try FileSink(path: path, bufferSize: bufferSize))
                #expect(try pipeline.run() == PipelineSummary(bytesRead: 15, bytesWritten: 15))
                #expect(try contentsOfFile(path) == input)
            }
        }
    }

    // MARK: Opening errors

    @Test func missingFileThrowsIOErrorWithPathAndReason() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/does-not-exist"
            guard let error = caught(IOError.self, { _ = try FileSource(path: path) }) else { return }
            #expect(error.operation == "open")
            #expect(error.path == path)
            #expect(error.code == ENOENT)
            #expect(error.reason == String(cString: strerror(ENOENT)))
            #expect(error.description.contains(path))
            #expect(error.description.contains(error.reason))
        }
    }

    @Test func directoryAsSourceThrowsIOError() throws {
        try withTemporaryDirectory { directory in
            guard let error = caught(IOError.self, { _ = try FileSource(path: directory) }) else { return }
            #expect(error.path == directory)
            #expect(error.code == EISDIR)
            #expect(error.description.contains(directory))
            #expect(error.description.contains(String(cString: strerror(EISDIR))))
            #expect(openDescriptors(inside: directory).isEmpty, "the directory's descriptor is closed")
        }
    }

    @Test func sinkInMissingDirectoryThrowsIOError() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/no/such/dir/out"
            guard let error = caught(IOError.self, { _ = try FileSink(path: path) }) else { return }
            #expect(error.operation == "open")
            #expect(error.path == path)
            #expect(error.code == ENOENT)
        }
    }

    @Test func invalidSizesAreRejected() throws {
        #expect(throws: ByteFlowError.invalidChunkSize(0)) { try FileSource(path: "/dev/null", chunkSize: 0) }
        #expect(throws: ByteFlowError.invalidChunkSize(-1)) {
            try FileSink(path: "/dev/null", bufferSize: -1)
        }
        #expect(throws: ByteFlowError.invalidChunkSize(0)) { try FileSource.standardInput(chunkSize: 0) }
        #expect(throws: ByteFlowError.invalidChunkSize(0)) { try FileSink.standardOutput(bufferSize: 0) }
        #expect(throws: ByteFlowError.invalidChunkSize(0)) { try FileSource(fileDescriptor: 0, chunkSize: 0) }
        #expect(throws: ByteFlowError.invalidChunkSize(0)) { try FileSink(fileDescriptor: 1, bufferSize: 0) }
        #expect(try FileSource.standardInput().path == "standard input")
        #expect(try FileSink.standardOutput().path == "standard output")
    }

    /// A descriptor opened the wrong way round: `read(2)` and `write(2)`
    /// fail with `EBADF`, and the run names the stage and the path. Neither
    /// stage owns the descriptor, so neither closes it.
    @Test func readAndWriteErrorsNameTheStage() throws {
        let pipe = try makePipe()
        defer {
            close(pipe.read)
            close(pipe.write)
        }
        for boxed in [false, true] {
            do {
                let source = try FileSource(fileDescriptor: pipe.write, path: "write end", chunkSize: 64)
                let error = caught(PipelineError.self) {
                    if boxed {
                        var pipeline = BoxedPipeline(source: source, transforms: [elvis], sink: BufferSink())
                        try pipeline.run()
                    } else {
                        var pipeline = source.transformed(by: elvis).into(BufferSink())
                        try pipeline.run()
                    }
                }
                #expect(error?.stage == .source)
                #expect(error?.bytesRead == 0)
                let io = error?.underlying as? IOError
                #expect(io?.operation == "read" && io?.code == EBADF && io?.path == "write end")
            }
            do {
                let sink = try FileSink(fileDescriptor: pipe.read, path: "read end", bufferSize: 8)
                let error = caught(PipelineError.self) {
                    if boxed {
                        var pipeline = BoxedPipeline(
                            source: BytesSource("elvis"), transforms: [elvis], sink: sink)
                        try pipeline.run()
                    } else {
                        var pipeline = BytesSource("elvis").transformed(by: elvis).into(sink)
                        try pipeline.run()
                    }
                }
                #expect(error?.stage == .sink)
                #expect(error?.bytesRead == 5)
                let io = error?.underlying as? IOError
                #expect(io?.operation == "write" && io?.code == EBADF && io?.path == "read end")
            }
            #expect(fcntl(pipe.read, F_GETFD) != -1 && fcntl(pipe.write, F_GETFD) != -1, "still open")
        }
    }

    @Test func devNullIsAnEmptySource() throws {
        var pipeline = try FileSource(path: "/dev/null").transformed(by: elvis).into(BufferSink())
        #expect(try pipeline.run() == PipelineSummary(bytesRead: 0, bytesWritten: 0))
        #expect(try pipeline.source.read { _ in } == false, "and stays at its end")
    }

    // MARK: A full device

    /// `/dev/full` takes no byte: `write(2)` fails with `ENOSPC`. With a
    /// small buffer the failure comes from a write, with the default buffer
    /// from the final flush; either way `run()` names the sink.
    @Test("writing to /dev/full", arguments: [16, FileSink.defaultBufferSize])
    func fullDevice(bufferSize: Int) throws {
        let input = utf8(String(repeating: "elvis ", count: 20))
        let expectedOutput = referenceReplace(input, utf8("elvis"), utf8("Elvis Presley"))
        for boxed in [false, true] {
            // Opened for writing only; the device itself is never touched.
            let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
            try #require(fd >= 0)
            do {
                let sink = try FileSink(
                    fileDescriptor: fd, path: "/dev/full", bufferSize: bufferSize, closesOnDeinit: true)
                let source = try BytesSource(input, chunkSize: 10)
                let error = caught(PipelineError.self) {
                    if boxed {
                        var pipeline = BoxedPipeline(source: source, transforms: [elvis], sink: sink)
                        try pipeline.run()
                    } else {
                        var pipeline = source.transformed(by: elvis).into(sink)
                        try pipeline.run()
                    }
                }
                guard let error else { continue }
                #expect(error.stage == .sink)
                let io = try #require(error.underlying as? IOError)
                #expect(io.code == ENOSPC)
                #expect(io.operation == "write")
                #expect(io.path == "/dev/full")
                #expect(io.bytesTransferred == 0)
                #expect(error.description.contains("/dev/full"))
                #expect(error.description.contains(String(cString: strerror(ENOSPC))))
                #expect(sink.bytesWritten == 0)
                #expect(sink.bufferedByteCount == 0, "failed bytes are dropped, not kept for later")
                if bufferSize == FileSink.defaultBufferSize {
                    // Everything was taken into the buffer; the flush failed.
                    #expect(error.bytesRead == input.count)
                    #expect(error.bytesWritten == expectedOutput.count)
                } else {
                    #expect(error.bytesWritten < bufferSize)
                    #expect(error.bytesRead < input.count)
                }
            }
            #expect(!descriptor(fd, isOpenOn: "/dev/full"), "closed when the sink went away")
        }
    }

    @Test func fileSinkByPathOnFullDevice() throws {
        // FileSink(path:) opens with O_CREAT | O_TRUNC, which leave an
        // existing character device as it is.
        let sink = try FileSink(path: "/dev/full", bufferSize: 4)
        var pipeline = BytesSource("elvis").transformed(by: elvis).into(sink)
        guard let error = caught(PipelineError.self, { try pipeline.run() }) else { return }
        #expect(error.stage == .sink)
        #expect((error.underlying as? IOError)?.code == ENOSPC)
        #expect(throws: Never.self) { try sink.close() }
    }

    // MARK: Pipes

    /// A sink writing into a 4 KiB pipe whose reader is slow: `write(2)`
    /// blocks, or with a non-blocking descriptor returns short writes and
    /// `EAGAIN`; every byte must arrive, in order.
    @Test(
        "FileSink into a slow pipe", .timeLimit(.minutes(1)),
        arguments: [false, true], [1, 100, 4096, 65536, FileSink.defaultBufferSize])
    func sinkIntoSlowPipe(nonBlocking: Bool, bufferSize: Int) throws {
        let input = elvisText(bufferSize == 1 ? 20_000 : 200_000, seed: UInt64(bufferSize))
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis Presley"))
        for boxed in [false, true] {
            let pipe = try makePipe(capacity: 4096, nonBlockingWrite: nonBlocking)
            let reader = BackgroundWork { drain(pipe.read) }
            var sinkWritten = -1
            do {
                // Whatever happens, the reader sees the end of the stream,
                // and the read end stays open until it has: closing it under
                // a writer would raise SIGPIPE and kill the test process.
                defer {
                    #expect(fcntl(pipe.write, F_GETFD) != -1, "a sink that does not own it leaves it open")
                    close(pipe.write)
                }
                let sink = try FileSink(fileDescriptor: pipe.write, path: "pipe", bufferSize: bufferSize)
                let source = try BytesSource(input, chunkSize: 3000)
                if boxed {
                    var pipeline = BoxedPipeline(source: source, transforms: [elvis], sink: sink)
                    try pipeline.run()
                } else {
                    var pipeline = source.transformed(by: elvis).into(sink)
                    try pipeline.run()
                }
                sinkWritten = sink.bytesWritten
            } catch {
                Issue.record("run failed: \(error)")
            }
            let (received, error) = reader.wait()
            close(pipe.read)
            #expect(error == nil)
            #expect(sinkWritten == expected.count)
            expectBytes(
                received, equal: expected, "non-blocking \(nonBlocking), buffer \(bufferSize), boxed \(boxed)"
            )
        }
    }

    /// A source reading a pipe that a writer fills in pieces of varying size:
    /// chunks are whatever `read(2)` returns.
    @Test(
        "FileSource from a pipe", .timeLimit(.minutes(1)),
        arguments: [false, true], [1, 777, FileSource.defaultChunkSize])
    func sourceFromPipe(nonBlocking: Bool, chunkSize: Int) throws {
        let input = elvisText(chunkSize == 1 ? 10_000 : 200_000, seed: UInt64(chunkSize))
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis Presley"))
        for boxed in [false, true] {
            let pipe = try makePipe(capacity: 4096, nonBlockingRead: nonBlocking)
            let writer = BackgroundWork { feed(pipe.write, input, seed: UInt64(chunkSize)) }
            var output: [UInt8] = []
            do {
                let source = try FileSource(fileDescriptor: pipe.read, path: "pipe", chunkSize: chunkSize)
                if boxed {
                    var pipeline = BoxedPipeline(source: source, transforms: [elvis], sink: BufferSink())
                    try pipeline.run()
                    output = pipeline.sink(as: BufferSink.self)?.bytes ?? []
                } else {
                    var pipeline = source.transformed(by: elvis).into(BufferSink())
                    try pipeline.run()
                    output = pipeline.sink.bytes
                }
                #expect(source.bytesRead == input.count)
            } catch {
                Issue.record("run failed: \(error)")
            }
            // Read what a failed run left, so that the writer finishes
            // before the read end closes (else SIGPIPE kills the process).
            _ = drain(pipe.read, slowly: false)
            #expect(fcntl(pipe.read, F_GETFD) != -1, "a source that does not own it leaves it open")
            close(pipe.read)
            #expect(writer.wait() == nil)
            expectBytes(
                output, equal: expected,
                "non-blocking \(nonBlocking), chunk size \(chunkSize), boxed \(boxed)")
        }
    }

    // MARK: Interrupted system calls

    /// Signals without `SA_RESTART` interrupt a blocked `read(2)` or `write(2)`
    /// with `EINTR` (or cut a write short): the file stages must retry, and
    /// the stream must come out whole.
    @Test(.timeLimit(.minutes(1)))
    func interruptedReadsAndWritesAreRetried() throws {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        action.sa_flags = 0  // no SA_RESTART: blocked calls fail with EINTR
        sigemptyset(&action.sa_mask)
        var previous = sigaction()
        try #require(sigaction(SIGUSR2, &action, &previous) == 0)
        defer { sigaction(SIGUSR2, &previous, nil) }
        // Test threads may block signals (dispatch's workers do): let this
        // one take SIGUSR2 for the duration of the test.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGUSR2)
        var previousMask = sigset_t()
        try #require(pthread_sigmask(SIG_UNBLOCK, &unblock, &previousMask) == 0)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }
        let target = pthread_self()
        let input = elvisText(60_000, seed: 21)
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis Presley"))

        // Source side: the writer interrupts the reading thread before each
        // piece, while it waits in read(2) on an empty pipe.
        do {
            let pipe = try makePipe()
            let writer = BackgroundWork { () -> Int32? in
                defer { close(pipe.write) }
                var offset = 0
                while offset < input.count {
                    pthread_kill(target, SIGUSR2)
                    usleep(300)
                    let end = min(input.count, offset + 4000)
                    let n = input.withUnsafeBytes {
                        write(pipe.write, $0.baseAddress! + offset, end - offset)
                    }
                    if n < 0 && errno != EINTR { return errno }
                    if n > 0 { offset += n }
                }
                return nil
            }
            var output: [UInt8] = []
            do {
                let source = try FileSource(fileDescriptor: pipe.read, path: "pipe", chunkSize: 1000)
                var pipeline = source.transformed(by: elvis).into(BufferSink())
                try pipeline.run()
                output = pipeline.sink.bytes
            } catch {
                Issue.record("reading failed: \(error)")
            }
            _ = drain(pipe.read, slowly: false)
            close(pipe.read)
            #expect(writer.wait() == nil)
            expectBytes(output, equal: expected, "source")
        }

        // Sink side: the reader interrupts the writing thread while it waits
        // in write(2) on a full pipe.
        do {
            let pipe = try makePipe()
            let reader = BackgroundWork { () -> (bytes: [UInt8], error: Int32?) in
                var bytes: [UInt8] = []
                var piece = [UInt8](repeating: 0, count: 2000)
                while true {
                    pthread_kill(target, SIGUSR2)
                    usleep(300)
                    let n = piece.withUnsafeMutableBytes { read(pipe.read, $0.baseAddress!, 2000) }
                    if n > 0 {
                        bytes += piece[0..<n]
                    } else if n == 0 {
                        return (bytes, nil)
                    } else if errno != EINTR {
                        return (bytes, errno)
                    }
                }
            }
            do {
                defer { close(pipe.write) }
                let sink = try FileSink(fileDescriptor: pipe.write, path: "pipe", bufferSize: 30_000)
                var pipeline = try BytesSource(input, chunkSize: 7000).transformed(by: elvis).into(sink)
                try pipeline.run()
            } catch {
                Issue.record("writing failed: \(error)")
            }
            let (received, error) = reader.wait()
            close(pipe.read)
            #expect(error == nil)
            expectBytes(received, equal: expected, "sink")
        }
    }
}
