import ByteFlow
import Foundation
import Testing

@testable import ByteFlowCLI

#if canImport(Glibc)
    import Glibc
#endif

// The tool's logic in process, through the ByteFlowCLI library target:
// parsing, quoting, escapes, sizes, the progress line and statistics, and
// whole runs with files in place of the standard streams.

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func parse(_ arguments: [String]) throws(UsageError) -> Command {
    try parseArguments(arguments.map(bytes))
}

private func replaceRequest(_ arguments: [String]) throws -> ReplaceRequest {
    guard case .replace(let request) = try parse(["replace"] + arguments) else {
        Issue.record("not a replace command: \(arguments)")
        throw POSIXError(.EINVAL)
    }
    return request
}

/// The escapes of `--escapes`, the obvious way: for checking `unescape`.
private func referenceUnescape(_ text: [UInt8]) -> [UInt8]? {
    let table: [UInt8: UInt8] = [0x5C: 0x5C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09, 0x30: 0x00]
    var out: [UInt8] = []
    var index = 0
    while index < text.count {
        if text[index] != 0x5C {
            out.append(text[index])
            index += 1
            continue
        }
        guard index + 1 < text.count else { return nil }
        if let mapped = table[text[index + 1]] {
            out.append(mapped)
            index += 2
        } else if text[index + 1] == UInt8(ascii: "x"), index + 3 < text.count + 0,
            let value = UInt8(String(decoding: text[index + 2..<index + 4], as: UTF8.self), radix: 16),
            text[index + 2..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        {
            out.append(value)
            index += 4
        } else {
            return nil
        }
    }
    return out
}

/// Runs the tool in process with files as its standard streams.
private struct InProcessRun {
    var status: Int32
    var output: [UInt8]
    var errors: String

    init(_ arguments: [[UInt8]], input: [UInt8] = [], terminal: Bool = false, width: Int = 80) throws {
        func temporary(_ content: [UInt8]) throws -> Int32 {
            var template = Array("/tmp/byteflow-inprocess.XXXXXX".utf8CString)
            let fd = mkstemp(&template)
            try #require(fd >= 0)
            unlink(template)
            _ = content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            lseek(fd, 0, SEEK_SET)
            return fd
        }
        func readBack(_ fd: Int32) -> [UInt8] {
            lseek(fd, 0, SEEK_SET)
            var result: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                result += buffer[..<count]
            }
            return result
        }
        let stdin = try temporary(input)
        let stdout = try temporary([])
        let stderr = try temporary([])
        defer {
            close(stdin)
            close(stdout)
            close(stderr)
        }
        status = ByteflowTool.run(
            arguments,
            environment: ToolEnvironment(
                standardInput: stdin, standardOutput: stdout, standardError: stderr,
                standardErrorIsTerminal: terminal, terminalWidth: width))
        output = readBack(stdout)
        errors = String(decoding: readBack(stderr), as: UTF8.self)
    }

    init(_ arguments: String..., input: [UInt8] = [], terminal: Bool = false) throws {
        try self.init(arguments.map(bytes), input: input, terminal: terminal)
    }
}

@Suite("byteflow tool logic, in process")
struct ToolLogicTests {
    // MARK: arguments

    @Test func argumentsAreKeptAsBytes() throws {
        let find: [UInt8] = [0xFF, 0x00 + 0x41, 0xC3]
        let file: [UInt8] = bytes("f") + [0xFF, 0x0A] + bytes(".txt")
        let command = try parseArguments([bytes("replace"), find, [0xEF, 0xBF, 0xBD], file, bytes("-")])
        let expected = ReplaceRequest(
            rules: [ReplaceRule(find: find, replacement: [0xEF, 0xBF, 0xBD])],
            inputs: [.file(file), .standardInput])
        #expect(command == .replace(expected))
    }

