#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A source that reads a file, a pipe or standard input.
///
/// A regular file of at least ``mappingThreshold`` bytes opened by path is
/// **memory-mapped** when that is safe (see below): chunks are borrowed
/// straight from the mapping, with no `read(2)` copy, in windows of
/// ``mappingWindowSize`` bytes mapped one after the other, so memory use stays
/// flat for a file of any size. Everything else (smaller files, pipes,
/// terminals, descriptors handed in, files that cannot be mapped safely) is
/// read with `read(2)` into one buffer the source allocates once and reuses
/// for every chunk; for a smaller regular file that buffer is only as large
/// as the file (plus one byte to see its end), not the whole chunk size.
///
/// ## Why these strategies (measured)
///
/// 256 MiB page-cached file, each strategy scanning every byte with `memchr`
/// and writing it to `/dev/null`, CPU time of the whole process, 2-core AMD
/// EPYC VM, Linux 6.18 (2026-11-30; `Documentation/Benchmarks.md`, "Faster
/// than `cat`?"): mapped in windows **without** `MAP_POPULATE` 15–17 ms for
/// every window size from 1 to 64 MiB (and for one mapping of the whole
/// file); with `MAP_POPULATE` 22–25 ms; `read(2)` into a reused buffer of
/// 128 KiB 30 ms, 256 KiB 25–26 ms, 1 MiB 22 ms; `cat` 24–27 ms. Populating
/// walks every page up front, while the page fault of a lazy mapping maps a
/// whole large folio of the page cache at once (~1,350 faults for 65,536
/// pages). Reusing one address with `MAP_FIXED`, a 2 MiB-aligned window,
/// `MADV_SEQUENTIAL`, `MADV_WILLNEED` and `MADV_HUGEPAGE` changed nothing
/// measurable. For a small file the fixed cost of a mapping (the lease's
/// system calls, `mmap`, the fault, `munmap`) wins over the copy: per file,
/// in a loop, `read(2)` + scan took 3.5 µs at 4 KiB, 6 µs at 64 KiB, 15 µs at
/// 256 KiB and 52 µs at 1 MiB, mapping 9.5, 11, 18 and 54 µs; at 4 MiB
/// mapping took a third of `read(2)`'s time. Hence ``mappingThreshold``.
///
/// ## Why mapping cannot crash the process
///
/// Touching a page of a mapping beyond the end of a file that shrank after it
/// was mapped raises `SIGBUS`, which kills the process. Checking the size
/// with `fstat` before each window does not help: the file can be truncated
/// while a window is being read. So the source maps a file only while it
/// holds a **read lease** (`fcntl(F_SETLEASE, F_RDLCK)`) on it. The kernel
/// grants one only if no one has the file open for writing, and while it is
/// held, any `open(2)` for writing and any `truncate(2)` of the file blocks
/// until the lease is released. Before handing out each window the source
/// asks whether someone is waiting (`F_GETLEASE`); if so, it unmaps, releases
/// the lease and reads the rest of the file with `read(2)`, which sees the
/// file as the writer leaves it and cannot fault. At the end of the file, on
/// ``close()`` and in `deinit` the lease is released.
///
/// The remaining window: the kernel breaks a lease by force after
/// `/proc/sys/fs/lease-break-time` seconds (45 by default). A writer that
/// started waiting while one window was being processed, when processing
/// that window takes longer than that (the downstream stage blocked on a
/// stalled pipe, say), can then truncate the file under the mapping. Keeping
/// windows small bounds the time one takes in every other case.
///
/// A lease is not available everywhere: only the file's owner (or a process
/// with `CAP_LEASE`) can take one, not on every file system (NFS, FUSE), and
/// the kernel signals the holder when a writer waits. The source asks for
/// `SIGURG`, whose default action is to ignore it, and maps only if the
/// process has not installed a handler for it; in every other case it falls
/// back to `read(2)`. `mapsFile` says which way a source reads.
///
/// It is a class because it owns a file descriptor, a buffer and a mapping:
/// copies of a source share them, and `deinit` releases them.
public final class FileSource: ByteSource {
    /// The chunk size used when none is given: 1 MiB.
    public static let defaultChunkSize = 1 << 20

    /// How much of a mapped file is mapped at a time: 8 MiB. Windows are
    /// mapped lazily (no `MAP_POPULATE`): the pages are mapped by the faults
    /// of the first read, a large folio of the page cache per fault. Every
    /// window size from 1 to 64 MiB measured the same (see the type's
    /// documentation); a window bounds the resident mapping and the time a
    /// waiting writer may have to wait for the lease to be given back.
    public static let mappingWindowSize = 8 << 20

    /// Regular files of at least this many bytes are mapped (when a lease
    /// allows it); smaller ones are read with `read(2)`: 1 MiB, where the two
    /// cost the same per file (measured; see the type's documentation).
    public static let mappingThreshold = 1 << 20

