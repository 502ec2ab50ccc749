import ByteFlow
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs `body` with a fresh directory under the system's temporary directory
/// and removes it, with everything in it, afterwards (also when `body`
/// throws). Tests never write anywhere else.
func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    var template = Array((NSTemporaryDirectory() + "/byteflow-tests-XXXXXX").utf8CString)
    let directory = try template.withUnsafeMutableBufferPointer { buffer in
        // The canonical path, as /proc/self/fd shows it (no `//`, no links).
        guard let created = mkdtemp(buffer.baseAddress!), let path = realpath(created, nil) else {
            throw IOError(operation: "mkdtemp", path: nil, code: errno)
        }
        defer { free(path) }
        return String(cString: path)
    }
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

/// The contents of the file at `path`, read with plain `read(2)` (not with
/// the stages under test, and not with Foundation, whose
/// `FileManager.contents(atPath:)` leaks on empty files under ASan).
func contentsOfFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw IOError(operation: "open", path: path, code: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var piece = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = piece.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n > 0 {
            bytes += piece[0..<n]
        } else if n == 0 {
            return bytes
        } else if errno != EINTR {
            throw IOError(operation: "read", path: path, code: errno, bytesTransferred: bytes.count)
        }
    }
}

/// Creates or replaces the file at `path` with `bytes`.
func createFile(_ path: String, _ bytes: [UInt8]) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        throw IOError(operation: "create", path: path, code: EIO)
    }
}

/// The process's open descriptors (from `/proc/self/fd`) whose target
/// satisfies `matches`, with their targets. Tests run in parallel, so a leak
/// check counts only descriptors on files that the test alone uses (its own
/// temporary directory), not all descriptors of the process.
func openDescriptors(where matches: (String) -> Bool) -> [Int32: String] {
    var result: [Int32: String] = [:]
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else {
        return [:]
    }
    for name in names {
        guard let fd = Int32(name),
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)")
        else { continue }
        if matches(target) { result[fd] = target }
    }
    return result
}

/// Descriptors open on anything inside `directory`.
func openDescriptors(inside directory: String) -> [Int32: String] {
    openDescriptors { $0.hasPrefix(directory + "/") || $0 == directory }
}

/// Whether descriptor `fd` is open on `path` right now.
func descriptor(_ fd: Int32, isOpenOn path: String) -> Bool {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) == path
}

/// Linux's `fcntl` command to set a pipe's capacity; Glibc's module map does
/// not export it.
private let setPipeSize: Int32 = 1031

/// A pipe, close-on-exec, with a capacity of `capacity` bytes (the kernel
/// rounds up to a page) and optionally non-blocking ends.
func makePipe(capacity: Int32 = 4096, nonBlockingRead: Bool = false, nonBlockingWrite: Bool = false)
    throws -> (read: Int32, write: Int32)
{
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw IOError(operation: "pipe", path: nil, code: errno) }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    _ = fcntl(fds[1], setPipeSize, capacity)
    if nonBlockingRead { _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK) }
    if nonBlockingWrite { _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK) }
    return (fds[0], fds[1])
}

/// Work running on its own thread (not the Swift concurrency pool, which
/// tests occupy), whose result ``wait()`` returns.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // `value` is written once by the thread before `done` is signalled and
    // read only after waiting on it: the semaphore orders the two.
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    init(_ body: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            self.value = body()
            self.done.signal()
        }
        thread.start()
    }

    func wait() -> Value {
        done.wait()
        return value!
    }
}

/// Reads `fd` to its end in pieces of `pieceSize` bytes, pausing now and then
/// so that a writer fills the pipe and has to wait. Waits with `poll` when a
/// non-blocking descriptor has nothing to read. Returns what it read and the
/// `errno` of a failed read, if any.
func drain(_ fd: Int32, pieceSize: Int = 512, slowly: Bool = true) -> (bytes: [UInt8], error: Int32?) {
    var bytes: [UInt8] = []
    var piece = [UInt8](repeating: 0, count: pieceSize)
    var reads = 0
    while true {
        let n = piece.withUnsafeMutableBytes { read(fd, $0.baseAddress!, pieceSize) }
        if n > 0 {
            bytes += piece[0..<n]
            reads += 1
            if slowly && reads % 8 == 0 { usleep(200) }
        } else if n == 0 {
            return (bytes, nil)
        } else if errno == EINTR {
            continue
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, -1)
        } else {
            return (bytes, errno)
        }
    }
}

/// Writes `bytes` to `fd` in pieces of varying size, pausing now and then, then
/// closes `fd`. Returns the `errno` of a failed write, if any.
func feed(_ fd: Int32, _ bytes: [UInt8], seed: UInt64) -> Int32? {
    defer { close(fd) }
    var random = SeededRandom(seed: seed)
    var offset = 0
    while offset < bytes.count {
        let size = min(bytes.count - offset, Int.random(in: 1...3000, using: &random))
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, size) }
        if n > 0 {
            offset += n
            if Int.random(in: 0..<4, using: &random) == 0 { usleep(100) }
        } else if n < 0 && errno == EINTR {
            continue
        } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&entry, 1, -1)
        } else {
            return errno
        }
    }
    return nil
}

/// Text of about `count` bytes with `elvis` in it now and then, partial
/// matches and line breaks: the stream the file tests push through a
/// ReplaceTransform.
func elvisText(_ count: Int, seed: UInt64) -> [UInt8] {
    var random = SeededRandom(seed: seed)
    let words = ["elvis", "elvi", "lives", "e", "Elvis", "the", "king", "elvielvis", "\n", " ", "\u{0}"].map(
        utf8)
    var text: [UInt8] = []
    text.reserveCapacity(count + 16)
    while text.count < count {
        text += words[Int.random(in: 0..<words.count, using: &random)]
        text.append(UInt8(ascii: " "))
    }
    return text
}
