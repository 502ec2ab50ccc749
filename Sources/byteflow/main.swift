import Glibc

// byteflow: a command-line front end to the ByteFlow library. The parsing is
// in Arguments.swift, the commands in Replace.swift and Compare.swift.

/// Runs the command line and returns the exit status.
func run(_ arguments: [String]) -> Int32 {
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

prepareProcess()
exit(run(Array(CommandLine.arguments.dropFirst())))
