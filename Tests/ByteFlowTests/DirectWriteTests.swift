import ByteFlow
import Testing

/// `ByteSink.beginDirectWrite(minimumCount:)` / `endDirectWrite(_:)`: the
/// path on which `ReplaceTransform` copies runs and replacements into the
/// sink's own memory. Every case runs in every chunking, through the
/// specialized and the boxed pipeline, into sinks that lend generously
/// (`BufferSink`), stingily (exactly what is asked, sometimes nothing), not
/// at all, and into `FileSink`s of several buffer sizes writing real files.
@Suite("Direct writes")
struct DirectWriteTests {
    /// Dense text with runs of every length around the direct path's edges
    /// (0…40 bytes, 250…260, and over 1 KiB), so that matches fall near
    /// every chunk end and long runs leave the direct path.
    static func denseText(pattern: [UInt8], seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        let filler = utf8("the king has left the building, lives on, e l v i s ")
        var text: [UInt8] = []
        var fill = 0
        func run(_ count: Int) {
            for _ in 0..<count {
                text.append(filler[fill % filler.count])
                fill += 1
            }
        }
        for length in 0...40 {
            run(length)
            text += pattern
        }
        for length in 250...260 {
            run(length)
            text += pattern
            text += pattern
        }
        run(1500)
        for _ in 0..<120 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: run(Int.random(in: 33...300, using: &random))
            case 1: text += pattern.dropLast()
            default: run(Int.random(in: 0...20, using: &random))
            }
            text += pattern
        }
        run(7)
        return text
    }

    static let patterns = ["elvis", "x", "ab", "abcabcabcabcabcabcab"].map(utf8)
    static let replacements = [
        "", "E", "Elvis", "0123456789abcdef", "0123456789abcdefg", String(repeating: "R", count: 32),
        String(repeating: "S", count: 33), String(repeating: "T", count: 100),
    ].map(utf8)

    @Test("every chunking into BufferSink, a stingy sink and a sink that lends nothing", arguments: 0..<4)
    func everyChunking(patternIndex: Int) throws {
        let pattern = Self.patterns[patternIndex]
        var random = SeededRandom(seed: 0xD1EC7 &+ UInt64(patternIndex))
        for (r, replacement) in Self.replacements.enumerated() {
            let input = Self.denseText(pattern: pattern, seed: UInt64(r))
            let expected = referenceReplace(input, pattern, replacement)
            let transform = try ReplaceTransform(pattern, with: replacement)
            let cuts = chunkings(for: input.count, randomCount: 3, using: &random)
            // BufferSink lends its free space (the common case).
            expectEveryChunking(
                of: input, through: transform, gives: expected, in: cuts,
                "pattern \(printable(pattern)), replacement \(replacement.count) bytes")
            try expectStingySinks(
                of: input, through: transform, gives: expected, in: cuts,
                "replacement \(replacement.count) bytes")
        }
    }

    @Test(
        "FileSink to real files, every buffer size around the direct path's reserve",
        arguments: [1, 64, 300, 333, 400, 4096, FileSink.defaultBufferSize])
    func fileSink(bufferSize: Int) throws {
        var random = SeededRandom(seed: 0xF11E &+ UInt64(bufferSize))
        for pattern in Self.patterns {
            for replacement in [utf8(""), utf8("Elvis"), utf8(String(repeating: "S", count: 33))] {
                let input = Self.denseText(pattern: pattern, seed: 7)
                let expected = referenceReplace(input, pattern, replacement)
                let transform = try ReplaceTransform(pattern, with: replacement)
                let cuts: [Chunking] =
                    [.whole, .fixed(1), .fixed(31), .fixed(64), .fixed(65), .fixed(1000)]
                    + (0..<2).map { _ in randomPieces(for: input.count, using: &random) }
                try withTemporaryDirectory { directory in
                    for chunking in cuts {
                        let context =
                            "buffer \(bufferSize), chunking \(chunking), pattern \(printable(pattern))"
                        let specializedPath = directory + "/specialized"
                        var specialized = ChunkedSource(input, chunking).transformed(by: transform)
                            .into(try FileSink(path: specializedPath, bufferSize: bufferSize))
                        let summary = try specialized.run()
                        try specialized.sink.close()
                        #expect(summary.bytesWritten == expected.count, "\(context)")
                        #expect(try contentsOfFile(specializedPath) == expected, "specialized, \(context)")

                        let boxedPath = directory + "/boxed"
                        let boxedSink = try FileSink(path: boxedPath, bufferSize: bufferSize)
                        var boxed = BoxedPipeline(
                            source: ChunkedSource(input, chunking), transforms: [transform], sink: boxedSink)
                        try boxed.run()
                        try boxedSink.close()
                        #expect(try contentsOfFile(boxedPath) == expected, "boxed, \(context)")

                        // The tool's way: each chunk lent to the sink, long
                        // runs gathered by address.
                        let gatheredPath = directory + "/gathered"
                        var sink = try FileSink(path: gatheredPath, bufferSize: bufferSize)
                        var stage = transform
                        var source = ChunkedSource(input, chunking)
                        while try source.read({ chunk in
                            try sink.gathering(from: chunk) { try stage.process(chunk, into: &sink) }
                        }) {}
                        try stage.finish(into: &sink)
                        try sink.close()
                        #expect(try contentsOfFile(gatheredPath) == expected, "gathered, \(context)")
                    }
                }
            }
        }
    }

    @Test func bufferSinkLendsItsFreeSpaceAndKeepsWhatIsEnded() {
        var sink = BufferSink()
        sink.write(utf8("abc").span.bytes)
        guard let region = sink.beginDirectWrite(minimumCount: 10) else {
            Issue.record("BufferSink lent nothing")
            return
        }
        #expect(region.count >= 10)
        utf8("defXYZ").withUnsafeBytes { region.copyMemory(from: $0) }
        sink.endDirectWrite(3)
        #expect(sink.string == "abcdef")
        // A copy that fell behind gets storage of its own, not the other's.
        let copy = sink
        sink.write(utf8("ghi").span.bytes)
        var behind = copy
        let other = behind.beginDirectWrite(minimumCount: 4)!
        utf8("!!!!").withUnsafeBytes { other.copyMemory(from: $0) }
        behind.endDirectWrite(4)
        #expect(sink.string == "abcdefghi")
        #expect(behind.string == "abcdef!!!!")
        #expect(copy.string == "abcdef")
    }

    @Test func fileSinkLendsNothingLargerThanItsBuffer() throws {
        try withTemporaryDirectory { directory in
            let sink = try FileSink(path: directory + "/out", bufferSize: 8)
            #expect(try sink.beginDirectWrite(minimumCount: 9) == nil)
            try sink.write(utf8("ab").span.bytes)
            // Room for 8 only after writing out what is buffered.
            let region = try #require(try sink.beginDirectWrite(minimumCount: 8))
            #expect(region.count == 8)
            #expect(sink.bytesWritten == 2)
            utf8("cd").withUnsafeBytes { region.copyMemory(from: $0) }
            sink.endDirectWrite(2)
            #expect(sink.bufferedByteCount == 2)
            try sink.close()
            #expect(try contentsOfFile(directory + "/out") == utf8("abcd"))
        }
    }

    @Test func sinksThatDoNotCopyLendNothing() throws {
        var discard = DiscardSink()
        #expect(try discard.beginDirectWrite(minimumCount: 1) == nil)
        discard.endDirectWrite(0)
        #expect(discard.byteCount == 0)
        #expect(!DiscardSink.lendsMemory)
        #expect(BufferSink.lendsMemory && FileSink.lendsMemory && StingySink.lendsMemory)
    }

    /// A sink that lends but does not say so (`lendsMemory` left `false`)
    /// is still written correctly: the replace's kernel skips it, and its
    /// general path still borrows.
    @Test func aSinkThatLendsWithoutSayingSoStillGetsEveryByte() throws {
        struct QuietLender: ByteSink {
            var inner = StingySink(.exactlyPlusSeven)
            mutating func write(_ span: RawSpan) { inner.write(span) }
            mutating func beginDirectWrite(minimumCount: Int) -> UnsafeMutableRawBufferPointer? {
                inner.beginDirectWrite(minimumCount: minimumCount)
            }
            mutating func endDirectWrite(_ count: Int) { inner.endDirectWrite(count) }
        }
        #expect(!QuietLender.lendsMemory)
        let input = Self.denseText(pattern: utf8("elvis"), seed: 7)
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis"))
        for chunking in [Chunking.whole, .fixed(100), .fixed(4096)] {
            var pipeline = ChunkedSource(input, chunking).transformed(
                by: try ReplaceTransform("elvis", with: "Elvis")
            )
            .into(QuietLender())
            try pipeline.run()
            #expect(
                pipeline.sink.inner.bytes == expected && !pipeline.sink.inner.brokeContract, "\(chunking)")
            #expect(pipeline.sink.inner.lent > 0, "\(chunking): the general path borrowed")
        }
    }
}

