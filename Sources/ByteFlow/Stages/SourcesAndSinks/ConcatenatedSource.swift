/// Two sources read one after the other as one stream.
///
/// ```swift
/// var pipeline = try BytesSource("header\n")
///     .appending(FileSource(path: "body.txt"))
///     .appending(BytesSource("footer\n"))
///     .into(FileSink.standardOutput())
/// try pipeline.run()
/// ```
///
/// Sources of different types nest (`ConcatenatedSource<ConcatenatedSource<A, B>, C>`),
/// so the whole read loop is specialized. For a list of sources of one
/// type decided at run time, use ``SourceSequence``.
@frozen
public struct ConcatenatedSource<First: ByteSource, Second: ByteSource>: ByteSource {
    /// Read first, to its end.
    public var first: First
    /// Read once ``first`` has ended.
    public var second: Second
    @usableFromInline internal var _firstEnded: Bool

    /// Creates a source that reads `first`, then `second`.
    ///
    /// - Parameters:
    ///   - first: The stream's beginning.
    ///   - second: The rest.
    @inlinable
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
        _firstEnded = false
    }

    /// Lends the next chunk of ``first`` or, once it has ended, of ``second``.
    ///
    /// - Returns: `false` once both have ended.
    /// - Throws: What either source or `body` throws.
    @inlinable
    public mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        if !_firstEnded {
            if try first.read(body) { return true }
            _firstEnded = true
        }
        return try second.read(body)
    }
}

extension ByteSource {
    /// A source that reads this one to its end, then `next`.
    ///
    /// ```swift
    /// let both = BytesSource("a").appending(BytesSource("b"))  // "ab"
    /// ```
    ///
    /// - Parameter next: The source whose bytes follow.
    /// - Returns: A ``ConcatenatedSource`` of the two.
    @inlinable
    public func appending<Next: ByteSource>(_ next: Next) -> ConcatenatedSource<Self, Next> {
        ConcatenatedSource(self, next)
    }
}

/// Any number of sources of one type read one after the other as one stream:
/// the files of a directory, say.
///
/// ```swift
/// let paths = ["a.log", "b.log", "c.log"]
/// var pipeline = SourceSequence(try paths.map { try FileSource(path: $0) })
///     .transformed(by: try DelimiterFramer.lines())
///     .into(CountingSink())
/// try pipeline.run()
/// ```
@frozen
public struct SourceSequence<Base: ByteSource>: ByteSource {
    /// The sources, in order.
    public var sources: [Base]
    @usableFromInline internal var _current: Int

    /// Creates a source that reads `sources` in order.
    ///
    /// - Parameter sources: The parts of the stream; may be empty.
    @inlinable
    public init(_ sources: [Base]) {
        self.sources = sources
        _current = 0
    }

    /// Lends the next chunk of the current source, moving on to the next
    /// source when one ends.
    ///
    /// - Returns: `false` once every source has ended.
    /// - Throws: What a source or `body` throws.
    /// - Complexity: O(1) per chunk, plus one `read` per source that ends.
    @inlinable
    public mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        while _current < sources.count {
            if try sources[_current].read(body) { return true }
            _current &+= 1
        }
        return false
    }
}
