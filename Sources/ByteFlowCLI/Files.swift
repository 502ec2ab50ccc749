import ByteFlow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Files as the tool sees them: paths are bytes (never decoded), what
// `stat(2)` says about them, and how the output is opened: directly for
// standard output, devices and FIFOs; through a temporary file renamed into
// place for regular files (`-o` and `-i`).

/// A path exactly as the user gave it, with its NUL-terminated form for
/// system calls and its quoted form for messages.
struct FilePath: Equatable, Sendable {
    /// The path's bytes, without a terminating NUL.
    let bytes: [UInt8]
    /// The path quoted for messages (see ``quoted(_:)``).
    var display: String { quoted(bytes) }

    /// Wraps `bytes`.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Calls `body` with the path as a C string.
    func withCString<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// The part before the last `/`: `.` for a bare name, `/` for a file in
    /// the root directory.
    var directory: FilePath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return FilePath([UInt8(ascii: ".")]) }
        var end = slash
        while end > 0 && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return FilePath(end == 0 ? [UInt8(ascii: "/")] : Array(bytes[..<end]))
    }

    /// The path with every symbolic link resolved (`realpath(3)`), or `nil`.
    var resolved: FilePath? {
        guard let pointer = withCString({ realpath($0, nil) }) else { return nil }
        defer { free(pointer) }
        return FilePath(Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))))
    }

    /// The file a rename must replace to change what `self` names: the
    /// resolved path if `self` is a symbolic link (so the link stays a link),
    /// else `self` (so messages show the directory as the user wrote it).
    var replacementTarget: FilePath {
        isSymbolicLink ? (resolved ?? self) : self
    }

    /// Whether the path itself (not what it points to) is a symbolic link.
    var isSymbolicLink: Bool {
        var info = stat()
        return withCString { lstat($0, &info) } == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}

/// What `stat(2)` says about a file: enough to tell two names of one file
/// apart and to decide how to write it.
struct FileStatus: Equatable {
    var device: UInt64
    var inode: UInt64
    var mode: UInt32
    var owner: UInt32
    var group: UInt32
    var size: Int

    init(_ info: stat) {
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
        mode = UInt32(info.st_mode)
        owner = UInt32(info.st_uid)
        group = UInt32(info.st_gid)
        size = Int(info.st_size)
    }

    /// `stat(2)` of `path` (following symbolic links), or `nil` if it fails.
    init?(path: FilePath) {
        var info = stat()
        guard path.withCString({ stat($0, &info) }) == 0 else { return nil }
        self.init(info)
    }

    /// `fstat(2)` of a descriptor, or `nil` if it fails.
    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }

    /// Whether `self` and `other` are the same file (device and inode).
    func isSameFile(as other: FileStatus) -> Bool {
        device == other.device && inode == other.inode
    }
}

/// A failure that concerns one file: one line for standard error.
struct FileFailure: Error, Equatable {
    /// The message, without the `byteflow: ` prefix.
    var message: String

    /// A failure described by `message`.
    init(_ message: String) {
        self.message = message
    }

    /// `cannot OPERATION NAME: REASON`, for example
    /// `cannot open 'a.txt': No such file or directory`.
    init(_ operation: String, _ name: String, code: Int32) {
        message = "cannot \(operation) \(name): \(String(cString: strerror(code)))"
    }

    /// A library error (``IOError``, ``PipelineError``, ``ByteFlowError``),
    /// with the name of the file it concerns as the tool quotes it.
    init(_ error: any Error) {
        if let pipeline = error as? PipelineError {
            self.init(pipeline.underlying)
        } else if let flush = error as? OutputFlushFailure {
            self.init(flush.underlying)
        } else if let io = error as? IOError {
            let preposition: String
            switch io.operation {
            case "write", "flush": preposition = " to"
            case "read": preposition = " from"
            default: preposition = ""
            }
            var text = "cannot \(io.operation)\(preposition) \(io.path ?? "a file"): \(io.reason)"
            if io.operation == "read" || io.operation == "write" || io.operation == "flush" {
                text += " (after \(io.bytesTransferred) bytes)"
            }
            self.init(text)
        } else {
            self.init(String(describing: error))
        }
    }
}

