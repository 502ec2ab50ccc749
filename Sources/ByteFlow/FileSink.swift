#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A sink that writes to a file, a pipe or standard output with `write(2)`.
///
/// Small writes are gathered in a buffer allocated once, so that a transform
/// emitting many short pieces still costs few system calls; a large write
/// (``directWriteThreshold``) goes straight to the descriptor, together with
/// what was buffered, in one `writev(2)`. Every `write(2)`
/// loops over short writes, retries `EINTR` and waits on `EAGAIN`.
///
/// Inside ``gathering(from:_:)`` — a caller that lends its chunk for a
/// while, as the `byteflow` tool does for each chunk of its input — pieces of
/// at least ``gatherThreshold`` bytes that lie inside the lent chunk are not
/// copied at all: the sink keeps their addresses and writes them, with the
/// buffered pieces between them, in one `writev(2)` before the chunk is given
/// back.
///
/// A stage that emits many short pieces may instead write into the buffer
/// itself (``beginDirectWrite(minimumCount:)``, as ``ReplaceTransform``
/// does on dense matches): the same bytes, without a call per piece.
///
/// ``flush()`` (which ``Pipeline/run()-7ijts`` calls at the end) writes what is
/// buffered. Bytes still buffered when the sink is deinitialized are
/// discarded, not written: a `deinit` cannot report an error, and a write that
/// cannot fail loudly must not happen silently.
///
/// It is a class because it owns a descriptor and a buffer.
public final class FileSink: ByteSink {
    /// The buffer size used when none is given: 1 MiB.
    ///
    /// Measured from 64 KiB to 4 MiB on sparse output (runs of ~4 KiB copied
    /// in): 1 MiB took ~15% less CPU time than 256 KiB, as a `write(2)` in
    /// this VM costs several microseconds; 4 MiB was no better. See
    /// `Documentation/Peers.md`.
    public static let defaultBufferSize = 1 << 20

    /// Writes of at least this many bytes bypass the buffer: the kernel copies
    /// them anyway, so copying them here first would only double the work.
    /// Below it, gathering pieces in the buffer saves system calls. It is
    /// the buffer size, capped at 64 KiB, where a `write(2)` call costs about
    /// as much as copying the bytes once more.
    public let directWriteThreshold: Int

    /// Inside ``gathering(from:_:)``, pieces of at least this many bytes that
    /// lie in the lent region are written from where they are: 1 KiB.
    ///
    /// Measured on a sparse 256 MiB file (runs of ~4 KiB) → `/dev/null`: a
    /// `write(2)` per run took 43 ms of CPU against 29 ms for copying the runs
    /// into the buffer (a system call costs ~0.2 µs here, copying 4 KiB
    /// ~0.1 µs), and gathering them into one `writev(2)` per chunk beat both
    /// (see `Documentation/Benchmarks.md`, "Faster than `cat`?"). A vector
    /// costs the kernel about what copying a few hundred bytes costs us.
    public static let gatherThreshold = 1 << 10

    /// The most vectors one `writev(2)` takes here (`IOV_MAX` on Linux).
    @usableFromInline internal static let _maximumVectors = 1024

    @usableFromInline internal let _fd: Int32
    /// The buffer's first byte.
    @usableFromInline internal let _base: UnsafeMutableRawPointer
    /// One past the buffer's last byte.
    @usableFromInline internal let _end: UnsafeMutableRawPointer
    // Dynamic exclusivity checks on a class's stored properties cost a
    // runtime call per access (a quarter of the time on dense output, a
    // write every few bytes); the sink is not `Sendable` and no access here
    // overlaps another, so they are turned off for the hot fields.
    /// Where the next buffered byte goes: `_base` plus the bytes buffered.
    /// A cursor rather than a count, so that a small write is a compare
    /// against `_end`, a copy and an add (measured with callgrind on the
    /// dense classic text: 4 fewer instructions per write than a count, a
    /// capacity and an optional base address).
    @exclusivity(unchecked) @usableFromInline internal var _cursor: UnsafeMutableRawPointer
    /// Writes of at least this many bytes take the slow path: the
    /// ``directWriteThreshold``, or ``gatherThreshold`` while gathering.
    @exclusivity(unchecked) @usableFromInline internal var _slowPathThreshold: Int
    /// While gathering: the lent region's bounds, the vectors collected
    /// (buffer segments and pieces of the region, in order), their byte
    /// total, and where the buffered bytes not yet in a vector start.
    private var _regionStart: UnsafeRawPointer?
    private var _regionEnd: UnsafeRawPointer?
    private var _vectors: UnsafeMutablePointer<iovec>?
    private var _vectorCount = 0
    private var _gatheredByteCount = 0
    private var _mark: UnsafeMutableRawPointer
    @usableFromInline internal let _ownsDescriptor: Bool
    @usableFromInline internal var _closed = false
    /// The path or name used in error messages.
    public let path: String?
    /// Bytes that have reached the descriptor (not counting the buffer).
    @exclusivity(unchecked) public private(set) var bytesWritten = 0

