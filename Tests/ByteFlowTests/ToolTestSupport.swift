import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Running the built `byteflow` binary as a subprocess, for ToolTests.swift.

/// What a finished `byteflow` run left behind.
struct ToolRun {
    /// The exit status, or the signal number if ``signal`` is true.
    var status: Int32
    /// Whether the process was ended by a signal.
    var signaled: Bool
    /// Everything written to standard output.
    var output: [UInt8]
    /// Everything written to standard error, decoded as UTF-8.
    var errors: String
    /// Whether the watchdog had to kill a hung process.
    var timedOut: Bool

    /// Standard output decoded as UTF-8.
    var text: String { String(decoding: output, as: UTF8.self) }
    /// The lines of standard error.
    var errorLines: [Substring] { errors.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }

    /// Whether the process exited normally with `code`.
    func exited(_ code: Int32) -> Bool { !signaled && status == code }
}

/// What a `byteflow` run reads on standard input.
enum ToolInput {
    /// `/dev/null`.
    case empty
    /// These bytes, from an anonymous regular file.
    case bytes([UInt8])
    /// These bytes, from a pipe that is closed after them (at most 64 KiB,
    /// so that the write cannot block).
    case pipe([UInt8])
    /// An already open file handle.
    case handle(FileHandle)
}

/// An unlinked temporary file: somewhere to capture a stream without
/// leaving anything behind.
private func anonymousFile(containing bytes: [UInt8] = []) throws -> FileHandle {
    var template = Array("/tmp/byteflow-tool-capture.XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    unlink(template)
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    try handle.write(contentsOf: bytes)
    try handle.seek(toOffset: 0)
    return handle
}

/// Checks the shape of a runtime failure: status 1, nothing on standard
/// output, exactly one line on standard error that contains `fragments`.
func expectRuntimeError(
    _ run: ToolRun, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(run.exited(1), "status \(run.status), stderr: \(run.errors)", sourceLocation: sourceLocation)
    #expect(run.errorLines.count == 1, "stderr: \(run.errors)", sourceLocation: sourceLocation)
    #expect(run.errors.hasPrefix("byteflow: "), sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(
            run.errors.contains(fragment), "missing '\(fragment)' in: \(run.errors)",
            sourceLocation: sourceLocation)
    }
}

/// Checks the shape of a usage error: status 2, nothing on standard output,
/// the message (containing `fragment`) and a hint to run --help.
func expectUsageError(
    _ run: ToolRun, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(run.exited(2), "status \(run.status), stderr: \(run.errors)", sourceLocation: sourceLocation)
    #expect(run.output.isEmpty, sourceLocation: sourceLocation)
    #expect(run.errorLines.count == 2, "stderr: \(run.errors)", sourceLocation: sourceLocation)
    #expect(run.errorLines.first?.hasPrefix("byteflow: ") == true, sourceLocation: sourceLocation)
    #expect(
        run.errors.contains(fragment), "missing '\(fragment)' in: \(run.errors)",
        sourceLocation: sourceLocation)
    #expect(
        run.errorLines.last?.contains("--help' for more information.") == true, sourceLocation: sourceLocation
    )
}

/// A flag the watchdog and the waiting thread share.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var fired = false

    /// Kills `pid` after `seconds` unless ``finish()`` was called first.
    func arm(pid: Int32, seconds: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            self.lock.lock()
            defer { self.lock.unlock() }
            if !self.finished {
                self.fired = true
                kill(pid, SIGKILL)
            }
        }
    }

    /// Marks the process as reaped; returns whether the watchdog fired.
    func finish() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        return fired
    }
}

