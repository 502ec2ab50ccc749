import Testing

// `@testable` reaches the table path of CRC-32C on a machine that has the
// hardware instruction.
@testable import ByteFlow

@Suite("Sources and sinks")
struct SourceAndSinkTests {
    @Test("CRC-32C matches the published check value and the RFC 3720 vectors, on both paths")
    func crcVectors() {
        // RFC 3720, B.4; and the catalogue check value of "123456789".
        let vectors: [([UInt8], UInt32)] = [
            (utf8("123456789"), 0xE306_9283),
            ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
            ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
            ((0..<32).map { UInt8($0) }, 0x46DD_794E),
            ((0..<32).map { UInt8(31 - $0) }, 0x113F_DB5C),
            ([], 0),
        ]
        for (bytes, expected) in vectors {
            var crc = CRC32C()
            crc.update(bytes.span.bytes)
            #expect(crc.checksum == expected)
            // Byte by byte: the state carries across calls.
            var pieces = CRC32C()
            for byte in bytes { pieces.update([byte].span.bytes) }
            #expect(pieces.checksum == expected)
        }
    }

    @Test("The table path and the hardware path agree on random input at every alignment")
    func crcPathsAgree() {
        var random = SeededRandom(seed: 8)
        let bytes = random.anyBytes(5000)
        bytes.withUnsafeBytes { buffer in
            for start in 0..<9 {
                for count in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4991] {
                    let table = CRC32C._update(
                        0xFFFF_FFFF, buffer.baseAddress! + start, count, hardware: false)
                    var reference: UInt32 = 0xFFFF_FFFF
                    for byte in buffer[start..<start + count] {
                        reference ^= UInt32(byte)
                        for _ in 0..<8 {
                            reference = reference & 1 != 0 ? (reference >> 1) ^ 0x82F6_3B78 : reference >> 1
                        }
                    }
                    #expect(table == reference, "start \(start) count \(count)")
                    if CRC32C.hardwareAccelerated {
                        #expect(
                            CRC32C._update(0xFFFF_FFFF, buffer.baseAddress! + start, count, hardware: true)
                                == reference)
                    }
                }
            }
        }
    }

    @Test("CRC32CSink gives the same checksum in every chunking")
    func crcSinkChunkings() throws {
        var random = SeededRandom(seed: 5)
        let input = random.anyBytes(3000)
        var whole = CRC32C()
        whole.update(input.span.bytes)
        for chunking in chunkings(for: input.count, randomCount: 5, everyFixedSizeUpTo: 20, using: &random) {
            var pipeline = ChunkedSource(input, chunking).into(CRC32CSink())
            try pipeline.run()
            #expect(pipeline.sink.checksum == whole.checksum, "\(chunking)")
        }
    }

    @Test("Concatenated sources read in order, in every chunking of each part")
    func concatenation() throws {
        var random = SeededRandom(seed: 6)
        for _ in 0..<40 {
            let parts = (0..<3).map { _ in random.anyBytes(Int.random(in: 0...50, using: &random)) }
            let cuts = parts.map { randomPieces(for: $0.count, using: &random) }
            var mixed = ChunkedSource(parts[0], cuts[0]).appending(try BytesSource(parts[1], chunkSize: 7))
                .appending(ChunkedSource(parts[2], cuts[2])).into(BufferSink())
            try mixed.run()
            #expect(mixed.sink.bytes == parts.flatMap { $0 })
            var list = SourceSequence(zip(parts, cuts).map { ChunkedSource($0, $1) }).into(BufferSink())
            try list.run()
            #expect(list.sink.bytes == parts.flatMap { $0 })
        }
        var empty = SourceSequence([BytesSource]()).into(BufferSink())
        #expect(try empty.run().bytesRead == 0)
    }

    @Test("A capped sink accepts up to its cap and then fails, saying the cap and what it accepted")
    func cappedSink() throws {
        let input = [UInt8](repeating: 7, count: 100)
        var fits = try BytesSource(input, chunkSize: 10).into(CappedBufferSink(cap: 100))
        try fits.run()
        #expect(fits.sink.buffer.bytes == input)

        var over = try BytesSource(input, chunkSize: 30).into(CappedBufferSink(cap: 75))
        let error = caught(PipelineError.self) { try over.run() }
        #expect(error?.stage == .sink)
        #expect(
            error?.underlying as? CapExceededError == CapExceededError(cap: 75, accepted: 60, refused: 30))
        #expect(over.sink.count == 60)
        #expect(
            "\(error.map { String(describing: $0) } ?? "")"
                == "output exceeds the cap of 75 bytes: 60 accepted, a write of 30 refused")
        over.sink.reset()
        #expect(over.sink.count == 0)
    }
}
