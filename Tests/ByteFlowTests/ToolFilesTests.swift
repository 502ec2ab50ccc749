import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Several files, in-place editing, counting and statistics, through the
// built binary: what `Documentation/Tool.md` promises.

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private let find = bytes("elvis")
private let replacement = bytes("Elvis")

@Suite("byteflow tool: files, in place, counts")
struct ToolFilesTests {
    @Test func inPlaceEditsEachFileKeepingModeAndLinks() throws {
        try ToolHarness.withSandbox { dir in
            let contents = [bytes("elvis\n"), bytes("no match\n"), bytes("elvis elvis") + [0, 0xFF]]
            try ToolHarness.writeFile("\(dir)/a", contents[0], permissions: 0o640)
            try ToolHarness.writeFile("\(dir)/b", contents[1], permissions: 0o600)
            try ToolHarness.writeFile("\(dir)/target", contents[2], permissions: 0o751)
            try #require(symlink("target", "\(dir)/link") == 0)
            try #require(link("\(dir)/a", "\(dir)/a-hardlink") == 0)
            let run = try ToolHarness.run(
                ["replace", "-i", "elvis", "Elvis", "a", "b", "link"], directory: dir)
            #expect(run.exited(0), "\(run.errors)")
            #expect(run.output.isEmpty)
            #expect(
                ToolHarness.readFile("\(dir)/a")
                    == ToolHarness.referenceReplace(contents[0], find, replacement))
            #expect(ToolHarness.readFile("\(dir)/b") == contents[1])
            #expect(
                ToolHarness.readFile("\(dir)/target")
                    == ToolHarness.referenceReplace(contents[2], find, replacement))
            #expect(ToolHarness.permissions("\(dir)/a") == 0o640)
            #expect(ToolHarness.permissions("\(dir)/b") == 0o600)
            #expect(ToolHarness.permissions("\(dir)/target") == 0o751)
            var info = stat()
            #expect(
                lstat("\(dir)/link", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link stays a link")
            // Documented: the file is replaced, so another hard link keeps
            // the old content (as with sed -i).
            #expect(ToolHarness.readFile("\(dir)/a-hardlink") == contents[0])
            #expect(ToolHarness.directoryEntries(dir) == ["a", "a-hardlink", "b", "link", "target"])
        }
    }

    @Test func inPlaceReportsEachFailureAndGoesOn() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/a", bytes("elvis"))
            try ToolHarness.writeFile("\(dir)/z", bytes("elvis"))
            try #require(mkfifo("\(dir)/fifo", 0o644) == 0)
            try #require(mkdir("\(dir)/sub", 0o755) == 0)
            let run = try ToolHarness.run(
                ["replace", "-i", "elvis", "Elvis", "a", "missing", "fifo", "sub", "/dev/null", "z"],
                directory: dir,
                timeout: 60)
            expectFailures(
                run,
                [
                    ["'missing'", "No such file or directory"], ["'fifo'", "not a regular file"],
                    ["'sub'", "not a regular file"], ["'/dev/null'", "not a regular file"],
                ])
            #expect(ToolHarness.readFile("\(dir)/a") == replacement)
            #expect(ToolHarness.readFile("\(dir)/z") == replacement)
            #expect(ToolHarness.isCharacterDevice("/dev/null"))
            #expect(ToolHarness.directoryEntries(dir) == ["a", "fifo", "sub", "z"], "no temporary file left")
        }
    }

    @Test func severalFilesAreConcatenatedLikeSed() throws {
        try ToolHarness.withSandbox { dir in
            let pieces = [bytes("one elvis\n"), bytes("elv"), bytes("is two\n"), []]
            for (index, piece) in pieces.enumerated() { try ToolHarness.writeFile("\(dir)/\(index)", piece) }
            let run = try ToolHarness.run(["replace", "elvis", "Elvis", "0", "1", "2", "3"], directory: dir)
            #expect(run.exited(0), "\(run.errors)")
            // Each file is matched on its own: "elv" + "is" is no match.
            #expect(run.output == pieces.flatMap { ToolHarness.referenceReplace($0, find, replacement) })
            let toFile = try ToolHarness.run(
                ["replace", "elvis", "Elvis", "0", "2", "-o", "out"], directory: dir)
            #expect(toFile.exited(0))
            #expect(ToolHarness.readFile("\(dir)/out") == bytes("one Elvis\nis two\n"))
        }
    }

    @Test func outputFileIsLeftUnchangedWhenAnInputFails() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/in", bytes("elvis"))
            try ToolHarness.writeFile("\(dir)/out", bytes("previous"))
            let run = try ToolHarness.run(
                ["replace", "elvis", "Elvis", "in", "missing", "-o", "out"], directory: dir)
            expectFailures(
                run, [["'missing'", "No such file"], ["'out' left unchanged because an input failed"]])
            #expect(ToolHarness.readFile("\(dir)/out") == bytes("previous"))
            #expect(ToolHarness.directoryEntries(dir) == ["in", "out"])
        }
    }

    @Test func countPrintsOneNumber() throws {
        try ToolHarness.withSandbox { dir in
            let first = bytes("elvis elvielvis eelvis")
            let second = [UInt8](repeating: UInt8(ascii: "e"), count: 10) + find + [0] + find
            try ToolHarness.writeFile("\(dir)/a", first)
            try ToolHarness.writeFile("\(dir)/b", second)
            for chunkSize in ["1", "3", "1M"] {
                let run = try ToolHarness.run(
                    ["replace", "-c", "--chunk-size", chunkSize, "elvis", "ignored", "a", "b"], directory: dir
                )
                #expect(run.exited(0), "\(run.errors)")
                #expect(run.text == "5\n")
                #expect(run.errors.isEmpty)
            }
            let none = try ToolHarness.run(["replace", "--count", "absent", "x"], input: .bytes(first))
            #expect(none.text == "0\n")
            let nul = try ToolHarness.run(["replace", "-cx", "\\0", ""], input: .bytes(second))
            #expect(nul.text == "1\n")
        }
    }

    @Test func statsListEachInputAndATotal() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/a", bytes("elvis elvis"))
            try ToolHarness.writeFile("\(dir)/b", bytes("elvis"))
            let run = try ToolHarness.run(
                ["replace", "--stats", "elvis", "The King", "a", "b"], directory: dir)
            #expect(run.exited(0), "\(run.errors)")
            #expect(run.text == "The King The KingThe King")
            let rows = run.errorLines.map { $0.split(separator: " ").map(String.init) }
            #expect(rows.count == 4, "\(run.errors)")
            #expect(rows[1] == ["2", "11", "17", "'a'"])
            #expect(rows[2] == ["1", "5", "8", "'b'"])
            #expect(Array(rows[3].prefix(4)) == ["3", "16", "25", "total"])
        }
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalDuringAReadFromAFIFORemovesTheTemporaryFile(signalNumber: Int32) throws {
        try ToolHarness.withSandbox { dir in
            try #require(mkfifo("\(dir)/slow", 0o644) == 0)
            try ToolHarness.writeFile("\(dir)/out", bytes("previous"))
            var sawTemporaryFile = false
            var writer: FileHandle?
            let run = try ToolHarness.run(
                ["replace", "elvis", "Elvis", "slow", "-o", "out"], directory: dir, timeout: 60
            ) { pid in
                // Opening the FIFO for writing waits for the tool to open it.
                writer = FileHandle(forWritingAtPath: "\(dir)/slow")
                try writer?.write(contentsOf: Data("elvis".utf8))
                for _ in 0..<2000 where !sawTemporaryFile {
                    sawTemporaryFile = ToolHarness.directoryEntries(dir).count > 2
                    if !sawTemporaryFile { usleep(5000) }
                }
                kill(pid, signalNumber)
            }
            try writer?.close()
            #expect(sawTemporaryFile, "the temporary file should exist while the run waits")
            #expect(run.signaled && run.status == signalNumber, "ended by the signal, status \(run.status)")
            #expect(ToolHarness.directoryEntries(dir) == ["out", "slow"], "the temporary file is removed")
            #expect(ToolHarness.readFile("\(dir)/out") == bytes("previous"))
        }
    }
}

/// Checks a run that failed for some inputs: status 1, and one line on
/// standard error per failure, each containing its fragments, in order.
private func expectFailures(
    _ run: ToolRun, _ failures: [[String]], sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(run.exited(1), "status \(run.status), stderr: \(run.errors)", sourceLocation: sourceLocation)
    let lines = run.errorLines
    #expect(lines.count == failures.count, "stderr: \(run.errors)", sourceLocation: sourceLocation)
    for (line, fragments) in zip(lines, failures) {
        #expect(line.hasPrefix("byteflow: "), sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(
                line.contains(fragment), "missing '\(fragment)' in: \(line)", sourceLocation: sourceLocation)
        }
    }
}