    @Test func optionsRepeatInOrderAndCluster() throws {
        // A command that takes a repeated option (`-e` as issue 10 adds it)
        // receives one token per occurrence, in order.
        let options = [
            OptionSpec("expression", short: "e", takesValue: true), OptionSpec("in-place", short: "i"),
        ]
        var scanner = OptionScanner(
            [bytes("-e"), bytes("a=b"), bytes("-ie"), bytes("c=d"), bytes("--expression=e=f"), bytes("x")],
            options: options, topic: .replace)
        var tokens: [Token] = []
        while let token = try scanner.next() { tokens.append(token) }
        #expect(
            tokens == [
                .option("expression", bytes("a=b")), .option("in-place", nil),
                .option("expression", bytes("c=d")),
                .option("expression", bytes("e=f")), .operand(bytes("x")),
            ])
        let request = try replaceRequest(
            ["-ixc", "--stats", "a", "b", "f"].filter { $0 != "-ixc" } + ["-ix"])
        #expect(request.output == .inPlace)
        #expect(request.stats)
    }

    @Test func outputModes() throws {
        #expect(try replaceRequest(["a", "b"]).output == .standardOutput)
        #expect(try replaceRequest(["a", "b", "-o", "-"]).output == .standardOutput)
        #expect(try replaceRequest(["a", "b", "-oout"]).output == .file(bytes("out")))
        #expect(try replaceRequest(["-c", "a", "b", "f", "g"]).output == .count)
        #expect(
            try replaceRequest(["-c", "a", "b", "f", "g"]).inputs == [.file(bytes("f")), .file(bytes("g"))])
        #expect(try replaceRequest(["--in-place", "a", "b", "f"]).output == .inPlace)
        #expect(
            try replaceRequest(["--", "-i", "b"]).rules == [
                ReplaceRule(find: bytes("-i"), replacement: bytes("b"))
            ])
    }

    @Test func usageMessagesAreOneLine() throws {
        let awkward: [[UInt8]] = [[0x0A], bytes("a\nb"), [0x1B, 0x5B, 0x33, 0x31, 0x6D], [0xFF, 0x0D]]
        for argument in awkward {
            for arguments in [
                [argument], [bytes("replace"), argument], [bytes("replace"), bytes("--") + argument],
                [bytes("replace"), bytes("-x"), bytes("\\q") + argument, bytes("r")],
                [bytes("compare"), argument, bytes("b"), bytes("c"), argument],
            ] {
                do {
                    _ = try parseArguments(arguments)
                } catch {
                    #expect(
                        !error.message.contains("\n") && !error.message.contains("\r"), "\(error.message)")
                    #expect(!error.message.contains("\u{1B}"), "\(error.message)")
                }
            }
        }
    }

    @Test func helpHelpAndHelpTopics() throws {
        #expect(try parse(["help", "help"]) == .help(.help))
        #expect(try parse(["help", "--help"]) == .help(.help))
        #expect(try parse(["help", "replace"]) == .help(.replace))
        #expect(try parse(["help"]) == .help(.general))
        #expect(helpText(.help).hasPrefix("Usage: byteflow help [COMMAND]"))
    }

    @Test func compareOperands() throws {
        #expect(try parse(["compare"]) == .compare(CompareRequest()))
        let request = try parse(["compare", "-x", "\\0", "b", "-", "--chunk-size", "1KB"])
        var expected = CompareRequest()
        expected.rule = ReplaceRule(find: [0], replacement: bytes("b"))
        expected.input = .standardInput
        expected.chunkSize = 1000
        #expect(request == .compare(expected))
    }

    // MARK: quoting

    @Test func quotingExamples() {
        #expect(quoted(bytes("a.txt")) == "'a.txt'")
        #expect(quoted([]) == "''")
        #expect(quoted(bytes("no\nsuch")) == "'no'$'\\n''such'")
        #expect(quoted(bytes("f") + [0xFF] + bytes(".txt")) == "'f'$'\\xff''.txt'")
        #expect(quoted(bytes("it's")) == "'it'\\''s'")
        #expect(quoted(bytes("Crème 🎸")) == "'Crème 🎸'")
        #expect(quoted([0xC2, 0x85]) == "$'\\xc2\\x85'", "a C1 control character is escaped")
    }

    @Test func quotedNamesReadBackAsTheSameBytesInAShell() throws {
        var generator = SeededRandom(seed: 0x51_0E_7E)
        var names: [[UInt8]] = [
            bytes("plain"), bytes("it's"), [0x0A], [0xFF, 0xFE], bytes("tab\there"), [0x27, 0x27],
        ]
        let alphabet: [UInt8] = [
            0x01, 0x09, 0x0A, 0x0D, 0x1B, 0x20, 0x22, 0x24, 0x27, 0x5C, 0x61, 0x7F, 0x80, 0xC3, 0xA9, 0xE2,
            0x82, 0xAC, 0xFF,
        ]
        for _ in 0..<200 {
            let length = Int(generator.next() % 12) + 1
            names.append((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        let script = "printf '%s\\0' " + names.map(quoted).joined(separator: " ")
        for name in names {
            let text = quoted(name)
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(text)")
        }
        let run = try ToolHarness.run(["-c", script], executable: "/bin/bash")
        #expect(run.exited(0), "\(run.errors)")
        let echoed = run.output.split(separator: 0, omittingEmptySubsequences: false).dropLast().map(
            Array.init)
        #expect(echoed == names)
    }

    // MARK: escapes

    @Test func escapesAgainstAReference() throws {
        var generator = SeededRandom(seed: 0xE5_CA_9E)
        let pieces: [[UInt8]] = [
            bytes("\\\\"), bytes("\\n"), bytes("\\r"), bytes("\\t"), bytes("\\0"), bytes("\\x41"),
            bytes("\\xfF"),
            bytes("a"), [0xFF], bytes("\\x"), bytes("\\q"), bytes("\\"), bytes("x4"), bytes("0"),
        ]
        for _ in 0..<2000 {
            let count = Int(generator.next() % 5) + 1
            let text = (0..<count).flatMap { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
            let expected = referenceUnescape(text)
            do {
                let actual = try unescape(text, role: "FIND", topic: .replace)
                #expect(actual == expected, "\(quoted(text))")
            } catch {
                #expect(expected == nil, "\(quoted(text)): \(error.message)")
                #expect(error.message.contains("escape"))
            }
        }
    }

    // MARK: sizes

    @Test func chunkSizeUnits() throws {
        let cases: [(String, Int)] = [
            ("1", 1), ("64K", 65536), ("64k", 65536), ("64KiB", 65536), ("64kib", 65536), ("64KB", 64000),
            ("64kb", 64000), ("3M", 3 << 20), ("3MiB", 3 << 20), ("3MB", 3_000_000), ("1G", 1 << 30),
            ("1GiB", 1 << 30), ("1GB", 1_000_000_000), ("1073741824", 1 << 30),
        ]
        for (text, value) in cases {
            #expect(try parseChunkSize(bytes(text), topic: .replace) == value, "\(text)")
        }
        for bad in [
            "", "K", "1.5K", "1 K", "1KK", "1KI", "-1", "0", "0K", "2G", "1025MiB", "1T",
            "99999999999999999999999",
        ] {
            #expect(throws: UsageError.self, "\(bad)") { try parseChunkSize(bytes(bad), topic: .replace) }
        }
    }

    // MARK: progress line and statistics

    @Test func progressLineWithAKnownSize() {
        let progress = ProgressReport(
            bytesDone: 50 << 20, totalBytes: 100 << 20, elapsedNanoseconds: 2_000_000_000, isFinished: false)
        let line = progressLine(progress, name: "'big.log'", width: 80)
        #expect(line.hasPrefix("\r'big.log'"))
        #expect(line.hasSuffix("\u{1B}[K"))
        #expect(line.contains("50.0 MiB of 100.0 MiB"))
        #expect(line.contains("50%"))
        #expect(line.contains("25.0 MiB/s"))
        #expect(line.contains("0:02 left"))
        #expect(!line.contains("\n"))
    }

    @Test func progressLineWithoutASizeAndInANarrowTerminal() {
        let progress = ProgressReport(
            bytesDone: 3 << 10, totalBytes: nil, elapsedNanoseconds: 1_000_000_000, isFinished: false)
        let line = progressLine(progress, name: "'standard input'", width: 80)
        #expect(line.contains("3 KiB"))
        #expect(line.contains("3 KiB/s"))
        #expect(!line.contains("%") && !line.contains("left"))
        let long = progressLine(
            ProgressReport(bytesDone: 1, totalBytes: 2, elapsedNanoseconds: 1, isFinished: false),
            name: "'" + String(repeating: "n", count: 200) + "'", width: 60)
        #expect(
            long.count - "\r".count - "\u{1B}[K".count <= 59, "fits the terminal: \(long.debugDescription)")
        #expect(long.contains("…"))
        #expect(durationLabel(3725) == "1:02:05")
        #expect(durationLabel(7) == "0:07")
    }

    @Test func statsTableAligns() {
        let table = statsTable(
            [
                FileCounts(name: "'a.txt'", matches: 3, bytesRead: 119, bytesWritten: 119),
                FileCounts(name: "standard input", matches: 12, bytesRead: 5, bytesWritten: 50),
            ], seconds: 0.25)
        let lines = table.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("matches"))
        #expect(lines[3].contains("total (2 inputs, 0.250 s)"))
        #expect(lines[3].hasPrefix("     15"))
        #expect(Set(lines.map { $0.firstIndex(of: "'") ?? $0.endIndex }).count >= 1)
    }

    // MARK: whole runs in process

    @Test func severalFilesConcatenateAndCount() throws {
        try ToolHarness.withSandbox { dir in
            let first = bytes("elvis and elvis\n")
            let second: [UInt8] = [0, 0xFF] + bytes("elvielvis")
            try ToolHarness.writeFile("\(dir)/one", first)
            try ToolHarness.writeFile("\(dir)/two", second)
            let run = try InProcessRun(
                "replace", "elvis", "Elvis", "\(dir)/one", "-", "\(dir)/two", input: bytes("elvis"))
            #expect(run.status == 0, "\(run.errors)")
            let find = bytes("elvis")
            let replacement = bytes("Elvis")
            #expect(
                run.output
                    == ToolHarness.referenceReplace(first, find, replacement)
                    + replacement + ToolHarness.referenceReplace(second, find, replacement))
            let count = try InProcessRun(
                "replace", "-c", "elvis", "x", "\(dir)/one", "-", "\(dir)/two", input: find)
            #expect(count.status == 0)
            #expect(count.output == bytes("4\n"))
            #expect(count.errors.isEmpty)
        }
    }

    @Test func statsGoToStandardError() throws {
        for (find, replacement) in [("elvis", "Elvis"), ("elvis", "E"), ("elvis", "The King")] {
            let input = bytes("elvis, elvis and elvi elvis")
            let run = try InProcessRun("replace", "--stats", find, replacement, input: input)
            #expect(run.status == 0)
            #expect(run.output == ToolHarness.referenceReplace(input, bytes(find), bytes(replacement)))
            let lines = run.errors.split(separator: "\n")
            #expect(lines.count == 3, "\(run.errors)")
            #expect(lines[1].split(separator: " ").first == "3", "\(run.errors)")
            #expect(lines[1].hasSuffix("standard input"))
            #expect(lines[2].contains("total (1 input"))
        }
    }

    @Test func progressDrawsOnlyOnATerminal() throws {
        let input = [UInt8](repeating: UInt8(ascii: "e"), count: 10_000)
        let quiet = try InProcessRun("replace", "--progress", "e", "E", input: input)
        #expect(quiet.status == 0)
        #expect(quiet.errors.isEmpty, "not a terminal: nothing drawn")
        let drawn = try InProcessRun("replace", "--progress", "e", "E", input: input, terminal: true)
        #expect(drawn.status == 0)
        #expect(drawn.output == [UInt8](repeating: UInt8(ascii: "E"), count: 10_000))
        #expect(
            drawn.errors.hasSuffix(progressLineClear),
            "the line is cleared at the end: \(drawn.errors.debugDescription)")
        #expect(!drawn.errors.contains("\n"))
    }

    @Test func oneFailingFileDoesNotStopTheOthers() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/good", bytes("elvis"))
            let run = try InProcessRun(
                "replace", "elvis", "Elvis", "\(dir)/missing", "\(dir)/good", dir, "\(dir)/good")
            #expect(run.status == 1)
            #expect(run.output == bytes("ElvisElvis"))
            let lines = run.errors.split(separator: "\n")
            #expect(lines.count == 2, "\(run.errors)")
            #expect(lines[0].contains("'\(dir)/missing'") && lines[0].contains("No such file or directory"))
            #expect(lines[1].contains("'\(dir)'") && lines[1].contains("Is a directory"))
        }
    }

    // MARK: the -o permission check, as another user

    #if os(Linux)
        @Test(.enabled(if: getuid() == 0, "needs root to change the file-system user id"))
        func outputPlanAsksTheKernelAsTheUserWouldBeAsked() throws {
            try ToolHarness.withSandbox { dir in
                try #require(chmod(dir, 0o755) == 0)
                try ToolHarness.writeFile("\(dir)/mine", bytes("x"), permissions: 0o644)
                try ToolHarness.writeFile("\(dir)/readonly", bytes("x"), permissions: 0o444)
                // setfsuid(2) changes the ids the kernel checks file access
                // against, for this thread only, and drops root's override.
                // Glibc's module map does not export them: look them up.
                typealias SetID = @convention(c) (UInt32) -> Int32
                let library = dlopen(nil, RTLD_NOW)
                let setfsuid = unsafeBitCast(try #require(dlsym(library, "setfsuid")), to: SetID.self)
                let setfsgid = unsafeBitCast(try #require(dlsym(library, "setfsgid")), to: SetID.self)
                func asNobody<Result>(_ body: () -> Result) -> Result {
                    let previousGroup = setfsgid(65534)
                    let previousUser = setfsuid(65534)
                    defer {
                        _ = setfsuid(UInt32(previousUser))
                        _ = setfsgid(UInt32(previousGroup))
                    }
                    return body()
                }
                let asRoot = Result { () throws(FileFailure) in
                    try OutputPlan.output(FilePath(bytes("\(dir)/readonly")))
                }
                #expect((try? asRoot.get()) != nil, "root may write a 0444 file, as '>' may")
                for name in ["mine", "readonly"] {
                    let plan = asNobody {
                        Result { () throws(FileFailure) in
                            try OutputPlan.output(FilePath(bytes("\(dir)/\(name)")))
                        }
                    }
                    switch plan {
                    case .success: Issue.record("nobody may not write \(name)")
                    case .failure(let failure):
                        #expect(failure.message == "cannot write to '\(dir)/\(name)': Permission denied")
                    }
                }
                #expect(ToolHarness.directoryEntries(dir) == ["mine", "readonly"])
            }
        }
    #endif
}

@Suite("ProgressTransform")
struct ProgressTransformTests {
    /// The reports of one run, gathered by the handler.
    final class Reports: @unchecked Sendable {
        var all: [ProgressReport] = []
    }

    @Test func everyChunkingBothPipelines() throws {
        var generator = SeededRandom(seed: 0x9A_06_7E)
        let input = (0..<5000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for interval in [1, 7, 1000, 100_000] {
            for chunking in chunkings(for: input.count, using: &generator) {
                for boxed in [false, true] {
                    let reports = Reports()
                    let stage = ProgressTransform(totalBytes: input.count, everyBytes: interval) {
                        reports.all.append($0)
                    }
                    let output: [UInt8]
                    if boxed {
                        output = try runBoxed(input, chunking, through: [stage]).output
                    } else {
                        output = try runSpecialized(input, chunking, through: stage).output
                    }
                    #expect(output == input)
                    let done = reports.all.map { $0.bytesDone }
                    #expect(done == done.sorted(), "reports are in order")
                    #expect(reports.all.last?.isFinished == true)
                    #expect(reports.all.filter { $0.isFinished }.count == 1)
                    #expect(reports.all.last?.bytesDone == input.count)
                    #expect(reports.all.allSatisfy { $0.totalBytes == input.count })
                    // Between two reports at least `interval` bytes passed
                    // (except before the final one).
                    let steps = zip([0] + done, done).dropLast().map { $1 - $0 }
                    #expect(steps.allSatisfy { $0 >= interval }, "interval \(interval): \(steps.prefix(5))")
                    // No more reports than intervals plus the final one.
                    #expect(reports.all.count <= input.count / interval + 1)
                    #expect(reports.all.last?.fraction == 1)
                }
            }
        }
    }

    @Test func timeIntervalReportsASlowStream() throws {
        /// A source that takes about a millisecond per chunk.
        struct SlowSource: ByteSource {
            var remaining = 30
            mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
                guard remaining > 0 else { return false }
                remaining -= 1
                usleep(1_000)
                try [UInt8](repeating: 7, count: 10).withUnsafeBytes { try body(RawSpan(_unsafeBytes: $0)) }
                return true
            }
        }
        let reports = Reports()
        var pipeline = SlowSource()
            .transformed(by: ProgressTransform(everyMilliseconds: 5) { reports.all.append($0) })
            .into(DiscardSink())
        try pipeline.run()
        let timed = reports.all.filter { !$0.isFinished }
        // 30 chunks of at least 1 ms each: at least 30 ms, so at least 2
        // reports at 5 ms; and never more than one per 5 ms elapsed (a
        // loaded machine makes the run longer, not the reports denser).
        let elapsed = try #require(reports.all.last?.elapsedNanoseconds)
        #expect(timed.count >= 2, "\(timed.count) reports in \(elapsed) ns at 5 ms")
        #expect(UInt64(timed.count) <= elapsed / 5_000_000, "\(timed.count) reports in \(elapsed) ns")
        #expect(reports.all.last?.bytesDone == 300)
        #expect(reports.all.last?.totalBytes == nil && reports.all.last?.fraction == nil)
        let times = reports.all.map { $0.elapsedNanoseconds }
        #expect(times == times.sorted())
        #expect(
            zip(timed.dropFirst(), timed).allSatisfy {
                $0.elapsedNanoseconds - $1.elapsedNanoseconds >= 5_000_000
            })
    }
}
