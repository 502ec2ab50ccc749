/// Splits a stream into frames that end with a delimiter (one byte or a byte
/// string) and writes each frame to the next stage in one ``ByteSink/write(_:)``.
///
/// ```swift
/// var pipeline = BytesSource("a,bb,,ccc")
///     .transformed(by: try DelimiterFramer(",", maximumFrameLength: 16))
///     .into(ForEachSink { frame in print(frame.byteCount) })  // 1, 2, 0, 3
/// try pipeline.run()
/// ```
///
/// - **Frames.** Downstream sees exactly one write per frame (or, for a frame
///   over the maximum under ``OversizedFramePolicy/split``, one write per
///   part). A frame that lies wholly inside one chunk is forwarded as a
///   sub-span of the chunk, without a copy; a frame cut by a chunk boundary
///   is gathered in storage the framer owns and reuses: up to 4 KiB allocated
///   at creation, grown (never past `maximumFrameLength` plus the delimiter)
///   only when a longer frame is cut by a chunk boundary.
/// - **Delimiters** are found leftmost and non-overlapping (`"aa"` splits
///   `"aaaab"` into `""`, `""`, `"b"`) and are removed from the frames unless
///   `keepsDelimiter` is set. Empty frames (two delimiters in a row) are
///   delivered as empty writes.
/// - **End of stream.** Bytes after the last delimiter are delivered as a
///   last frame, as Go's `bufio.ScanLines` and Python's `splitlines` do; an
///   empty tail delivers nothing, so `"a\n"` is one frame, not two.
/// - **Maximum frame length** counts the bytes delivered in one write (the
///   delimiter included when it is kept). A longer frame throws
///   ``FramingError/frameTooLong(maximum:frameStart:)`` or is split, as
///   `oversized` says; memory stays bounded either way.
@frozen
public struct DelimiterFramer: ByteTransform, Sendable {
    @usableFromInline internal var _matcher: _StreamMatcher
    @usableFromInline internal var _pending: _FrameBuffer
    @usableFromInline internal let _maximum: Int
    @usableFromInline internal let _keepsDelimiter: Bool
    @usableFromInline internal let _stripsCarriageReturn: Bool
    @usableFromInline internal let _oversized: OversizedFramePolicy
    /// Stream offset of the first byte of the chunk being processed.
    @usableFromInline internal var _offset: Int

    /// Creates a framer that splits at `delimiter`.
    ///
    /// ```swift
    /// let records = try DelimiterFramer([0x1E], maximumFrameLength: 4096)  // ASCII record separator
    /// ```
    ///
    /// - Parameters:
    ///   - delimiter: The bytes that end a frame; at least one.
    ///   - maximumFrameLength: The longest frame delivered in one write; at
    ///     least 1. Storage for a frame cut by a chunk boundary grows up to
    ///     this size (plus the delimiter) when such a frame needs it.
    ///   - keepsDelimiter: Whether each frame ends with its delimiter (default
    ///     `false`).
    ///   - oversized: What to do with a longer frame (default ``OversizedFramePolicy/fail``).
    /// - Throws: ``ByteFlowError/emptyPattern`` for an empty delimiter,
    ///   ``ByteFlowError/invalidChunkSize(_:)`` for a maximum below 1.
    @inlinable
    public init(
        _ delimiter: [UInt8], maximumFrameLength: Int = 64 * 1024, keepsDelimiter: Bool = false,
        oversized: OversizedFramePolicy = .fail
    ) throws(ByteFlowError) {
        try self.init(
            delimiter, maximumFrameLength: maximumFrameLength, keepsDelimiter: keepsDelimiter,
            stripsCarriageReturn: false, oversized: oversized)
    }

