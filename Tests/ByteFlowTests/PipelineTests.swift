import ByteFlow
import Testing

// The user-defined uppercasing transform these tests use is the README's
// `ASCIIUppercase` (ReadmeExampleTests.swift): it writes from a scratch
// buffer it owns, so its output spans are borrowed from its own state.

/// A user-defined pass-through stage that counts what flows through it.
struct ByteCounter: ByteTransform {
    var bytes = 0
    var chunks = 0
    var finishes = 0

    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        bytes += chunk.byteCount
        chunks += 1
        try next.write(chunk)
    }

    mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        finishes += 1
    }
}

func uppercased(_ bytes: [UInt8]) -> [UInt8] {
    bytes.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }
}

@Suite("Pipelines")
struct PipelineTests {
    let elvis: ReplaceTransform
    let input = utf8("elvis, Elvis and elvielvis sing; elv")

    init() throws {
        elvis = try ReplaceTransform("elvis", with: "presley")
    }

    // MARK: Composition

    @Test func threeWaysToChainGiveTheSameTypeAndOutput() throws {
        let expected = uppercased(referenceReplace(input, utf8("elvis"), utf8("presley")))
        var viaTransformed: Pipeline<BytesSource, Chain<ReplaceTransform, ASCIIUppercase>, BufferSink> =
            BytesSource(input).transformed(by: elvis).transformed(by: ASCIIUppercase()).into(BufferSink())
        var viaFollowed: Pipeline<BytesSource, Chain<ReplaceTransform, ASCIIUppercase>, BufferSink> =
            BytesSource(input).transformed(by: elvis.followed(by: ASCIIUppercase())).into(BufferSink())
        var viaChain = Pipeline(
            source: BytesSource(input), transform: Chain(elvis, ASCIIUppercase()), sink: BufferSink())
        try viaTransformed.run()
        try viaFollowed.run()
        try viaChain.run()
        #expect(viaTransformed.sink.bytes == expected)
        #expect(viaFollowed.sink.bytes == expected)
        #expect(viaChain.sink.bytes == expected)
        #expect(viaChain.sink.string == "PRESLEY, ELVIS AND ELVIPRESLEY SING; ELV")
    }

    @Test func chainsRunInEveryChunking() throws {
        var random = SeededRandom(seed: 7)
        let expected = uppercased(referenceReplace(input, utf8("elvis"), utf8("presley")))
        expectEveryChunking(
            of: input, through: elvis.followed(by: ASCIIUppercase(scratchSize: 3)),
            boxedAs: [elvis, ASCIIUppercase(scratchSize: 3)], gives: expected,
            in: chunkings(for: input.count, randomCount: 20, using: &random))
        // A chain is itself one transform: boxed whole, it runs the same.
        expectEveryChunking(
            of: input, through: elvis.followed(by: ASCIIUppercase()),
            boxedAs: [elvis.followed(by: ASCIIUppercase())], gives: expected,
            in: chunkings(for: input.count, randomCount: 5, using: &random))
    }

    @Test func stageOrderMatters() throws {
        let upperFirst = ASCIIUppercase().followed(by: elvis)
        let (output, _) = try runSpecialized(utf8("elvis Elvis"), .fixed(3), through: upperFirst)
        #expect(output == utf8("ELVIS ELVIS"))
        let (boxedOutput, _) = try runBoxed(
            utf8("elvis Elvis"), .fixed(3), through: [ASCIIUppercase(), elvis])
        #expect(boxedOutput == utf8("ELVIS ELVIS"))
    }

    /// Replacements feeding replacements: a → b, b → cc, c → "" is three
    /// passes of the reference.
    @Test func chainedReplacementsSeeEachOthersOutput() throws {
        let steps: [(pattern: [UInt8], replacement: [UInt8])] = [
            (utf8("a"), utf8("b")), (utf8("bb"), utf8("cxc")), (utf8("cc"), []),
        ]
        let t = try steps.map { try ReplaceTransform($0.pattern, with: $0.replacement) }
        var random = SeededRandom(seed: 8)
        for _ in 0..<50 {
            let text = random.bytes(Int.random(in: 0...60, using: &random), from: utf8("abcx"))
            expectEveryChunking(
                of: text, through: t[0].followed(by: t[1]).followed(by: t[2]), boxedAs: t,
                gives: referenceReplace(text, steps),
                in: chunkings(for: text.count, randomCount: 3, everyFixedSizeUpTo: 10, using: &random))
        }
    }

