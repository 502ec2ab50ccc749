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
/// emitting many short pieces still costs few system calls; a write at least
/// as large as the buffer goes straight to the descriptor. Every `write(2)`
/// loops over short writes, retries `EINTR` and waits on `EAGAIN`.
///
/// ``flush()`` (which ``Pipeline/run()`` calls at the end) writes what is
/// buffered. Bytes still buffered when the sink is deinitialized are
/// discarded, not written: a `deinit` cannot report an error, and a write that
/// cannot fail loudly must not happen silently.
///
/// It is a class because it owns a descriptor and a buffer.
public final class FileSink: ByteSink {
    /// The buffer size used when none is given: 1 MiB.
    public static let defaultBufferSize = 1 << 20

    @usableFromInline internal let _fd: Int32
    @usableFromInline internal let _buffer: UnsafeMutableRawBufferPointer
    @usableFromInline internal var _used = 0
    @usableFromInline internal let _ownsDescriptor: Bool
    @usableFromInline internal var _closed = false
    /// The path or name used in error messages.
    public let path: String?
    /// Bytes that have reached the descriptor (not counting the buffer).
    public private(set) var bytesWritten = 0

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
        self._buffer = .allocate(byteCount: bufferSize, alignment: 4096)
    }

    deinit {
        if _ownsDescriptor && !_closed {
            try? _close(_fd, path: path)
        }
        _buffer.deallocate()
    }

    /// Bytes taken by ``write(_:)`` but not yet written to the descriptor.
    public var bufferedByteCount: Int { _used }

    /// Takes `bytes`: copies them into the buffer, or writes them straight to
    /// the descriptor when they are at least a buffer's worth.
    ///
    /// - Parameter bytes: Borrowed for the call.
    /// - Throws: ``IOError`` if `write(2)` fails; its
    ///   ``IOError/bytesTransferred`` counts what reached the descriptor.
    /// - Complexity: O(*n*) in `bytes.byteCount`.
    @inlinable
    public func write(_ bytes: RawSpan) throws {
        let count = bytes.byteCount
        if count <= _buffer.count &- _used {
            bytes.withUnsafeBytes { source in
                guard let base = source.baseAddress else { return }
                (_buffer.baseAddress! + _used).copyMemory(from: base, byteCount: count)
            }
            _used &+= count
        } else {
            try bytes.withUnsafeBytes { (source) throws(IOError) in try _writeLarge(source) }
        }
    }

    /// The slow path of ``write(_:)``: empties the buffer, then either writes
    /// `source` directly or starts a new buffer with it.
    @usableFromInline
    internal func _writeLarge(_ source: UnsafeRawBufferPointer) throws(IOError) {
        try flush()
        try _checkOpen()
        if source.count >= _buffer.count {
            try _writeAll(_fd, source.baseAddress!, source.count, path: path, transferred: &bytesWritten)
        } else {
            _buffer.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: source.count)
            _used = source.count
        }
    }

    /// Writes everything buffered to the descriptor.
    ///
    /// - Throws: ``IOError`` if `write(2)` fails. The bytes that did not reach
    ///   the descriptor are dropped from the buffer, so that a later flush does
    ///   not write them out of order; the error's
    ///   ``IOError/bytesTransferred`` says how far the file got.
    public func flush() throws(IOError) {
        guard _used > 0 else { return }
        let count = _used
        _used = 0
        try _checkOpen()
        try _writeAll(_fd, _buffer.baseAddress!, count, path: path, transferred: &bytesWritten)
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
