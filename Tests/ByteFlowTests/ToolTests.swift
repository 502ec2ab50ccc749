import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// The `byteflow` executable, run as a subprocess: what a user sees.
// Helpers are in ToolTestSupport.swift.

private let classicInput = Array(
    ("abcelvisaElvisabcelviseelvisaelvisaabeeeelvise l v i saa bb e l v i saa elvi s"
        + "elvielviselvielvielviselvi1elvielviselvis").utf8)
private let classicOutput = Array(
    ("abcElvisaElvisabcElviseElvisaElvisaabeeeElvise l v i saa bb e l v i saa elvi s"
        + "elviElviselvielviElviselvi1elviElvisElvis").utf8)

/// A few KiB of near misses, matches, NUL bytes and invalid UTF-8.
private let awkwardInput: [UInt8] = {
    var generator = SeededRandom(seed: 0xB7_7E_F1_0A)
    let pieces: [[UInt8]] = [
        Array("elvis".utf8), Array("elvi".utf8), Array("e".utf8), Array("el".utf8), [0], [0xFF, 0xFE],
        [0xC3], Array("Elvis".utf8), Array("ee".utf8), Array(" ".utf8),
    ]
    var bytes: [UInt8] = []
    while bytes.count < 5000 {
        bytes += pieces[Int(generator.next() % UInt64(pieces.count))]
    }
    return bytes
}()

private func byteflow(
    _ arguments: String..., input: ToolInput = .empty, directory: String? = nil
) throws -> ToolRun {
    try ToolHarness.run(arguments, input: input, directory: directory)
}

@Suite("byteflow tool")
struct ToolTests {
    // MARK: replace: input, output, options