    /// Creates or truncates the file at `path` and writes to it.
    ///
    /// - Parameters:
    ///   - path: The file to write. Created with mode 0666 (less the umask)
    ///     if missing, truncated if present.
    ///   - bufferSize: Bytes gathered before a `write(2)`; at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` for a bad size;
    ///   ``IOError`` if `open(2)` fails.
    public convenience init(path: String, bufferSize: Int = FileSink.defaultBufferSize) throws {
        guard bufferSize > 0 else { throw ByteFlowError.invalidChunkSize(bufferSize) }
        let fd = try _open(path, O_WRONLY | O_CREAT | O_TRUNC)
        self.init(_fd: fd, path: path, bufferSize: bufferSize, ownsDescriptor: true)
    }

    /// Writes to a descriptor that is already open.
    ///
    /// - Parameters:
    ///   - fileDescriptor: An open, writable descriptor.
    ///   - path: A name for error messages.
    ///   - bufferSize: Bytes gathered before a `write(2)`; at least 1.
    ///   - closesOnDeinit: Whether the sink owns the descriptor and closes it.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `bufferSize < 1`.
    public convenience init(
        fileDescriptor: Int32, path: String? = nil, bufferSize: Int = FileSink.defaultBufferSize,
        closesOnDeinit: Bool = false
    ) throws(ByteFlowError) {
        guard bufferSize > 0 else { throw .invalidChunkSize(bufferSize) }
        self.init(_fd: fileDescriptor, path: path, bufferSize: bufferSize, ownsDescriptor: closesOnDeinit)
    }

    /// A sink writing standard output (descriptor 1), which it does not close.
    ///
    /// - Parameter bufferSize: Bytes gathered before a `write(2)`; at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `bufferSize < 1`.
    public static func standardOutput(bufferSize: Int = FileSink.defaultBufferSize) throws(ByteFlowError)
        -> FileSink
    {
        try FileSink(fileDescriptor: 1, path: "standard output", bufferSize: bufferSize)
    }

    private init(_fd: Int32, path: String?, bufferSize: Int, ownsDescriptor: Bool) {
        self._fd = _fd
        self.path = path
        self._ownsDescriptor = ownsDescriptor
        self._base = .allocate(byteCount: bufferSize, alignment: 4096)
        self._end = _base + bufferSize
        self._cursor = _base
        self._mark = _base
        self.directWriteThreshold = min(bufferSize, 64 << 10)
        self._slowPathThreshold = directWriteThreshold
    }

    deinit {
        if _ownsDescriptor && !_closed {
            try? _close(_fd, path: path)
        }
        _base.deallocate()
        _vectors?.deallocate()
    }

    /// Bytes taken by ``write(_:)`` but not yet written to the descriptor.
    public var bufferedByteCount: Int { (_cursor - _base) + _gatheredByteCount }

    /// Takes `bytes`: copies them into the buffer, or writes them straight to
    /// the descriptor when they are large (at least ``directWriteThreshold``
    /// bytes), so that a long unchanged run of a mapped file reaches the
    /// kernel without being copied here first.
    ///
    /// - Parameter bytes: Borrowed for the call.
    /// - Throws: ``IOError`` if `write(2)` fails; its
    ///   ``IOError/bytesTransferred`` counts what reached the descriptor.
    /// - Complexity: O(*n*) in `bytes.byteCount`.
    @inlinable
    @inline(__always)
    public func write(_ bytes: RawSpan) throws(IOError) {
        let count = bytes.byteCount
        let cursor = _cursor
        if count <= _end - cursor && count < _slowPathThreshold {
            bytes.withUnsafeBytes { source in
                _copyBytes(to: cursor, from: source.baseAddress, count: count)
            }
            _cursor = cursor + count
        } else {
            try bytes.withUnsafeBytes { (source) throws(IOError) in try _writeLarge(source) }
        }
    }

    /// `true`: a file sink lends its buffer.
    @inlinable
    public static var lendsMemory: Bool { true }

