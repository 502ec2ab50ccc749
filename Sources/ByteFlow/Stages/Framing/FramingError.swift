/// A framing stage met a frame it cannot deliver.
///
/// ```swift
/// do {
///     var pipeline = BytesSource("a very long line\n")
///         .transformed(by: try DelimiterFramer.lines(maximumFrameLength: 4))
///         .into(CountingSink())
///     try pipeline.run()
/// } catch let error as PipelineError {
///     print(error)  // a frame starting at byte 0 is longer than the maximum of 4 bytes
/// }
/// ```
public enum FramingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A frame is longer than the stage's maximum frame length, and the stage
    /// was told to fail (``OversizedFramePolicy/fail``).
    case frameTooLong(maximum: Int, frameStart: Int)
    /// The stream ended inside a frame of a record framer: `received` of the
    /// `expected` bytes had arrived (for a length prefix still being read,
    /// `expected` is the prefix's size).
    case truncatedFrame(expected: Int, received: Int, frameStart: Int)

    /// A one-line explanation with the byte offset of the frame in the stream.
    public var description: String {
        switch self {
        case .frameTooLong(let maximum, let start):
            return "a frame starting at byte \(start) is longer than the maximum of \(maximum) bytes"
        case .truncatedFrame(let expected, let received, let start):
            return
                "the stream ended inside a frame starting at byte \(start): \(received) of \(expected) bytes arrived"
        }
    }
}

/// What a framing stage does with a frame longer than its maximum frame
/// length.
///
/// ```swift
/// let framer = try DelimiterFramer.lines(maximumFrameLength: 1024, oversized: .split)
/// ```
public enum OversizedFramePolicy: Sendable, Equatable {
    /// Throw ``FramingError/frameTooLong(maximum:frameStart:)``, ending the run.
    case fail
    /// Deliver the frame in consecutive writes of at most the maximum length;
    /// only the last one ends where the frame ends.
    case split
}
