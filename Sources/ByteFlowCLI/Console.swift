import ByteFlow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the tool stops early, and so its exit status.
enum ToolFailure: Error {
    /// The command line is wrong: exit status 2, the message and a hint.
    case usage(UsageError)
    /// Reading, writing or checking failed: exit status 1, one line.
    case runtime(String)
}

/// The descriptors a run uses: the process's own 0, 1 and 2, or others
/// (tests run the tool in process with files in their place).
public struct ToolEnvironment: Sendable {
    /// Where a FILE of `-` and no FILE read.
    public var standardInput: Int32
    /// Where output, help and counts go.
    public var standardOutput: Int32
    /// Where messages, `--stats` and `--progress` go.
    public var standardError: Int32
    /// Whether `--progress` may draw (it does only on a terminal).
    public var standardErrorIsTerminal: Bool
    /// Columns of the terminal, for the progress line.
    public var terminalWidth: Int

    /// The process's own standard streams.
    public static var process: ToolEnvironment {
        ToolEnvironment(
            standardInput: 0, standardOutput: 1, standardError: 2,
            standardErrorIsTerminal: isatty(2) == 1, terminalWidth: terminalColumns(2))
    }

    /// Other descriptors, for example files a test reads back.
    ///
    /// - Parameters:
    ///   - standardInput: Read for `-` and when no FILE is given.
    ///   - standardOutput: Output, help and counts.
    ///   - standardError: Messages, statistics and progress.
    ///   - standardErrorIsTerminal: Whether to draw `--progress`.
    ///   - terminalWidth: Columns for the progress line.
    public init(
        standardInput: Int32, standardOutput: Int32, standardError: Int32,
        standardErrorIsTerminal: Bool = false, terminalWidth: Int = 80
    ) {
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardErrorIsTerminal = standardErrorIsTerminal
        self.terminalWidth = terminalWidth
    }
}

/// The width of the terminal on `descriptor`, or 80.
private func terminalColumns(_ descriptor: Int32) -> Int {
    #if os(Linux) || os(macOS)
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
    #endif
    return 80
}

/// Writing to a run's standard output and standard error.
struct Console {
    let environment: ToolEnvironment

    /// Writes `text` to standard output at once (unbuffered, so that the
    /// rows of a long measurement appear as they are ready).
    ///
    /// - Throws: ``ToolFailure/runtime(_:)`` if the write fails, for
    ///   example `cannot write to standard output: No space left on device`.
    func output(_ text: String) throws(ToolFailure) {
        do {
            try writeBytes(Array(text.utf8), to: environment.standardOutput, name: "standard output")
        } catch {
            throw .runtime(FileFailure(error).message)
        }
    }

    /// Writes `byteflow: MESSAGE` and a newline to standard error.
    func report(_ message: String) {
        error("byteflow: \(message)\n")
    }

    /// Writes `text` to standard error; a failure is ignored, as there is
    /// nowhere left to report it.
    func error(_ text: String) {
        try? writeBytes(Array(text.utf8), to: environment.standardError, name: "standard error")
    }
}

/// Makes the process's environment what the tool's behaviour assumes.
///
/// - Descriptors 0, 1 and 2 are made to exist: if one is closed, `/dev/null`
///   is opened in its place *in the wrong direction*, so that using it fails
///   with `EBADF` as a closed descriptor would, but a file the tool opens
///   later can never land on it (and receive, say, error messages).
/// - SIGPIPE gets its default action and is unblocked, whatever the parent
///   left: writing to a pipe whose reader has gone ends the process quietly,
///   as it does `cat` and `sed` (the shell reports status 141).
func prepareProcess() {
    for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
        _ = open("/dev/null", descriptor == 0 ? O_WRONLY : O_RDONLY)
    }
    signal(SIGPIPE, SIG_DFL)
    var pipeSignal = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    sigprocmask(SIG_UNBLOCK, &pipeSignal, nil)
}

/// Writes all of `bytes` to `descriptor` through the library's write loop
/// (short writes, `EINTR` and `EAGAIN` handled).
///
/// - Throws: ``IOError`` naming `name` if `write(2)` fails.
func writeBytes(_ bytes: [UInt8], to descriptor: Int32, name: String) throws(IOError) {
    let failure = bytes.withUnsafeBytes { raw -> IOError? in
        guard let base = raw.baseAddress else { return nil }
        var transferred = 0
        do throws(IOError) {
            try _writeAll(descriptor, base, raw.count, path: name, transferred: &transferred)
            return nil
        } catch {
            return error
        }
    }
    if let failure { throw failure }
}
