// The composition matrix: the same 1 MiB of text through one or four stages,
// composed as a specialized `Pipeline` or a `BoxedPipeline`, at chunk sizes
// from 1 byte to 64 KiB. The stages' own work is the same in both
// compositions; what differs is how the stages are joined.
//
// Names read `<stage> <chunk> x<stages> <composition>`, so that the rows of
// one stage and chunk size sit together in the output.

import Benchmark
import ByteFlow
import Fixtures

/// 1 MiB of word-like text with an `elvis` about every 1 KiB.
let text = TextInput.sparse(byteCount: 1 << 20, elvisEvery: 1024)
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
        // The same four stages nested to the right, `a.followed(by: b.followed(by: …))`.
        // `transformed(by:)` nests to the left, `Chain<Chain<Chain<A, B>, C>, D>`,
        // and the generic specializer stops there (see Documentation/Benchmarks.md).
        specialized("PassThrough \(label) x4 nested-right", expected: text) {
            let stage = PassThroughTransform()
            return Pipeline(
                source: source(),
                transform: stage.followed(by: stage.followed(by: stage.followed(by: stage))),
                sink: sink())
        }
        specialized("Replace \(label) x4 nested-right", expected: replaced4) {
            Pipeline(
                source: source(),
                transform: try replace(0).followed(
                    by: try replace(1).followed(by: try replace(2).followed(by: try replace(3)))),
                sink: sink())
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
    }
}

/// Registers `<name> specialized`: the pipeline `make` builds, run again and
/// again with its source rewound and its sink emptied; guarded at 0 mallocs.
func specialized<Transform: ByteTransform>(
    _ name: String, expected: [UInt8],
    _ make: @escaping () throws -> Pipeline<BytesSource, Transform, BufferSink>
) {
    let name = "\(name) specialized"
    let state = Prepared<Pipeline<BytesSource, Transform, BufferSink>>()
    Benchmark(name, configuration: .init(thresholds: zeroMallocs)) { benchmark in
        measureThroughput(benchmark, byteCount: text.count) { runs in
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
func boxed(_ name: String, expected: [UInt8], _ make: @escaping () throws -> BoxedPipeline) {
    let name = "\(name) boxed"
    let state = Prepared<BoxedPipeline>()
    Benchmark(name) { benchmark in
        measureThroughput(benchmark, byteCount: text.count) { runs in
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
