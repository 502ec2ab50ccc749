// The stage library: each stage on the same 1 MiB of text, specialized and
// boxed, at 16 B, 4 KiB and 64 KiB chunks; and framing → map → count, fused,
// against the three stages alone (fusion: the chain should cost about the
// sum of its stages) and against the map and the count each behind the
// framer alone (the pieces they see in the chain).
//
// Names read `<stage> <chunk> <composition>`. The specialized rows are
// guarded at 0 mallocs (Benchmarks/Thresholds).

import Benchmark
import ByteFlow
import Fixtures

/// 1 MiB of word-like text with lines and an `elvis` about every 1 KiB.
let text = TextInput.sparse(byteCount: 1 << 20, elvisEvery: 1024)
let chunkSizes = [16, 4 << 10, 64 << 10]

// The sinks reset through ByteFlow's `Resettable`, like the other suites.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, megabytesPerSecond],
        units: [megabytesPerSecond: .count],
        maxDuration: .milliseconds(300),
        maxIterations: iterations(1_000)
    )
    let records = Array(text.prefix(text.count / 100 * 100))  // a whole number of 100-byte records
    // The text cut into length-prefixed records of 1–200 bytes.
    var prefixed: [UInt8] = []
    var offset = 0
    var random = SplitMix64(seed: 11)
    while offset < text.count {
        let length = min(Int.random(in: 1...200, using: &random), text.count - offset)
        prefixed += [UInt8(length >> 8), UInt8(length & 0xFF)] + text[offset..<offset + length]
        offset += length
    }

    for chunk in chunkSizes {
        let label = chunkLabel(chunk)
        func source(_ bytes: [UInt8] = text) -> BytesSource { try! BytesSource(bytes, chunkSize: chunk) }

        stage("Lines \(label)", bytes: text.count) {
            source().transformed(by: try DelimiterFramer.lines()).into(CountingSink())
        } boxed: {
            BoxedPipeline(source: source(), transforms: [try DelimiterFramer.lines()], sink: DiscardSink())
        }
        stage("Delimiter3 \(label)", bytes: text.count) {
            source().transformed(by: try DelimiterFramer("the")).into(CountingSink())
        } boxed: {
            BoxedPipeline(source: source(), transforms: [try DelimiterFramer("the")], sink: DiscardSink())
        }
        stage("FixedLength \(label)", bytes: records.count) {
            source(records).transformed(by: try FixedLengthFramer(recordLength: 100)).into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(records), transforms: [try FixedLengthFramer(recordLength: 100)],
                sink: DiscardSink())
        }
        stage("LengthPrefix \(label)", bytes: prefixed.count) {
            source(prefixed).transformed(
                by: try LengthPrefixFramer(lengthByteCount: 2, byteOrder: .bigEndian)
            )
            .into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(prefixed),
                transforms: [try LengthPrefixFramer(lengthByteCount: 2, byteOrder: .bigEndian)],
                sink: DiscardSink())
        }
        stage("MapUppercase \(label)", bytes: text.count) {
            source().transformed(by: ByteMapTransform.asciiUppercase).into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(), transforms: [ByteMapTransform.asciiUppercase], sink: DiscardSink())
        }
        stage("MapTable \(label)", bytes: text.count) {
            source().transformed(by: ByteMapTransform { ~$0 }).into(CountingSink())
        } boxed: {
            BoxedPipeline(source: source(), transforms: [ByteMapTransform { ~$0 }], sink: DiscardSink())
        }
        stage("Filter \(label)", bytes: text.count) {
            source().transformed(by: ByteFilterTransform(dropping: [0x20])).into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(), transforms: [ByteFilterTransform(dropping: [0x20])], sink: DiscardSink())
        }
        stage("PrefixHalf \(label)", bytes: text.count) {
            source().transformed(by: PrefixTransform(text.count / 2)).into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(), transforms: [PrefixTransform(text.count / 2)], sink: DiscardSink())
        }
        stage("DropFirstHalf \(label)", bytes: text.count) {
            source().transformed(by: DropFirstTransform(text.count / 2)).into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(), transforms: [DropFirstTransform(text.count / 2)], sink: DiscardSink())
        }
        stage("Count \(label)", bytes: text.count) {
            source().transformed(by: try CountingTransform(pattern: "elvis")).into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(), transforms: [try CountingTransform(pattern: "elvis")], sink: DiscardSink())
        }
        stage("CRC32C \(label)", bytes: text.count) {
            source().into(CRC32CSink())
        }
        stage("Tee \(label)", bytes: text.count) {
            source().into(TeeSink(BufferSink(capacity: text.count), CRC32CSink()))
        }
        stage("Capped \(label)", bytes: text.count) {
            source().into(CappedBufferSink(cap: text.count))
        }
        // Each stage downstream of the framer on the pieces it sees in the
        // chain (one write per line): `LinesMap - Lines` is the map's cost
        // there, `LinesCount - Lines` the count's (`elvis` in the original
        // text finds what `ELVIS` finds after upper-casing, byte for byte).
        stage("LinesMap \(label)", bytes: text.count) {
            source().transformed(by: try DelimiterFramer.lines()).transformed(by: ByteMapTransform.asciiUppercase)
                .into(ReadingSink())
        }
        stage("LinesCount \(label)", bytes: text.count) {
            source().transformed(by: try DelimiterFramer.lines()).transformed(
                by: try CountingTransform(pattern: "elvis")
            )
            .into(CountingSink())
        }
        // Fusion: framing → map → count against each stage alone (the three
        // single rows above, on the same input and chunking).
        stage("LinesMapCount \(label)", bytes: text.count) {
            source().transformed(by: try DelimiterFramer.lines()).transformed(
                by: ByteMapTransform.asciiUppercase
            )
            .transformed(by: try CountingTransform(pattern: "ELVIS")).into(CountingSink())
        } boxed: {
            BoxedPipeline(
                source: source(),
                transforms: [
                    try DelimiterFramer.lines(), ByteMapTransform.asciiUppercase,
                    try CountingTransform(pattern: "ELVIS"),
                ], sink: DiscardSink())
        }
    }
}

