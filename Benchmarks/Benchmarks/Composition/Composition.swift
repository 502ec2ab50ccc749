// The composition matrix: the same 1 MiB of text through chains of stages,
// composed as a specialized `Pipeline` or a `BoxedPipeline`, at chunk sizes
// from 1 byte to 64 KiB. The stages' own work is the same in both
// compositions; what differs is how the stages are joined.
//
// Two regimes:
// - sparse text (an `elvis` every KiB): `PassThrough` and `Replace`, 1 and 4
//   stages;
// - dense lines (issue 8: `the king elvis has left the building`, so that a
//   replace hands the next stage pieces of 5–30 bytes), with `Hop`, a stage
//   defined here as a user would: `Hop` chains of 1, 4, 8, 12 and 16 stages,
//   and `DenseReplace` x1 (elvis), x2 (elvis → king) and x4 (elvis → Hop →
//   Hop → king).
//
// Names read `<stage> <chunk> x<stages> <composition>`, so that the rows of
// one stage and chunk size sit together in the output.

import Benchmark
import ByteFlow
import Fixtures

/// 1 MiB of word-like text with an `elvis` about every 1 KiB.
let text = TextInput.sparse(byteCount: 1 << 20, elvisEvery: 1024)
/// 1 MiB of `the king elvis has left the building` lines.
let dense = TextInput.denseLines(byteCount: 1 << 20)

/// A pass-through stage written in the benchmark module, as a user's stage
/// would be: what a chain of them costs is the cost of composition alone.
struct Hop: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }
}
let chunkSizes = [1, 16, 256, 4 << 10, 64 << 10]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, megabytesPerSecond],
        units: [megabytesPerSecond: .count],
        maxDuration: .milliseconds(500),
        maxIterations: iterations(1_000)
    )

    // Four replace stages alternate e→E, E→e so that each one has work to do.
    let pattern = Array("elvis".utf8)
    let capital = Array("Elvis".utf8)
    func replace(_ index: Int) throws -> ReplaceTransform {
        index.isMultiple(of: 2)
            ? try ReplaceTransform(pattern, with: capital) : try ReplaceTransform(capital, with: pattern)
    }
    var replacedOnce = referenceReplace(text, pattern, capital)
    let replaced1 = replacedOnce
    for index in 1..<4 {
        replacedOnce =
            index.isMultiple(of: 2)
            ? referenceReplace(replacedOnce, pattern, capital)
            : referenceReplace(replacedOnce, capital, pattern)
    }
    let replaced4 = replacedOnce

    for chunk in chunkSizes {
        let label = chunkLabel(chunk)
        func source() -> BytesSource { try! BytesSource(text, chunkSize: chunk) }
        func sink() -> BufferSink { BufferSink(capacity: text.count) }

        specialized("PassThrough \(label) x1", expected: text) {
            source().transformed(by: PassThroughTransform()).into(sink())
        }
        specialized("PassThrough \(label) x4", expected: text) {
            source().transformed(by: PassThroughTransform()).transformed(by: PassThroughTransform())
                .transformed(by: PassThroughTransform()).transformed(by: PassThroughTransform()).into(sink())
        }
        specialized("Replace \(label) x1", expected: replaced1) {
            source().transformed(by: try replace(0)).into(sink())
        }
        specialized("Replace \(label) x4", expected: replaced4) {
            source().transformed(by: try replace(0)).transformed(by: try replace(1))
                .transformed(by: try replace(2)).transformed(by: try replace(3)).into(sink())
        }
        boxed("PassThrough \(label) x1", expected: text) {
            BoxedPipeline(source: source(), transforms: [PassThroughTransform()], sink: sink())
        }
        boxed("PassThrough \(label) x4", expected: text) {
            BoxedPipeline(
                source: source(), transforms: Array(repeating: PassThroughTransform(), count: 4), sink: sink()
            )
        }
        boxed("Replace \(label) x1", expected: replaced1) {
            BoxedPipeline(source: source(), transforms: [try replace(0)], sink: sink())
        }
        boxed("Replace \(label) x4", expected: replaced4) {
            BoxedPipeline(source: source(), transforms: try (0..<4).map(replace), sink: sink())
        }

        func denseSource() -> BytesSource { try! BytesSource(dense, chunkSize: chunk) }
        func denseSink() -> BufferSink { BufferSink(capacity: dense.count) }
        let h = Hop()
        let hops4 = h.followed(by: h).followed(by: h).followed(by: h)
        let hops8 = hops4.followed(by: h).followed(by: h).followed(by: h).followed(by: h)
        let hops12 = hops8.followed(by: h).followed(by: h).followed(by: h).followed(by: h)
        let hops16 = hops12.followed(by: h).followed(by: h).followed(by: h).followed(by: h)
        specialized("Hop \(label) x1", input: dense, expected: dense) {
            denseSource().transformed(by: h).into(denseSink())
        }
        specialized("Hop \(label) x4", input: dense, expected: dense) {
            denseSource().transformed(by: hops4).into(denseSink())
        }
        specialized("Hop \(label) x8", input: dense, expected: dense) {
            denseSource().transformed(by: hops8).into(denseSink())
        }
        specialized("Hop \(label) x12", input: dense, expected: dense) {
            denseSource().transformed(by: hops12).into(denseSink())
        }
        specialized("Hop \(label) x16", input: dense, expected: dense) {
            denseSource().transformed(by: hops16).into(denseSink())
        }
        for count in [1, 4, 8, 12, 16] {
            boxed("Hop \(label) x\(count)", input: dense, expected: dense) {
                BoxedPipeline(
                    source: denseSource(), transforms: Array(repeating: h, count: count), sink: denseSink())
            }
        }

        let elvis = try! ReplaceTransform("elvis", with: "Elvis")
        let king = try! ReplaceTransform("king", with: "KING")
        let elvisDone = referenceReplace(dense, Array("elvis".utf8), Array("Elvis".utf8))
        let bothDone = referenceReplace(elvisDone, Array("king".utf8), Array("KING".utf8))
        specialized("DenseReplace \(label) x1", input: dense, expected: elvisDone) {
            denseSource().transformed(by: elvis).into(denseSink())
        }
        specialized("DenseReplace \(label) x2", input: dense, expected: bothDone) {
            denseSource().transformed(by: elvis).transformed(by: king).into(denseSink())
        }
        specialized("DenseReplace \(label) x4", input: dense, expected: bothDone) {
            denseSource().transformed(by: elvis).transformed(by: h).transformed(by: h).transformed(by: king)
                .into(denseSink())
        }
        boxed("DenseReplace \(label) x1", input: dense, expected: elvisDone) {
            BoxedPipeline(source: denseSource(), transforms: [elvis], sink: denseSink())
        }
        boxed("DenseReplace \(label) x2", input: dense, expected: bothDone) {
            BoxedPipeline(source: denseSource(), transforms: [elvis, king], sink: denseSink())
        }
        boxed("DenseReplace \(label) x4", input: dense, expected: bothDone) {
            BoxedPipeline(source: denseSource(), transforms: [elvis, h, h, king], sink: denseSink())
        }
    }
}

