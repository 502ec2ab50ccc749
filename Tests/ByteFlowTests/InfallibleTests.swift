import ByteFlow
import Testing

// Typed throws where a pipeline cannot fail (issue 8). That an infallible
// pipeline needs no `try` is proved by these files compiling under
// `-warnings-as-errors` (a `try` before a call that cannot throw is a
// warning, one missing before a call that can is an error); that a pipeline
// with a stage that can fail still needs `try`, and that an infallible stage
// must write its `finish` typed, by `Scripts/check-typed-throws.sh`.

/// ``ChunkedSource``'s cuttings, as an ``InfallibleSource``.
private struct InfallibleChunkedSource: InfallibleSource {
    var base: ChunkedSource

    init(_ bytes: [UInt8], _ chunking: Chunking) {
        base = ChunkedSource(bytes, chunking)
    }

    mutating func read<Failure: Error>(
        rethrowing body: (RawSpan) throws(Failure) -> Void
    ) throws(Failure) -> Bool {
        // `ChunkedSource` itself cannot fail: only `body` throws.
        var thrown: Failure?
        let more = try! base.read { chunk in
            do throws(Failure) { try body(chunk) } catch { thrown = error }
        }
        if let thrown { throw thrown }
        return more
    }
}

/// A pass-through stage written as a user would write an infallible one.
private struct TypedHop: InfallibleTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws(Next.WriteFailure) {
        try next.write(chunk)
    }
    mutating func finish<Next: ByteSink>(into next: inout Next) throws(Next.WriteFailure) {}
}

/// A pass-through stage written before typed throws: a plain `throws`.
private struct LegacyHop: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }
}

/// A sink whose `write` cannot fail but whose `flush` can: it must keep its
/// own `flush` (the reason for a separate `FlushFailure`).
private struct FlushesLate: ByteSink {
    var written: [UInt8] = []
    var flushed = 0
    mutating func write(_ bytes: RawSpan) {
        bytes.withUnsafeBytes { written += $0 }
    }
    mutating func flush() throws {
        flushed += 1
    }
}

/// A sink written before typed throws with its own error type named
/// `Failure`: it must still conform (the reason the associated type is not
/// called `Failure`).
private struct FailsOnNthWrite: ByteSink {
    struct Failure: Error, Equatable {}
    var writesLeft: Int
    mutating func write(_ bytes: RawSpan) throws {
        if writesLeft == 0 { throw Failure() }
        writesLeft -= 1
    }
}

private func isInfallible<T: InfallibleTransform>(_: T.Type) -> Bool { true }
private func isInfallible<T: ByteTransform>(_: T.Type) -> Bool { false }

@Suite("Typed throws: pipelines that cannot fail")
struct InfallibleTests {
    @Test("infallible stages into a BufferSink run without try, in every chunking, like the boxed pipeline")
    func infalliblePipelineMatchesReference() throws {
        var random = SeededRandom(seed: 8)
        let words = ["the ", "king ", "elvis ", "has ", "left ", "building\n", "elvi", "s"]
        let input = utf8((0..<150).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined())
        let upper = try ByteMapTransform(table: (0...255).map { UInt8($0) == UInt8(ascii: "k") ? UInt8(ascii: "K") : UInt8($0) })
        let replace = try ReplaceTransform("elvis", with: "Elvis")
        let expected = referenceReplace(input, utf8("elvis"), utf8("Elvis")).map {
            $0 == UInt8(ascii: "k") ? UInt8(ascii: "K") : $0
        }
        for chunking in chunkings(for: input.count, everyFixedSizeUpTo: 40, using: &random) {
            var pipeline = InfallibleChunkedSource(input, chunking)
                .transformed(by: replace).transformed(by: TypedHop()).transformed(by: PassThroughTransform())
                .transformed(by: upper).into(BufferSink())
            let summary = pipeline.run()  // no `try`: this run cannot throw
            #expect(pipeline.sink.bytes == expected, "specialized, \(chunking)")
            #expect(summary == PipelineSummary(bytesRead: input.count, bytesWritten: expected.count))

            var boxed = BoxedPipeline(
                source: InfallibleChunkedSource(input, chunking),
                transforms: [replace, TypedHop(), PassThroughTransform(), upper], sink: BufferSink())
            try boxed.run()
            #expect(boxed.sink(as: BufferSink.self)?.bytes == expected, "boxed, \(chunking)")
        }
    }