    /// Lends the buffer's free space, writing the buffer out first if less
    /// than `minimumCount` bytes are free.
    ///
    /// Bytes kept with ``endDirectWrite(_:)`` are buffered like small
    /// writes: they reach the descriptor with the next `write(2)`, at the
    /// latest at ``flush()``.
    ///
    /// - Parameter minimumCount: The fewest bytes the caller can use.
    /// - Returns: At least `minimumCount` writable bytes, valid until
    ///   ``endDirectWrite(_:)``; `nil` if the buffer is smaller than that.
    /// - Throws: ``IOError`` if writing the buffer out fails (see ``flush()``).
    /// - Complexity: O(1), plus a `write(2)` when the buffer is full.
    @inlinable
    public func beginDirectWrite(minimumCount: Int) throws(IOError) -> UnsafeMutableRawBufferPointer? {
        if _slowPath(_end - _cursor < minimumCount) {
            guard _end - _base >= minimumCount else { return nil }
            try flush()
        }
        return UnsafeMutableRawBufferPointer(start: _cursor, count: _end - _cursor)
    }

    /// Keeps the first `count` bytes of the region that
    /// ``beginDirectWrite(minimumCount:)`` lent, as buffered bytes.
    ///
    /// - Parameter count: At most the region's size.
    /// - Complexity: O(1).
    @inlinable
    public func endDirectWrite(_ count: Int) {
        _cursor += count
    }

    /// The slow path of ``write(_:)``: empties the buffer, then either writes
    /// `source` directly or starts a new buffer with it.
    @usableFromInline
    internal func _writeLarge(_ source: UnsafeRawBufferPointer) throws(IOError) {
        if let start = _regionStart, let end = _regionEnd, let piece = source.baseAddress,
            source.count >= Self.gatherThreshold, piece >= start, piece + source.count <= end
        {
            try _gather(UnsafeRawBufferPointer(start: piece, count: source.count))
            return
        }
        if _regionStart != nil {
            // Gathering, and the piece is not in the lent region (or short):
            // copy it if it fits, else write what is gathered and then the
            // piece.
            if source.count < directWriteThreshold {
                if source.count > _end - _cursor { try flush() }
                _cursor.copyMemory(from: source.baseAddress!, byteCount: source.count)
                _cursor += source.count
                return
            }
            try flush()
        }
        if source.count >= directWriteThreshold {
            // Gather the buffer and the run into one system call. As in
            // `flush()`, buffered bytes are dropped even if it fails.
            try _checkOpen()
            let buffered = _cursor - _base
            _cursor = _base
            try _writeAll(
                _fd, _base, buffered, then: source.baseAddress!, source.count, path: path,
                transferred: &bytesWritten)
            return
        }
        try flush()
        try _checkOpen()
        _base.copyMemory(from: source.baseAddress!, byteCount: source.count)
        _cursor = _base + source.count
    }

    /// Writes everything buffered to the descriptor.
    ///
    /// - Throws: ``IOError`` if `write(2)` fails. The bytes that did not reach
    ///   the descriptor are dropped from the buffer, so that a later flush does
    ///   not write them out of order; the error's
    ///   ``IOError/bytesTransferred`` says how far the file got.
    public func flush() throws(IOError) {
        if _vectorCount > 0 {
            try _writeGathered()
            return
        }
        let count = _cursor - _base
        guard count > 0 else { return }
        _cursor = _base
        try _checkOpen()
        try _writeAll(_fd, _base, count, path: path, transferred: &bytesWritten)
    }

    /// Lends the sink a region of memory that stays valid while `body` runs
    /// (typically the chunk a source lent its caller): pieces written during
    /// `body` that lie inside `region` and have at least ``gatherThreshold``
    /// bytes are kept by address instead of copied, and everything gathered is
    /// written in one `writev(2)` (or a few, by 1,024 vectors) before this
    /// returns. A call inside another call's `body` just runs `body`.
    ///
    /// ```swift
    /// while try source.read({ chunk in
    ///     try sink.gathering(from: chunk) { try transform.process(chunk, into: &sink) }
    /// }) {}
    /// ```
    ///
    /// - Parameters:
    ///   - region: Memory the caller guarantees unchanged until this returns.
    ///   - body: The writes to gather.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (after trying to write what it gathered;
    ///   if that fails too, those bytes are dropped, as ``flush()`` drops
    ///   them); else ``IOError`` if the final `writev(2)` fails.
    /// - Complexity: O(1) per gathered piece, plus the system calls.
    public func gathering<Result>(from region: RawSpan, _ body: () throws -> Result) throws -> Result {
        guard _regionStart == nil else { return try body() }
        return try region.withUnsafeBytes { bytes in
            guard let start = bytes.baseAddress else { return try body() }
            if _vectors == nil {
                _vectors = .allocate(capacity: Self._maximumVectors)
            }
            _regionStart = UnsafeRawPointer(start)
            _regionEnd = UnsafeRawPointer(start) + bytes.count
            _slowPathThreshold = min(Self.gatherThreshold, directWriteThreshold)
            defer {
                _regionStart = nil
                _regionEnd = nil
                _slowPathThreshold = directWriteThreshold
            }
            let result: Result
            do {
                result = try body()
            } catch {
                // The gathered addresses must not outlive the region.
                if _vectorCount > 0 { try? _writeGathered() }
                throw error
            }
            if _vectorCount > 0 { try _writeGathered() }
            return result
        }
    }

