// Multi-pattern replace: 64 MiB in memory in 64 KiB chunks into a
// `DiscardSink`, specialized (guarded at 0 mallocs) and boxed.
//
// - `One <input> <engine>`: one pattern, `elvis` → `Elvis`, through
//   `ReplaceTransform`, `MultiReplaceTransform` and `MultiReplaceTransform`
//   ignoring case, side by side: the goals are multi ≤ 1.2× and
//   case-insensitive ≤ 1.5× the time of `ReplaceTransform`.
// - `<n> patterns <case>`: 2, 10 and 100 words (each → its upper case) over
//   the sparse text, where most words of the vocabulary are patterns at 100.
//
// - `Adversarial <order>`: 16 MiB of `a` with the patterns `a^31 b` (→ `L`)
//   and `a` (→ `s`): `long-first` lists `a^31 b` first, the shape that makes
//   the leftmost-first search re-read up to 31 bytes per match (see
//   "Complexity" in `MultiReplaceTransform.swift`); `short-first` lists `a`
//   first (which shadows the long pattern) and `long-only` has `a^31 b`
//   alone, the two linear baselines. Guarded at 0 mallocs.
//
// Names read `<what> <input or count> <case> <composition>`.

import Benchmark
import ByteFlow
import Fixtures

let streamSize = 64 << 20
let chunkSize = 64 << 10
let sparse = TextInput.sparse(byteCount: streamSize)
let dense = TextInput.dense(byteCount: streamSize)

/// Patterns by priority: the rarer words first, then the common words of
/// the sparse text's vocabulary, then other English words (as in
/// `Benchmarks/Peers/compare-multi.sh`).
let firstWords = [
    "elvis", "stream", "pipeline", "swift", "chunk", "buffer", "byte", "level", "vision", "visit",
]
let words: [String] =
    firstWords + TextInput.vocabularyWords.filter { !firstWords.contains($0) }
    + ("king memphis guitar song record tour people world time year man day thing woman life child "
    + "school state family student group country problem hand part place case week company system "
    + "program question work government number night point home water room mother area money story")
    .split(separator: " ").map(String.init)

func pairs(_ count: Int) -> [(pattern: [UInt8], replacement: [UInt8])] {
    words.prefix(count).map { (Array($0.utf8), Array($0.uppercased().utf8)) }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, megabytesPerSecond],
        units: [megabytesPerSecond: .count],
        warmupIterations: 1,
        maxDuration: .seconds(1),
        maxIterations: iterations(100)
    )
    precondition(words.count >= 100 && Set(words).count == words.count)

    let inputs: [(String, @Sendable () -> [UInt8])] = [("Sparse", { sparse }), ("Dense", { dense })]
    for (inputName, input) in inputs {
        let one = [(pattern: Array("elvis".utf8), replacement: Array("Elvis".utf8))]
        specialized("One \(inputName) Replace", input: input, one, ignoringCase: false) {
            try! ReplaceTransform("elvis", with: "Elvis")
        }
        specialized("One \(inputName) Multi", input: input, one, ignoringCase: false) {
            try! MultiReplaceTransform(one)
        }
        specialized("One \(inputName) Multi-ignoring-case", input: input, one, ignoringCase: true) {
            try! MultiReplaceTransform(one, ignoringCase: true)
        }
    }
    let adversarialSize = 16 << 20
    let adversarialInput = [UInt8](repeating: UInt8(ascii: "a"), count: adversarialSize)
    let long = (
        pattern: [UInt8](repeating: UInt8(ascii: "a"), count: 31) + [UInt8(ascii: "b")],
        replacement: Array("L".utf8)
    )
    let short = (pattern: Array("a".utf8), replacement: Array("s".utf8))
    for (order, adversarialPairs) in [
        ("long-first", [long, short]), ("short-first", [short, long]), ("long-only", [long]),
    ] {
        specialized(
            "Adversarial \(order)", input: { adversarialInput }, adversarialPairs, ignoringCase: false,
            byteCount: adversarialSize
        ) {
            try! MultiReplaceTransform(adversarialPairs)
        }
    }
    for count in [2, 10, 100] {
        for ignoringCase in [false, true] {
            let label = "\(count) patterns \(ignoringCase ? "ignoring-case" : "case-sensitive")"
            specialized(label, input: { sparse }, pairs(count), ignoringCase: ignoringCase) {
                try! MultiReplaceTransform(pairs(count), ignoringCase: ignoringCase)
            }
        }
        let state = Prepared<BoxedPipeline>()
        Benchmark("\(count) patterns case-sensitive boxed") { benchmark in
            measureThroughput(benchmark, byteCount: streamSize) { runs in
                runRepeatedly(&state.value!, times: runs)
            }
        } setup: {
            state.value = BoxedPipeline(
                source: try BytesSource(sparse, chunkSize: chunkSize),
                transforms: [try MultiReplaceTransform(pairs(count))], sink: DiscardSink())
        } teardown: {
            state.value = nil
        }
    }
}

/// Registers `<name> specialized`, guarded at 0 mallocs, after checking one
/// run's output against the leftmost-first reference.
func specialized<T: ByteTransform>(
    _ name: String, input: @escaping @Sendable () -> [UInt8],
    _ pairs: [(pattern: [UInt8], replacement: [UInt8])], ignoringCase: Bool,
    byteCount: Int = streamSize, _ make: @escaping () -> T
) {
    let name = "\(name) specialized"
    let state = Prepared<Pipeline<BytesSource, T, DiscardSink>>()
    Benchmark(name, configuration: .init(thresholds: zeroMallocs)) { benchmark in
        measureThroughput(benchmark, byteCount: byteCount) { runs in
            runRepeatedly(&state.value!, times: runs)
        }
    } setup: {
        let bytes = input()
        var check = try BytesSource(bytes, chunkSize: chunkSize).transformed(by: make()).into(BufferSink())
        try check.run()
        verify(
            check.sink.bytes, equals: referenceMultiReplace(bytes, pairs, ignoringCase: ignoringCase), name)
        state.value = try BytesSource(bytes, chunkSize: chunkSize).transformed(by: make()).into(DiscardSink())
    } teardown: {
        state.value = nil
    }
}

/// Leftmost-first replacement, one position at a time: at each position the
/// first-listed pattern that matches wins. Only checks the benchmarked code
/// at set-up.
///
/// - Complexity: O(*n* × *k* × *m*).
func referenceMultiReplace(
    _ input: [UInt8], _ pairs: [(pattern: [UInt8], replacement: [UInt8])], ignoringCase: Bool
) -> [UInt8] {
    func fold(_ byte: UInt8) -> UInt8 { ignoringCase && byte >= 65 && byte <= 90 ? byte + 32 : byte }
    // Patterns by folded first byte, in list order, so the scan is not k × n.
    var byFirst = [[Int]](repeating: [], count: 256)
    for (index, pair) in pairs.enumerated() { byFirst[Int(fold(pair.pattern[0]))].append(index) }
    var output: [UInt8] = []
    output.reserveCapacity(input.count + input.count / 4)
    var i = 0
    scan: while i < input.count {
        for index in byFirst[Int(fold(input[i]))] {
            let pattern = pairs[index].pattern
            guard i + pattern.count <= input.count else { continue }
            var k = 1
            while k < pattern.count && fold(input[i + k]) == fold(pattern[k]) { k += 1 }
            if k == pattern.count {
                output += pairs[index].replacement
                i += pattern.count
                continue scan
            }
        }
        output.append(input[i])
        i += 1
    }
    return output
}