    @usableFromInline internal let _fd: Int32
    @usableFromInline internal let _chunkSize: Int
    /// The `read(2)` buffer, allocated on first use, of `_bufferSize` bytes.
    @usableFromInline internal var _buffer: UnsafeMutableRawBufferPointer?
    /// The size of the `read(2)` buffer: the chunk size, or less for a small
    /// regular file.
    private var _bufferSize: Int
    @usableFromInline internal let _ownsDescriptor: Bool
    @usableFromInline internal var _closed = false
    /// The mapping state while the file is read through a mapping; `nil`
    /// while reading with `read(2)`.
    private var _mapping: MappedWindows?
    /// The path or name used in error messages.
    public let path: String?
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    /// Opens the file at `path` for reading.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - chunkSize: The largest chunk, and the `read(2)` buffer size; at
    ///     least 1.
    ///   - allowsMapping: Whether a regular file of at least
    ///     ``mappingThreshold`` bytes may be memory-mapped (when a read lease
    ///     makes it safe; see the type's documentation). Pass `false` to
    ///     always use `read(2)`.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` for a bad size;
    ///   ``IOError`` if `open(2)` fails or `path` is a directory.
    public convenience init(
        path: String, chunkSize: Int = FileSource.defaultChunkSize, allowsMapping: Bool = true
    )
        throws
    {
        guard chunkSize > 0 else { throw ByteFlowError.invalidChunkSize(chunkSize) }
        let fd = try _open(path, O_RDONLY)
        try self.init(openedFile: fd, path: path, chunkSize: chunkSize, allowsMapping: allowsMapping)
    }

    /// Takes over a descriptor just opened for reading a file, as
    /// ``init(path:chunkSize:allowsMapping:)`` does after `open(2)`: refuses a
    /// directory, reads a regular file under ``mappingThreshold`` bytes into
    /// a buffer of its size, maps a larger one when a read lease allows it,
    /// and advises sequential reading. `package`: the `byteflow` tool opens file
    /// names that are not UTF-8 by their bytes, then comes here.
    ///
    /// - Throws: ``IOError`` (`EISDIR`) for a directory, after closing `fd`.
    package convenience init(openedFile fd: Int32, path: String, chunkSize: Int, allowsMapping: Bool = true)
        throws(IOError)
    {
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            try? _close(fd, path: path)
            throw IOError(operation: "read", path: path, code: EISDIR)
        }
        self.init(_fd: fd, path: path, chunkSize: max(chunkSize, 1), ownsDescriptor: true)
        guard (info.st_mode & S_IFMT) == S_IFREG else { return }
        let size = Int(info.st_size)
        if size < Self.mappingThreshold {
            // One read(2) fills the buffer with the whole file and the next
            // sees its end; a file that grows meanwhile comes in smaller
            // chunks, never wrong ones.
            _bufferSize = min(_chunkSize, (size + 1 + 4095) & ~4095)
            return
        }
        if allowsMapping && _takeReadLease(fd) {
            // The lease is held: nobody writes the file until it is released,
            // so its size cannot change under us.
            if fstat(fd, &info) == 0 && info.st_size > 0 {
                _mapping = MappedWindows(fileSize: Int(info.st_size))
            } else {
                _releaseReadLease(fd)
            }
        }
        #if os(Linux)
            // The stream is read once, front to back: let the kernel read ahead.
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    /// Reads from a descriptor that is already open, with `read(2)`.
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
        self._chunkSize = chunkSize
        self._bufferSize = chunkSize
    }

    deinit {
        _stopMapping()
        if _ownsDescriptor && !_closed {
            try? _close(_fd, path: path)
        }
        _buffer?.deallocate()
    }

    /// Whether the source currently reads by mapping the file (see the type's
    /// documentation) rather than with `read(2)`.
    public var mapsFile: Bool { _mapping != nil }

    /// Closes the descriptor now, if the source owns it, after unmapping the
    /// file and releasing its lease.
    ///
    /// - Throws: ``IOError`` if `close(2)` fails.
    public func close() throws(IOError) {
        _stopMapping()
        guard _ownsDescriptor && !_closed else { return }
        _closed = true
        try _close(_fd, path: path)
    }

    /// Lends the next chunk to `body`: a borrowed span of the mapping, or of
    /// the buffer after one `read(2)`.
    ///
    /// - Parameter body: Receives the bytes, valid during the call.
    /// - Returns: `false` at end of file.
    /// - Throws: ``IOError`` if `read(2)` or `mmap(2)` fails (after retrying
    ///   `EINTR`), or what `body` throws.
    @inlinable
    public func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        let chunk = try _nextChunk()
        guard chunk.count > 0 else { return false }
        try body(RawSpan(_unsafeBytes: chunk))
        return true
    }

    /// The next chunk's bytes; empty at the end.
    @usableFromInline
    internal func _nextChunk() throws(IOError) -> UnsafeRawBufferPointer {
        // After close() the number may belong to a file opened since.
        guard !_closed else {
            throw IOError(operation: "read", path: path, code: EBADF, bytesTransferred: bytesRead)
        }
        if _mapping != nil {
            if let chunk = try _nextMappedChunk() { return chunk }
        }
        let buffer: UnsafeMutableRawBufferPointer
        if let existing = _buffer {
            buffer = existing
        } else {
            // Page-aligned, so that the kernel can copy whole pages.
            buffer = .allocate(byteCount: _bufferSize, alignment: 4096)
            _buffer = buffer
        }
        let count = try _read(_fd, buffer.baseAddress!, buffer.count, path: path, transferred: bytesRead)
        bytesRead += count
        return UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    }

    /// The next chunk of the mapping, mapping the next window when the
    /// current one is spent; `nil` if the source stopped mapping and the rest
    /// is to be read with `read(2)` from `bytesRead` on.
    private func _nextMappedChunk() throws(IOError) -> UnsafeRawBufferPointer? {
        guard var mapping = _mapping else { return nil }
        if bytesRead == mapping.windowOffset &+ mapping.windowCount {
            mapping.unmapWindow()
            _mapping = mapping
            if bytesRead >= mapping.fileSize {
                // Read on past the end with read(2), from the end: it finds
                // the end again, or what was appended since.
                try _switchToReading()
                return nil
            }
            // A writer waiting for the lease: let it go, read on with read(2).
            guard _holdsReadLease(_fd), mapping.mapWindow(_fd, at: bytesRead) else {
                try _switchToReading()
                return nil
            }
            _mapping = mapping
        }
        let start = bytesRead &- mapping.windowOffset
        let count = min(_chunkSize, mapping.windowCount &- start)
        bytesRead &+= count
        return UnsafeRawBufferPointer(start: mapping.window! + start, count: count)
    }

    /// Stops mapping and positions the descriptor at `bytesRead`, where
    /// `read(2)` goes on.
    private func _switchToReading() throws(IOError) {
        _stopMapping()
        if lseek(_fd, off_t(bytesRead), SEEK_SET) < 0 {
            throw IOError(operation: "seek", path: path, code: errno, bytesTransferred: bytesRead)
        }
    }

    /// Unmaps the current window and releases the lease; reads go through
    /// `read(2)` from now on.
    private func _stopMapping() {
        guard var mapping = _mapping else { return }
        mapping.unmapWindow()
        _mapping = nil
        _releaseReadLease(_fd)
    }
}

