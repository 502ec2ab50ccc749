#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A source that reads a file, a pipe or standard input with `read(2)` into
/// one buffer it allocates once and reuses for every chunk.
///
/// It is a class because it owns a file descriptor and a buffer: copies of a
/// source share them, and `deinit` releases them.
public final class FileSource: ByteSource {
    /// The chunk size used when none is given: 1 MiB.
    public static let defaultChunkSize = 1 << 20

    @usableFromInline internal let _fd: Int32
    @usableFromInline internal let _buffer: UnsafeMutableRawBufferPointer
    @usableFromInline internal let _ownsDescriptor: Bool
    @usableFromInline internal var _closed = false
    /// The path or name used in error messages.
    public let path: String?
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    /// Opens the file at `path` for reading.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - chunkSize: The buffer size, and so the largest chunk; at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` for a bad size;
    ///   ``IOError`` if `open(2)` fails or `path` is a directory.
    public convenience init(path: String, chunkSize: Int = FileSource.defaultChunkSize) throws {
        guard chunkSize > 0 else { throw ByteFlowError.invalidChunkSize(chunkSize) }
        let fd = try _open(path, O_RDONLY)
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            try? _close(fd, path: path)
            throw IOError(operation: "read", path: path, code: EISDIR)
        }
        #if os(Linux)
            // The stream is read once, front to back: let the kernel read ahead.
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        self.init(_fd: fd, path: path, chunkSize: chunkSize, ownsDescriptor: true)
    }

    /// Reads from a descriptor that is already open.
    ///
    /// - Parameters:
    ///   - fileDescriptor: An open, readable descriptor.
    ///   - path: A name for error messages.
    ///   - chunkSize: The buffer size; at least 1.
    ///   - closesOnDeinit: Whether the source owns the descriptor and closes it.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `chunkSize < 1`.
    public convenience init(
        fileDescriptor: Int32, path: String? = nil, chunkSize: Int = FileSource.defaultChunkSize,
        closesOnDeinit: Bool = false
    ) throws(ByteFlowError) {
        guard chunkSize > 0 else { throw .invalidChunkSize(chunkSize) }
        self.init(_fd: fileDescriptor, path: path, chunkSize: chunkSize, ownsDescriptor: closesOnDeinit)
    }

    /// A source reading standard input (descriptor 0), which it does not close.
    ///
    /// - Parameter chunkSize: The buffer size; at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` if `chunkSize < 1`.
    public static func standardInput(chunkSize: Int = FileSource.defaultChunkSize) throws(ByteFlowError)
        -> FileSource
    {
        try FileSource(fileDescriptor: 0, path: "standard input", chunkSize: chunkSize)
    }

    private init(_fd: Int32, path: String?, chunkSize: Int, ownsDescriptor: Bool) {
        self._fd = _fd
        self.path = path
        self._ownsDescriptor = ownsDescriptor
        // Page-aligned, so that the kernel can copy whole pages.
        self._buffer = .allocate(byteCount: chunkSize, alignment: 4096)
    }

    deinit {
        if _ownsDescriptor && !_closed {
            try? _close(_fd, path: path)
        }
        _buffer.deallocate()
    }

    /// Closes the descriptor now, if the source owns it.
    ///
    /// - Throws: ``IOError`` if `close(2)` fails.
    public func close() throws(IOError) {
        guard _ownsDescriptor && !_closed else { return }
        _closed = true
        try _close(_fd, path: path)
    }

    /// Reads the next chunk (one `read(2)`) into the buffer and lends it to
    /// `body`.
    ///
    /// - Parameter body: Receives the bytes read, valid during the call.
    /// - Returns: `false` at end of file.
    /// - Throws: ``IOError`` if `read(2)` fails (after retrying `EINTR`), or
    ///   what `body` throws.
    @inlinable
    public func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        let count = try _fill()
        guard count > 0 else { return false }
        try body(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: _buffer[0..<count])))
        return true
    }

    /// Fills the buffer with one `read(2)`; returns the byte count, 0 at end.
    @usableFromInline
    internal func _fill() throws(IOError) -> Int {
        // After close() the number may belong to a file opened since.
        guard !_closed else {
            throw IOError(operation: "read", path: path, code: EBADF, bytesTransferred: bytesRead)
        }
        let count = try _read(_fd, _buffer.baseAddress!, _buffer.count, path: path, transferred: bytesRead)
        bytesRead += count
        return count
    }
}
