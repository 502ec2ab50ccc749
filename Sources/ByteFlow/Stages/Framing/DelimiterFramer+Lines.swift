extension DelimiterFramer {
    /// How ``DelimiterFramer/lines(maximumFrameLength:lineEnding:oversized:)``
    /// treats the end of a line.
    public enum LineEnding: Sendable, Equatable {
        /// Lines end at `\n`, which is removed; a `\r` before it is removed too
        /// (`"a\r\n"` and `"a\n"` both give `"a"`). The default.
        case stripped
        /// Lines end at `\n`, which is removed; a `\r` is kept as data.
        case strippedNewlineOnly
        /// Lines end at `\n`, which is kept (and so is a `\r` before it).
        case kept
    }

    /// A framer that splits text into lines, as Go's `bufio.ScanLines` does.
    ///
    /// ```swift
    /// var lines = 0
    /// var pipeline = try FileSource(path: "app.log")
    ///     .transformed(by: DelimiterFramer.lines())
    ///     .into(ForEachSink { _ in lines += 1 })
    /// try pipeline.run()
    /// ```
    ///
    /// A last line without a `\n` is delivered too (so this counts one more
    /// line than `wc -l` when the file does not end with a newline), and
    /// under ``LineEnding/stripped`` a `\r` at the very end of the stream is
    /// removed as if a `\n` followed it.
    ///
    /// - Parameters:
    ///   - maximumFrameLength: The longest line delivered in one write
    ///     (default 64 KiB); at least 1.
    ///   - lineEnding: What happens to `\n` and `\r` (default ``LineEnding/stripped``).
    ///   - oversized: What to do with a longer line (default ``OversizedFramePolicy/fail``).
    /// - Returns: The framer.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` for a maximum below 1.
    @inlinable
    public static func lines(
        maximumFrameLength: Int = 64 * 1024, lineEnding: LineEnding = .stripped,
        oversized: OversizedFramePolicy = .fail
    ) throws(ByteFlowError) -> DelimiterFramer {
        try DelimiterFramer(
            [0x0A], maximumFrameLength: maximumFrameLength, keepsDelimiter: lineEnding == .kept,
            stripsCarriageReturn: lineEnding == .stripped, oversized: oversized)
    }
}