/// The state of a file read through a mapping: its size (fixed while the
/// lease is held) and the window mapped now.
private struct MappedWindows {
    let fileSize: Int
    /// The current window, `nil` between windows.
    var window: UnsafeMutableRawPointer?
    /// The window's offset in the file and its length.
    var windowOffset = 0
    var windowCount = 0

    init(fileSize: Int) {
        self.fileSize = fileSize
    }

    /// Maps up to ``FileSource/mappingWindowSize`` bytes of `fd` from
    /// `offset` (page-aligned: windows start at multiples of the window
    /// size). `false` if `mmap(2)` fails (no address space, say).
    mutating func mapWindow(_ fd: Int32, at offset: Int) -> Bool {
        let count = min(FileSource.mappingWindowSize, fileSize &- offset)
        // No MAP_POPULATE: measured slower (see FileSource).
        guard let mapped = mmap(nil, count, PROT_READ, MAP_SHARED, fd, off_t(offset)), mapped != MAP_FAILED
        else { return false }
        window = mapped
        windowOffset = offset
        windowCount = count
        return true
    }

    /// Unmaps the current window, if any.
    mutating func unmapWindow() {
        if let window {
            munmap(window, windowCount)
            self.window = nil
        }
    }
}

#if os(Linux)
    // From <fcntl.h> under _GNU_SOURCE, which Swift's Glibc module does not
    // define; the values are part of the Linux ABI.
    private let F_SETSIG: Int32 = 10
    private let F_SETLEASE: Int32 = 1024
    private let F_GETLEASE: Int32 = 1025
#endif

/// Takes a read lease on `fd` (see ``FileSource``), to be signalled with
/// `SIGURG` when a writer waits. Fails, changing nothing, if the process
/// handles `SIGURG` itself or the kernel refuses the lease.
private func _takeReadLease(_ fd: Int32) -> Bool {
    #if os(Linux)
        var current = sigaction()
        guard sigaction(SIGURG, nil, &current) == 0 else { return false }
        let handler = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
        // SIG_DFL is 0 and SIG_IGN is 1: either way the signal does nothing.
        guard handler == 0 || handler == 1 else { return false }
        guard fcntl(fd, F_SETSIG, SIGURG) == 0 else { return false }
        return fcntl(fd, F_SETLEASE, F_RDLCK) == 0
    #else
        return false
    #endif
}

/// Whether the lease is still held with no writer waiting for it.
private func _holdsReadLease(_ fd: Int32) -> Bool {
    #if os(Linux)
        return fcntl(fd, F_GETLEASE) == F_RDLCK
    #else
        return false
    #endif
}

/// Releases the lease taken by `_takeReadLease`.
private func _releaseReadLease(_ fd: Int32) {
    #if os(Linux)
        _ = fcntl(fd, F_SETLEASE, F_UNLCK)
    #endif
}