    /// Creates a framer that splits at the UTF-8 bytes of `delimiter`.
    ///
    /// ```swift
    /// let paragraphs = try DelimiterFramer("\n\n")
    /// ```
    ///
    /// - Parameters: As ``init(_:maximumFrameLength:keepsDelimiter:oversized:)-([UInt8],_,_,_)``.
    /// - Throws: As ``init(_:maximumFrameLength:keepsDelimiter:oversized:)-([UInt8],_,_,_)``.
    @inlinable
    public init(
        _ delimiter: String, maximumFrameLength: Int = 64 * 1024, keepsDelimiter: Bool = false,
        oversized: OversizedFramePolicy = .fail
    ) throws(ByteFlowError) {
        try self.init(
            Array(delimiter.utf8), maximumFrameLength: maximumFrameLength, keepsDelimiter: keepsDelimiter,
            oversized: oversized)
    }

    @inlinable
    internal init(
        _ delimiter: [UInt8], maximumFrameLength: Int, keepsDelimiter: Bool, stripsCarriageReturn: Bool,
        oversized: OversizedFramePolicy
    ) throws(ByteFlowError) {
        guard !delimiter.isEmpty else { throw .emptyPattern }
        guard maximumFrameLength > 0 else { throw .invalidChunkSize(maximumFrameLength) }
        _matcher = _StreamMatcher(delimiter)
        _pending = _FrameBuffer(capacity: maximumFrameLength &+ delimiter.count)
        _maximum = maximumFrameLength
        _keepsDelimiter = keepsDelimiter
        _stripsCarriageReturn = stripsCarriageReturn
        _oversized = oversized
        _offset = 0
    }

    /// The bytes that end a frame.
    @inlinable
    public var delimiter: [UInt8] { _matcher.pattern }

    /// The longest frame delivered in one write.
    @inlinable
    public var maximumFrameLength: Int { _maximum }

    /// Bytes of an unfinished frame held back from earlier chunks.
    @inlinable
    public var heldBackByteCount: Int { _pending.count }

