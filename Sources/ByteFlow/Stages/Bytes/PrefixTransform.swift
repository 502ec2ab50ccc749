/// Passes on the first `n` bytes of the stream and discards the rest: `head -c`.
///
/// ```swift
/// var pipeline = BytesSource("hello, world")
///     .transformed(by: PrefixTransform(5))
///     .into(BufferSink())
/// pipeline.run()  // "hello"
/// ```
///
/// The bytes are forwarded as sub-spans, never copied. Once the limit has
/// passed, the stage reports ``isFinished`` and the run stops reading its
/// source (within one chunk), anywhere in a chain and in every kind of run
/// (``Pipeline``, ``BoxedPipeline``, the async runs); stages before it then
/// see no more input either. ``ByteSource/prefix(_:)`` limits the source
/// itself, which also ends the stream exactly at the limit.
@frozen
public struct PrefixTransform: ByteTransform, Sendable {
    /// The number of bytes passed on per stream.
    public let limit: Int
    @usableFromInline internal var _passed: Int

    /// Creates a stage that passes on the first `limit` bytes.
    ///
    /// - Parameter limit: Bytes to pass; a negative value is taken as 0.
    @inlinable
    public init(_ limit: Int) {
        self.limit = max(limit, 0)
        _passed = 0
    }

    /// Whether the limit has been reached in this stream: every later byte is
    /// discarded, so the run stops reading (see ``ByteTransform/isFinished``).
    @inlinable
    public var isFinished: Bool { _passed == limit }

    /// `true`: a prefix finishes once its limit has passed, so a
    /// ``BoxedPipeline`` asks it before every chunk (see
    /// ``ByteTransform/canFinishEarly``).
    @inlinable
    public static var canFinishEarly: Bool { true }

    /// Forwards the part of `chunk` below the limit as a sub-span.
    ///
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let take = min(chunk.byteCount, limit &- _passed)
        guard take > 0 else { return }
        _passed &+= take
        try next.write(chunk.extracting(0..<take))
    }

    /// Returns to the initial state; writes nothing.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        reset()
    }

    /// Returns to the initial state, writing nothing.
    ///
    /// ```swift
    /// head.reset()
    /// ```
    @inlinable
    public mutating func reset() {
        _passed = 0
    }
}

/// Discards the first `n` bytes of the stream and passes on the rest:
/// `tail -c +N+1`, Python's `[n:]`.
///
/// ```swift
/// var pipeline = BytesSource("hello, world")
///     .transformed(by: DropFirstTransform(7))
///     .into(BufferSink())
/// pipeline.run()  // "world"
/// ```
///
/// The rest is forwarded as sub-spans of the input, never copied.
@frozen
public struct DropFirstTransform: ByteTransform, Sendable {
    /// The number of bytes skipped per stream.
    public let count: Int
    @usableFromInline internal var _skipped: Int

    /// Creates a stage that skips the first `count` bytes.
    ///
    /// - Parameter count: Bytes to skip; a negative value is taken as 0.
    @inlinable
    public init(_ count: Int) {
        self.count = max(count, 0)
        _skipped = 0
    }

    /// Forwards the part of `chunk` after the skipped bytes as a sub-span.
    ///
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let skip = min(chunk.byteCount, count &- _skipped)
        _skipped &+= skip
        guard skip < chunk.byteCount else { return }
        try next.write(chunk.extracting(skip..<chunk.byteCount))
    }

    /// Returns to the initial state; writes nothing.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        reset()
    }

    /// Returns to the initial state, writing nothing.
    ///
    /// ```swift
    /// skip.reset()
    /// ```
    @inlinable
    public mutating func reset() {
        _skipped = 0
    }
}
