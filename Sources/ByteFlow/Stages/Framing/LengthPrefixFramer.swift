/// Splits a stream of length-prefixed records (a 1- to 8-byte unsigned
/// length, big- or little-endian, then that many bytes of payload) and writes
/// each payload to the next stage in one ``ByteSink/write(_:)``.
///
/// ```swift
/// // Two records, "hi" and "abc", each after a 2-byte big-endian length.
/// var pipeline = BytesSource([0, 2, 0x68, 0x69, 0, 3, 0x61, 0x62, 0x63])
///     .transformed(by: try LengthPrefixFramer(lengthByteCount: 2, byteOrder: .bigEndian))
///     .into(ForEachSink { payload in print(payload.byteCount) })  // 2, 3
/// try pipeline.run()
/// ```
///
/// The prefix is removed; a zero length delivers an empty write. A payload
/// inside one chunk is forwarded as a sub-span (no copy); one cut by a chunk
/// boundary is gathered in storage of `maximumFrameLength` bytes allocated at
/// creation. A length above the maximum throws
/// ``FramingError/frameTooLong(maximum:frameStart:)`` as soon as the prefix
/// is read, or, under ``OversizedFramePolicy/split``, is delivered in
/// parts of exactly the maximum but the last. A stream that ends
/// inside a prefix or a payload throws
/// ``FramingError/truncatedFrame(expected:received:frameStart:)`` from
/// ``finish(into:)``; a stream that ends between records is complete.
@frozen
public struct LengthPrefixFramer: ByteTransform, Sendable {
    /// The order of the bytes of the length prefix.
    public enum ByteOrder: Sendable, Equatable {
        /// Most significant byte first (network order).
        case bigEndian
        /// Least significant byte first.
        case littleEndian
    }

    /// Bytes in the length prefix, 1 to 8.
    public let lengthByteCount: Int
    /// The order of the prefix's bytes.
    public let byteOrder: ByteOrder
    /// The longest payload delivered in one write.
    public let maximumFrameLength: Int
    /// What happens to a longer payload.
    public let oversized: OversizedFramePolicy

    @usableFromInline internal var _pending: _FrameBuffer
    /// Prefix bytes read so far (while `_remaining < 0`).
    @usableFromInline internal var _prefixBytesRead: Int
    @usableFromInline internal var _length: UInt64
    /// Payload bytes still to come, or -1 while reading a prefix.
    @usableFromInline internal var _remaining: Int
    /// The current payload's full length.
    @usableFromInline internal var _payloadLength: Int
    @usableFromInline internal var _offset: Int
    @usableFromInline internal var _frameStart: Int

    /// Creates a framer.
    ///
    /// - Parameters:
    ///   - lengthByteCount: Bytes in the length prefix, 1 to 8.
    ///   - byteOrder: The order of the prefix's bytes.
    ///   - maximumFrameLength: The longest payload delivered in one write
    ///     (default 64 KiB); storage for a frame cut by a chunk boundary grows
    ///     up to this size when such a frame needs it.
    ///   - oversized: What to do with a longer payload (default ``OversizedFramePolicy/fail``).
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` for a prefix size
    ///   outside 1...8 or a maximum below 1.
    @inlinable
    public init(
        lengthByteCount: Int, byteOrder: ByteOrder, maximumFrameLength: Int = 64 * 1024,
        oversized: OversizedFramePolicy = .fail
    ) throws(ByteFlowError) {
        guard (1...8).contains(lengthByteCount) else { throw .invalidChunkSize(lengthByteCount) }
        guard maximumFrameLength > 0 else { throw .invalidChunkSize(maximumFrameLength) }
        self.lengthByteCount = lengthByteCount
        self.byteOrder = byteOrder
        self.maximumFrameLength = maximumFrameLength
        self.oversized = oversized
        _pending = _FrameBuffer(capacity: maximumFrameLength)
        _prefixBytesRead = 0
        _length = 0
        _remaining = -1
        _payloadLength = 0
        _offset = 0
        _frameStart = 0
    }

    /// Writes every payload completed by `chunk`, one write each (or one per
    /// part of an oversized payload under ``OversizedFramePolicy/split``).
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: Receives the payloads.
    /// - Throws: ``FramingError/frameTooLong(maximum:frameStart:)``, or what
    ///   `next` throws.
    /// - Complexity: O(records) plus O(*p*) copying for a payload cut by a
    ///   chunk boundary; allocates nothing.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let count = chunk.byteCount
        guard count > 0 else { return }
        try chunk.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!
            var position = 0
            while position < count {
                if _remaining < 0 {
                    if _prefixBytesRead == 0 { _frameStart = _offset &+ position }
                    _readPrefixByte(base.load(fromByteOffset: position, as: UInt8.self))
                    position &+= 1
                    if _prefixBytesRead == lengthByteCount { try _startPayload(into: &next) }
                    continue
                }
                // The current write ends at the payload's end or after the
                // maximum, whichever comes first (parts of an oversized
                // payload under .split are exactly the maximum but the last).
                let available = count &- position
                let needed = min(_remaining &+ _pending.count, maximumFrameLength) &- _pending.count
                if _pending.isEmpty && available >= needed {
                    try _writeBytes(base, position, position &+ needed, into: &next)
                    position &+= needed
                    _remaining &-= needed
                } else {
                    let take = min(available, needed)
                    _pending.append(base, position, position &+ take)
                    position &+= take
                    _remaining &-= take
                    if take == needed { try _pending.writeLeading(_pending.count, into: &next) }
                }
                if _remaining == 0 { _remaining = -1 }
            }
        }
        _offset &+= count
    }

    @inlinable
    internal mutating func _readPrefixByte(_ byte: UInt8) {
        switch byteOrder {
        case .bigEndian: _length = _length << 8 | UInt64(byte)
        case .littleEndian: _length |= UInt64(byte) << (8 &* UInt64(_prefixBytesRead))
        }
        _prefixBytesRead &+= 1
    }

    /// The prefix is complete: check the length and begin its payload.
    @inlinable
    internal mutating func _startPayload<Next: ByteSink>(into next: inout Next) throws {
        let length = _length
        _prefixBytesRead = 0
        _length = 0
        if length > UInt64(maximumFrameLength) && oversized == .fail {
            throw FramingError.frameTooLong(maximum: maximumFrameLength, frameStart: _frameStart)
        }
        // A length beyond Int.max cannot be a real payload, and .split would
        // wait for it forever: report it as too long under either policy.
        guard length <= UInt64(Int.max) else {
            throw FramingError.frameTooLong(maximum: maximumFrameLength, frameStart: _frameStart)
        }
        _payloadLength = Int(length)
        _remaining = Int(length)
        if length == 0 {
            try next.write(_pending._bytes.span.bytes.extracting(0..<0))
            _remaining = -1
        }
    }

    /// Checks that the stream ended between records and returns to the
    /// initial state.
    ///
    /// - Parameter next: Receives nothing.
    /// - Throws: ``FramingError/truncatedFrame(expected:received:frameStart:)``
    ///   if the stream ended inside a prefix or a payload.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        defer { reset() }
        if _remaining >= 0 {
            throw FramingError.truncatedFrame(
                expected: _payloadLength, received: _payloadLength &- _remaining, frameStart: _frameStart)
        }
        if _prefixBytesRead > 0 {
            throw FramingError.truncatedFrame(
                expected: lengthByteCount, received: _prefixBytesRead, frameStart: _frameStart)
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
        _prefixBytesRead = 0
        _length = 0
        _remaining = -1
        _payloadLength = 0
        _offset = 0
        _frameStart = 0
    }
}
