import ByteFlow
import Foundation
import Testing

@testable import ByteFlowCLI

#if canImport(Glibc)
    import Glibc
#endif

// The whole-process transport: FileSource choosing read(2) or a lazy mapping
// by file size, FileSink gathering long runs of a lent chunk into writev(2),
// and the tool using both. Every test compares with a simple reference.

/// The file sizes where the transport changes behaviour, and around them.
private let transportSizes: [Int] = [
    0, 1, 4095, 4096, 4097,
    FileSource.mappingThreshold - 1, FileSource.mappingThreshold, FileSource.mappingThreshold + 1,
    FileSource.mappingWindowSize - 1, FileSource.mappingWindowSize, FileSource.mappingWindowSize + 1,
    (3 << 20) + 5,
]

/// `elvisText` cut to exactly `count` bytes.
private func text(_ count: Int, seed: UInt64) -> [UInt8] {
    Array(elvisText(count, seed: seed).prefix(count))
}

@Suite("File transport: read or map by size, gathered writes")
struct FileTransportTests {
    /// Every size around the thresholds, mapped or not, in two chunk sizes:
    /// every byte once, in order, no chunk over the chunk size; a file below
    /// ``FileSource/mappingThreshold`` is never mapped.
    @Test(arguments: transportSizes)
    func sourceReadsEverySize(size: Int) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/input"
            let bytes = text(size, seed: UInt64(size))
            try createFile(path, bytes)
            for allowsMapping in [true, false] {
                for chunkSize in [FileSource.defaultChunkSize, 4099] {
                    let source = try FileSource(
                        path: path, chunkSize: chunkSize, allowsMapping: allowsMapping)
                    if size < FileSource.mappingThreshold || !allowsMapping { #expect(!source.mapsFile) }
                    var out: [UInt8] = []
                    while try source.read({ chunk in
                        #expect(chunk.byteCount <= chunkSize)
                        chunk.withUnsafeBytes { out.append(contentsOf: $0) }
                    }) {}
                    expectBytes(
                        out, equal: bytes, "size \(size), mapping \(allowsMapping), chunk \(chunkSize)")
                    #expect(source.bytesRead == size)
                    #expect(!source.mapsFile)
                    // The end stays the end.
                    #expect(try !source.read({ _ in Issue.record("a chunk after the end") }))
                    try source.close()
                }
            }
        }
    }

    /// A small file that grows after it was opened is still read whole: its
    /// buffer was sized for the old length, so the new bytes come in more
    /// chunks, never lost.
    @Test func smallFileThatGrowsIsReadWhole() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/growing"
            let first = text(5000, seed: 1)
            let more = text(300_000, seed: 2)
            try createFile(path, first)
            let source = try FileSource(path: path)
            let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            try #require(fd >= 0)
            _ = more.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            var out: [UInt8] = []
            while try source.read({ chunk in chunk.withUnsafeBytes { out.append(contentsOf: $0) } }) {}
            expectBytes(out, equal: first + more)
        }
    }

    /// The tool on every size, from a path (mapped or read), to standard
    /// output and to `-o FILE`: the reference replacement, byte for byte.
    @Test(arguments: transportSizes)
    func toolReplacesEverySize(size: Int) throws {
        try withTemporaryDirectory { directory in
            let input = directory + "/input"
            let bytes = text(size, seed: UInt64(size) &+ 99)
            try createFile(input, bytes)
            let expected = referenceReplace(bytes, utf8("elvis"), utf8("Elvis"))
            let stdoutPath = directory + "/stdout"
            let stdout = open(stdoutPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            let null = open("/dev/null", O_RDWR | O_CLOEXEC)
            try #require(stdout >= 0 && null >= 0)
            defer {
                close(stdout)
                close(null)
            }
            let environment = ToolEnvironment(
                standardInput: null, standardOutput: stdout, standardError: null)
            #expect(
                ByteflowTool.run(
                    [utf8("replace"), utf8("elvis"), utf8("Elvis"), utf8(input)], environment: environment)
                    == 0)
            expectBytes(try contentsOfFile(stdoutPath), equal: expected, "size \(size), standard output")
            let output = directory + "/output"
            #expect(
                ByteflowTool.run(
                    [utf8("replace"), utf8("-o"), utf8(output), utf8("elvis"), utf8("Elvis"), utf8(input)],
                    environment: environment) == 0)
            expectBytes(try contentsOfFile(output), equal: expected, "size \(size), -o")
        }
    }

    /// The tool reading a pipe (read(2) in whatever pieces the writer gives)
    /// into a slow, small pipe (short `writev(2)`s): every byte, in order.
    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func toolFromPipeIntoSlowPipe(nonBlocking: Bool) throws {
        let bytes = text(3 << 20, seed: 5)
        let expected = referenceReplace(bytes, utf8("elvis"), utf8("Elvis"))
        let input = try makePipe(capacity: 4096)
        let output = try makePipe(capacity: 4096, nonBlockingWrite: nonBlocking)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        try #require(null >= 0)
        let writer = BackgroundWork { feed(input.write, bytes, seed: 3) }
        let reader = BackgroundWork { drain(output.read) }
        let status = ByteflowTool.run(
            [utf8("replace"), utf8("elvis"), utf8("Elvis")],
            environment: ToolEnvironment(
                standardInput: input.read, standardOutput: output.write, standardError: null))
        close(output.write)
        #expect(writer.wait() == nil)
        let (received, error) = reader.wait()
        close(input.read)
        close(output.read)
        close(null)
        #expect(status == 0)
        #expect(error == nil)
        expectBytes(received, equal: expected, "non-blocking \(nonBlocking)")
    }

    /// `FileSink.gathering(from:_:)` against a plain concatenation: pieces
    /// from inside the lent region (kept by address when long enough) and
    /// from elsewhere (copied), of every size around the thresholds, enough
    /// of them to pass 1,024 vectors in one region, in several buffer sizes.
    @Test(arguments: [1, 16, 4096, FileSink.defaultBufferSize])
    func gatheringKeepsOrder(bufferSize: Int) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/output"
            let sink = try FileSink(path: path, bufferSize: bufferSize)
            var random = SeededRandom(seed: UInt64(bufferSize))
            let region = text(1 << 20, seed: 8)
            let elsewhere = text(200_000, seed: 9)
            let sizes = [0, 1, 7, 16, 17, 1023, 1024, 1025, 4096, 70_000]
            var expected: [UInt8] = []
            for round in 0..<3 {
                try region.span.bytes.withUnsafeBytes { regionBytes in
                    try sink.gathering(from: region.span.bytes) {
                        for _ in 0..<(round == 1 ? 3000 : 200) {
                            let size = sizes[Int.random(in: 0..<sizes.count, using: &random)]
                            if Bool.random(using: &random) {
                                let start = Int.random(in: 0...(region.count - size), using: &random)
                                try sink.write(
                                    UnsafeRawBufferPointer(rebasing: regionBytes[start..<start + size]).bytes)
                                expected += region[start..<start + size]
                            } else {
                                let start = Int.random(in: 0...(elsewhere.count - size), using: &random)
                                let piece = Array(elsewhere[start..<start + size])
                                try sink.write(piece.span.bytes)
                                expected += piece
                            }
                        }
                        // A nested call just runs its body.
                        try sink.gathering(from: elsewhere.span.bytes) {
                            try sink.write(elsewhere.span.bytes)
                        }
                        expected += elsewhere
                    }
                }
                // Nothing gathered outlives the region.
                #expect(sink.bufferedByteCount <= bufferSize)
                try sink.write(utf8("between").span.bytes)
                expected += utf8("between")
            }
            try sink.close()
            #expect(sink.bytesWritten == expected.count)
            expectBytes(try contentsOfFile(path), equal: expected, "buffer \(bufferSize)")
        }
    }

    /// A body that throws: its error comes out unchanged, and what it wrote
    /// before reaches the file (the region's bytes are not kept past it).
    @Test func gatheringBodyThatThrows() throws {
        struct Stop: Error {}
        try withTemporaryDirectory { directory in
            let path = directory + "/output"
            let sink = try FileSink(path: path)
            let region = text(100_000, seed: 4)
            #expect(throws: Stop.self) {
                try sink.gathering(from: region.span.bytes) {
                    try sink.write(utf8("head ").span.bytes)
                    try sink.write(region.span.bytes.extracting(10..<50_000))
                    throw Stop()
                }
            }
            #expect(sink.bufferedByteCount == 0)
            try sink.write(utf8(" tail").span.bytes)
            try sink.close()
            expectBytes(try contentsOfFile(path), equal: utf8("head ") + region[10..<50_000] + utf8(" tail"))
        }
    }

    /// A gathered write that fails (the disk is full) throws ``IOError``
    /// from the gathering call, and the tool reports it as an output error.
    @Test func gatheredWriteToFullDevice() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        guard full >= 0 else { return }  // no /dev/full here: nothing to test
        defer { close(full) }
        let sink = try FileSink(fileDescriptor: full, path: "/dev/full")
        let region = text(100_000, seed: 6)
        #expect(throws: IOError.self) {
            try sink.gathering(from: region.span.bytes) {
                try sink.write(region.span.bytes.extracting(0..<5000))
            }
        }
        try withTemporaryDirectory { directory in
            let input = directory + "/input"
            try createFile(input, text(2 << 20, seed: 7))
            let errors = directory + "/errors"
            let stderr = open(errors, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            try #require(stderr >= 0 && null >= 0)
            let status = ByteflowTool.run(
                [utf8("replace"), utf8("elvis"), utf8("Elvis"), utf8(input)],
                environment: ToolEnvironment(standardInput: null, standardOutput: full, standardError: stderr)
            )
            close(stderr)
            close(null)
            #expect(status == 1)
            let message = String(decoding: try contentsOfFile(errors), as: UTF8.self)
            #expect(message.contains("cannot write to standard output"), "\(message)")
        }
    }
}