    @Test func customTransformsComposeLikeBuiltIns() throws {
        var random = SeededRandom(seed: 9)
        let text = random.bytes(500, from: utf8("abcdefghijklmnopqrstuvwxyzABC!? \n"))
        expectEveryChunking(
            of: text, through: ASCIIUppercase(scratchSize: 7), gives: uppercased(text),
            in: chunkings(for: text.count, randomCount: 10, using: &random))
        expectEveryChunking(
            of: text, through: ByteCounter().followed(by: PassThroughTransform()).followed(by: ByteCounter()),
            boxedAs: [ByteCounter(), PassThroughTransform(), ByteCounter()], gives: text,
            in: chunkings(for: text.count, randomCount: 10, using: &random))
    }

    @Test func stagesKeepTheirStateInBothPipelines() throws {
        let expected = referenceReplace(input, utf8("elvis"), utf8("presley"))
        // Appended stages nest to the right: Chain<A, Chain<B, C>>.
        var specialized:
            Pipeline<BytesSource, Chain<ByteCounter, Chain<ReplaceTransform, ByteCounter>>, BufferSink> =
                try BytesSource(input, chunkSize: 4)
                .transformed(by: ByteCounter())
                .transformed(by: elvis)
                .transformed(by: ByteCounter())
                .into(BufferSink())
        try specialized.run()
        #expect(specialized.transform.first.bytes == input.count)
        #expect(specialized.transform.first.chunks == (input.count + 3) / 4)
        #expect(specialized.transform.second.second.bytes == expected.count)
        #expect(specialized.transform.second.second.finishes == 1)

        var boxed = BoxedPipeline(
            source: try BytesSource(input, chunkSize: 4), transforms: [ByteCounter(), elvis, ByteCounter()],
            sink: BufferSink())
        try boxed.run()
        #expect((boxed.transforms[0] as? ByteCounter)?.bytes == input.count)
        #expect((boxed.transforms[2] as? ByteCounter)?.bytes == expected.count)
        #expect((boxed.transforms[2] as? ByteCounter)?.finishes == 1)
        #expect(boxed.sink(as: BufferSink.self)?.bytes == expected)
    }

    // MARK: Reuse

    @Test func specializedPipelineRunsAgainAfterRewind() throws {
        // The input ends in a partial match, so the transform holds bytes
        // back until finish, which must leave it in its initial state.
        let expected = referenceReplace(input, utf8("elvis"), utf8("presley"))
        var pipeline = try BytesSource(input, chunkSize: 5).transformed(by: elvis).into(BufferSink())
        let first = pipeline.run()
        #expect(pipeline.sink.bytes == expected)
        #expect(pipeline.transform.heldBackByteCount == 0)
        for _ in 0..<3 {
            pipeline.source.rewind()
            pipeline.sink.removeAll(keepingCapacity: true)
            let again = pipeline.run()
            #expect(pipeline.sink.bytes == expected)
            #expect(again == first)
        }
        // Running an exhausted source adds nothing.
        let empty = pipeline.run()
        #expect(empty == PipelineSummary(bytesRead: 0, bytesWritten: 0))
        #expect(pipeline.sink.bytes == expected)
        // A new source of the same type.
        pipeline.source = try BytesSource(utf8("elvis"), chunkSize: 2)
        pipeline.sink.removeAll()
        pipeline.run()
        #expect(pipeline.sink.string == "presley")
    }

    @Test func boxedPipelineRunsAgain() throws {
        let expected = referenceReplace(input, utf8("elvis"), utf8("presley"))
        var boxed = BoxedPipeline(
            source: try BytesSource(input, chunkSize: 3), transforms: [elvis, PassThroughTransform()],
            sink: BufferSink())
        let first = try boxed.run()
        #expect(boxed.sink(as: BufferSink.self)?.bytes == expected)
        #expect((boxed.transforms[0] as? ReplaceTransform)?.heldBackByteCount == 0)
        for _ in 0..<3 {
            var source = try #require(boxed.source as? BytesSource)
            source.rewind()
            boxed.source = source
            boxed.sink = BufferSink()
            #expect(try boxed.run() == first)
            #expect(boxed.sink(as: BufferSink.self)?.bytes == expected)
        }
    }

