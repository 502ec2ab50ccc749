import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// One regression test per defect of issue 12 ("the defects a new user hit"),
// through the built binary. Each failed on the tool as it was before the fix.

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// setpriv(1), to run the tool as `nobody`: root passes every permission
/// check. Shared by the tool's test files.
let setprivPath = ["/usr/bin/setpriv", "/bin/setpriv"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// Runs `byteflow arguments` as user and group 65534 (nobody) via setpriv.
func runAsNobody(_ arguments: [[UInt8]], directory: String? = nil) throws -> ToolRun {
    let tool = try #require(ToolHarness.executable)
    return try ToolHarness.runRaw(
        [bytes("--reuid=65534"), bytes("--regid=65534"), bytes("--clear-groups"), bytes(tool)] + arguments,
        executable: setprivPath, directory: directory)
}

@Suite("byteflow tool: regressions of issue 12")
struct ToolRegressionTests {
    // MARK: 1. arguments that are not valid UTF-8

    @Test func invalidUTF8PatternIsSearchedAsItsBytes() throws {
        let input: [UInt8] = [0x41, 0xFF, 0x42, 0x9B, 0x43, 0xEF, 0xBF, 0xBD, 0x44]
        let run = try ToolHarness.runRaw([bytes("replace"), [0xFF], bytes("X")], input: .bytes(input))
        #expect(run.exited(0), "\(run.errors)")
        #expect(run.output == ToolHarness.referenceReplace(input, [0xFF], bytes("X")))
        #expect(run.output == [0x41, 0x58, 0x42, 0x9B, 0x43, 0xEF, 0xBF, 0xBD, 0x44])
    }

    @Test func invalidUTF8ReplacementIsWrittenAsItsBytes() throws {
        let run = try ToolHarness.runRaw([bytes("replace"), bytes("B"), [0xFF]], input: .bytes(bytes("ABC")))
        #expect(run.exited(0), "\(run.errors)")
        #expect(run.output == [0x41, 0xFF, 0x43])
    }

    @Test func fileNamesThatAreNotUTF8AreOpenedAsTheirBytes() throws {
        try ToolHarness.withSandbox { dir in
            let input: [UInt8] = bytes("f") + [0xFF] + bytes(".txt")
            let decoy = bytes("f\u{FFFD}.txt")
            #expect(creat(ToolHarness.cPath(dir, decoy), 0o644) >= 0)
            let fd = open(ToolHarness.cPath(dir, input), O_CREAT | O_WRONLY, 0o644)
            try #require(fd >= 0)
            _ = bytes("elvis").withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            let output: [UInt8] = bytes("g") + [0xFF] + bytes(".txt")
            let run = try ToolHarness.runRaw(
                [bytes("replace"), bytes("elvis"), bytes("Elvis"), input, bytes("-o"), output], directory: dir
            )
            #expect(run.exited(0), "\(run.errors)")
            #expect(ToolHarness.rawDirectoryEntries(dir).contains(output))
            #expect(!ToolHarness.rawDirectoryEntries(dir).contains(bytes("g\u{FFFD}.txt")))
            // Foundation cannot open a name that is not UTF-8: read it raw.
            let readBack = open(ToolHarness.cPath(dir, output), O_RDONLY)
            try #require(readBack >= 0)
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { read(readBack, $0.baseAddress, 64) }
            close(readBack)
            #expect(Array(buffer.prefix(max(count, 0))) == bytes("Elvis"))
        }
    }

    // MARK: 2. -o onto a file the user cannot write

    @Test(.enabled(if: setprivPath != nil && getuid() == 0, "needs root and setpriv(1) to act as nobody"))
    func outputOntoAFileTheUserCannotWriteFails() throws {
        try ToolHarness.withSandbox { dir in
            try #require(chmod(dir, 0o777) == 0)
            try ToolHarness.writeFile("\(dir)/in", bytes("elvis"))
            try ToolHarness.writeFile("\(dir)/ro.txt", bytes("read-only"), permissions: 0o444)
            try #require(chown("\(dir)/ro.txt", 65534, 65534) == 0)
            try ToolHarness.writeFile("\(dir)/roots.txt", bytes("root's"), permissions: 0o644)
            for (name, content) in [("ro.txt", "read-only"), ("roots.txt", "root's")] {
                let run = try runAsNobody(
                    [
                        bytes("replace"), bytes("elvis"), bytes("Elvis"), bytes("in"), bytes("-o"),
                        bytes(name),
                    ],
                    directory: dir)
                expectRuntimeError(run, "'\(name)'", "Permission denied")
                #expect(ToolHarness.readFile("\(dir)/\(name)") == bytes(content), "\(name) untouched")
                #expect(ToolHarness.fileStatus("\(dir)/roots.txt")?.st_uid == 0, "still root's")
                #expect(ToolHarness.directoryEntries(dir) == ["in", "ro.txt", "roots.txt"])
            }
        }
    }

    // MARK: 3. errors name what failed

    @Test(.enabled(if: setprivPath != nil && getuid() == 0, "needs root and setpriv(1) to act as nobody"))
    func unwritableDirectoryNamesTheTemporaryFile() throws {
        try ToolHarness.withSandbox { dir in
            try #require(chmod(dir, 0o755) == 0)
            try #require(mkdir("\(dir)/ro", 0o755) == 0)
            try ToolHarness.writeFile("\(dir)/ro/exists.txt", bytes("old"), permissions: 0o666)
            let run = try runAsNobody(
                [bytes("replace"), bytes("a"), bytes("b"), bytes("-o"), bytes("ro/exists.txt")],
                directory: dir)
            expectRuntimeError(
                run, "cannot create a temporary file in 'ro'", "'ro/exists.txt'", "Permission denied")
            #expect(ToolHarness.readFile("\(dir)/ro/exists.txt") == bytes("old"))
        }
    }

    @Test func readOnlyProcFileIsNotReportedAsMissing() throws {
        let run = try ToolHarness.run(["replace", "a", "b", "-o", "/proc/version"])
        #expect(run.exited(1))
        #expect(!run.errors.contains("cannot create '/proc/version': No such file"), "\(run.errors)")
        #expect(run.errors.contains("/proc"), "\(run.errors)")
    }

    // MARK: 4. every error is one line

    @Test func namesWithNewlinesAndEscapesAreQuoted() throws {
        try ToolHarness.withSandbox { dir in
            let run = try ToolHarness.runRaw(
                [bytes("replace"), bytes("a"), bytes("b"), bytes("no\nsuch\u{1B}[31m")], directory: dir)
            expectRuntimeError(run, "'no'$'\\n''such'$'\\x1b''[31m'", "No such file or directory")
            #expect(!run.errors.contains("\u{1B}"))
        }
    }

    // MARK: 5. NUL and bytes the shell cannot pass

    @Test func escapesFindNULAndWriteAnyByte() throws {
        let input: [UInt8] = [0x61, 0x00, 0x62, 0x0A, 0x09, 0xFF]
        let run = try ToolHarness.run(["replace", "--escapes", "\\0", "\\x00\\t\\\\"], input: .bytes(input))
        #expect(run.exited(0), "\(run.errors)")
        #expect(run.output == [0x61, 0x00, 0x09, 0x5C, 0x62, 0x0A, 0x09, 0xFF])
        let newline = try ToolHarness.run(["replace", "-x", "\\n\\t\\xff", "\\r"], input: .bytes(input))
        #expect(newline.output == [0x61, 0x00, 0x62, 0x0D])
        let literal = try ToolHarness.run(["replace", "\\0", "NUL"], input: .bytes(bytes("a\\0b")))
        #expect(literal.output == bytes("aNULb"), "without --escapes a backslash is a byte")
    }

    @Test(arguments: [["\\q", "x"], ["a", "\\x4"], ["a", "\\xZZ"], ["a\\", "b"]])
    func badEscapesAreUsageErrors(operands: [String]) throws {
        let run = try ToolHarness.run(["replace", "--escapes"] + operands)
        expectUsageError(run, "escape")
    }

    // MARK: 6. small inconsistencies

    @Test func unknownOptionsAreWordedAlike() throws {
        let top = try ToolHarness.run(["-q"])
        let replace = try ToolHarness.run(["replace", "-q", "a", "b"])
        let compare = try ToolHarness.run(["compare", "-q"])
        expectUsageError(top, "unknown option '-q'")
        expectUsageError(replace, "unknown option '-q'")
        expectUsageError(compare, "unknown option '-q'")
        let long = try ToolHarness.run(["replace", "--quiet", "a", "b"])
        expectUsageError(long, "unknown option '--quiet'")
    }

    @Test func helpHelpWorks() throws {
        let run = try ToolHarness.run(["help", "help"])
        #expect(run.exited(0), "\(run.errors)")
        #expect(run.text.hasPrefix("Usage: byteflow help [COMMAND]"))
    }

    @Test(arguments: [
        ("1K", 1024), ("1k", 1024), ("1KiB", 1024), ("1kib", 1024), ("1KB", 1000), ("1kB", 1000),
        ("2M", 2 << 20),
        ("2MiB", 2 << 20), ("2MB", 2_000_000), ("1G", 1 << 30), ("1GiB", 1 << 30), ("1GB", 1_000_000_000),
        ("5", 5),
    ])
    func chunkSizeSuffixes(text: String, value: Int) throws {
        let run = try ToolHarness.run(
            ["replace", "--chunk-size", text, "elvis", "Elvis"], input: .bytes(bytes("elvis elvis")))
        #expect(run.exited(0), "\(text): \(run.errors)")
        #expect(run.text == "Elvis Elvis")
    }

    @Test func compareShowsARequestedChunkSizeLargerThanTheInput() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/small", bytes("elvis elvis\n"))
            let run = try ToolHarness.run(
                ["compare", "--chunk-size", "1K", "--quick", "elvis", "Elvis", "\(dir)/small"])
            #expect(run.exited(0), "\(run.errors)")
            let rows = run.text.split(separator: "\n").filter { $0.hasPrefix("specialized ") }
            #expect(rows.contains { $0.contains("1 KiB") }, "\(run.text)")
        }
    }

    @Test func compareOnEmptyInputSaysSo() throws {
        let run = try ToolHarness.run(["compare", "--quick", "elvis", "Elvis", "-"])
        #expect(run.exited(0), "\(run.errors)")
        #expect(run.text.contains("empty"), "\(run.text)")
        #expect(!run.text.contains("×"), "no ratio of two empty runs: \(run.text)")
    }

    @Test func compareTakesFindAndReplacement() throws {
        let run = try ToolHarness.run(["compare", "--quick", "king", "KING"])
        #expect(run.exited(0), "\(run.errors)")
        #expect(run.text.contains("\"king\" with \"KING\""), "\(run.text)")
        #expect(run.text.contains("classic 119-byte input"))
    }
}
