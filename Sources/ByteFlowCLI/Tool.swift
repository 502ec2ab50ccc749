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
    /// Runs a command line and returns the exit status: 0 on success, 1 if
    /// reading, writing or checking failed, 2 if the command line is wrong.
    ///
    /// - Parameters:
    ///   - arguments: The arguments without the program name, as the exact
    ///     bytes the kernel passed (never decoded: a pattern or file name
    ///     that is not UTF-8 stays as it is).
    ///   - environment: The descriptors to use; the process's by default.
    /// - Returns: The exit status.
    public static func run(_ arguments: [[UInt8]], environment: ToolEnvironment = .process) -> Int32 {
        let console = Console(environment: environment)
        do throws(ToolFailure) {
            let command: Command
            do {
                command = try parseArguments(arguments)
            } catch {
                throw .usage(error)
            }
            switch command {
            case .help(let topic): try console.output(helpText(topic))
            case .version: try console.output("byteflow \(toolVersion)\n")
            case .replace(let request): return try runReplace(request, console: console)
            case .compare(let request): try runCompare(request, console: console)
            }
            return 0
        } catch {
            switch error {
            case .usage(let usage):
                console.error("byteflow: \(usage.message)\n\(usage.hint)\n")
                return 2
            case .runtime(let message):
                console.report(message)
                return 1
            }
        }
    }

    /// The process's arguments after the program name, as exact bytes, read
    /// from `argv` (`CommandLine.arguments` would repair invalid UTF-8).
    public static var processArguments: [[UInt8]] {
        (1..<Int(CommandLine.argc)).map { index in
            guard let argument = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeRawBufferPointer(start: argument, count: strlen(argument)))
        }
    }

    /// Prepares the process (see ``prepareProcess()``), runs the process's
    /// own command line and exits with its status. Never returns.
    public static func main() -> Never {
        prepareProcess()
        exit(run(processArguments))
    }
}
