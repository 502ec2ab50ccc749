// Large streams: 64 MiB in memory through `elvis` → `Elvis`, specialized and
// boxed, in 64 KiB chunks and as one chunk, into a `DiscardSink` (the
// transform alone) and a reused `BufferSink` (plus the copy of the output).
//
// Two deterministic inputs: `Sparse` is word-like text with one `elvis` about
// every 4 KiB (the search dominates); `Dense` is the classic pieces repeated
// in shuffled order (a match or near miss every few bytes).
//
// Names read `<input> <chunk> <sink> <composition>`.

import Benchmark
import ByteFlow
import Fixtures

let streamSize = 64 << 20
// Globals are created on first use, so each input is built only in the
// process that runs a benchmark needing it.
let sparse = TextInput.sparse(byteCount: streamSize)
let dense = TextInput.dense(byteCount: streamSize)
let sparseExpected = referenceReplace(sparse, Array("elvis".utf8), Array("Elvis".utf8))
let denseExpected = referenceReplace(dense, Array("elvis".utf8), Array("Elvis".utf8))

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, megabytesPerSecond],
        units: [megabytesPerSecond: .count],
        warmupIterations: 1,
        maxDuration: .seconds(1),
        maxIterations: iterations(100)
    )

    let inputs: [(String, @Sendable () -> ([UInt8], [UInt8]))] = [
        ("Sparse", { (sparse, sparseExpected) }),
        ("Dense", { (dense, denseExpected) }),
    ]
    for (inputName, input) in inputs {
        for chunk in [64 << 10, Int.max] {
            let prefix = "\(inputName) \(chunkLabel(chunk))"
            func source(_ bytes: [UInt8]) -> BytesSource {
                chunk == Int.max ? BytesSource(bytes) : try! BytesSource(bytes, chunkSize: chunk)
            }
            func transform() -> ReplaceTransform { try! ReplaceTransform("elvis", with: "Elvis") }

            specialized("\(prefix) DiscardSink", input: input, check: { $0.byteCount == $1.count }) { bytes in
                source(bytes).transformed(by: transform()).into(DiscardSink())
            }
            specialized("\(prefix) BufferSink", input: input, check: { $0.bytes == $1 }) { bytes in
                source(bytes).transformed(by: transform()).into(BufferSink(capacity: bytes.count))
            }
            boxed("\(prefix) DiscardSink", input: input) { bytes in
                BoxedPipeline(source: source(bytes), transforms: [transform()], sink: DiscardSink())
            }
            boxed("\(prefix) BufferSink", input: input) { bytes in
                BoxedPipeline(
                    source: source(bytes), transforms: [transform()], sink: BufferSink(capacity: bytes.count))
            }
        }
    }
}

/// Registers `<name> specialized`, guarded at 0 mallocs. `check` compares the
/// sink after one run with the expected output.
func specialized<Sink: ByteSink & Resettable>(
    _ name: String,
    input: @escaping @Sendable () -> ([UInt8], [UInt8]),
    check: @escaping (Sink, [UInt8]) -> Bool,
    _ make: @escaping ([UInt8]) -> Pipeline<BytesSource, ReplaceTransform, Sink>
) {
    let name = "\(name) specialized"
    let state = Prepared<Pipeline<BytesSource, ReplaceTransform, Sink>>()
    Benchmark(name, configuration: .init(thresholds: zeroMallocs)) { benchmark in
        measureThroughput(benchmark, byteCount: streamSize) { runs in
            runRepeatedly(&state.value!, times: runs)
        }
    } setup: {
        let (bytes, expected) = input()
        var pipeline = make(bytes)
        try pipeline.run()
        verify(check(pipeline.sink, expected), equals: true, name)
        state.value = pipeline
    } teardown: {
        state.value = nil
    }
}

/// Registers `<name> boxed`.
func boxed(
    _ name: String, input: @escaping @Sendable () -> ([UInt8], [UInt8]),
    _ make: @escaping ([UInt8]) -> BoxedPipeline
) {
    let name = "\(name) boxed"
    let state = Prepared<BoxedPipeline>()
    Benchmark(name) { benchmark in
        measureThroughput(benchmark, byteCount: streamSize) { runs in
            runRepeatedly(&state.value!, times: runs)
        }
    } setup: {
        let (bytes, expected) = input()
        var pipeline = make(bytes)
        let summary = try pipeline.run()
        verify(summary.bytesWritten, equals: expected.count, name)
        if let buffer = pipeline.sink(as: BufferSink.self) {
            verify(buffer.bytes, equals: expected, name)
        }
        state.value = pipeline
    } teardown: {
        state.value = nil
    }
}
