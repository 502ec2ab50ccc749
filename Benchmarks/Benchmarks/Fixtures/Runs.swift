import Benchmark
import ByteFlow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `BYTEFLOW_BENCHMARK_QUICK=1` (set by `check-thresholds.sh`) caps every
/// benchmark at a few iterations: enough to see an allocation, not to time.
public let quickRun = getenv("BYTEFLOW_BENCHMARK_QUICK") != nil

/// `normal`, or 3 in a quick run.
public func iterations(_ normal: Int) -> Int { quickRun ? 3 : normal }

/// Runs `pipeline` once per element of `times`, resetting its source and
/// sink (ByteFlow's `Resettable`) before each run: the steady state the malloc guard pins
/// at zero.
///
/// `@inlinable`, so that it is specialized for the concrete pipeline in the
/// benchmark executable, as a user's code would be.
@inlinable
public func runRepeatedly<
    Source: ByteSource & Resettable, Transform: ByteTransform, Sink: ByteSink & Resettable
>(
    _ pipeline: inout Pipeline<Source, Transform, Sink>, times: Range<Int>
) {
    for _ in times {
        pipeline.reset()
        do {
            try pipeline.run()
        } catch {
            fatalError("pipeline failed: \(error)")
        }
    }
}

/// Runs `boxed` once per element of `times`, resetting its source and sink
/// before each run (`BoxedPipeline.reset()`: a dynamic cast per end, counted
/// in the boxed benchmarks' time).
@inlinable
public func runRepeatedly(_ boxed: inout BoxedPipeline, times: Range<Int>) {
    for _ in times {
        guard boxed.reset() else { fatalError("boxed pipeline with an end that is not Resettable") }
        do {
            try boxed.run()
        } catch {
            fatalError("boxed pipeline failed: \(error)")
        }
    }
}

/// Holds a benchmark's prepared state: filled by the benchmark's `setup`
/// (outside the measured region), emptied by its `teardown` so that large
/// buffers do not outlive their benchmark.
public final class Prepared<Value> {
    /// The state, present between set-up and teardown.
    public var value: Value?

    /// Creates an empty holder.
    public init() {}
}

/// The malloc guard: any allocation in the measured region of a steady-state
/// benchmark is a regression. Relative thresholds cannot see 0 → 1, absolute
/// ones can.
public var zeroMallocs: [BenchmarkMetric: BenchmarkThresholds] {
    [.mallocCountTotal: .init(absolute: [.p50: 0, .p90: 0])]
}

/// Bytes per second as a custom metric, in MB/s (10^6 bytes), so that
/// throughput reads directly in the output table.
public let megabytesPerSecond = BenchmarkMetric.custom(
    "MB/s", polarity: .prefersLarger, useScalingFactor: false)

/// Measures `body`, which moves `byteCount` bytes per run, `runs` times, and
/// records ``megabytesPerSecond`` after the measured region ends (recording
/// allocates; the measured region must not).
@inlinable
public func measureThroughput(
    _ benchmark: Benchmark, byteCount: Int, _ body: (Range<Int>) -> Void
) {
    let runs = benchmark.scaledIterations
    benchmark.startMeasurement()
    let start = ContinuousClock.now
    body(runs)
    let elapsed = ContinuousClock.now - start
    benchmark.stopMeasurement()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    if seconds > 0 {
        benchmark.measurement(megabytesPerSecond, Int(Double(byteCount * runs.count) / seconds / 1e6))
    }
}

/// Human-readable chunk sizes that also sort in size order as text:
/// `1 B`, `16 B`, `256 B`, `4 KiB`, `64 KiB`.
public func chunkLabel(_ size: Int) -> String {
    if size == Int.max { return "whole" }
    if size >= 1024 && size % 1024 == 0 { return "\(size / 1024) KiB" }
    return "\(size) B"
}
