import Foundation
import Testing

// `byteflow replace -e`, `--pairs` and `--ignore-case`, run as a subprocess
// (helpers in ToolTestSupport.swift), against `referenceMultiReplace`.

/// Checks a failed run: `status`, nothing on standard output, and `fragment`
/// in the first line of standard error, which starts with `byteflow: `.
private func expectFailure(
    _ run: ToolRun, status: Int32, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(run.exited(status), "status \(run.status), stderr: \(run.errors)", sourceLocation: sourceLocation)
    #expect(run.output.isEmpty, sourceLocation: sourceLocation)
    #expect(run.errors.hasPrefix("byteflow: "), sourceLocation: sourceLocation)
    #expect(
        run.errors.contains(fragment), "missing '\(fragment)' in: \(run.errors)",
        sourceLocation: sourceLocation)
}

@Suite("byteflow replace with several pairs")
struct MultiReplaceToolTests {
    /// Random pairs over a small alphabet, given with `-e` and with
    /// `--pairs`, with and without `-I`, in several chunk sizes and both
    /// pipelines.
    @Test func randomPairsMatchTheReference() throws {
        var random = SeededRandom(seed: 0x10_0E)
        let alphabet = utf8("abAB=")
        try ToolHarness.withSandbox { dir in
            for round in 0..<12 {
                let input = random.bytes(
                    Int.random(in: 0...3000, using: &random), from: alphabet + utf8("\n\t"))
                let pairs = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                    (
                        pattern: random.bytes(Int.random(in: 1...4, using: &random), from: alphabet),
                        replacement: random.bytes(Int.random(in: 0...3, using: &random), from: utf8("xy="))
                    )
                }
                let ignoringCase = round % 2 == 1
                let expected = referenceMultiReplace(input, pairs, ignoringCase: ignoringCase)
                try ToolHarness.writeFile("\(dir)/in", input)
                // -e: escape `\` and `=` in FIND.
                let expressions = pairs.flatMap { pair -> [String] in
                    let find = pair.pattern.flatMap { $0 == UInt8(ascii: "=") ? utf8("\\=") : [$0] }
                    return ["-e", String(decoding: find + utf8("=") + pair.replacement, as: UTF8.self)]
                }
                let file = pairs.flatMap { $0.pattern + utf8("\t") + $0.replacement + utf8("\n") }
                try ToolHarness.writeFile("\(dir)/pairs", file)
                for chunkSize in ["1", "3", "64", "1M"] {
                    var common = ["replace", "--chunk-size", chunkSize, "\(dir)/in"]
                    if ignoringCase { common.append(round % 4 == 1 ? "-I" : "--ignore-case") }
                    for extra in [expressions, ["--pairs", "\(dir)/pairs"], ["--boxed"] + expressions] {
                        let run = try ToolHarness.run(common + extra)
                        #expect(run.exited(0), "\(run.errors)")
                        expectBytes(
                            run.output, equal: expected, "round \(round), chunk \(chunkSize), \(extra)")
                    }
                }
            }
        }
    }

    @Test func expressionSyntaxAndOrder() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/pairs", utf8("a=b\tPAIR\n\nx\ty\tz\n"))
            let input = utf8("Hello, Hell, a=b x HELLO \\")
            let cases: [([String], String)] = [
                (["-e", "Hello=Hi", "-e", "Hell=Heaven"], "Hi, Heaven, a=b x HELLO \\"),
                (["-e", "Hell=Heaven", "-e", "Hello=Hi"], "Heaveno, Heaven, a=b x HELLO \\"),
                (["-I", "-e", "hello=Hi"], "Hi, Hell, a=b x Hi \\"),
                (["-e", "a\\=b=EQ", "-e", "x=y=z", "-e", "\\\\=/"], "Hello, Hell, EQ y=z HELLO /"),
                (["--pairs", "\(dir)/pairs", "-e", "a=A"], "Hello, Hell, A=b y\tz HELLO \\"),
                (["--ignore-case", "hELL", "Heaven"], "Heaveno, Heaven, a=b x HeavenO \\"),
            ]
            for (arguments, expected) in cases {
                let run = try ToolHarness.run(["replace"] + arguments, input: .bytes(input))
                #expect(run.exited(0), "\(arguments): \(run.errors)")
                #expect(run.text == expected, "\(arguments)")
            }
        }
    }

    @Test func malformedPairsAreUsageErrorsAndMissingFilesRuntimeErrors() throws {
        try ToolHarness.withSandbox { dir in
            try ToolHarness.writeFile("\(dir)/notab", utf8("a\tb\nnotab\n"))
            try ToolHarness.writeFile("\(dir)/emptyfind", utf8("\tb\n"))
            try ToolHarness.writeFile("\(dir)/blank", utf8("\n\n"))
            let usage: [([String], String)] = [
                (["-e", "abc"], "no '=' in -e 'abc'"),
                (["-e", "=x"], "FIND is empty in -e '=x'"),
                (
                    ["-c", "-e", "a=b", "-e", "c=d"],
                    "--count and --stats take one FIND and REPLACEMENT, without -I"
                ),
                (["--stats", "-I", "a", "b"], "--count and --stats take one FIND and REPLACEMENT"),
                (["--pairs", ""], "pairs file name is empty"),
                (["--pairs", "\(dir)/notab"], "'\(dir)/notab' line 2: no TAB"),
                (["--pairs", "\(dir)/emptyfind"], "line 1: FIND is empty"),
                (["--pairs", "\(dir)/blank"], "has no FIND<TAB>REPLACEMENT lines"),
                (["-e"], "option '-e' needs a value"),
            ]
            for (arguments, fragment) in usage {
                let run = try ToolHarness.run(["replace"] + arguments)
                expectFailure(run, status: 2, fragment)
                #expect(run.errors.contains("--help' for more information."))
            }
            let missing = try ToolHarness.run(["replace", "--pairs", "\(dir)/missing"])
            expectFailure(missing, status: 1, "cannot open")
            #expect(missing.errors.contains("\(dir)/missing: No such file or directory"))
        }
    }
}
