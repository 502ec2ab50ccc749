// A compile-time proof that ByteFlow's specialized hot path allocates
// nothing. Every function marked `@_noAllocation` is checked by the compiler
// (the performance-diagnostics pass) together with everything it calls,
// after specialization and inlining: a heap allocation, a call on an `any`
// value, a release that may free an object, or a call the compiler cannot see
// into (a C function, a non-`@inlinable` function of another module) is a
// build error. CI builds this target (`.ci/run`); the target has no product.
//
// What it covers: a `ReplaceTransform`, alone and followed by a chain of
// stages, run chunk by chunk over memory the caller owns into memory the
// caller owns. What it does not cover: building the stages (their tables are
// allocated once, by `init`), and `Pipeline.run()`'s error path, which wraps a
// stage's `any Error` in a `PipelineError` (destroying an `any Error` may
// free its box). Nor a chain that lends stages holding references (replace
// → replace): `Lending.swift` lends them through
// `withUnsafeTemporaryAllocation`, which the check rejects ("Using type
// 'ReplaceTransform' can cause metadata allocation or locks"; a temporary
// allocation goes to the heap past a size limit). The benchmarks' malloc
// thresholds measure those paths instead. See
// Documentation/ProfilingWalkthrough.md.
import ByteFlow

/// A sink writing into memory the caller owns; what does not fit is counted,
/// not written. It does not throw, so nothing on the checked path does.
struct CallerBufferSink: ByteSink {
    /// The caller's memory.
    let base: UnsafeMutableRawBufferPointer
    /// Bytes written to `base` so far.
    var count = 0
    /// Bytes that did not fit.
    var dropped = 0

    /// A sink writing to `base` from its start.
    init(base: UnsafeMutableRawBufferPointer) {
        self.base = base
    }

    /// Copies as much of `bytes` as fits.
    mutating func write(_ bytes: RawSpan) {
        let n = min(bytes.byteCount, base.count &- count)
        bytes.withUnsafeBytes { source in
            guard n > 0 else { return }
            UnsafeMutableRawBufferPointer(rebasing: base[count..<count &+ n])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<n]))
        }
        count &+= n
        dropped &+= bytes.byteCount &- n
    }
}

/// Runs `transform` over `input` in chunks of `chunkSize` bytes, then
/// finishes it: the loop of `Pipeline.run()` without its error bookkeeping.
func drive<Transform: ByteTransform>(
    _ transform: inout Transform, _ input: UnsafeRawBufferPointer, chunkSize: Int,
    into sink: inout CallerBufferSink
) throws {
    var offset = 0
    while offset < input.count {
        let end = min(input.count, offset &+ max(1, chunkSize))
        try transform.process(UnsafeRawBufferPointer(rebasing: input[offset..<end]).bytes, into: &sink)
        offset = end
    }
    try transform.finish(into: &sink)
}

// Release builds only: without optimization, copies that the optimizer
// removes are still in the code (a copy of a `ReplaceTransform` retains its
// storage, and the release that ends it "can cause a deallocation"), so a
// debug build would fail for reasons that are not on the release path.
#if !DEBUG
    /// One `ReplaceTransform` over the caller's memory. Checked: allocates nothing.
    ///
    /// - Returns: The bytes written to `output` (and how many did not fit).
    @_noAllocation
    public func replace(
        _ transform: inout ReplaceTransform, input: UnsafeRawBufferPointer, chunkSize: Int,
        output: UnsafeMutableRawBufferPointer
    ) throws -> (written: Int, dropped: Int) {
        var sink = CallerBufferSink(base: output)
        try drive(&transform, input, chunkSize: chunkSize, into: &sink)
        return (sink.count, sink.dropped)
    }

    /// The stages of ``replaceChained(_:input:chunkSize:output:)``: a replace
    /// and two pass-through stages, nested as `transformed(by:)` nests them.
    public typealias ReplaceChain = Chain<ReplaceTransform, Chain<PassThroughTransform, PassThroughTransform>>

    /// Three chained stages over the caller's memory. Checked: allocates nothing.
    ///
    /// - Returns: The bytes written to `output` (and how many did not fit).
    @_noAllocation
    public func replaceChained(
        _ stages: inout ReplaceChain, input: UnsafeRawBufferPointer, chunkSize: Int,
        output: UnsafeMutableRawBufferPointer
    ) throws -> (written: Int, dropped: Int) {
        var sink = CallerBufferSink(base: output)
        try drive(&stages, input, chunkSize: chunkSize, into: &sink)
        return (sink.count, sink.dropped)
    }
#endif
