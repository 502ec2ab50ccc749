/// A source that ends after the first `limit` bytes of another: the byte
/// limit that stops reading.
///
/// Build one with ``ByteSource/prefix(_:)``. Once the limit is reached it
/// returns `false` without reading its base again, so a pipeline over a
/// large file or an endless pipe stops there. The chunk that crosses the
/// limit is cut (a sub-span; nothing is copied).
@frozen
public struct PrefixSource<Base: ByteSource>: ByteSource {
    /// The source read from.
    public var base: Base
    /// Bytes still to produce.
    @usableFromInline internal var _remaining: Int

    /// Wraps `base`, ending the stream after `limit` bytes.
    ///
    /// - Parameters:
    ///   - base: The source read from.
    ///   - limit: Bytes to produce at most; a negative value is taken as 0.
    @inlinable
    public init(_ base: Base, limit: Int) {
        self.base = base
        _remaining = max(limit, 0)
    }

    /// Bytes this source will still produce at most.
    @inlinable
    public var remaining: Int { _remaining }

    /// Lends the next chunk of the base, cut at the limit.
    ///
    /// - Returns: `false` once the limit is reached (without reading the
    ///   base) or the base ends.
    /// - Throws: What the base or `body` throws.
    @inlinable
    public mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        guard _remaining > 0 else { return false }
        var remaining = _remaining
        defer { _remaining = remaining }
        return try base.read { chunk in
            let take = min(chunk.byteCount, remaining)
            remaining &-= take
            try body(chunk.extracting(0..<take))
        }
    }
}

extension ByteSource {
    /// A source that ends after this one's first `limit` bytes, and reads no
    /// further.
    ///
    /// ```swift
    /// var head = try FileSource(path: "huge.log").prefix(1 << 20)
    ///     .into(FileSink.standardOutput())
    /// try head.run()  // reads about 1 MiB, not the whole file
    /// ```
    ///
    /// - Parameter limit: Bytes to produce at most.
    /// - Returns: A ``PrefixSource`` over this source.
    @inlinable
    public func prefix(_ limit: Int) -> PrefixSource<Self> {
        PrefixSource(self, limit: limit)
    }
}
