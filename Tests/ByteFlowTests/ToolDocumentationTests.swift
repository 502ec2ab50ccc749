import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Runs the tables of Documentation/Tool.md: every row of the error table
// (exact standard error and exit status) and every `byteflow` command of the
// comparison with sed (same output and files as the sed column's command).
// The documentation is the test's input, so the two cannot drift apart.

/// The cells of the rows of the Markdown table that follows `heading`.
private func tableRows(under heading: String) throws -> [[String]] {
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let text = try String(
        contentsOf: package.appendingPathComponent("Documentation/Tool.md"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let start = try #require(lines.firstIndex { $0 == heading }, "no '\(heading)' in Tool.md")
    var rows: [[String]] = []
    var inTable = false
    for line in lines[(start + 1)...] {
        if line.hasPrefix("|") {
            inTable = true
            rows.append(splitRow(String(line)))
        } else if inTable {
            break
        } else if line.hasPrefix("## ") {
            break
        }
    }
    // Drop the header and the |---| line.
    return Array(rows.dropFirst(2))
}

/// Splits `| a | b \| c |` into `["a", "b | c"]`.
private func splitRow(_ line: String) -> [String] {
    var cells: [String] = []
    var current = ""
    var escaped = false
    for character in line.dropFirst() {
        if escaped {
            current.append(character == "|" ? "|" : "\\\(character)")
            escaped = false
        } else if character == "\\" {
            escaped = true
        } else if character == "|" {
            cells.append(current.trimmingCharacters(in: .whitespaces))
            current = ""
        } else {
            current.append(character)
        }
    }
    return cells
}

/// The text of every `code span` in a cell, in order.
private func codeSpans(_ cell: String) -> [String] {
    cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
        .map { String($0.element) }
}

/// Runs `command` with bash in `directory`, with the tool first on PATH.
private func shell(_ command: String, in directory: String) throws -> ToolRun {
    let tool = try #require(ToolHarness.executable)
    let toolDirectory = URL(fileURLWithPath: tool).deletingLastPathComponent().path
    return try ToolHarness.run(
        ["-c", "export PATH='\(toolDirectory)':\"$PATH\"; " + command, "bash"], executable: "/bin/bash",
        directory: directory, timeout: 60)
}

/// The error table's scratch directory (see Tool.md).
private func makeErrorFixtures(_ dir: String) throws {
    try #require(chmod(dir, 0o755) == 0)
    try ToolHarness.writeFile("\(dir)/song.txt", Array("elvis".utf8))
    try #require(link("\(dir)/song.txt", "\(dir)/hard.txt") == 0)
    try #require(mkdir("\(dir)/dir", 0o755) == 0)
    try ToolHarness.writeFile("\(dir)/secret", Array("elvis".utf8), permissions: 0o000)
    try ToolHarness.writeFile("\(dir)/ro.txt", Array("read-only".utf8), permissions: 0o444)
    try #require(mkdir("\(dir)/rodir", 0o755) == 0)
    try ToolHarness.writeFile("\(dir)/rodir/exists.txt", Array("old".utf8), permissions: 0o666)
    try #require(chmod("\(dir)/rodir", 0o555) == 0)
}

/// The comparison table's files (see Tool.md).
private func makeComparisonFixtures(_ dir: String) throws {
    try ToolHarness.writeFile(
        "\(dir)/a.txt", Array("elvis has left\nthe\tbuilding, elvis\ne.l* and e.lll\n".utf8))
    try ToolHarness.writeFile("\(dir)/b.txt", Array("no match here\nelvis elvis elvis\n".utf8))
    try ToolHarness.writeFile("\(dir)/dos.txt", Array("one\r\ntwo elvis\r\n".utf8))
    try ToolHarness.writeFile("\(dir)/dump.bin", [0x41, 0x00, 0x42, 0xFF, 0x00, 0x0A, 0xFF, 0xFE, 0x43])
}

/// Every file below `dir` and its bytes, for comparing two sandboxes.
private func snapshot(_ dir: String) -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    for name in ToolHarness.directoryEntries(dir) {
        result[name] = ToolHarness.readFile("\(dir)/\(name)")
    }
    return result
}

@Suite("Documentation/Tool.md tables")
struct ToolDocumentationTests {
    static let canDropPrivileges =
        getuid() == 0
        && ["/usr/bin/setpriv", "/bin/setpriv"].contains { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func everyErrorRowGivesItsDocumentedMessage() throws {
        let rows = try tableRows(under: "## Errors")
        #expect(rows.count >= 40, "the error table has \(rows.count) rows")
        for row in rows {
            try #require(row.count == 3, "\(row)")
            let command = try #require(codeSpans(row[0]).first, "\(row)")
            if command.hasPrefix("setpriv") && !Self.canDropPrivileges { continue }
            let status = try #require(Int32(row[1]), "\(row)")
            var expected = codeSpans(row[2])
            if row[2].hasSuffix("+ hint") {
                let topic =
                    command.hasPrefix("byteflow replace")
                    ? "replace " : (command.hasPrefix("byteflow compare") ? "compare " : "")
                expected.append("Try 'byteflow \(topic)--help' for more information.")
            }
            if row[2].hasPrefix("nothing") { expected = [] }
            try ToolHarness.withSandbox { dir in
                try makeErrorFixtures(dir)
                let before = snapshot(dir)
                let run = try shell(command, in: dir)
                if command.contains("PIPESTATUS") {
                    #expect(run.text == "141\n", "\(command): \(run.text)")
                } else {
                    #expect(run.exited(status), "\(command): status \(run.status), stderr: \(run.errors)")
                }
                #expect(run.errorLines.map(String.init) == expected, "\(command)")
                if status != 0 {
                    #expect(snapshot(dir) == before, "\(command) changed the files")
                }
                if command.contains("printf '\\0\\377elvis'") {
                    #expect(run.output == [0, 0xFF] + Array("Elvis".utf8))
                }
                _ = chmod("\(dir)/rodir", 0o755)
            }
            #expect(ToolHarness.isCharacterDevice("/dev/full") && ToolHarness.isCharacterDevice("/dev/null"))
        }
    }

    @Test func everyComparisonRowMatchesSed() throws {
        let rows = try tableRows(under: "## `byteflow` next to sed, sd and rg")
        #expect(rows.count >= 8)
        var tested = 0
        for row in rows {
            try #require(row.count == 5, "\(row)")
            guard row[1].hasPrefix("`"), let byteflow = codeSpans(row[1]).first else { continue }
            let reference = try #require(codeSpans(row[2]).first, "no sed command for \(byteflow)")
            try ToolHarness.withSandbox { mine in
                try ToolHarness.withSandbox { theirs in
                    try makeComparisonFixtures(mine)
                    try makeComparisonFixtures(theirs)
                    let ours = try shell(byteflow, in: mine)
                    let sed = try shell(reference, in: theirs)
                    #expect(ours.exited(0), "\(byteflow): \(ours.errors)")
                    #expect(ours.errors.isEmpty, "\(byteflow): \(ours.errors)")
                    #expect(sed.exited(0), "\(reference): \(sed.errors)")
                    #expect(
                        ours.output == sed.output,
                        "\(row[0]): \(ours.text.debugDescription) vs \(sed.text.debugDescription)")
                    #expect(snapshot(mine) == snapshot(theirs), "\(row[0]): the files differ")
                }
            }
            tested += 1
        }
        #expect(tested >= 9, "\(tested) byteflow rows run")
    }
}