/// Opens `path` for reading as a ``FileSource`` whose errors name it as the
/// tool quotes it.
///
/// - Throws: ``FileFailure`` `cannot open NAME: REASON`.
func openInput(_ path: FilePath, chunkSize: Int) throws(FileFailure) -> FileSource {
    let fd = openRetrying(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { throw FileFailure("open", path.display, code: errno) }
    // The library's own set-up after open(2): a directory is refused, a
    // regular file is memory-mapped when a read lease allows it.
    do {
        return try FileSource(openedFile: fd, path: path.display, chunkSize: chunkSize)
    } catch {
        throw FileFailure("open", path.display, code: error.code)
    }
}

/// `open(2)` retried on `EINTR`; the descriptor or -1 with `errno` set.
func openRetrying(_ path: FilePath, _ flags: Int32, _ mode: mode_t = 0o666) -> Int32 {
    while true {
        let fd = path.withCString { open($0, flags, mode) }
        if fd >= 0 || errno != EINTR { return fd }
    }
}

/// How an output is written, decided before anything is opened.
enum OutputPlan {
    /// An open descriptor the tool does not own (standard output).
    case descriptor(Int32, name: String)
    /// Open the existing non-regular file (a device, a FIFO, a socket) or a
    /// dangling symbolic link and write to it in place. Nothing is ever
    /// renamed over it.
    case direct(FilePath, status: FileStatus?)
    /// Write a temporary file in `target`'s directory and rename it over
    /// `target` on success. `status` describes the file being replaced, if
    /// any; `path` is the name the user gave (a link to `target`, maybe).
    case atomic(path: FilePath, target: FilePath, status: FileStatus?)

    /// Plans `-o path` without changing anything.
    ///
    /// A symbolic link to an existing file is followed, so the link stays and
    /// its target gets the new content. A dangling link is written through
    /// directly (creating its target), as the shell's `>` does. An existing
    /// regular file must be writable by the user, as `>` would check: the
    /// kernel is asked by opening it for writing (no truncation), which
    /// honours permissions, ACLs, read-only mounts and capabilities alike.
    ///
    /// - Throws: ``FileFailure`` if the existing file may not be written.
    static func output(_ path: FilePath) throws(FileFailure) -> OutputPlan {
        guard let status = FileStatus(path: path) else {
            return path.isSymbolicLink
                ? .direct(path, status: nil) : .atomic(path: path, target: path, status: nil)
        }
        guard status.isRegularFile else { return .direct(path, status: status) }
        let probe = openRetrying(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard probe >= 0 else { throw FileFailure("write to", path.display, code: errno) }
        close(probe)
        return .atomic(path: path, target: path.replacementTarget, status: status)
    }

    /// Plans writing `path` back in place (`-i`): like `sed -i`, the file
    /// itself need not be writable, only its directory; a symbolic link is
    /// followed to its target and stays a link.
    ///
    /// - Throws: ``FileFailure`` if `path` does not exist or is not a
    ///   regular file (a device, a FIFO or a directory is never edited).
    static func inPlace(_ path: FilePath) throws(FileFailure) -> OutputPlan {
        guard let status = FileStatus(path: path) else {
            throw FileFailure("open", path.display, code: errno)
        }
        guard status.isRegularFile else {
            throw FileFailure("cannot edit \(path.display) in place: not a regular file")
        }
        return .atomic(path: path, target: path.replacementTarget, status: status)
    }

    /// The file that would be written, if it exists now.
    var existingFile: FileStatus? {
        switch self {
        case .descriptor(let fd, _): return FileStatus(descriptor: fd)
        case .direct(_, let status), .atomic(_, _, let status): return status
        }
    }

    /// The name for messages.
    var display: String {
        switch self {
        case .descriptor(_, let name): return name
        case .direct(let path, _), .atomic(let path, _, _): return path.display
        }
    }
}

/// An open output: a sink, plus what to do when the run succeeds or fails.
final class OutputFile {
    /// Where the pipeline writes.
    let sink: FileSink
    private let descriptor: Int32
    /// Whether the descriptor is ours and still open.
    private var ownsOpenDescriptor: Bool
    private let replacement: AtomicReplacement?

    /// Opens the output `plan` describes. (`FileSink` only throws for a
    /// buffer size below 1; the default is used, hence `try!`.)
    ///
    /// - Throws: ``FileFailure`` naming the user's path if it cannot be
    ///   opened, or the directory if the temporary file cannot be created.
    init(_ plan: OutputPlan) throws(FileFailure) {
        switch plan {
        case .descriptor(let fd, let name):
            descriptor = fd
            ownsOpenDescriptor = false
            replacement = nil
            sink = try! FileSink(fileDescriptor: fd, path: name)
        case .direct(let path, _):
            // O_CREAT only matters for a dangling symbolic link; a device or
            // FIFO exists already and is neither created nor truncated.
            let fd = openRetrying(path, O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw FileFailure("open", path.display, code: errno) }
            descriptor = fd
            ownsOpenDescriptor = true
            replacement = nil
            sink = try! FileSink(fileDescriptor: fd, path: path.display)
        case .atomic(let path, let target, let status):
            let temporary = try AtomicReplacement(path: path, target: target, replacing: status)
            descriptor = temporary.descriptor
            ownsOpenDescriptor = true
            replacement = temporary
            sink = try! FileSink(fileDescriptor: temporary.descriptor, path: path.display)
        }
    }

    /// Completes a successful run: flushes, closes and, for an atomic
    /// output, renames the temporary file over the target.
    ///
    /// - Throws: ``FileFailure`` if any of those fails; the temporary file
    ///   is then removed and the target left as it was.
    func commit() throws(FileFailure) {
        do throws(FileFailure) {
            do {
                try sink.flush()
            } catch {
                throw FileFailure(error)
            }
            try closeDescriptor()
            try replacement?.commit()
        } catch {
            abandon()
            throw error
        }
    }

    /// Ends a failed run: closes the descriptor and removes the temporary
    /// file, leaving any previous target untouched.
    func abandon() {
        if ownsOpenDescriptor {
            ownsOpenDescriptor = false
            _ = close(descriptor)
        }
        replacement?.abandon()
    }

    private func closeDescriptor() throws(FileFailure) {
        guard ownsOpenDescriptor else { return }
        ownsOpenDescriptor = false
        // Some file systems (NFS) report a failed write only here.
        if close(descriptor) != 0 && errno != EINTR {
            throw FileFailure("close", sink.path ?? "the output", code: errno)
        }
    }
}

/// A temporary file that becomes `target` by `rename(2)`, or disappears.
///
/// While it exists, its path is registered for removal by the SIGINT,
/// SIGTERM and SIGHUP handler (see ``TemporaryFileCleanup``).
final class AtomicReplacement {
    let descriptor: Int32
    private let path: FilePath
    private let target: FilePath
    /// The temporary file's path as a C string, owned by this object and
    /// shared with the signal handler; `nil` once the file is gone.
    private var temporaryPath: UnsafeMutablePointer<CChar>?

    /// Creates the temporary file with `mkstemp(3)` in `target`'s directory
    /// and gives it the permissions (and, if we may, the owner) of the file
    /// it will replace, or the default `0666` less the umask for a new file.
    ///
    /// - Throws: ``FileFailure`` `cannot create a temporary file in 'DIR'
    ///   (to write 'PATH'): REASON`.
    init(path: FilePath, target: FilePath, replacing existing: FileStatus?) throws(FileFailure) {
        self.path = path
        self.target = target
        let directory = target.directory
        let template = directory.bytes + Array("/.byteflow-XXXXXX".utf8) + [0]
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: template.count)
        for (index, byte) in template.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        TemporaryFileCleanup.install()
        let fd = TemporaryFileCleanup.whileBlocked { () -> Int32 in
            var fd: Int32
            repeat { fd = mkstemp(buffer) } while fd < 0 && errno == EINTR
            if fd >= 0 { TemporaryFileCleanup.register(buffer) }
            return fd
        }
        guard fd >= 0 else {
            let code = errno
            buffer.deallocate()
            throw FileFailure(
                "cannot create a temporary file in \(directory.display) (to write \(path.display)): "
                    + String(cString: strerror(code)))
        }
        descriptor = fd
        temporaryPath = buffer
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if let existing {
            // chown(2) first: it may clear the set-user-ID bits that chmod sets.
            if existing.owner != geteuid() || existing.group != getegid() {
                _ = fchown(fd, existing.owner, existing.group)
            }
            _ = fchmod(fd, mode_t(existing.mode & 0o7777))
        } else {
            _ = fchmod(fd, 0o666 & ~currentUmask)
        }
    }

    deinit {
        abandon()
    }

    /// Renames the temporary file over the target.
    ///
    /// - Throws: ``FileFailure`` if the target has become something other
    ///   than a regular file (which is never replaced) or `rename(2)` fails.
    func commit() throws(FileFailure) {
        guard let temporaryPath else { return }
        var info = stat()
        if target.withCString({ lstat($0, &info) }) == 0 && info.st_mode & S_IFMT != S_IFREG {
            throw FileFailure("cannot replace \(path.display): it is no longer a regular file")
        }
        let result = TemporaryFileCleanup.whileBlocked { () -> Int32 in
            let result = target.withCString { rename(temporaryPath, $0) }
            if result == 0 { TemporaryFileCleanup.register(nil) }
            return result
        }
        guard result == 0 else {
            throw FileFailure(
                "cannot rename the temporary file over \(path.display): " + String(cString: strerror(errno)))
        }
        temporaryPath.deallocate()
        self.temporaryPath = nil
    }

    /// Removes the temporary file, if it still exists.
    func abandon() {
        guard let temporaryPath else { return }
        TemporaryFileCleanup.whileBlocked {
            _ = unlink(temporaryPath)
            TemporaryFileCleanup.register(nil)
        }
        temporaryPath.deallocate()
        self.temporaryPath = nil
    }
}

/// The process's umask, read once at startup (reading it means setting it).
let currentUmask: mode_t = {
    let mask = umask(0o022)
    umask(mask)
    return mask
}()

/// Removes the temporary output file when SIGINT, SIGTERM or SIGHUP ends
/// the process, then lets the signal take its default effect.
///
/// The handler only calls `unlink(2)`, `signal(2)` and `raise(3)`, which are
/// async-signal-safe, on a path allocated before it was registered. Every
/// change to the registration happens with those signals blocked, so the
/// handler never sees a half-made or reused path. One temporary file exists
/// at a time (`-i` edits the files one after another).
enum TemporaryFileCleanup {
    /// The registered path; read by the signal handler. A pointer to a
    /// pointer, so the handler touches no Swift global with access checks.
    nonisolated(unsafe) private static let slot: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slot = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        return slot
    }()

    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handler for the signals that are not ignored (a signal
    /// ignored at startup, as `nohup` arranges for SIGHUP, stays ignored),
    /// and unblocks them: a blocked mask inherited from a parent's thread
    /// would otherwise make the process deaf to Ctrl-C and `kill`.
    static func install() {
        _ = slot
        var handled = sigset_t()
        sigemptyset(&handled)
        for signalNumber in signals {
            let previous = signal(signalNumber, handler)
            let ignored = unsafeBitCast(SIG_IGN, to: Int.self)
            if previous.map({ unsafeBitCast($0, to: Int.self) }) == ignored {
                signal(signalNumber, SIG_IGN)
            }
            sigaddset(&handled, signalNumber)
        }
        sigprocmask(SIG_UNBLOCK, &handled, nil)
    }

    /// Sets the path the handler removes; `nil` for none. Call only inside
    /// ``whileBlocked(_:)``.
    static func register(_ path: UnsafeMutablePointer<CChar>?) {
        slot.pointee = path
    }

    /// Runs `body` with the handled signals blocked.
    @discardableResult
    static func whileBlocked<Result>(_ body: () -> Result) -> Result {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for signalNumber in signals { sigaddset(&blocked, signalNumber) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        return body()
    }

    private static let handler: @convention(c) (Int32) -> Void = { signalNumber in
        if let path = TemporaryFileCleanup.slot.pointee {
            unlink(path)
        }
        signal(signalNumber, SIG_DFL)
        raise(signalNumber)
    }
}