/// Registers `<name> specialized`: the pipeline `make` builds, run again and
/// again with its source rewound and its sink emptied; guarded at 0 mallocs.
func specialized<Transform: ByteTransform>(
    _ name: String, input: [UInt8] = text, expected: [UInt8],
    _ make: @escaping () throws -> Pipeline<BytesSource, Transform, BufferSink>
) {
    let name = "\(name) specialized"
    let state = Prepared<Pipeline<BytesSource, Transform, BufferSink>>()
    Benchmark(name, configuration: .init(thresholds: zeroMallocs)) { benchmark in
        measureThroughput(benchmark, byteCount: input.count) { runs in
            runRepeatedly(&state.value!, times: runs)
        }
    } setup: {
        var pipeline = try make()
        try pipeline.run()
        verify(pipeline.sink.bytes, equals: expected, name)
        state.value = pipeline
    } teardown: {
        state.value = nil
    }
}

/// Registers `<name> boxed`: the same stages in a ``BoxedPipeline``.
func boxed(
    _ name: String, input: [UInt8] = text, expected: [UInt8], _ make: @escaping () throws -> BoxedPipeline
) {
    let name = "\(name) boxed"
    let state = Prepared<BoxedPipeline>()
    Benchmark(name) { benchmark in
        measureThroughput(benchmark, byteCount: input.count) { runs in
            runRepeatedly(&state.value!, times: runs)
        }
    } setup: {
        var pipeline = try make()
        try pipeline.run()
        verify(pipeline.sink(as: BufferSink.self)!.bytes, equals: expected, name)
        state.value = pipeline
    } teardown: {
        state.value = nil
    }
}
