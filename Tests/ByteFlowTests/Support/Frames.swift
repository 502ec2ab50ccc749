import ByteFlow
import Testing

/// Makes frame boundaries visible in a byte stream: writes every write it
/// receives as a 4-byte little-endian length and the bytes. Put it after a
/// framer, and the chunking sweep compares frames, not just bytes.
struct FrameLengthEncoder: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let header = lengthHeader(chunk.byteCount)
        try next.write(header.span.bytes)
        try next.write(chunk)
    }
}

/// A 4-byte little-endian length.
func lengthHeader(_ count: Int) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) }
}

/// What ``FrameLengthEncoder`` makes of `frames` written one per write.
func encodeFrames(_ frames: [[UInt8]]) -> [UInt8] {
    frames.flatMap { lengthHeader($0.count) + $0 }
}

/// Feeds `input` in every chunking through `framer` followed by a
/// ``FrameLengthEncoder``, specialized and boxed, and checks the frames
/// against `expected`: the frames in order, or the framing error every run
/// must end with.
func expectFrames<Framer: ByteTransform>(
    of input: [UInt8], through framer: Framer, give expected: Result<[[UInt8]], FramingError>,
    in chunkings: [Chunking], _ context: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    switch expected {
    case .success(let frames):
        // `Chain(_:_:)`, not `followed(by:)`: appending selects its overload by
        // the stage's chain depth, unknown for a generic `Framer`.
        return expectEveryChunking(
            of: input, through: Chain(framer, FrameLengthEncoder()),
            boxedAs: [framer, FrameLengthEncoder()], gives: encodeFrames(frames), in: chunkings, context(),
            sourceLocation: sourceLocation)
    case .failure(let error):
        for chunking in chunkings {
            for boxed in [false, true] {
                do {
                    if boxed {
                        _ = try runBoxed(input, chunking, through: [framer, FrameLengthEncoder()])
                    } else {
                        _ = try runSpecialized(
                            input, chunking, through: Chain(framer, FrameLengthEncoder()))
                    }
                    Issue.record(
                        "expected \(error), the run succeeded; chunking \(chunking) \(context())",
                        sourceLocation: sourceLocation)
                    return false
                } catch {
                    guard error.stage == .transform, let framing = error.underlying as? FramingError,
                        framing == expected.failureValue
                    else {
                        Issue.record(
                            "expected \(expected), got \(error.underlying) at \(error.stage); chunking \(chunking) \(context())",
                            sourceLocation: sourceLocation)
                        return false
                    }
                }
            }
        }
        return true
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