/// Runs `input`, cut as each of `chunkings`, through `transform` in a
/// specialized and a boxed pipeline into a ``StingySink`` of every lending
/// mode, and expects `expected`, the count of bytes written (specialized),
/// no broken contract, and, for a whole chunk into a sink that lends, that
/// the direct path was taken.
func expectStingySinks(
    of input: [UInt8], through transform: ReplaceTransform, gives expected: [UInt8], in chunkings: [Chunking],
    _ context: String
) throws {
    for lending in StingySink.Lending.allCases {
        for chunking in chunkings {
            var specialized = ChunkedSource(input, chunking).transformed(by: transform).into(
                StingySink(lending))
            let summary = try specialized.run()
            #expect(
                specialized.sink.bytes == expected && summary.bytesWritten == expected.count
                    && !specialized.sink.brokeContract,
                "specialized, \(lending), chunking \(chunking), \(context)")
            // Whole chunks reach the SIMD scan, which borrows.
            if case .whole = chunking, lending != .nothing {
                #expect(specialized.sink.lent > 0, "specialized: the direct path was taken, \(context)")
            }
            var boxed = BoxedPipeline(
                source: ChunkedSource(input, chunking), transforms: [transform], sink: StingySink(lending))
            try boxed.run()
            let sink = boxed.sink(as: StingySink.self)
            #expect(
                sink?.bytes == expected && sink?.brokeContract == false,
                "boxed, \(lending), chunking \(chunking), \(context)")
            if case .whole = chunking, lending != .nothing {
                #expect((sink?.lent ?? 0) > 0, "boxed: the direct path was taken, \(context)")
            }
        }
    }
}

