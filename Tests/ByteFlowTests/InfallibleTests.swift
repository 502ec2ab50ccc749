import ByteFlow
import Testing

// Pipelines that cannot fail (issue 8, typed throws). That an infallible
// pipeline needs no `try` is proved by these files compiling under
// `-warnings-as-errors` (a `try` before a call that cannot throw is a
// warning, one missing before a call that can is an error); that a pipeline
// with a stage, source or sink that can fail still needs `try`, and that a
// sink whose `write` throws cannot be an `InfallibleSink`, by
// `Scripts/check-typed-throws.sh`.

/// ``ChunkedSource``'s cuttings, declared infallible: it throws only what
/// `body` throws.
private struct InfallibleChunkedSource: InfallibleSource {
    var base: ChunkedSource

    init(_ bytes: [UInt8], _ chunking: Chunking) {
        base = ChunkedSource(bytes, chunking)
    }

    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        try base.read(body)
    }
}

/// A pass-through stage written as a user would write an infallible one:
/// the conformance is all that changes.
private struct TypedHop: InfallibleTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }
}

/// A pass-through stage written before typed throws: a plain `throws`.
private struct LegacyHop: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }
}

/// A sink that can fail, written as before typed throws.
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
private func isInfallibleSink<T: InfallibleSink>(_: T.Type) -> Bool { true }
private func isInfallibleSink<T: ByteSink>(_: T.Type) -> Bool { false }
private func isInfallibleSource<T: InfallibleSource>(_: T.Type) -> Bool { true }
private func isInfallibleSource<T: ByteSource>(_: T.Type) -> Bool { false }

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

    @Test("the built-in stages that cannot fail say so; the others do not")
    func builtInConformances() {
        #expect(isInfallible(MultiReplaceTransform.self))
        #expect(isInfallibleSink(BufferSink.self) && isInfallibleSink(DiscardSink.self))
        #expect(isInfallibleSink(CountingSink.self) && isInfallibleSink(CRC32CSink.self))
        #expect(!isInfallibleSink(FileSink.self) && !isInfallibleSink(CappedBufferSink.self))
        #expect(!isInfallibleSink(FailsOnNthWrite.self))
        #expect(isInfallibleSource(BytesSource.self))
        #expect(isInfallibleSource(PrefixSource<ConcatenatedSource<BytesSource, BytesSource>>.self))
        #expect(!isInfallibleSource(FileSource.self) && !isInfallibleSource(PrefixSource<FileSource>.self))
    }

    @Test("a sink's typed error reaches a direct caller")
    func typedSinkErrors() throws {
        // `CappedBufferSink.write` throws `CapExceededError`, `FileSink`'s
        // `IOError`: typed where a caller uses the sink directly.
        var capped = CappedBufferSink(cap: 2)
        do throws(CapExceededError) {
            try capped.write(utf8("elvis").span.bytes)
            Issue.record("expected CapExceededError")
        } catch {
            #expect(error.refused == 5)
        }
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

    @Test("a stage that breaks its promise stops the program with a message")
    func brokenPromiseStops() async {
        await #expect(processExitsWith: .failure) {
            struct Liar: InfallibleTransform {
                struct Lie: Error {}
                mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
                    throw Lie()
                }
            }
            var pipeline = BytesSource("elvis").transformed(by: Liar()).into(DiscardSink())
            pipeline.run()
        }
    }
}