    /// Writes every frame that ends in `chunk` to `next`, one write per frame,
    /// and keeps the unfinished rest.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream, borrowed for this call.
    ///   - next: Receives the frames: sub-spans of `chunk`, or the framer's
    ///     own storage for a frame that began in an earlier chunk.
    /// - Throws: ``FramingError/frameTooLong(maximum:frameStart:)`` under
    ///   ``OversizedFramePolicy/fail``, or what `next` throws.
    /// - Complexity: O(*n*) for a chunk of *n* bytes and a one-byte
    ///   delimiter (a SIMD scan of 64-byte blocks); allocates nothing once a
    ///   frame cut by a chunk boundary has grown its storage.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        let count = chunk.byteCount
        guard count > 0 else { return }
        try chunk.withUnsafeBytes { bytes in
            try _process(bytes.baseAddress!, count, into: &next)
        }
        _offset &+= count
    }

    @inlinable
    internal mutating func _process<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, into next: inout Next
    ) throws {
        var position = 0  // where the current frame's bytes in this chunk begin
        if _matcher.count == 1 {
            if count >= 64 {
                try _processSingleByteDelimiter(base, count, &position, into: &next)
            } else {
                // No whole block: byte by byte, straight into `next`. Moving
                // the sink in and out (as the block loop does) costs more than
                // it saves on a short chunk: at 16-byte chunks it made lines
                // 17% slower, and 30% boxed, where a move is value-witness
                // calls. Tested here, not inside the block loop's function:
                // there, with that function grown, lines at 16-byte chunks
                // took 18% longer (1,410 → 1,662 µs per MiB).
                try _scanBytes(base, from: 0, count, _matcher.head, &position, into: &next)
            }
        } else {
            while let end = _matcher.nextMatchEnd(in: base, from: position, to: count) {
                position = try _frameEnded(base, from: position, at: end, into: &next)
            }
        }
        try _holdBack(base, position, count, into: &next)
    }

    /// The scan for a one-byte delimiter (lines) in a chunk of at least 64
    /// bytes: 64 bytes at a time, a SIMD
    /// compare turned into a 64-bit mask (``_mask64(_:_:)``), whose set bits
    /// are delivered as frames one by one (lowest first, clearing it), the
    /// write of each inlined into the loop.
    ///
    /// Why this shape (256 MiB of 42-byte lines, whole process, CPU time
    /// against coreutils' AVX2 `wc -l` on the same file; in memory, 1 MiB of
    /// such lines in 64 KiB chunks into a `CountingSink`): `memchr` per line
    /// cost ~15 ns a line (2.9× `wc -l`'s time). A 64-bit mask per block
    /// built without `pmovmskb` (a multiply per 8 lanes) cost most of the
    /// loop, so the frames were first written out as ends into a stack
    /// buffer with a fixed number of bit scans per block, as simdjson does
    /// (149 µs per MiB, 1.58× `wc -l`'s time). With `pmovmskb` the mask is
    /// cheap and the buffer's stores and loads were the larger cost: in a
    /// prototype the plain bit loop took 53 µs per MiB, buffered 134; this
    /// loop takes 51–53 (`Documentation/WritingStages.md`). The sink lives
    /// in a local for the chunk whose address no call on the fast path sees
    /// (the slow path moves it out and back), so its counters stay in
    /// registers: with the sink in memory, stored for every frame, the
    /// prototype took 68. The loop is written out twice, with and without the check
    /// for `\r`, and reads no setting from `self` per frame (see
    /// ``_lineEnded(_:from:at:dropping:strippingCarriageReturn:limit:into:)``).
    @inlinable
    internal mutating func _processSingleByteDelimiter<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, _ position: inout Int, into next: inout Next
    ) throws {
        if _stripsCarriageReturn {
            try _scanBlocks(base, count, &position, strippingCarriageReturn: true, into: &next)
        } else {
            try _scanBlocks(base, count, &position, strippingCarriageReturn: false, into: &next)
        }
    }

    /// The block loop of ``_processSingleByteDelimiter(_:_:_:into:)``, for a
    /// chunk of at least 64 bytes; `strips` is a constant at each call.
    @inlinable
    @inline(__always)
    internal mutating func _scanBlocks<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ count: Int, _ position: inout Int,
        strippingCarriageReturn strips: Bool, into next: inout Next
    ) throws {
        let delimiter = _matcher.head
        // Stripping implies lines whose `\n` is dropped: a constant then.
        let dropping = strips || !_keepsDelimiter ? 1 : 0
        var start = position  // a local, not the `inout`: kept in a register
        defer { position = start }
        var mask = _mask64(base, delimiter)
        if mask & 1 != 0 {
            // A delimiter at byte 0: its frame's `\r` would be in an earlier
            // chunk, which `_lineEnded` does not check for.
            start = try _frameEnded(base, from: start, at: 1, into: &next)
            mask &= mask &- 1
        }
        // Frames up to `limit` bytes take the fast path; the first frame
        // takes the slow one when bytes of it are held (see `_lineEnded`).
        var limit = _pending.isEmpty ? _maximum : -1
        var sink = _take(&next)
        defer { _restore(&next, sink) }
        var block = 0
        while true {
            let blockEnd = block &+ 1  // the end of a frame whose delimiter is the block's byte 0
            while mask != 0 {
                start = try _lineEnded(
                    base, from: start, at: blockEnd &+ mask.trailingZeroBitCount, dropping: dropping,
                    strippingCarriageReturn: strips, limit: &limit, into: &sink)
                mask &= mask &- 1
            }
            block &+= 64
            guard count &- block >= 64 else { break }
            mask = _mask64(base + block, delimiter)
        }
        if block < count {
            // The last 1–63 bytes: the 64 bytes that end at `count`, shifted
            // so that bit 0 is byte `block` (the bytes before it were seen).
            mask = _mask64(base + (count &- 64), delimiter) &>> UInt64(truncatingIfNeeded: block &+ 64 &- count)
            let blockEnd = block &+ 1
            while mask != 0 {
                start = try _lineEnded(
                    base, from: start, at: blockEnd &+ mask.trailingZeroBitCount, dropping: dropping,
                    strippingCarriageReturn: strips, limit: &limit, into: &sink)
                mask &= mask &- 1
            }
        }
    }

    /// ``_frameEnded(_:from:at:into:)`` for the block loop of a one-byte
    /// delimiter ending at `end` ≥ 2, with the framer's settings in locals:
    /// read from `self` for every frame, they were five loads per frame
    /// that the optimizer could not hoist past the slow path's call.
    /// `limit` is the maximum frame length, or -1 while the chunk's first
    /// frame has bytes held from earlier chunks, so that one compare sends
    /// both cases to the slow path.
    ///
    /// The `\r` test has no branch: for an empty frame the byte before the
    /// delimiter is the previous delimiter (`strips` implies `\n`, dropped),
    /// not `\r`.
    @inlinable
    @inline(__always)
    internal mutating func _lineEnded<Next: ByteSink>(
        _ base: UnsafeRawPointer, from start: Int, at end: Int, dropping: Int,
        strippingCarriageReturn strips: Bool, limit: inout Int, into next: inout Next
    ) throws -> Int {
        var frameEnd = end &- dropping
        if strips {
            frameEnd &-= base.load(fromByteOffset: end &- 2, as: UInt8.self) == 0x0D ? 1 : 0
        }
        if _fastPath(frameEnd &- start <= limit) {
            try _writeBytes(base, start, frameEnd, into: &next)
            return end
        }
        limit = _maximum
        // Written out, not a shared function: the optimizer left such a
        // function out of line, passing it the sink's address, and the sink
        // then lived in memory for the whole loop.
        var slowPosition = start
        var slowNext = _take(&next)
        defer { _restore(&next, slowNext) }
        try _deliver(base, &slowPosition, upTo: end, dropping: dropping, into: &slowNext)
        return slowPosition
    }

    /// The frames that end in `base[from..<count]`, found byte by byte: a
    /// chunk too short for one block. Not inlined: inlined, even as a path
    /// that a long chunk never takes, it cost the block loop 15% (64 KiB
    /// chunks, 146 → 167 µs per MiB).
    @inlinable
    @inline(never)
    internal mutating func _scanBytes<Next: ByteSink>(
        _ base: UnsafeRawPointer, from: Int, _ count: Int, _ delimiter: UInt8, _ position: inout Int,
        into next: inout Next
    ) throws {
        var index = from
        while index < count {
            if base.load(fromByteOffset: index, as: UInt8.self) == delimiter {
                position = try _frameEnded(base, from: position, at: index &+ 1, into: &next)
            }
            index &+= 1
        }
    }

    /// A delimiter ends at `end`: deliver the frame that began at `position`
    /// and return where the next one begins.
    ///
    /// It takes and returns the position rather than updating an `inout`
    /// one: the slow path hands its position to ``_deliver(_:_:upTo:dropping:into:)``
    /// by address, and an `inout` position shared with the frame loop then
    /// lived in memory, a store and a reload on the loop's critical path
    /// for every frame.
    @inlinable
    @inline(__always)
    internal mutating func _frameEnded<Next: ByteSink>(
        _ base: UnsafeRawPointer, from position: Int, at end: Int, into next: inout Next
    ) throws -> Int {
        let delimiterCount = _keepsDelimiter ? 0 : _matcher.count
        if _pending.isEmpty {
            // The common case: the whole frame is in this chunk.
            var frameEnd = end &- delimiterCount
            if _stripsCarriageReturn && frameEnd > position
                && base.load(fromByteOffset: frameEnd &- 1, as: UInt8.self) == 0x0D
            {
                frameEnd &-= 1
            }
            if frameEnd &- position <= _maximum {
                try _writeBytes(base, position, frameEnd, into: &next)
                return end
            }
        }
        var slowPosition = position
        var slowNext = _take(&next)
        defer { _restore(&next, slowNext) }
        try _deliver(base, &slowPosition, upTo: end, dropping: delimiterCount, into: &slowNext)
        return slowPosition
    }

    /// Delivers the frame made of the held bytes and `base[position..<end]`,
    /// less its last `dropping` bytes (the delimiter) and a carriage return
    /// before them if asked, splitting or failing if it is too long.
    @inlinable
    @inline(never)
    internal mutating func _deliver<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ position: inout Int, upTo end: Int, dropping: Int, into next: inout Next
    ) throws {
        let held = _pending.count
        var length = held &+ (end &- position) &- dropping
        if _stripsCarriageReturn && length > 0 {
            let last = length &- 1
            let byte =
                last < held
                ? _pending[last] : base.load(fromByteOffset: position &+ last &- held, as: UInt8.self)
            if byte == 0x0D { length = last }
        }
        while length > _maximum {
            try _writeOversizedPart(base, &position, into: &next)
            length &-= _maximum
        }
        try _writeLeading(length, base, &position, into: &next)
        _pending.count = 0
        position = end
    }

    /// Keeps `base[position..<count]`, the start of a frame that continues in
    /// the next chunk, first writing parts of it (or failing) if it is
    /// already known to be too long.
    @inlinable
    internal mutating func _holdBack<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ position: Int, _ count: Int, into next: inout Next
    ) throws {
        var position = position
        // The last `state` bytes may turn out to be the delimiter; the rest
        // belong to the frame for certain.
        var certain = _pending.count &+ (count &- position) &- _matcher.state
        while certain > _maximum {
            try _writeOversizedPart(base, &position, into: &next)
            certain &-= _maximum
        }
        _pending.append(base, position, count)
    }

    /// Writes the first ``maximumFrameLength`` bytes of a frame that is
    /// longer, or throws, as the policy says.
    @inlinable
    internal mutating func _writeOversizedPart<Next: ByteSink>(
        _ base: UnsafeRawPointer, _ position: inout Int, into next: inout Next
    ) throws {
        guard _oversized == .split else {
            throw FramingError.frameTooLong(
                maximum: _maximum, frameStart: _offset &+ position &- _pending.count)
        }
        try _writeLeading(_maximum, base, &position, into: &next)
    }

    /// Writes, in one write, the first `n` bytes of the held bytes followed
    /// by `base[position...]`, consuming them.
    @inlinable
    internal mutating func _writeLeading<Next: ByteSink>(
        _ n: Int, _ base: UnsafeRawPointer, _ position: inout Int, into next: inout Next
    ) throws {
        let held = _pending.count
        if n <= held {
            try _pending.writeLeading(n, into: &next)
        } else if held == 0 {
            try _writeBytes(base, position, position &+ n, into: &next)
            position &+= n
        } else {
            let take = n &- held
            _pending.append(base, position, position &+ take)
            position &+= take
            try _pending.writeLeading(n, into: &next)
        }
    }

    /// Delivers the bytes after the last delimiter, if any, as the last
    /// frame, and returns the framer to its initial state.
    ///
    /// - Parameter next: Receives the last frame.
    /// - Throws: ``FramingError/frameTooLong(maximum:frameStart:)`` under
    ///   ``OversizedFramePolicy/fail``, or what `next` throws.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        defer { reset() }
        guard !_pending.isEmpty else { return }
        let base = UnsafeRawPointer(bitPattern: 1)!  // no chunk bytes are read
        var position = 0
        try _deliver(base, &position, upTo: 0, dropping: 0, into: &next)
    }

    /// Discards an unfinished frame and returns to the initial state, writing
    /// nothing.
    ///
    /// ```swift
    /// framer.reset()  // after a failed run, before the next stream
    /// ```
    @inlinable
    public mutating func reset() {
        _pending.count = 0
        _matcher.state = 0
        _offset = 0
    }
}
