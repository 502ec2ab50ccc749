#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The entry point of the `byteflow` tool. The executable's `main.swift` only
// calls `ByteflowTool.main()`; everything else lives in this library target so
// that the tests can run the tool's logic in process.

/// The `byteflow` command-line tool as a library: the executable is a thin
/// caller, and tests run commands in process.
public enum ByteflowTool {
    /// Runs the command line and returns the exit status: 0 on success, 1 if
    /// reading, writing or checking failed, 2 if the command line is wrong.
    ///
    /// - Parameter arguments: The arguments, without the program name.
    /// - Returns: The exit status.
    public static func run(_ arguments: [String]) -> Int32 {
        do throws(ToolFailure) {
            let command: Command
            do {
                command = try parseArguments(arguments)
            } catch {
                throw .usage(error)
            }
            switch command {
            case .help(let topic): try writeStandardOutput(helpText(topic))
            case .version: try writeStandardOutput("byteflow \(toolVersion)\n")
            case .replace(let request): try runReplace(request)
            case .compare(let request): try runCompare(request)
            }
            return 0
        } catch {
            switch error {
            case .usage(let usage):
                writeStandardError("byteflow: \(usage.message)\n\(usage.hint)\n")
                return 2
            case .runtime(let message):
                writeStandardError("byteflow: \(message)\n")
                return 1
            }
        }
    }

    /// Prepares the process (see ``prepareProcess()``), runs the process's
    /// own command line and exits with its status. Never returns.
    public static func main() -> Never {
        prepareProcess()
        exit(run(Array(CommandLine.arguments.dropFirst())))
    }
}