/// A sink that lends regions of its own, exactly as large as asked (plus
/// `extra`), sometimes nothing, fills them with junk first, and records a
/// broken contract (a write or a second loan while a region is lent, or an
/// end with more bytes than lent).
struct StingySink: ByteSink {
    enum Lending: CaseIterable, CustomStringConvertible {
        case nothing, exactly, exactlyPlusSeven, everyOtherTime
        var description: String {
            switch self {
            case .nothing: "lends nothing"
            case .exactly: "lends exactly the minimum"
            case .exactlyPlusSeven: "lends the minimum + 7"
            case .everyOtherTime: "lends every other time"
            }
        }
    }

    let lending: Lending
    private(set) var bytes: [UInt8] = []
    private(set) var brokeContract = false
    private var region: UnsafeMutableRawBufferPointer?
    private var loans = 0
    /// How many regions were lent (the direct path was taken).
    private(set) var lent = 0

    init(_ lending: Lending) {
        self.lending = lending
    }

    mutating func write(_ span: RawSpan) {
        if region != nil { brokeContract = true }
        span.withUnsafeBytes { bytes += $0 }
    }

    static var lendsMemory: Bool { true }

    mutating func beginDirectWrite(minimumCount: Int) -> UnsafeMutableRawBufferPointer? {
        if region != nil || minimumCount <= 0 { brokeContract = true }
        loans += 1
        let size: Int
        switch lending {
        case .nothing: return nil
        case .exactly: size = minimumCount
        case .exactlyPlusSeven: size = minimumCount + 7
        case .everyOtherTime:
            guard loans % 2 == 1 else { return nil }
            size = minimumCount
        }
        let lent = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
        lent.initializeMemory(as: UInt8.self, repeating: 0xEE)
        region = lent
        self.lent += 1
        return lent
    }

    mutating func endDirectWrite(_ count: Int) {
        guard let lent = region else {
            if count != 0 { brokeContract = true }
            return
        }
        if count < 0 || count > lent.count { brokeContract = true }
        bytes += UnsafeRawBufferPointer(rebasing: lent[0..<max(0, min(count, lent.count))])
        lent.deallocate()
        region = nil
    }
}
