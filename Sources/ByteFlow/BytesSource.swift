/// A source that hands out bytes held in memory, without copying them.
///
/// Chunks are sub-spans of the stored array. With no chunk size the whole
/// array is one chunk; a chunk size cuts it into pieces of that size (the last
/// may be shorter), which is how tests and benchmarks force a chunking.
///
/// ``rewind()`` starts the stream again, so one source can feed many runs.
@frozen
public struct BytesSource: InfallibleSource, Sendable {
    @usableFromInline internal var _bytes: [UInt8]
    @usableFromInline internal var _offset: Int
    /// The largest chunk ``read(_:)`` hands out.
    public let chunkSize: Int

    /// Creates a source that yields `bytes` as one chunk.
    ///
    /// - Parameter bytes: The stream. The array's storage is shared, not
    ///   copied.
    @inlinable
    public init(_ bytes: [UInt8]) {
        _bytes = bytes
        _offset = 0
        chunkSize = Int.max
    }

    /// Creates a source that yields `bytes` in chunks of `chunkSize` bytes.
    ///
    /// - Parameters:
    ///   - bytes: The stream. The array's storage is shared, not copied.
    ///   - chunkSize: The size of every chunk but the last; at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `chunkSize < 1`.
    @inlinable
    public init(_ bytes: [UInt8], chunkSize: Int) throws(ByteFlowError) {
        guard chunkSize > 0 else { throw .invalidChunkSize(chunkSize) }
        _bytes = bytes
        _offset = 0
        self.chunkSize = chunkSize
    }

    /// Creates a source that yields the UTF-8 bytes of `string` as one chunk.
    ///
    /// - Parameter string: The text; its UTF-8 encoding is copied once.
    @inlinable
    public init(_ string: String) {
        self.init(Array(string.utf8))
    }

    /// Creates a source that yields the UTF-8 bytes of `string` in chunks of
    /// `chunkSize` bytes.
    ///
    /// - Parameters:
    ///   - string: The text; its UTF-8 encoding is copied once.
    ///   - chunkSize: The size of every chunk but the last; at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `chunkSize < 1`.
    @inlinable
    public init(_ string: String, chunkSize: Int) throws(ByteFlowError) {
        try self.init(Array(string.utf8), chunkSize: chunkSize)
    }

    /// The whole stream.
    @inlinable
    public var bytes: [UInt8] { _bytes }

    /// Starts the stream again from its first byte.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func rewind() {
        _offset = 0
    }

    /// Lends the next chunk, a sub-span of the stored bytes, to `body`.
    ///
    /// - Parameter body: Receives the chunk, valid during the call.
    /// - Returns: `false` once every byte was handed out.
    /// - Throws: Only what `body` throws.
    /// - Complexity: O(1) plus the cost of `body`.
    @inlinable
    public mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        let start = _offset
        let remaining = _bytes.count &- start
        guard remaining > 0 else { return false }
        let end = start &+ min(chunkSize, remaining)
        _offset = end
        try body(_bytes.span.bytes.extracting(start..<end))
        return true
    }
}
