import ByteFlow
import Testing

@Suite("Byte-level stages")
struct ByteStageTests {
    /// Random inputs over all byte values and over text, with every chunking.
    private func inputs(seed: UInt64) -> [(input: [UInt8], chunkings: [Chunking])] {
        var random = SeededRandom(seed: seed)
        return (0..<12).map { index in
            let length =
                index < 8
                ? Int.random(in: 0...80, using: &random) : Int.random(in: 81...40_000, using: &random)
            let input =
                index.isMultiple(of: 2)
                ? random.anyBytes(length) : random.bytes(length, from: utf8("Hello, World! \r\nabcxyzABCXYZ"))
            return (
                input, chunkings(for: input.count, randomCount: 4, everyFixedSizeUpTo: 60, using: &random)
            )
        }
    }

    @Test("Byte maps: upper, lower, ROT13 and a user table, with a staging buffer smaller than the chunks")
    func byteMaps() throws {
        let upper: (UInt8) -> UInt8 = { (0x61...0x7A).contains($0) ? $0 - 32 : $0 }
        let lower: (UInt8) -> UInt8 = { (0x41...0x5A).contains($0) ? $0 + 32 : $0 }
        let rot13: (UInt8) -> UInt8 = { byte in
            let scalar = Character(Unicode.Scalar(byte))
            guard scalar.isASCII, scalar.isLetter else { return byte }
            let base: UInt8 = scalar.isUppercase ? 0x41 : 0x61
            return (byte - base + 13) % 26 + base
        }
        let invert: (UInt8) -> UInt8 = { ~$0 }
        let cases: [(ByteMapTransform, (UInt8) -> UInt8)] = [
            (.asciiUppercase, upper), (.asciiLowercase, lower), (.rot13, rot13),
            (try ByteMapTransform(table: (0...255).map { invert(UInt8($0)) }, stagingCapacity: 7), invert),
        ]
        for (map, reference) in cases {
            for (input, cuts) in inputs(seed: 11) {
                #expect(expectEveryChunking(of: input, through: map, gives: input.map(reference), in: cuts))
            }
        }
        #expect(throws: ByteFlowError.invalidChunkSize(3)) { try ByteMapTransform(table: [1, 2, 3]) }
        let twice = utf8("Hello").map(rot13).map(rot13)
        #expect(twice == utf8("Hello"))
    }

    @Test(
        "Tables made of a few shifted ranges (the SIMD path) and of more (the table path) map alike",
        arguments: 0..<40)
    func rangeTables(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &+ 300)
        var table = (0...255).map { UInt8($0) }
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            let first = Int.random(in: 0...255, using: &random)
            let last = Int.random(in: first...min(255, first + 40), using: &random)
            let delta = UInt8.random(in: 0...255, using: &random)
            for byte in first...last { table[byte] = UInt8(byte) &+ delta }
        }
        if seed == 0 { table[255] = 0 }  // a range that ends at the last byte value
        let map = try ByteMapTransform(table: table, stagingCapacity: Int.random(in: 1...64, using: &random))
        let input = random.anyBytes(Int.random(in: 0...300, using: &random))
        #expect(
            expectEveryChunking(
                of: input, through: map, gives: input.map { table[Int($0)] },
                in: chunkings(for: input.count, randomCount: 3, everyFixedSizeUpTo: 20, using: &random)),
            "seed \(seed)")
    }

    @Test("Byte filter drops exactly its set, including with a tiny staging buffer")
    func byteFilter() {
        for (filter, dropped) in [
            (ByteFilterTransform(dropping: [0x0D]), Set<UInt8>([0x0D])),
            (ByteFilterTransform(stagingCapacity: 3) { $0 >= 0x80 }, Set((0..<0x80).map(UInt8.init))),
        ] {
            for (input, cuts) in inputs(seed: 12) {
                #expect(
                    expectEveryChunking(
                        of: input, through: filter, gives: input.filter { !dropped.contains($0) }, in: cuts))
            }
        }
    }

    @Test("dropFirst(n) as a transform", arguments: [0, 1, 5, 79, 1000, 100_000])
    func prefixAndSkip(n: Int) {
        for (input, cuts) in inputs(seed: 13) {
            // PrefixTransform stops the run early, so it is swept with its
            // read counts in EarlyStopTests.
            #expect(
                expectEveryChunking(
                    of: input, through: DropFirstTransform(n), gives: Array(input.dropFirst(n)), in: cuts))
        }
    }

    @Test("A source cut by prefix(n) stops reading its base at the limit")
    func prefixSourceStopsReading() throws {
        struct CountingReads: ByteSource {
            var base: BytesSource
            var reads = 0
            mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
                reads += 1
                return try base.read(body)
            }
        }
        let input = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        var pipeline = CountingReads(base: try BytesSource(input, chunkSize: 100)).prefix(250).into(
            BufferSink())
        let summary = try pipeline.run()
        #expect(pipeline.sink.bytes == Array(input.prefix(250)))
        #expect(summary.bytesRead == 250)
        #expect(pipeline.source.base.reads == 3)  // 100 + 100 + 50 of the third chunk; never a fourth
    }
}