    /// Copies of a pipeline are independent values: running one does not
    /// touch the other's source, transform state or sink.
    @Test func pipelineCopiesAreIndependent() throws {
        var original = try BytesSource(input, chunkSize: 4).transformed(by: elvis).into(BufferSink())
        var copy = original
        original.run()
        #expect(copy.sink.bytes.isEmpty)
        copy.run()
        #expect(copy.sink.bytes == original.sink.bytes)

        var boxed = BoxedPipeline(source: BytesSource(input), transforms: [elvis], sink: BufferSink())
        var boxedCopy = boxed
        try boxed.run()
        #expect(boxedCopy.sink(as: BufferSink.self)?.bytes.isEmpty == true)
        try boxedCopy.run()
        #expect(boxedCopy.sink(as: BufferSink.self)?.bytes == original.sink.bytes)
    }

    // MARK: Summaries, sinks and sources

    @Test func summaryCountsBytesReadAndWritten() throws {
        let text = utf8("elvis elvis")  // 11 bytes -> "presley presley", 15
        var pipeline = try BytesSource(text, chunkSize: 4).transformed(by: elvis).into(BufferSink())
        let summary = pipeline.run()
        #expect(summary == PipelineSummary(bytesRead: 11, bytesWritten: 15))
        #expect(summary.description == "read 11 bytes, wrote 15 bytes")

        var deleting = BoxedPipeline(
            source: BytesSource(text), transforms: [try ReplaceTransform("elvis", with: "")],
            sink: DiscardSink())
        let deleted = try deleting.run()
        #expect(deleted.bytesRead == 11 && deleted.bytesWritten == 1)
        #expect(deleting.sink(as: DiscardSink.self)?.byteCount == 1)
    }

    @Test func sinkAsReturnsTheSinkOnlyForItsType() throws {
        var boxed = BoxedPipeline(source: BytesSource("abc"), transforms: [], sink: BufferSink())
        try boxed.run()
        #expect(boxed.sink(as: BufferSink.self)?.string == "abc")
        #expect(boxed.sink(as: DiscardSink.self) == nil)
        var discarding = BoxedPipeline(source: BytesSource("abcd"), transforms: [], sink: DiscardSink())
        try discarding.run()
        #expect(discarding.sink(as: DiscardSink.self)?.byteCount == 4)
        #expect(discarding.sink(as: BufferSink.self) == nil)
    }

    @Test func pipelinesWithoutTransformsCopy() throws {
        var random = SeededRandom(seed: 10)
        let data = random.anyBytes(1000)
        var specialized = try BytesSource(data, chunkSize: 33).into(BufferSink())
        #expect(specialized.run() == PipelineSummary(bytesRead: 1000, bytesWritten: 1000))
        #expect(specialized.sink.bytes == data)
        let (boxedOutput, _) = try runBoxed(data, .fixed(33), through: [])
        #expect(boxedOutput == data)
    }

    @Test func bytesSourceFollowsTheSourceContract() throws {
        var source = try BytesSource(utf8("abcdefg"), chunkSize: 3)
        #expect(source.chunkSize == 3)
        #expect(source.bytes == utf8("abcdefg"))
        var chunks: [[UInt8]] = []
        while try source.read({ chunk in chunks.append(chunk.withUnsafeBytes { Array($0) }) }) {}
        #expect(chunks == [utf8("abc"), utf8("def"), utf8("g")])
        // After the end it keeps answering false without calling body.
        var called = false
        #expect(try source.read { _ in called = true } == false)
        #expect(try source.read { _ in called = true } == false)
        #expect(!called)
        #expect(BytesSource("").chunkSize == Int.max)
    }

    @Test func memorySinksCanBeEmptiedAndReused() {
        var buffer = BufferSink(capacity: 64)
        buffer.write(utf8("hello").span.bytes)
        buffer.write(utf8("").span.bytes)
        #expect(buffer.string == "hello")
        buffer.removeAll(keepingCapacity: false)
        #expect(buffer.bytes.isEmpty)
        buffer.write([UInt8]([0xFF]).span.bytes)
        #expect(buffer.bytes == [0xFF])
        #expect(buffer.string == "\u{FFFD}")

        var discard = DiscardSink()
        discard.write(utf8("12345").span.bytes)
        #expect(discard.byteCount == 5)
        discard.reset()
        #expect(discard.byteCount == 0)
    }
}
