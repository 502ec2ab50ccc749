#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stage was configured with a value it cannot work with.
public enum ByteFlowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ``ReplaceTransform`` was given an empty pattern, which would match
    /// between every two bytes.
    case emptyPattern
    /// A chunk or buffer size was zero or negative.
    case invalidChunkSize(Int)
    /// ``MultiReplaceTransform`` was given no patterns at all.
    case noPatterns
    /// ``MultiReplaceTransform`` was given an empty pattern, at this
    /// position (from 0) in its list.
    case emptyPatternInList(index: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .emptyPattern:
            return "the pattern to find is empty"
        case .invalidChunkSize(let size):
            return "chunk size must be at least 1 byte (got \(size))"
        case .noPatterns:
            return "no patterns to find"
        case .emptyPatternInList(let index):
            return "pattern \(index + 1) of the list is empty"
        }
    }
}

/// A system call on a file failed.
///
/// The description is one line that names the operation, the file and the
/// reason, for example
/// `cannot write to '/dev/full': No space left on device (after 0 bytes)`.
public struct IOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, for example `"open"`, `"read"`, `"write"`.
    public var operation: String
    /// The file's path, or a name such as `"standard input"`; `nil` if unknown.
    public var path: String?
    /// The `errno` value the call failed with.
    public var code: Int32
    /// Bytes that had reached (for writes) or come from (for reads) the file
    /// before the failure.
    public var bytesTransferred: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - operation: What was being done, for example `"write"`.
    ///   - path: The file's path or name, if known.
    ///   - code: The `errno` value.
    ///   - bytesTransferred: Bytes moved before the failure.
    public init(operation: String, path: String?, code: Int32, bytesTransferred: Int = 0) {
        self.operation = operation
        self.path = path
        self.code = code
        self.bytesTransferred = bytesTransferred
    }

    /// The system's text for ``code``, as `strerror(3)` gives it.
    public var reason: String {
        String(cString: strerror(code))
    }

    /// One line: operation, file, reason and, for reads and writes, the byte
    /// count so far.
    public var description: String {
        let target = path.map { " '\($0)'" } ?? ""
        let preposition: String
        switch operation {
        case "write", "flush": preposition = " to"
        case "read": preposition = " from"
        default: preposition = ""
        }
        var text = "cannot \(operation)\(preposition)\(target): \(reason)"
        if operation == "read" || operation == "write" || operation == "flush" {
            text += " (after \(bytesTransferred) bytes)"
        }
        return text
    }
}

/// A pipeline run failed: which stage, how far the stream had got, and why.
public struct PipelineError: Error, CustomStringConvertible {
    /// The role of the stage that threw.
    public enum Stage: Sendable, Equatable, CustomStringConvertible {
        /// The source failed to produce a chunk.
        case source
        /// A transform threw (from `process` or `finish`).
        case transform
        /// The sink failed to take bytes or to flush.
        case sink

        /// `"source"`, `"transform"` or `"sink"`.
        public var description: String {
            switch self {
            case .source: return "source"
            case .transform: return "transform"
            case .sink: return "sink"
            }
        }
    }

    /// The stage that threw.
    public var stage: Stage
    /// Bytes the source had produced.
    public var bytesRead: Int
    /// Bytes the sink had accepted. A buffering sink may not have delivered
    /// all of them; its own error (see ``IOError/bytesTransferred``) says how
    /// many reached the destination.
    public var bytesWritten: Int
    /// The stage's own error.
    public var underlying: any Error

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - stage: The stage that threw.
    ///   - bytesRead: Bytes produced by the source until then.
    ///   - bytesWritten: Bytes accepted by the sink until then.
    ///   - underlying: The stage's error.
    public init(stage: Stage, bytesRead: Int, bytesWritten: Int, underlying: any Error) {
        self.stage = stage
        self.bytesRead = bytesRead
        self.bytesWritten = bytesWritten
        self.underlying = underlying
    }

    /// The underlying error's description: it already names the file and the
    /// reason, which is what a user needs to read.
    public var description: String {
        String(describing: underlying)
    }
}