/// Helpers for running `byteflow` in tests, in one namespace so that they
/// cannot clash with other test files' helpers.
enum ToolHarness {
    /// Where the `byteflow` executable is: next to the test bundle (both are
    /// build products of the same `swift build`/`swift test`), or in the
    /// package's `.build/debug`, or wherever `BYTEFLOW_TOOL` says.
    static let executable: String? = {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["BYTEFLOW_TOOL"] {
            candidates.append(override)
        }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("byteflow").path)
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/byteflow").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs `executable` (by default `byteflow`) with `arguments`, waits for it,
    /// and collects its output through anonymous files (no pipe can fill up).
    ///
    /// - Parameters:
    ///   - arguments: The arguments after the program name.
    ///   - input: Standard input.
    ///   - standardOutput: A handle to use as standard output instead of a
    ///     capture file (then ``ToolRun/output`` is empty).
    ///   - executable: Another program to run, for example `/usr/bin/setpriv`.
    ///   - directory: The working directory.
    ///   - timeout: Seconds after which a hung process is killed.
    ///   - whileRunning: Called with the process id after launch.
    /// - Returns: Status and captured streams.
    static func run(
        _ arguments: [String], input: ToolInput = .empty, standardOutput: FileHandle? = nil,
        executable: String? = nil, directory: String? = nil, timeout: Double = 120,
        whileRunning: ((Int32) throws -> Void)? = nil
    ) throws -> ToolRun {
        let tool = try #require(
            ToolHarness.executable, "build the tool first: swift build --product byteflow")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? tool)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        switch input {
        case .empty: process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        case .bytes(let bytes): process.standardInput = try anonymousFile(containing: bytes)
        case .handle(let handle): process.standardInput = handle
        case .pipe(let bytes):
            precondition(bytes.count <= 1 << 16, "a pipe holds 64 KiB; use .bytes for more")
            let pipe = Pipe()
            try pipe.fileHandleForWriting.write(contentsOf: bytes)
            try pipe.fileHandleForWriting.close()
            process.standardInput = pipe.fileHandleForReading
        }
        let outputCapture = try anonymousFile()
        let errorCapture = try anonymousFile()
        process.standardOutput = standardOutput ?? outputCapture
        process.standardError = errorCapture
        try process.run()
        let watchdog = Watchdog()
        watchdog.arm(pid: process.processIdentifier, seconds: timeout)
        var callbackError: (any Error)?
        do {
            try whileRunning?(process.processIdentifier)
        } catch {
            callbackError = error
        }
        process.waitUntilExit()
        let timedOut = watchdog.finish()
        if let callbackError { throw callbackError }
        try outputCapture.seek(toOffset: 0)
        try errorCapture.seek(toOffset: 0)
        return ToolRun(
            status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal,
            output: Array(try outputCapture.readToEnd() ?? Data()),
            errors: String(decoding: try errorCapture.readToEnd() ?? Data(), as: UTF8.self),
            timedOut: timedOut)
    }

    /// Runs `byteflow` (or `executable`) with arguments given as exact bytes,
    /// which `Process` cannot do (it takes `String`s): for file names and
    /// patterns that are not valid UTF-8. Uses `posix_spawn` directly.
    ///
    /// - Parameters:
    ///   - arguments: The arguments after the program name, as bytes.
    ///   - input: Standard input (`.pipe` and `.handle` are not supported).
    ///   - executable: Another program to run; `arguments` follow its name.
    ///   - directory: The working directory (the parent's if `nil`).
    ///   - timeout: Seconds after which a hung process is killed.
    ///   - whileRunning: Called with the process id after launch.
    /// - Returns: Status and captured streams.
    static func runRaw(
        _ arguments: [[UInt8]], input: ToolInput = .empty, executable: String? = nil,
        directory: String? = nil, timeout: Double = 120, whileRunning: ((Int32) throws -> Void)? = nil
    ) throws -> ToolRun {
        let tool = try #require(
            ToolHarness.executable, "build the tool first: swift build --product byteflow")
        let program = executable ?? tool
        let inputHandle: FileHandle
        switch input {
        case .empty: inputHandle = try #require(FileHandle(forReadingAtPath: "/dev/null"))
        case .bytes(let bytes): inputHandle = try anonymousFile(containing: bytes)
        case .handle(let handle): inputHandle = handle
        case .pipe: throw POSIXError(.EINVAL)
        }
        let outputCapture = try anonymousFile()
        let errorCapture = try anonymousFile()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputHandle.fileDescriptor, 0)
        posix_spawn_file_actions_adddup2(&actions, outputCapture.fileDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, errorCapture.fileDescriptor, 2)
        // posix_spawn_file_actions_addchdir_np is not visible from Swift on
        // glibc: a shell changes directory, then runs the program.
        var command = [Array(program.utf8)] + arguments
        if let directory {
            command =
                [Array("/bin/sh".utf8), Array("-c".utf8), Array("cd \"$0\" && exec \"$@\"".utf8)]
                + [Array(directory.utf8)] + command
        }
        let argv: [UnsafeMutablePointer<CChar>?] =
            command.map { bytes in
                let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
                pointer[bytes.count] = 0
                return pointer
            } + [nil]
        defer { for pointer in argv { pointer?.deallocate() } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0]!, &actions, nil, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        let watchdog = Watchdog()
        watchdog.arm(pid: pid, seconds: timeout)
        var callbackError: (any Error)?
        do {
            try whileRunning?(pid)
        } catch {
            callbackError = error
        }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        let timedOut = watchdog.finish()
        if let callbackError { throw callbackError }
        try outputCapture.seek(toOffset: 0)
        try errorCapture.seek(toOffset: 0)
        let signaled = waitStatus & 0x7F != 0
        return ToolRun(
            status: signaled ? waitStatus & 0x7F : (waitStatus >> 8) & 0xFF,
            signaled: signaled,
            output: Array(try outputCapture.readToEnd() ?? Data()),
            errors: String(decoding: try errorCapture.readToEnd() ?? Data(), as: UTF8.self),
            timedOut: timedOut)
    }

    /// The path of a directory entry given as bytes (`dir` + `/` + `name`),
    /// NUL-terminated for system calls.
    static func cPath(_ dir: String, _ name: [UInt8]) -> [CChar] {
        (Array(dir.utf8) + [UInt8(ascii: "/")] + name + [0]).map { CChar(bitPattern: $0) }
    }

    /// The names in a directory as raw bytes, sorted (for names that are not
    /// valid UTF-8).
    static func rawDirectoryEntries(_ path: String) -> [[UInt8]] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name != [UInt8(ascii: ".")] && name != Array("..".utf8) { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// A fresh directory for one test, removed with everything in it when
    /// `body` returns or throws.
    static func withSandbox<Result>(_ body: (String) throws -> Result) throws -> Result {
        var template = Array("/tmp/byteflow-tool-tests.XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// Writes `bytes` to a new file at `path` with `permissions`.
    static func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int = 0o644) throws {
        try #require(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        try #require(chmod(path, mode_t(permissions)) == 0)
    }

    /// The bytes of the file at `path`, or `nil` if it cannot be read.
    static func readFile(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    /// `stat(2)` of `path`, or `nil`.
    static func fileStatus(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// The permission bits of `path`, or `nil`.
    static func permissions(_ path: String) -> Int? {
        fileStatus(path).map { Int($0.st_mode & 0o7777) }
    }

    /// Whether `path` is a character device (as `/dev/null` and `/dev/full`
    /// must stay, whatever the tool did).
    static func isCharacterDevice(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR
    }

    /// The names in a directory, sorted.
    static func directoryEntries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// Replaces every leftmost, non-overlapping `pattern` in `input`: the
    /// obviously correct quadratic reference the tool is checked against.
    static func referenceReplace(_ input: [UInt8], _ pattern: [UInt8], _ replacement: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            if index + pattern.count <= input.count
                && input[index..<index + pattern.count].elementsEqual(pattern)
            {
                output += replacement
                index += pattern.count
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return output
    }
}