    @Test("the builder and a DiscardSink give an infallible pipeline too")
    func builderAndDiscard() throws {
        var pipeline = try Pipeline(from: BytesSource("elvis, elvis", chunkSize: 3), into: DiscardSink()) {
            try ReplaceTransform("elvis", with: "Elvis!")
            PassThroughTransform()
            TypedHop()
        }
        #expect(pipeline.run() == PipelineSummary(bytesRead: 12, bytesWritten: 14))
        #expect(pipeline.sink.byteCount == 14)
    }

    @Test("chains are infallible exactly when every stage is")
    func chainConformance() throws {
        #expect(isInfallible(Chain<ReplaceTransform, Chain<TypedHop, PassThroughTransform>>.self))
        #expect(isInfallible(Chain<PrefixTransform, DropFirstTransform>.self))
        #expect(isInfallible(Chain<ByteMapTransform, ByteFilterTransform>.self))
        #expect(isInfallible(CountingTransform.self))
        #expect(!isInfallible(Chain<TypedHop, LegacyHop>.self))
        #expect(!isInfallible(Chain<LegacyHop, TypedHop>.self))
        #expect(!isInfallible(LegacyHop.self))
    }

    @Test("sinks carry their error types: inferred from write and flush")
    func sinkErrorTypes() {
        #expect(BufferSink.WriteFailure.self == Never.self)
        #expect(BufferSink.FlushFailure.self == Never.self)
        #expect(DiscardSink.WriteFailure.self == Never.self)
        #expect(CountingSink.WriteFailure.self == Never.self)
        #expect(FileSink.WriteFailure.self == IOError.self)
        #expect(FileSink.FlushFailure.self == IOError.self)
        #expect(CappedBufferSink.WriteFailure.self == CapExceededError.self)
        #expect(FlushesLate.WriteFailure.self == Never.self)
        #expect(FlushesLate.FlushFailure.self == (any Error).self)
        #expect(FailsOnNthWrite.WriteFailure.self == (any Error).self)
    }

    @Test("a sink whose flush can fail keeps its own flush; the run then throws")
    func flushThatCanFailIsCalled() throws {
        var pipeline = BytesSource("elvis").transformed(by: TypedHop()).into(FlushesLate())
        try pipeline.run()  // `FlushFailure` is `any Error`: the throwing run
        #expect(pipeline.sink.flushed == 1)
        #expect(pipeline.sink.written == utf8("elvis"))
    }

    @Test("a legacy stage still composes with typed ones; errors keep their stage")
    func legacyStagesAndAttribution() throws {
        var pipeline = try BytesSource("elvis elvis elvis", chunkSize: 4)
            .transformed(by: LegacyHop()).transformed(by: try ReplaceTransform("elvis", with: "E"))
            .into(BufferSink())
        #expect(try pipeline.run() == PipelineSummary(bytesRead: 17, bytesWritten: 5))
        #expect(pipeline.sink.string == "E E E")

        var failing = try BytesSource("elvis elvis elvis", chunkSize: 4)
            .transformed(by: try ReplaceTransform("elvis", with: "E")).transformed(by: TypedHop())
            .into(FailsOnNthWrite(writesLeft: 2))
        let error = caught(PipelineError.self) { try failing.run() }
        #expect(error?.stage == .sink)
        #expect(error?.underlying is FailsOnNthWrite.Failure)

        // Infallible stages into a sink that can fail: the throwing run,
        // whose error names the sink and carries its typed error.
        var capped = BytesSource("elvis elvis").transformed(by: try ReplaceTransform("elvis", with: "Elvis!"))
            .into(CappedBufferSink(cap: 4))
        let cappedError = caught(PipelineError.self) { try capped.run() }
        #expect(cappedError?.stage == .sink)
        #expect(cappedError?.underlying is CapExceededError)
    }

    @Test("an infallible stage called directly into a BufferSink needs no try")
    func directCalls() throws {
        var replace = try ReplaceTransform("elvis", with: "Elvis")
        var sink = BufferSink()
        replace.process(utf8("the elv").span.bytes, into: &sink)
        replace.process(utf8("is").span.bytes, into: &sink)
        replace.finish(into: &sink)
        #expect(sink.string == "the Elvis")
    }
}
