// The classic table: the Go memory-profiling walkthrough's benchmark, on its
// 119-byte input, as Swift rows. Every row checks its output once at set-up.
//
// One iteration runs the algorithm 1,000 times (`scalingFactor: .kilo`), so
// that the clock's resolution does not matter; `--scale` prints per run.

import Benchmark
import ByteFlow
import Fixtures

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: iterations(10_000)
    )
    let data = Classic.input
    let find = Classic.find
    let repl = Classic.replacement

    // Rows (a)-(c): the Go port, writing into a reused output buffer like the
    // walkthrough's `output.Reset()`.
    let ports: [(String, (([UInt8], [UInt8], [UInt8], inout OutputBuffer) -> Void))] = [
        ("a Go algOne port, any Reader, heap window", algOne),
        ("b Go algOne port, concrete Reader, heap window", algOneConcreteReader),
        ("c Go algOne port, concrete Reader, stack window", algOneStackWindow),
    ]
    for (name, algorithm) in ports {
        let output = Prepared<OutputBuffer>()
        Benchmark(name) { benchmark in
            benchmark.startMeasurement()
            runPort(algorithm, data, find, repl, &output.value!, times: benchmark.scaledIterations)
        } setup: {
            var buffer = OutputBuffer()
            algorithm(data, find, repl, &buffer)
            verify(buffer.bytes, equals: Classic.expected, name)
            output.value = buffer
        } teardown: {
            output.value = nil
        }
    }

    // Row (d): ByteFlow's specialized pipeline, reused run after run.
    typealias Specialized = Pipeline<BytesSource, ReplaceTransform, BufferSink>
    let specialized = Prepared<Specialized>()
    let specializedName = "d ByteFlow Pipeline specialized"
    Benchmark(specializedName, configuration: .init(thresholds: zeroMallocs)) { benchmark in
        benchmark.startMeasurement()
        runRepeatedly(&specialized.value!, times: benchmark.scaledIterations)
    } setup: {
        var pipeline = try BytesSource(data)
            .transformed(by: ReplaceTransform(find, with: repl))
            .into(BufferSink(capacity: 256))
        pipeline.run()
        verify(pipeline.sink.bytes, equals: Classic.expected, specializedName)
        specialized.value = pipeline
    } teardown: {
        specialized.value = nil
    }

    // Row (f): the progress hook alone on the same input, reporting every
    // 16 bytes (7 calls of its handler per run): the stage and its handler
    // calls allocate nothing (the handler's context is allocated at set-up).
    typealias WithProgress = Pipeline<BytesSource, ProgressTransform, BufferSink>
    let withProgress = Prepared<WithProgress>()
    let reports = Prepared<ProgressCounter>()
    let progressName = "f ByteFlow ProgressTransform specialized"
    Benchmark(progressName, configuration: .init(thresholds: zeroMallocs)) { benchmark in
        benchmark.startMeasurement()
        runRepeatedly(&withProgress.value!, times: benchmark.scaledIterations)
    } setup: {
        let counter = ProgressCounter()
        var pipeline = try BytesSource(data, chunkSize: 16)
            .transformed(by: ProgressTransform(everyBytes: 16) { counter.reports &+= $0.bytesDone })
            .into(BufferSink(capacity: 256))
        try pipeline.run()
        verify(pipeline.sink.bytes, equals: data, progressName)
        reports.value = counter
        withProgress.value = pipeline
    } teardown: {
        withProgress.value = nil
        reports.value = nil
    }

    // Row (e): the same stages in a BoxedPipeline.
    let boxed = Prepared<BoxedPipeline>()
    let boxedName = "e ByteFlow BoxedPipeline"
    Benchmark(boxedName) { benchmark in
        benchmark.startMeasurement()
        runRepeatedly(&boxed.value!, times: benchmark.scaledIterations)
    } setup: {
        var pipeline = BoxedPipeline(
            source: BytesSource(data),
            transforms: [try ReplaceTransform(find, with: repl)],
            sink: BufferSink(capacity: 256))
        try pipeline.run()
        verify(pipeline.sink(as: BufferSink.self)!.bytes, equals: Classic.expected, boxedName)
        boxed.value = pipeline
    } teardown: {
        boxed.value = nil
    }
}

/// Runs one of the Go ports `times.count` times into `output`, resetting it
/// first each time (the walkthrough's `output.Reset()`).
@inline(never)
func runPort(
    _ algorithm: ([UInt8], [UInt8], [UInt8], inout OutputBuffer) -> Void,
    _ data: [UInt8], _ find: [UInt8], _ repl: [UInt8], _ output: inout OutputBuffer, times: Range<Int>
) {
    for _ in times {
        output.reset()
        algorithm(data, find, repl, &output)
    }
}

/// Where row (f)'s progress handler adds up what it is told, so that the
/// calls cannot be optimized away.
final class ProgressCounter: @unchecked Sendable {
    var reports = 0
}
