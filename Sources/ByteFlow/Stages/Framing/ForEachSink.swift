/// A sink that calls a closure with every write: behind a framer, with every
/// frame.
///
/// ```swift
/// var longest = 0
/// var pipeline = try FileSource(path: "app.log")
///     .transformed(by: DelimiterFramer.lines())
///     .into(ForEachSink { line in longest = max(longest, line.byteCount) })
/// try pipeline.run()
/// ```
///
/// The span is borrowed for the call (copy it, for example with
/// `line.withUnsafeBytes(Array.init)`, to keep it). The closure is not
/// `@Sendable`, so the sink is not `Sendable` either; it captures what it
/// likes, mutably.
public struct ForEachSink: ByteSink {
    @usableFromInline internal let _body: (RawSpan) throws -> Void

    /// Creates a sink that calls `body` with every write.
    ///
    /// - Parameter body: Receives each write's bytes, borrowed for the call;
    ///   what it throws ends the run as a sink error.
    @inlinable
    public init(_ body: @escaping (RawSpan) throws -> Void) {
        _body = body
    }

    /// Calls the closure with `bytes`.
    ///
    /// - Parameter bytes: Borrowed for the call.
    /// - Throws: What the closure throws.
    /// - Complexity: The closure's.
    @inlinable
    public mutating func write(_ bytes: RawSpan) throws {
        try _body(bytes)
    }
}