    @Test func classicInputFromFileToStandardOutput() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/classic.txt", classicInput)
            let run = try byteflow("replace", "elvis", "Elvis", "\(dir)/classic.txt")
            #expect(run.exited(0))
            #expect(run.errors.isEmpty)
            #expect(run.output == classicOutput)
        }
    }

    @Test func standardInputToStandardOutput() throws {
        let fromPipe = try byteflow("replace", "elvis", "Elvis", input: .pipe(classicInput))
        #expect(fromPipe.exited(0))
        #expect(fromPipe.output == classicOutput)
        let fromDash = try byteflow("replace", "elvis", "Elvis", "-", input: .bytes(classicInput))
        #expect(fromDash.exited(0))
        #expect(fromDash.output == classicOutput)
    }

    @Test func fileToOutputFile() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            for arguments in [
                ["-o", "\(dir)/out"], ["-o\(dir)/out"], ["--output", "\(dir)/out"], ["--output=\(dir)/out"],
            ] {
                _ = unlink("\(dir)/out")
                let run = try ToolHarness.run(["replace", "elvis", "Elvis", "\(dir)/in"] + arguments)
                #expect(run.exited(0), "\(arguments): \(run.errors)")
                #expect(run.output.isEmpty)
                #expect(ToolHarness.readFile("\(dir)/out") == classicOutput, "\(arguments)")
            }
            #expect(ToolHarness.directoryEntries(dir) == ["in", "out"])
        }
    }

    @Test func relativePathsAndDashOutput() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            let run = try byteflow("replace", "elvis", "Elvis", "in", "-o", "out", directory: dir)
            #expect(run.exited(0), "\(run.errors)")
            #expect(ToolHarness.readFile("\(dir)/out") == classicOutput)
            let toDash = try byteflow("replace", "elvis", "Elvis", "in", "-o", "-", directory: dir)
            #expect(toDash.output == classicOutput)
        }
    }

    static let chunkSizes =
        Array(1...20).map(String.init) + ["64", "4095", "4096", "65537", "1K", "4k", "1M"]

    @Test(arguments: chunkSizes)
    func everyChunkSizeMatchesTheReference(chunkSize: String) throws {
        let expected = ToolHarness.referenceReplace(awkwardInput, Array("elvis".utf8), Array("Elvis!".utf8))
        #expect(expected != awkwardInput)
        for boxed in [false, true] {
            let run = try ToolHarness.run(
                ["replace", "--chunk-size", chunkSize, "elvis", "Elvis!"] + (boxed ? ["--boxed"] : []),
                input: .bytes(awkwardInput))
            #expect(run.exited(0), "\(run.errors)")
            #expect(run.output == expected, "chunk size \(chunkSize), boxed: \(boxed)")
        }
    }

    @Test(arguments: [("ab", "X"), ("aab", ""), ("abab", "<>"), ("a", "aa")])
    func selfOverlappingPatternsAcrossChunks(pattern: String, replacement: String) throws {
        let input = Array("aaabababababaabab\u{0}aab\u{0}".utf8)
        let expected = ToolHarness.referenceReplace(input, Array(pattern.utf8), Array(replacement.utf8))
        for chunkSize in 1...6 {
            let run = try ToolHarness.run(
                ["replace", pattern, replacement, "--chunk-size=\(chunkSize)"], input: .pipe(input))
            #expect(run.exited(0), "\(run.errors)")
            #expect(run.output == expected, "pattern \(pattern.debugDescription), chunk size \(chunkSize)")
        }
    }

    @Test func optionsBeforeBetweenAndAfterOperands() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            let orders: [[String]] = [
                ["--boxed", "--chunk-size", "3", "-o", "out", "elvis", "Elvis", "in"],
                ["elvis", "--chunk-size=3", "Elvis", "-oout", "in", "--boxed"],
                ["elvis", "Elvis", "in", "-o", "out", "--chunk-size", "3"],
            ]
            for arguments in orders {
                _ = unlink("\(dir)/out")
                let run = try ToolHarness.run(["replace"] + arguments, directory: dir)
                #expect(run.exited(0), "\(arguments): \(run.errors)")
                #expect(ToolHarness.readFile("\(dir)/out") == classicOutput, "\(arguments)")
            }
        }
    }

    @Test func doubleDashEndsOptions() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/-o", Array("say -v and --verbose".utf8))
            let run = try byteflow("replace", "--", "-v", "-V", "-o", directory: dir)
            #expect(run.exited(0), "\(run.errors)")
            #expect(run.text == "say -V and --Verbose")
            let withOptionsFirst = try byteflow(
                "replace", "--chunk-size", "2", "--", "--verbose", "-v", "-o", directory: dir)
            #expect(withOptionsFirst.text == "say -v and -v")
        }
    }

    @Test func binaryBytesPassThroughUntouched() throws {
        var input: [UInt8] =
            Array(0...255) + [0, 0, 0xC3, 0x28, 0xFF] + Array("elvis".utf8) + [0, 0xE2, 0x82]
        input += input.reversed()
        let expected = ToolHarness.referenceReplace(input, Array("elvis".utf8), Array("Elvis".utf8))
        for chunkSize in ["1", "7", "1M"] {
            let run = try byteflow(
                "replace", "elvis", "Elvis", "--chunk-size", chunkSize, input: .bytes(input))
            #expect(run.exited(0))
            #expect(run.output == expected)
        }
        let untouched = try byteflow("replace", "absent", "x", input: .bytes(input))
        #expect(untouched.output == input)
    }

    @Test func nonASCIIPatterns() throws {
        let input = Array("Crème brûlée 🎸 crème — 🎸🎸 élvis".utf8)
        let cases = [("è", "e"), ("🎸", "guitar"), ("crème", "CRÈME"), ("—", ""), ("é", "ÉÉ")]
        for (pattern, replacement) in cases {
            let expected = ToolHarness.referenceReplace(input, Array(pattern.utf8), Array(replacement.utf8))
            for chunkSize in ["1", "2", "3", "64"] {
                let run = try byteflow(
                    "replace", pattern, replacement, "--chunk-size", chunkSize, input: .pipe(input))
                #expect(run.exited(0), "\(run.errors)")
                #expect(run.output == expected, "\(pattern) at chunk size \(chunkSize)")
            }
        }
    }

    @Test func emptyInputGivesEmptyOutput() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/empty", [])
            let fromFile = try byteflow("replace", "elvis", "Elvis", "\(dir)/empty")
            #expect(fromFile.exited(0))
            #expect(fromFile.output.isEmpty && fromFile.errors.isEmpty)
            let fromStandardInput = try byteflow("replace", "elvis", "Elvis", "--boxed")
            #expect(fromStandardInput.exited(0))
            #expect(fromStandardInput.output.isEmpty)
            let toFile = try byteflow("replace", "elvis", "Elvis", "\(dir)/empty", "-o", "\(dir)/out")
            #expect(toFile.exited(0))
            #expect(ToolHarness.readFile("\(dir)/out") == [])
        }
    }

    @Test func emptyReplacementDeletes() throws {
        let run = try byteflow("replace", "elvis", "", input: .pipe(classicInput))
        #expect(run.exited(0))
        #expect(run.output == ToolHarness.referenceReplace(classicInput, Array("elvis".utf8), []))
    }

    @Test func outputFromAPipeIsFlushedWhileTheInputStalls() throws {
        // The first line must come out while standard input is still open.
        let input = Pipe()
        let output = Pipe()
        var firstOutput = Data()
        let run = try ToolHarness.run(
            ["replace", "elvis", "Elvis"], input: .handle(input.fileHandleForReading),
            standardOutput: output.fileHandleForWriting, timeout: 60
        ) { _ in
            try input.fileHandleForWriting.write(contentsOf: Data("hello elvis\n".utf8))
            try output.fileHandleForWriting.close()
            firstOutput = output.fileHandleForReading.availableData
            try input.fileHandleForWriting.close()
        }
        #expect(String(decoding: firstOutput, as: UTF8.self) == "hello Elvis\n")
        #expect(run.exited(0))
        #expect(!run.timedOut)
    }

    // MARK: help and version

    @Test(arguments: [
        ["--help"], ["-h"], ["help"], ["replace", "--help"], ["replace", "-h"], ["compare", "--help"],
        ["help", "compare"], ["replace", "x", "--help"], ["--version"], ["compare", "--version"],
    ])
    func helpAndVersionGoToStandardOutput(arguments: [String]) throws {
        let run = try ToolHarness.run(arguments)
        #expect(run.exited(0))
        #expect(run.errors.isEmpty)
        if arguments.contains("--version") {
            #expect(run.text.hasPrefix("byteflow "))
        } else {
            #expect(run.text.hasPrefix("Usage: byteflow"))
        }
        if arguments.contains("replace") { #expect(run.text.contains("FIND REPLACEMENT [FILE]...")) }
        if arguments.contains("compare") && !arguments.contains("--version") {
            #expect(run.text.contains("compare [OPTION]... [FIND REPLACEMENT [FILE]]"))
        }
    }

    // MARK: usage errors: status 2

    @Test(arguments: [
        ([], "missing command"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
        (["help", "nope"], "unknown command 'nope'"),
        (["replace"], "missing FIND and REPLACEMENT operands"),
        (["replace", "elvis"], "missing REPLACEMENT operand"),
        (["replace", "-i", "a", "b"], "--in-place needs at least one FILE"),
        (["replace", "-i", "a", "b", "-"], "standard input ('-') cannot be edited in place"),
        (["replace", "-i", "-o", "out", "a", "b", "f"], "--in-place and --output cannot be used together"),
        (["replace", "-ic", "a", "b", "f"], "--in-place and --count cannot be used together"),
        (["replace", "-c", "-o", "out", "a", "b"], "--count writes no output"),
        (["replace", "a", "b", "-", "f", "-"], "standard input ('-') can be read only once"),
        (["replace", "", "b"], "FIND is empty"),
        (["replace", "--bogus", "a", "b"], "unknown option '--bogus'"),
        (["replace", "-q", "a", "b"], "unknown option '-q'"),
        (["replace", "a", "b", "-o"], "option '-o' needs a value"),
        (["replace", "a", "b", "--output"], "option '--output' needs a value"),
        (["replace", "a", "b", "-o", ""], "output file name is empty"),
        (["replace", "--boxed=yes", "a", "b"], "option '--boxed' takes no value"),
        (["replace", "--chunk-size", "0", "a", "b"], "chunk size must be at least 1 byte (got '0')"),
        (["replace", "--chunk-size=-3", "a", "b"], "chunk size must be at least 1 byte (got '-3')"),
        (["replace", "--chunk-size", "ten", "a", "b"], "invalid chunk size 'ten'"),
        (["replace", "--chunk-size", "1.5K", "a", "b"], "invalid chunk size '1.5K'"),
        (["replace", "--chunk-size", "", "a", "b"], "invalid chunk size ''"),
        (["replace", "--chunk-size", "2G", "a", "b"], "too large"),
        (["replace", "--chunk-size", "99999999999999999999999", "a", "b"], "too large"),
        (["replace", "a", "b", "--chunk-size"], "option '--chunk-size' needs a value"),
        (["compare", "a", "b", "c", "d"], "extra operand 'd'"),
        (["compare", "a"], "missing REPLACEMENT operand after 'a'"),
        (["compare", "", "b"], "FIND is empty"),
        (["compare", "--chunk-size", "0"], "chunk size must be at least 1 byte"),
        (["compare", "--boxed"], "unknown option '--boxed'"),
        (["help", "replace", "compare"], "extra operand 'compare'"),
    ])
    func usageErrorsExitWithStatus2(arguments: [String], message: String) throws {
        let run = try ToolHarness.run(arguments)
        expectUsageError(run, message)
    }

    @Test func usageErrorComesBeforeAnyInputIsRead() throws {
        // Standard input is a pipe that is never written or closed: a usage
        // error must be reported without waiting for it.
        let input = Pipe()
        let run = try ToolHarness.run(
            ["replace", "--chunk-size", "0", "a", "b"], input: .handle(input.fileHandleForReading),
            timeout: 60)
        expectUsageError(run, "chunk size")
        #expect(!run.timedOut)
        try input.fileHandleForWriting.close()
    }

    // MARK: runtime errors: status 1

    @Test func nonexistentInput() throws {
        try ToolHarness.withSandbox { dir in
            let run = try byteflow("replace", "a", "b", "\(dir)/missing.txt")
            expectRuntimeError(run, "'\(dir)/missing.txt'", "No such file or directory")
            #expect(run.output.isEmpty)
        }
    }

    @Test func directoryAsInput() throws {
        try ToolHarness.withSandbox { dir in
            let run = try byteflow("replace", "a", "b", dir)
            expectRuntimeError(run, "'\(dir)'", "Is a directory")
        }
    }

    @Test func directoryAsOutput() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            let run = try byteflow("replace", "a", "b", "\(dir)/in", "-o", dir)
            expectRuntimeError(run, "'\(dir)'", "Is a directory")
            #expect(ToolHarness.directoryEntries(dir) == ["in"])
        }
    }

    @Test func outputInMissingDirectory() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            let run = try byteflow("replace", "a", "b", "\(dir)/in", "-o", "\(dir)/no/such/out")
            expectRuntimeError(run, "'\(dir)/no/such/out'", "No such file or directory")
            #expect(ToolHarness.directoryEntries(dir) == ["in"])
        }
    }

    @Test(
        .enabled(
            if: setprivPath != nil,
            "needs setpriv(1) to drop root privileges: root reads files whatever their permissions"))
    func unreadableInput() throws {
        try ToolHarness.withSandbox { dir in
            // Let the unprivileged user reach the sandbox, but not the file.
            try #require(chmod(dir, 0o755) == 0)
            try ToolHarness.writeFile("\(dir)/secret", classicInput, permissions: 0o000)
            let tool = try #require(ToolHarness.executable)
            let run = try ToolHarness.run(
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", tool, "replace", "a", "b",
                    "\(dir)/secret",
                ],
                executable: setprivPath)
            expectRuntimeError(run, "'\(dir)/secret'", "Permission denied")
        }
    }

    @Test func fullDeviceReportsNoSpace() throws {
        let toOption = try byteflow(
            "replace", "elvis", "Elvis", "-o", "/dev/full", input: .bytes(classicInput))
        expectRuntimeError(toOption, "'/dev/full'", "No space left on device")
        #expect(ToolHarness.isCharacterDevice("/dev/full"))

        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let toStandardOutput = try ToolHarness.run(
            ["replace", "elvis", "Elvis", "--boxed"], input: .bytes(classicInput), standardOutput: full)
        expectRuntimeError(toStandardOutput, "standard output", "No space left on device")
        let help = try ToolHarness.run(["--help"], standardOutput: full)
        expectRuntimeError(help, "standard output", "No space left on device")
        #expect(ToolHarness.isCharacterDevice("/dev/full"))
        #expect(ToolHarness.isCharacterDevice("/dev/null"))
    }

    @Test func nullDeviceIsWrittenInPlace() throws {
        let run = try byteflow("replace", "elvis", "Elvis", "-o", "/dev/null", input: .bytes(classicInput))
        #expect(run.exited(0), "\(run.errors)")
        #expect(ToolHarness.isCharacterDevice("/dev/null"))
        // /dev/null as both input and output is fine: it is not a regular file.
        let both = try byteflow("replace", "elvis", "Elvis", "/dev/null", "-o", "/dev/null")
        #expect(both.exited(0), "\(both.errors)")
        #expect(ToolHarness.isCharacterDevice("/dev/null"))
    }

    @Test func namedPipeIsWrittenInPlace() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            try #require(mkfifo("\(dir)/fifo", 0o644) == 0)
            let tool = try #require(ToolHarness.executable)
            let run = try ToolHarness.run(
                [
                    "-c",
                    "cat fifo > received & \"$0\" replace elvis Elvis in -o fifo; status=$?; wait; exit $status",
                    tool,
                ],
                executable: "/bin/sh", directory: dir, timeout: 60)
            #expect(run.exited(0), "\(run.errors)")
            #expect(ToolHarness.readFile("\(dir)/received") == classicOutput)
            let fifo = try #require(ToolHarness.fileStatus("\(dir)/fifo"))
            #expect(fifo.st_mode & S_IFMT == S_IFIFO)
            #expect(ToolHarness.directoryEntries(dir) == ["fifo", "in", "received"])
        }
    }

    @Test func closedPipeEndsQuietly() throws {
        try ToolHarness.withSandbox { dir in
            let line = Array("elvis has left the building; elvis has left the building\n".utf8)
            try ToolHarness.writeFile("\(dir)/big", Array(repeating: line, count: 200_000).flatMap { $0 })
            let tool = try #require(ToolHarness.executable)
            // The shell makes the pipe, so no other process holds its ends.
            let script = "{ \"$0\" replace elvis Elvis big; echo $? > status; } | head -c 10 > head.out"
            let run = try ToolHarness.run(
                ["-c", script, tool], executable: "/bin/sh", directory: dir, timeout: 60)
            #expect(!run.timedOut)
            #expect(run.exited(0))
            #expect(run.errors.isEmpty, "byteflow should end silently: \(run.errors)")
            #expect(ToolHarness.readFile("\(dir)/head.out") == Array("Elvis has ".utf8))
            let status = String(decoding: ToolHarness.readFile("\(dir)/status") ?? [], as: UTF8.self)
            #expect(status == "\(128 + SIGPIPE)\n", "killed by SIGPIPE, as cat would be")
        }
    }

    // MARK: the output is never the input

    @Test func outputSameAsInputIsRefused() throws {
        try ToolHarness.withSandbox { dir in
            let original = classicInput
            try ToolHarness.writeFile("\(dir)/song.txt", original)
            try #require(mkdir("\(dir)/sub", 0o755) == 0)
            try #require(link("\(dir)/song.txt", "\(dir)/hardlink.txt") == 0)
            try #require(symlink("\(dir)/song.txt", "\(dir)/symlink.txt") == 0)
            let outputs = [
                "\(dir)/song.txt", "\(dir)/sub/../song.txt", "\(dir)//song.txt", "\(dir)/hardlink.txt",
                "\(dir)/symlink.txt",
            ]
            for output in outputs {
                let run = try byteflow("replace", "elvis", "Elvis", "\(dir)/song.txt", "-o", output)
                expectUsageError(
                    run,
                    output == "\(dir)/song.txt" ? "is both the input and the output" : "are the same file")
                #expect(ToolHarness.readFile("\(dir)/song.txt") == original, "\(output) touched the input")
            }
            let fromStandardInput = try ToolHarness.run(
                ["replace", "elvis", "Elvis", "-o", "\(dir)/song.txt"],
                input: .handle(try #require(FileHandle(forReadingAtPath: "\(dir)/song.txt"))))
            expectUsageError(fromStandardInput, "standard input and '\(dir)/song.txt' are the same file")
            // As `cat f >> f` would: appending the output to its own input.
            let appending = try #require(FileHandle(forWritingAtPath: "\(dir)/song.txt"))
            try appending.seekToEnd()
            let toStandardOutput = try ToolHarness.run(
                ["replace", "elvis", "Elvis", "\(dir)/song.txt"], standardOutput: appending)
            expectUsageError(toStandardOutput, "and standard output are the same file")
            #expect(ToolHarness.readFile("\(dir)/song.txt") == original)
            #expect(ToolHarness.directoryEntries(dir) == ["hardlink.txt", "song.txt", "sub", "symlink.txt"])
        }
    }

    // MARK: atomic output

    @Test func failedRunKeepsThePreviousOutputAndItsPermissions() throws {
        try ToolHarness.withSandbox { dir in
            let previous = Array("previous content\n".utf8)
            try ToolHarness.writeFile("\(dir)/out", previous, permissions: 0o640)
            for input in ["\(dir)/missing", dir] {
                let run = try byteflow("replace", "a", "b", input, "-o", "\(dir)/out")
                #expect(run.exited(1), "\(run.errors)")
                #expect(ToolHarness.readFile("\(dir)/out") == previous)
                #expect(ToolHarness.permissions("\(dir)/out") == 0o640)
                #expect(ToolHarness.directoryEntries(dir) == ["out"], "no temporary file left behind")
            }
        }
    }

    @Test func successfulRunKeepsPermissions() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            try ToolHarness.writeFile("\(dir)/out", Array("old".utf8), permissions: 0o604)
            let run = try byteflow("replace", "elvis", "Elvis", "\(dir)/in", "-o", "\(dir)/out")
            #expect(run.exited(0), "\(run.errors)")
            #expect(ToolHarness.readFile("\(dir)/out") == classicOutput)
            #expect(ToolHarness.permissions("\(dir)/out") == 0o604)

            let newFile = try byteflow("replace", "elvis", "Elvis", "\(dir)/in", "-o", "\(dir)/new")
            #expect(newFile.exited(0))
            let mask = umask(0o022)
            umask(mask)
            #expect(ToolHarness.permissions("\(dir)/new") == 0o666 & ~Int(mask))
            #expect(ToolHarness.directoryEntries(dir) == ["in", "new", "out"])
        }
    }

    @Test func outputThroughSymbolicLinkReplacesTheTarget() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", classicInput)
            try ToolHarness.writeFile("\(dir)/target", Array("old".utf8), permissions: 0o600)
            try #require(symlink("target", "\(dir)/link") == 0)
            let run = try byteflow("replace", "elvis", "Elvis", "\(dir)/in", "-o", "\(dir)/link")
            #expect(run.exited(0), "\(run.errors)")
            var info = stat()
            #expect(
                lstat("\(dir)/link", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link stays a link")
            #expect(ToolHarness.readFile("\(dir)/target") == classicOutput)
            #expect(ToolHarness.permissions("\(dir)/target") == 0o600)
            #expect(ToolHarness.directoryEntries(dir) == ["in", "link", "target"])
        }
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func interruptedRunRemovesTheTemporaryFile(signalNumber: Int32) throws {
        try ToolHarness.withSandbox { dir in
            let previous = Array("previous".utf8)
            try ToolHarness.writeFile("\(dir)/out", previous, permissions: 0o640)
            // Standard input stays open, so the run waits until it is signalled.
            let input = Pipe()
            var sawTemporaryFile = false
            let run = try ToolHarness.run(
                ["replace", "elvis", "Elvis", "-o", "\(dir)/out"], input: .handle(input.fileHandleForReading),
                timeout: 60
            ) { pid in
                try input.fileHandleForWriting.write(contentsOf: Data("elvis".utf8))
                for _ in 0..<2000 where !sawTemporaryFile {
                    sawTemporaryFile = ToolHarness.directoryEntries(dir).count > 1
                    if !sawTemporaryFile { usleep(5000) }
                }
                kill(pid, signalNumber)
            }
            try input.fileHandleForWriting.close()
            #expect(sawTemporaryFile, "the temporary file should exist while the run waits")
            #expect(run.signaled && run.status == signalNumber, "ended by the signal, status \(run.status)")
            #expect(ToolHarness.directoryEntries(dir) == ["out"], "the temporary file is removed")
            #expect(ToolHarness.readFile("\(dir)/out") == previous)
        }
    }

    // MARK: compare

    @Test func compareClassicPrintsATable() throws {
        let run = try byteflow("compare", "--quick")
        #expect(run.exited(0), "\(run.errors)")
        #expect(run.errors.isEmpty)
        let lines = run.text.split(separator: "\n")
        #expect(run.text.contains("classic 119-byte input"))
        #expect(run.text.contains("same 119 bytes of output"))
        let header = try #require(lines.first { $0.hasPrefix("pipeline") })
        #expect(
            header.contains("chunk size") && header.contains("ns per run")
                && header.contains("boxed/specialized"))
        let rows = lines.filter { $0.hasPrefix("specialized ") || $0.hasPrefix("boxed ") }
        #expect(rows.count == 6, "whole input, 16 B and 1 B, two pipelines each")
        #expect(rows.filter { $0.hasPrefix("boxed ") }.allSatisfy { $0.hasSuffix("×") })
        #expect(Set(rows.map(\.count)).count <= 2, "rows are aligned")
        #expect(run.text.contains("how many times longer"))
    }

    @Test func compareOnAFileWithAChunkSize() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", awkwardInput)
            let run = try byteflow("compare", "--quick", "--chunk-size", "7", "elvis", "Elvis", "\(dir)/in")
            #expect(run.exited(0), "\(run.errors)")
            #expect(run.text.contains("'\(dir)/in'"))
            let rows = run.text.split(separator: "\n").filter {
                $0.hasPrefix("specialized ") || $0.hasPrefix("boxed ")
            }
            #expect(rows.count == 4)
            #expect(rows.contains { $0.contains(" 7 B ") })
        }
    }

    @Test func compareReportsAMissingFile() throws {
        try ToolHarness.withSandbox { dir in
            let run = try byteflow("compare", "elvis", "Elvis", "\(dir)/missing")
            expectRuntimeError(run, "'\(dir)/missing'", "No such file or directory")
        }
    }
}