    /// Adds a piece of the lent region to the vectors, after the buffered
    /// bytes that precede it.
    private func _gather(_ piece: UnsafeRawBufferPointer) throws(IOError) {
        if _vectorCount > Self._maximumVectors - 3 { try _writeGathered() }
        if _cursor > _mark {
            _vectors![_vectorCount] = iovec(iov_base: _mark, iov_len: _cursor - _mark)
            _vectorCount += 1
            _mark = _cursor
        }
        _vectors![_vectorCount] = iovec(
            iov_base: UnsafeMutableRawPointer(mutating: piece.baseAddress!), iov_len: piece.count)
        _vectorCount += 1
        _gatheredByteCount += piece.count
    }

    /// Writes the gathered vectors and the buffered bytes after them, and
    /// empties the buffer. As in ``flush()``, the bytes are dropped if the
    /// write fails.
    private func _writeGathered() throws(IOError) {
        if _cursor > _mark {
            _vectors![_vectorCount] = iovec(iov_base: _mark, iov_len: _cursor - _mark)
            _vectorCount += 1
        }
        let count = _vectorCount
        _vectorCount = 0
        _gatheredByteCount = 0
        _cursor = _base
        _mark = _base
        try _checkOpen()
        try _writeAll(_fd, _vectors!, count, path: path, transferred: &bytesWritten)
    }

    /// Throws `EBADF` once ``close()`` closed the descriptor: its number may
    /// belong to a file opened since, which must not receive our bytes.
    private func _checkOpen() throws(IOError) {
        guard !_closed else {
            throw IOError(operation: "write", path: path, code: EBADF, bytesTransferred: bytesWritten)
        }
    }

    /// Flushes, then closes the descriptor if the sink owns it.
    ///
    /// - Throws: ``IOError`` if the flush or `close(2)` fails. The descriptor
    ///   is closed in either case.
    public func close() throws(IOError) {
        defer {
            if _ownsDescriptor && !_closed {
                _closed = true
                try? _close(_fd, path: path)
            }
        }
        try flush()
        if _ownsDescriptor && !_closed {
            _closed = true
            try _close(_fd, path: path)
        }
    }
}

/// Copies `count` bytes from `source` to `destination`, which do not overlap.
///
/// Pieces of up to 16 bytes (a replacement, the short runs between dense
/// matches) are copied with two overlapping loads and stores instead of a
/// `memcpy` call: on dense output the calls were a third of the sink's time.
@inlinable
@inline(__always)
internal func _copyBytes(to destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer?, count: Int)
{
    guard let source else { return }
    switch count {
    case 8...16:
        let a = source.loadUnaligned(as: UInt64.self)
        let b = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        destination.storeBytes(of: a, as: UInt64.self)
        destination.storeBytes(of: b, toByteOffset: count &- 8, as: UInt64.self)
    case 4...7:
        let a = source.loadUnaligned(as: UInt32.self)
        let b = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        destination.storeBytes(of: a, as: UInt32.self)
        destination.storeBytes(of: b, toByteOffset: count &- 4, as: UInt32.self)
    case 1...3:
        let a = source.load(as: UInt8.self)
        let b = source.load(fromByteOffset: count >> 1, as: UInt8.self)
        let c = source.load(fromByteOffset: count &- 1, as: UInt8.self)
        destination.storeBytes(of: a, as: UInt8.self)
        destination.storeBytes(of: b, toByteOffset: count >> 1, as: UInt8.self)
        destination.storeBytes(of: c, toByteOffset: count &- 1, as: UInt8.self)
    case 0:
        break
    default:
        destination.copyMemory(from: source, byteCount: count)
    }
}