/// A sink that reads every byte it is given (an XOR of 8-byte words). The
/// map writes a short piece from a buffer on the stack: into a sink that
/// never reads the bytes (`CountingSink`), the optimizer may drop the
/// mapping itself, and the row would time nothing.
struct ReadingSink: ByteSink, Resettable {
    var fold: UInt64 = 0

    @inline(__always)
    mutating func write(_ bytes: RawSpan) {
        bytes.withUnsafeBytes { raw in
            guard raw.count >= 8 else {
                for byte in raw { fold ^= UInt64(byte) }
                return
            }
            // Words, the last one ending at the end (overlapping): no byte loop.
            var i = 0
            while raw.count - i > 8 {
                fold ^= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            fold ^= raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self)
        }
    }

    mutating func reset() { fold = 0 }
}

/// Registers `<name> specialized` (guarded at 0 mallocs) and, if given,
/// `<name> boxed`: pipelines run again and again with their source rewound
/// and their sink emptied.
func stage<Transform: ByteTransform, Sink: ByteSink & Resettable>(
    _ name: String, bytes: Int,
    _ make: @escaping () throws -> Pipeline<BytesSource, Transform, Sink>,
    boxed makeBoxed: (() throws -> BoxedPipeline)? = nil
) {
    let specialized = Prepared<Pipeline<BytesSource, Transform, Sink>>()
    Benchmark("\(name) specialized", configuration: .init(thresholds: zeroMallocs)) { benchmark in
        measureThroughput(benchmark, byteCount: bytes) { runs in
            runRepeatedly(&specialized.value!, times: runs)
        }
    } setup: {
        var pipeline = try make()
        try pipeline.run()  // grows buffers to their steady-state size
        specialized.value = pipeline
    } teardown: {
        specialized.value = nil
    }
    guard let makeBoxed else { return }
    let boxed = Prepared<BoxedPipeline>()
    Benchmark("\(name) boxed") { benchmark in
        measureThroughput(benchmark, byteCount: bytes) { runs in
            runRepeatedly(&boxed.value!, times: runs)
        }
    } setup: {
        var pipeline = try makeBoxed()
        try pipeline.run()
        boxed.value = pipeline
    } teardown: {
        boxed.value = nil
    }
}
