// The search kernel on inputs built to defeat it and on dense matches:
// 16 MiB in memory, `BytesSource` (64 KiB chunks) → `ReplaceTransform` →
// `DiscardSink`, specialized, pinned at 0 mallocs. Plus the per-call cost of
// a `ReplaceTransform` fed small pieces (16-byte chunks without a match), and
// `SubstringFinder` on its own.
//
// Names read `<input> <what>`; see `Fixtures/SearchInputs.swift` for the
// classes and `Documentation/Benchmarks.md` ("Search kernel") for figures.

import Benchmark
import ByteFlow
import Fixtures

let streamSize = 16 << 20

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, megabytesPerSecond],
        units: [megabytesPerSecond: .count],
        warmupIterations: 1,
        maxDuration: .seconds(1),
        maxIterations: iterations(200)
    )

    for input in SearchInput.allCases {
        let name = "\(input.rawValue) 64 KiB replace specialized"
        let state = Prepared<Pipeline<BytesSource, ReplaceTransform, DiscardSink>>()
        Benchmark(name, configuration: .init(thresholds: zeroMallocs)) { benchmark in
            measureThroughput(benchmark, byteCount: streamSize) { runs in
                runRepeatedly(&state.value!, times: runs)
            }
        } setup: {
            let text = input.text(byteCount: streamSize)
            let expected = referenceReplace(text, input.pattern, input.replacement)
            var pipeline = try BytesSource(text, chunkSize: 64 << 10)
                .transformed(by: ReplaceTransform(input.pattern, with: input.replacement))
                .into(DiscardSink())
            pipeline.run()
            verify(pipeline.sink.byteCount, equals: expected.count, name)
            state.value = pipeline
        } teardown: {
            state.value = nil
        }
    }

    // A SubstringFinder counting matches over the whole buffer.
    for input in [SearchInput.periodic, .longNearMiss, .shuffledClassic] {
        let name = "\(input.rawValue) finder count specialized"
        let state = Prepared<([UInt8], SubstringFinder)>()
        Benchmark(name, configuration: .init(thresholds: zeroMallocs)) { benchmark in
            measureThroughput(benchmark, byteCount: streamSize) { runs in
                let (text, finder) = state.value!
                var total = 0
                for _ in runs { finder.forEachMatch(in: text.span.bytes) { _ in total &+= 1 } }
                blackHole(total)
            }
        } setup: {
            state.value = (input.text(byteCount: streamSize), try SubstringFinder(input.pattern))
        } teardown: {
            state.value = nil
        }
    }

    // Per call: 1 MiB of text with no `v` in 16-byte chunks, so the transform
    // (pattern `elvis`) is called 65,536 times per run with nothing to do.
    let piecesName = "16 B pieces no match replace specialized"
    let pieces = Prepared<Pipeline<BytesSource, ReplaceTransform, DiscardSink>>()
    Benchmark(piecesName, configuration: .init(thresholds: zeroMallocs)) { benchmark in
        measureThroughput(benchmark, byteCount: 1 << 20) { runs in
            runRepeatedly(&pieces.value!, times: runs)
        }
    } setup: {
        let unit = Array("the king has left the building. ".utf8)
        let text = (0..<(1 << 20)).map { unit[$0 % unit.count] }
        var pipeline = try BytesSource(text, chunkSize: 16)
            .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
            .into(DiscardSink())
        pipeline.run()
        verify(pipeline.sink.byteCount, equals: text.count, piecesName)
        pieces.value = pipeline
    } teardown: {
        pieces.value = nil
    }
}
