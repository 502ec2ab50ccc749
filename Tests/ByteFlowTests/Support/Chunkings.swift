import ByteFlow
import Testing

/// One way of cutting a stream into chunks.
enum Chunking: CustomStringConvertible, Sendable {
    /// The whole stream as one chunk (no chunk at all for an empty stream).
    case whole
    /// Chunks of this many bytes; the last may be shorter.
    case fixed(Int)
    /// Chunks of these sizes, in order, where 0 is an empty chunk (also after
    /// the end of the data); what is left after the list is one last chunk.
    case pieces([Int])

    var description: String {
        switch self {
        case .whole: return "whole"
        case .fixed(let size): return "fixed(\(size))"
        case .pieces(let sizes):
            let shown = sizes.prefix(40).map(String.init).joined(separator: ",")
            return "pieces([\(shown)\(sizes.count > 40 ? ",…(\(sizes.count) pieces)" : "")])"
        }
    }
}

/// A source that hands out an array in the chunks a ``Chunking`` describes,
/// including empty chunks: the test double behind every chunking sweep.
struct ChunkedSource: ByteSource {
    let bytes: [UInt8]
    let chunking: Chunking
    private var offset = 0
    private var piece = 0

    init(_ bytes: [UInt8], _ chunking: Chunking) {
        self.bytes = bytes
        self.chunking = chunking
    }

    /// Starts the stream again.
    mutating func rewind() {
        offset = 0
        piece = 0
    }

    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        let remaining = bytes.count - offset
        let size: Int
        switch chunking {
        case .whole:
            size = remaining
        case .fixed(let fixed):
            size = min(fixed, remaining)
        case .pieces(let sizes):
            if piece < sizes.count {
                size = min(sizes[piece], remaining)
                piece += 1
                let start = offset
                offset += size
                try body(bytes.span.bytes.extracting(start..<offset))
                return true
            }
            size = remaining
        }
        guard size > 0 else { return false }
        let start = offset
        offset += size
        try body(bytes.span.bytes.extracting(start..<offset))
        return true
    }
}

/// The chunkings a stream of `count` bytes is tested in: whole, byte by byte,
/// every fixed size up to `count + 1` (for long streams a selection around
/// the SIMD block and power-of-two sizes), and `randomCount` random cuttings
/// with empty chunks, drawn from `random`.
func chunkings(
    for count: Int, randomCount: Int = 6, everyFixedSizeUpTo limit: Int = 300,
    using random: inout SeededRandom
) -> [Chunking] {
    var result: [Chunking] = [.whole]
    if count + 1 <= limit {
        result += (1...(count + 1)).map { .fixed($0) }
    } else {
        let sizes = [
            1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000,
        ]
        result += sizes.filter { $0 <= count + 1 }.map { .fixed($0) }
    }
    for _ in 0..<randomCount {
        result.append(randomPieces(for: count, using: &random))
    }
    return result
}

/// A random cutting of `count` bytes: about a fifth of the chunks empty,
/// most small, a few large, sometimes an empty chunk after the end.
func randomPieces(for count: Int, using random: inout SeededRandom) -> Chunking {
    var sizes: [Int] = []
    var total = 0
    while total < count {
        let size: Int
        switch Int.random(in: 0..<10, using: &random) {
        case 0, 1: size = 0
        case 2...5: size = Int.random(in: 1...8, using: &random)
        case 6...8: size = Int.random(in: 9...64, using: &random)
        default: size = Int.random(in: 65...512, using: &random)
        }
        sizes.append(size)
        total += size
    }
    if Bool.random(using: &random) { sizes.append(0) }
    return .pieces(sizes)
}

/// Runs `input`, cut as `chunking`, through `transform` in a specialized
/// ``Pipeline`` into a ``BufferSink``.
func runSpecialized<T: ByteTransform>(
    _ input: [UInt8], _ chunking: Chunking, through transform: T
) throws(PipelineError) -> (output: [UInt8], summary: PipelineSummary) {
    var pipeline = ChunkedSource(input, chunking).transformed(by: transform).into(BufferSink())
    let summary = try pipeline.run()
    return (pipeline.sink.bytes, summary)
}

/// Runs `input`, cut as `chunking`, through `stages` in a ``BoxedPipeline``
/// into a ``BufferSink``.
func runBoxed(
    _ input: [UInt8], _ chunking: Chunking, through stages: [any ByteTransform]
) throws(PipelineError) -> (output: [UInt8], summary: PipelineSummary) {
    var pipeline = BoxedPipeline(
        source: ChunkedSource(input, chunking), transforms: stages, sink: BufferSink())
    let summary = try pipeline.run()
    return (pipeline.sink(as: BufferSink.self)?.bytes ?? [], summary)
}

/// The chunking sweep (in the manner of swift-nio's
/// `ByteToMessageDecoderVerifier`): feeds `input` in every chunking through
/// `transform` in a specialized pipeline and through `stages` (by default
/// `[transform]`) in a boxed one, and records an issue for the first output
/// of each pipeline that differs from `expected`, or whose summary does not
/// count `input.count` bytes read and `expected.count` written.
///
/// - Returns: `true` if every run matched, so that randomized callers can
///   stop at the first failing case.
@discardableResult
func expectEveryChunking<T: ByteTransform>(
    of input: [UInt8],
    through transform: T,
    boxedAs stages: [any ByteTransform]? = nil,
    gives expected: [UInt8],
    in chunkings: [Chunking],
    _ context: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    let stages = stages ?? [transform]
    let expectedSummary = PipelineSummary(bytesRead: input.count, bytesWritten: expected.count)
    var specializedOK = true
    var boxedOK = true
    for chunking in chunkings {
        for boxed in [false, true] where boxed ? boxedOK : specializedOK {
            let kind = boxed ? "boxed" : "specialized"
            do {
                let (output, summary) =
                    boxed
                    ? try runBoxed(input, chunking, through: stages)
                    : try runSpecialized(input, chunking, through: transform)
                guard output == expected && summary == expectedSummary else {
                    Issue.record(
                        """
                        \(kind) pipeline, chunking \(chunking) \(context())
                          input:    \(printable(input))
                          output:   \(printable(output))
                          expected: \(printable(expected))
                          summary:  \(summary) (expected \(expectedSummary))
                        """,
                        sourceLocation: sourceLocation)
                    if boxed { boxedOK = false } else { specializedOK = false }
                    continue
                }
            } catch {
                Issue.record(
                    "\(kind) pipeline threw \(error) (stage \(error.stage)), chunking \(chunking) \(context())",
                    sourceLocation: sourceLocation)
                if boxed { boxedOK = false } else { specializedOK = false }
            }
        }
        if !specializedOK && !boxedOK { break }
    }
    return specializedOK && boxedOK
}
