import ByteFlow
import Glibc

/// Why the tool stops early, and so its exit status.
enum ToolFailure: Error {
    /// The command line is wrong: exit status 2, the message and a hint.
    case usage(UsageError)
    /// Reading, writing or checking failed: exit status 1, one line.
    case runtime(String)

    /// A runtime failure described by `error` (an ``IOError``,
    /// ``PipelineError`` or ``ByteFlowError``, whose descriptions name the
    /// file and the reason).
    init(_ error: any Error) {
        self = .runtime(String(describing: error))
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

/// Writes all of `text` to `descriptor`, retrying short writes and `EINTR`.
///
/// - Throws: ``IOError`` naming `name` if `write(2)` fails.
func writeText(_ text: String, to descriptor: Int32, name: String) throws(IOError) {
    try writeBytes(Array(text.utf8), to: descriptor, name: name)
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

/// Writes `text` to standard output at once (unbuffered, so that the rows
/// of a long measurement appear as they are ready).
///
/// - Throws: ``ToolFailure/runtime(_:)`` if the write fails, for
///   example `cannot write to 'standard output': No space left on device`.
func writeStandardOutput(_ text: String) throws(ToolFailure) {
    do {
        try writeText(text, to: 1, name: "standard output")
    } catch {
        throw ToolFailure(error)
    }
}

/// Writes `text` to standard error; a failure is ignored, as there is
/// nowhere left to report it.
func writeStandardError(_ text: String) {
    try? writeText(text, to: 2, name: "standard error")
}
