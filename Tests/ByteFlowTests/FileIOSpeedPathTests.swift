import ByteFlow
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// The fast paths of the file stages: FileSource's mapping (with its lease
// fallback) and FileSink's small-copy and direct-write paths.

/// A fresh temporary directory, removed by `body`'s end.
private func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
        "byteflow-io-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Deterministic bytes with an `elvis` every so often.
private func sampleBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    for i in bytes.indices {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes[i] = UInt8(ascii: "a") &+ UInt8(truncatingIfNeeded: state >> 59) % 26
    }
    var i = 0
    while i + 5 <= count {
        bytes.replaceSubrange(i..<i + 5, with: Array("elvis".utf8))
        i += 997
    }
    return bytes
}

/// Reads `source` to the end, checking every chunk against `chunkSize`.
private func readAll(_ source: FileSource, chunkSize: Int) throws -> [UInt8] {
    var out: [UInt8] = []
    while try source.read({ chunk in
        #expect(chunk.byteCount <= chunkSize)
        chunk.withUnsafeBytes { out.append(contentsOf: $0) }
    }) {}
    return out
}

@Test(arguments: [1, 4095, 4096, 65_537, 1 << 20, 32 << 20])
func mappedFileReadsEveryByteInChunksOfAtMostChunkSize(chunkSize: Int) throws {
    try withTemporaryDirectory { directory in
        let path = directory + "/input"
        // Larger than one mapping window, not a multiple of the page size.
        let bytes = sampleBytes(chunkSize == 1 ? 70_001 : FileSource.mappingWindowSize + 12_345, seed: 7)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        for allowsMapping in [true, false] {
            let source = try FileSource(path: path, chunkSize: chunkSize, allowsMapping: allowsMapping)
            if !allowsMapping { #expect(!source.mapsFile) }
            #expect(try readAll(source, chunkSize: chunkSize) == bytes)
            #expect(source.bytesRead == bytes.count)
            #expect(!source.mapsFile)  // released at the end
            try source.close()
        }
    }
}

@Test func mappedFileThroughReplaceMatchesReadPath() throws {
    try withTemporaryDirectory { directory in
        let input = directory + "/input"
        let bytes = sampleBytes(FileSource.mappingWindowSize * 2 + 777, seed: 11)
        _ = FileManager.default.createFile(atPath: input, contents: Data(bytes))
        var outputs: [[UInt8]] = []
        for allowsMapping in [true, false] {
            let output = directory + "/output-\(allowsMapping)"
            var pipeline = try FileSource(path: input, allowsMapping: allowsMapping)
                .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
                .into(FileSink(path: output))
            try pipeline.run()
            try pipeline.sink.close()
            outputs.append(Array(try Data(contentsOf: URL(fileURLWithPath: output))))
        }
        let expected = Array(
            String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "elvis", with: "Elvis").utf8)
        #expect(outputs[0] == expected)
        #expect(outputs[1] == expected)
    }
}

/// Regression test for SIGBUS: a file truncated by another thread while the
/// source maps it. The truncate waits for the lease; the source notices at
/// the next window, unmaps and reads on with read(2). The process survives
/// and what was read is a prefix of the original.
@Test func fileTruncatedWhileMappedDoesNotCrash() throws {
    try withTemporaryDirectory { directory in
        let path = directory + "/shrinking"
        let bytes = sampleBytes(FileSource.mappingWindowSize * 3, seed: 3)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let source = try FileSource(path: path, chunkSize: 1 << 20)
        var out: [UInt8] = []
        _ = try source.read { chunk in chunk.withUnsafeBytes { out.append(contentsOf: $0) } }
        let truncated = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = truncate(path, 4096)
            truncated.signal()
        }
        // Give the truncate time to start waiting on the lease, then read on.
        usleep(100_000)
        while try source.read({ chunk in chunk.withUnsafeBytes { out.append(contentsOf: $0) } }) {}
        truncated.wait()
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_size == 4096)
        #expect(out.count <= bytes.count)
        #expect(Array(bytes[0..<out.count]) == out)
        #expect(!source.mapsFile)
    }
}

@Test(arguments: [1, 16, 4096, 256 << 10])
func fileSinkKeepsOrderAcrossSmallAndDirectWrites(bufferSize: Int) throws {
    try withTemporaryDirectory { directory in
        let path = directory + "/output"
        let sink = try FileSink(path: path, bufferSize: bufferSize)
        var expected: [UInt8] = []
        var state: UInt64 = 42
        for _ in 0..<300 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let sizes = [0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 100, 70_000, 300_000]
            let count = sizes[Int(state >> 33) % sizes.count]
            let piece = (0..<count).map { UInt8(truncatingIfNeeded: $0 &+ Int(state >> 40)) }
            try sink.write(piece.span.bytes)
            expected += piece
        }
        try sink.close()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }
}
