/// Splits a stream into records of a fixed length, writing each record to
/// the next stage in one ``ByteSink/write(_:)``.
///
/// ```swift
/// var pipeline = BytesSource([1, 2, 3, 4, 5, 6])
///     .transformed(by: try FixedLengthFramer(recordLength: 2))
///     .into(CountingSink())
/// try pipeline.run()  // pipeline.sink.writeCount == 3
/// ```
///
/// A record inside one chunk is forwarded as a sub-span (no copy); one cut by
/// a chunk boundary is gathered in storage of up to `recordLength` bytes (4
/// KiB at creation, grown to the record length when a record needs it). A stream whose length is not a multiple of the record length
/// ends in ``FramingError/truncatedFrame(expected:received:frameStart:)``:
/// a partial record is a damaged stream, not a shorter record.
@frozen
public struct FixedLengthFramer: ByteTransform, Sendable {
    @usableFromInline internal var _pending: _FrameBuffer
    @usableFromInline internal var _offset: Int
    /// The length of every record.
    public let recordLength: Int

    /// Creates a framer for records of `recordLength` bytes.
    ///
    /// - Parameter recordLength: At least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `recordLength < 1`.
    @inlinable
    public init(recordLength: Int) throws(ByteFlowError) {
        guard recordLength > 0 else { throw .invalidChunkSize(recordLength) }
        self.recordLength = recordLength
        _pending = _FrameBuffer(capacity: recordLength)
        _offset = 0
    }

    /// Writes every record completed by `chunk`, one write each.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: Receives the records.
    /// - Throws: What `next` throws.
    /// - Complexity: O(records) writes plus O(*r*) copying for a record cut
    ///   by a chunk boundary; allocates nothing.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let count = chunk.byteCount
        guard count > 0 else { return }
        try chunk.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!
            var position = 0
            if !_pending.isEmpty {
                let take = min(recordLength &- _pending.count, count)
                _pending.append(base, 0, take)
                position = take
                if _pending.count == recordLength { try _pending.writeLeading(recordLength, into: &next) }
            }
            while count &- position >= recordLength {
                try _writeBytes(base, position, position &+ recordLength, into: &next)
                position &+= recordLength
            }
            _pending.append(base, position, count)
        }
        _offset &+= count
    }

    /// Checks that the stream ended on a record boundary and returns to the
    /// initial state.
    ///
    /// - Parameter next: Receives nothing.
    /// - Throws: ``FramingError/truncatedFrame(expected:received:frameStart:)``
    ///   if a partial record is left.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        defer { reset() }
        if !_pending.isEmpty {
            throw FramingError.truncatedFrame(
                expected: recordLength, received: _pending.count, frameStart: _offset &- _pending.count)
        }
    }

    /// Discards a partial record and returns to the initial state, writing
    /// nothing.
    ///
    /// ```swift
    /// framer.reset()
    /// ```
    @inlinable
    public mutating func reset() {
        _pending.count = 0
        _offset = 0
    }
}
