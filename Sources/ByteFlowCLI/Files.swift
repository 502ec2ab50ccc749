import ByteFlow
import Glibc

// How the tool opens its output: directly for standard output, devices and
// FIFOs; through a temporary file renamed into place for regular files.

/// What `stat(2)` says about a file: enough to tell two names of one file
/// apart and to decide how to write it.
struct FileStatus: Equatable {
    var device: UInt
    var inode: UInt
    var mode: UInt32
    var owner: UInt32
    var group: UInt32

    init(_ info: stat) {
        device = UInt(info.st_dev)
        inode = UInt(info.st_ino)
        mode = info.st_mode
        owner = info.st_uid
        group = info.st_gid
    }

    /// `stat(2)` of `path` (following symbolic links), or `nil` if it fails.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// `fstat(2)` of a descriptor, or `nil` if it fails.
    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    var isRegularFile: Bool { mode & S_IFMT == S_IFREG }
    var isCharacterDevice: Bool { mode & S_IFMT == S_IFCHR }

    /// Whether `self` and `other` are the same file (device and inode).
    func isSameFile(as other: FileStatus) -> Bool {
        device == other.device && inode == other.inode
    }
}

/// How `replace` will write its output, decided before anything is opened.
enum OutputPlan {
    /// Descriptor 1.
    case standardOutput
    /// Open the existing non-regular file (a device, a FIFO, a socket) and
    /// write to it in place. Nothing is ever renamed over it.
    case direct(path: String, status: FileStatus?)
    /// Write a temporary file next to `target` and rename it over `target`
    /// on success. `status` describes the file being replaced, if any.
    case atomic(path: String, target: String, status: FileStatus?)

    /// Looks at `spec` without changing anything.
    ///
    /// A symbolic link to an existing file is followed, so the link stays and
    /// its target gets the new content. A dangling link is written through
    /// directly (creating its target), like the shell's `>` does.
    init(_ spec: OutputSpec) {
        guard case .file(let path) = spec else {
            self = .standardOutput
            return
        }
        var link = stat()
        let isLink = lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK
        guard let status = FileStatus(path: path) else {
            self = isLink ? .direct(path: path, status: nil) : .atomic(path: path, target: path, status: nil)
            return
        }
        guard status.isRegularFile else {
            self = .direct(path: path, status: status)
            return
        }
        var target = path
        if isLink, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        self = .atomic(path: path, target: target, status: status)
    }

    /// The file that would be written, if it exists now.
    var existingFile: FileStatus? {
        switch self {
        case .standardOutput: return FileStatus(descriptor: 1)
        case .direct(_, let status), .atomic(_, _, let status): return status
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

    /// Opens the output `plan` describes.
    ///
    /// - Throws: ``IOError`` naming the user's path if it cannot be opened or
    ///   the temporary file cannot be created.
    init(_ plan: OutputPlan) throws(IOError) {
        switch plan {
        case .standardOutput:
            descriptor = 1
            ownsOpenDescriptor = false
            replacement = nil
            sink = try! FileSink(fileDescriptor: 1, path: "standard output")
        case .direct(let path, _):
            // O_CREAT only matters for a dangling symbolic link; a device or
            // FIFO exists already and is neither created nor truncated.
            let fd = open(path, O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw IOError(operation: "open", path: path, code: errno) }
            descriptor = fd
            ownsOpenDescriptor = true
            replacement = nil
            sink = try! FileSink(fileDescriptor: fd, path: path)
        case .atomic(let path, let target, let status):
            let temporary = try AtomicReplacement(path: path, target: target, replacing: status)
            descriptor = temporary.descriptor
            ownsOpenDescriptor = true
            replacement = temporary
            sink = try! FileSink(fileDescriptor: temporary.descriptor, path: path)
        }
    }

    /// Completes a successful run: flushes, closes and, for an atomic
    /// output, renames the temporary file over the target.
    ///
    /// - Throws: ``IOError`` if any of those fails; the temporary file is
    ///   then removed and the target left as it was.
    func commit() throws(IOError) {
        do {
            try sink.flush()
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

    private func closeDescriptor() throws(IOError) {
        guard ownsOpenDescriptor else { return }
        ownsOpenDescriptor = false
        // Some file systems (NFS) report a failed write only here.
        if close(descriptor) != 0 && errno != EINTR {
            throw IOError(operation: "close", path: sink.path, code: errno)
        }
    }
}

/// A temporary file that becomes `target` by `rename(2)`, or disappears.
///
/// While it exists, its path is registered for removal by the SIGINT,
/// SIGTERM and SIGHUP handler (see ``TemporaryFileCleanup``).
final class AtomicReplacement {
    let descriptor: Int32
    private let path: String
    private let target: String
    /// The temporary file's path as a C string, owned by this object and
    /// shared with the signal handler; `nil` once the file is gone.
    private var temporaryPath: UnsafeMutablePointer<CChar>?

    /// Creates the temporary file with `mkstemp(3)` in `target`'s directory
    /// and gives it the permissions (and, if we may, the owner) of the file
    /// it will replace, or the default `0666` less the umask for a new file.
    ///
    /// - Throws: ``IOError`` `cannot create 'path'` if the file cannot be made.
    init(path: String, target: String, replacing existing: FileStatus?) throws(IOError) {
        self.path = path
        self.target = target
        let template = Array((directoryName(of: target) + "/.byteflow-XXXXXX").utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: template.count)
        buffer.initialize(from: template, count: template.count)
        TemporaryFileCleanup.install()
        let fd = TemporaryFileCleanup.whileBlocked { () -> Int32 in
            let fd = mkstemp(buffer)
            if fd >= 0 { TemporaryFileCleanup.register(buffer) }
            return fd
        }
        guard fd >= 0 else {
            let code = errno
            buffer.deallocate()
            throw IOError(operation: "create", path: path, code: code)
        }
        descriptor = fd
        temporaryPath = buffer
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if let existing {
            // chown(2) first: it may clear the set-user-ID bits that chmod sets.
            if existing.owner != geteuid() || existing.group != getegid() {
                _ = fchown(fd, existing.owner, existing.group)
            }
            _ = fchmod(fd, existing.mode & 0o7777)
        } else {
            _ = fchmod(fd, 0o666 & ~currentUmask)
        }
    }

    deinit {
        abandon()
    }

    /// Renames the temporary file over the target.
    ///
    /// - Throws: ``IOError`` if the target has become something other than a
    ///   regular file (which is never replaced) or `rename(2)` fails.
    func commit() throws(IOError) {
        guard let temporaryPath else { return }
        var info = stat()
        if lstat(target, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
            throw IOError(operation: "replace", path: path, code: EEXIST)
        }
        let result = TemporaryFileCleanup.whileBlocked { () -> Int32 in
            let result = rename(temporaryPath, target)
            if result == 0 { TemporaryFileCleanup.register(nil) }
            return result
        }
        guard result == 0 else { throw IOError(operation: "replace", path: path, code: errno) }
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

/// The part of `path` before its last `/`: `.` for a bare name, `/` for a
/// file in the root directory.
func directoryName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let directory = path[..<slash]
    return directory.isEmpty ? "/" : String(directory)
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
/// handler never sees a half-made or reused path.
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
