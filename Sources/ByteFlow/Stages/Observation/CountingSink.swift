/// A sink that counts writes and bytes and keeps nothing: behind a framer,
/// ``writeCount`` is the number of frames.
///
/// ```swift
/// var pipeline = try FileSource(path: "app.log")
///     .transformed(by: DelimiterFramer.lines())
///     .into(CountingSink())
/// try pipeline.run()
/// print(pipeline.sink.writeCount, "lines")
/// ```
@frozen
public struct CountingSink: ByteSink, Sendable {
    @usableFromInline internal var _writeCount: Int
    @usableFromInline internal var _byteCount: Int

    /// Calls to ``write(_:)`` since creation or ``reset()``.
    @inlinable
    public var writeCount: Int { _writeCount }

    /// Bytes written since creation or ``reset()``.
    @inlinable
    public var byteCount: Int { _byteCount }

    /// Creates a sink with both counts at zero.
    @inlinable
    public init() {
        _writeCount = 0
        _byteCount = 0
    }

    /// Counts one write of `bytes.byteCount` bytes.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func write(_ bytes: RawSpan) {
        _writeCount &+= 1
        _byteCount &+= bytes.byteCount
    }

    /// Sets both counts back to zero.
    ///
    /// ```swift
    /// sink.reset()
    /// ```
    @inlinable
    public mutating func reset() {
        _writeCount = 0
        _byteCount = 0
    }
}
