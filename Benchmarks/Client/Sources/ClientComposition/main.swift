// The composition matrix measured from a client module: the stages below are
// defined here, as a user would write them, and composed with ByteFlow's
// method chain, its builder, and `BoxedPipeline`. Every cell times the same
// stream specialized and boxed, alternating the two, and keeps the best of
// several runs of each (this machine is shared and noisy; the best is the
// run least disturbed). Output goes to a `DiscardSink`, so the figures are
// the stages and their joins, not the copying of the output.
//
// Usage: ClientComposition [RUNS] [--check]
//   RUNS     runs per cell and side (default 5)
//   --check  exit 1 if a cell's specialized time is above its boxed time by
//            more than 5% (a bug, unless the machine was busy: re-run)
// Exit status 1 if the two pipelines' outputs differ in length.

import ByteFlow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - A user's stages

/// Passes every chunk on unchanged: a chain of these costs what composition
/// costs.
struct Hop: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }
}

/// ROT13 of ASCII letters, rewritten into a 256-byte stack buffer that is
/// written downstream each time it fills: a stage that cannot forward
/// sub-spans of its input.
struct Rot13: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try chunk.withUnsafeBytes { input in
            try withUnsafeTemporaryAllocation(byteCount: 256, alignment: 16) { buffer in
                var offset = 0
                while offset < input.count {
                    let count = min(256, input.count - offset)
                    for index in 0..<count {
                        let byte = input[offset + index]
                        let lower = byte | 0x20
                        let rotated: UInt8 =
                            lower >= 0x61 && lower <= 0x7A
                            ? (lower < 0x6E ? byte &+ 13 : byte &- 13) : byte
                        buffer[index] = rotated
                    }
                    try next.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]).bytes)
                    offset += count
                }
            }
        }
    }
}

/// Removes carriage returns, forwarding the runs between them as sub-spans.
struct DropCarriageReturns: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        var start = 0
        for index in 0..<chunk.byteCount where chunk.unsafeLoad(fromByteOffset: index, as: UInt8.self) == 0x0D
        {
            if index > start { try next.write(chunk.extracting(start..<index)) }
            start = index + 1
        }
        if start < chunk.byteCount { try next.write(chunk.extracting(start..<chunk.byteCount)) }
    }
}

/// Copies each chunk (in pieces of at most 256 bytes) into a stack buffer
/// with `memcpy` and forwards the copy: the floor for a stage that touches
/// every byte.
struct CopyStage: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try chunk.withUnsafeBytes { input in
            try withUnsafeTemporaryAllocation(byteCount: 256, alignment: 16) { buffer in
                var offset = 0
                while offset < input.count {
                    let count = min(256, input.count - offset)
                    buffer.baseAddress!.copyMemory(from: input.baseAddress! + offset, byteCount: count)
                    try next.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]).bytes)
                    offset += count
                }
            }
        }
    }
}

// MARK: - Input

/// 1 MiB of `the king elvis has left the building` lines: a replace of
/// `elvis` hands the next stage pieces of 5–30 bytes.
let line = Array("the king elvis has left the building\n".utf8)
let input: [UInt8] = (0..<(1 << 20)).map { line[$0 % line.count] }

let chunkSizes = [1, 16, 256, 4 << 10, 64 << 10]
let runs = CommandLine.arguments.dropFirst().lazy.compactMap { Int($0) }.first.map { max(1, $0) } ?? 5
let strict = CommandLine.arguments.contains("--check")

// MARK: - Timing

/// Runs `body` once; returns the elapsed time in microseconds.
@inline(never)
func time(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let elapsed = clock.now - start
    let (seconds, attoseconds) = elapsed.components
    return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
}

/// One cell: the best time of `runs` specialized and `runs` boxed runs,
/// alternated, after one warm-up of each that also checks that both wrote
/// the same number of bytes.
func cell<Source: ByteSource & Resettable, Transform: ByteTransform>(
    _ specialized: inout Pipeline<Source, Transform, DiscardSink>, _ boxed: inout BoxedPipeline
) throws -> (specialized: Double, boxed: Double, agree: Bool) {
    let specializedBytes = try specialized.run().bytesWritten
    specialized.reset()
    let boxedBytes = try boxed.run().bytesWritten
    boxed.reset()
    var best = (Double.infinity, Double.infinity)
    for _ in 0..<runs {
        best.0 = min(best.0, try time { try specialized.run() })
        specialized.reset()
        best.1 = min(best.1, try time { try boxed.run() })
        boxed.reset()
    }
    return (best.0, best.1, specializedBytes == boxedBytes)
}

// MARK: - The matrix

struct Row {
    var name: String
    var cells: [(specialized: Double, boxed: Double, agree: Bool)] = []
}

func source(_ chunkSize: Int) throws -> BytesSource { try BytesSource(input, chunkSize: chunkSize) }
func replace(_ find: String, _ replacement: String) throws -> ReplaceTransform {
    try ReplaceTransform(Array(find.utf8), with: Array(replacement.utf8))
}
func multi(_ pairs: (String, String)...) throws -> MultiReplaceTransform {
    try MultiReplaceTransform(pairs)
}
func boxed(_ chunkSize: Int, _ stages: [any ByteTransform]) throws -> BoxedPipeline {
    BoxedPipeline(source: try source(chunkSize), transforms: stages, sink: DiscardSink())
}

func measure(_ name: String, _ body: (Int) throws -> (Double, Double, Bool)) rethrows -> Row {
    var row = Row(name: name)
    for size in chunkSizes { row.cells.append(try body(size)) }
    return row
}

var rows: [Row] = []

rows.append(
    try measure("hop x1") { size in
        var s = try source(size).transformed(by: Hop()).into(DiscardSink())
        var b = try boxed(size, [Hop()])
        return try cell(&s, &b)
    })
rows.append(
    try measure("hop x16, method chain") { size in
        var s = try source(size)
            .transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop())
            .transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop())
            .transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop())
            .transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop()).transformed(by: Hop())
            .into(DiscardSink())
        var b = try boxed(size, Array(repeating: Hop(), count: 16))
        return try cell(&s, &b)
    })
rows.append(
    try measure("hop x16, builder") { size in
        var s = Pipeline(from: try source(size), into: DiscardSink()) {
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
            Hop()
        }
        var b = try boxed(size, Array(repeating: Hop(), count: 16))
        return try cell(&s, &b)
    })
rows.append(
    try measure("replace") { size in
        var s = try source(size).transformed(by: replace("elvis", "Elvis")).into(DiscardSink())
        var b = try boxed(size, [try replace("elvis", "Elvis")])
        return try cell(&s, &b)
    })
rows.append(
    try measure("replace → replace") { size in
        var s = try source(size).transformed(by: replace("elvis", "Elvis"))
            .transformed(by: replace("king", "KING")).into(DiscardSink())
        var b = try boxed(size, [try replace("elvis", "Elvis"), try replace("king", "KING")])
        return try cell(&s, &b)
    })
rows.append(
    try measure("replace → hop → hop → replace") { size in
        var s = try source(size).transformed(by: replace("elvis", "Elvis"))
            .transformed(by: Hop()).transformed(by: Hop())
            .transformed(by: replace("king", "KING")).into(DiscardSink())
        var b = try boxed(size, [try replace("elvis", "Elvis"), Hop(), Hop(), try replace("king", "KING")])
        return try cell(&s, &b)
    })
rows.append(
    try measure("multi → hop → hop → multi") { size in
        var s = try source(size).transformed(by: multi(("elvis", "Elvis"), ("king", "KING")))
            .transformed(by: Hop()).transformed(by: Hop())
            .transformed(by: multi(("Elvis", "ELVIS"), ("the", "THE"))).into(DiscardSink())
        var b = try boxed(
            size,
            [
                try multi(("elvis", "Elvis"), ("king", "KING")), Hop(), Hop(),
                try multi(("Elvis", "ELVIS"), ("the", "THE")),
            ])
        return try cell(&s, &b)
    })
rows.append(
    try measure("ROT13 → drop-CR → replace") { size in
        var s = try source(size).transformed(by: Rot13()).transformed(by: DropCarriageReturns())
            .transformed(by: replace("ryivf", "Elvis")).into(DiscardSink())
        var b = try boxed(size, [Rot13(), DropCarriageReturns(), try replace("ryivf", "Elvis")])
        return try cell(&s, &b)
    })
rows.append(
    try measure("replace, no match") { size in
        var s = try source(size).transformed(by: replace("zebra", "Zebra")).into(DiscardSink())
        var b = try boxed(size, [try replace("zebra", "Zebra")])
        return try cell(&s, &b)
    })
rows.append(
    try measure("copy stage") { size in
        var s = try source(size).transformed(by: CopyStage()).into(DiscardSink())
        var b = try boxed(size, [CopyStage()])
        return try cell(&s, &b)
    })

// MARK: - Report

func format(_ microseconds: Double) -> String {
    microseconds >= 100 ? String(Int(microseconds.rounded())) : String(Double(Int(microseconds * 10)) / 10)
}

print("µs per MiB, best of \(runs): specialized / boxed (boxed ÷ specialized)\n")
print(
    "| composition | "
        + chunkSizes.map { $0 >= 1024 ? "\($0 >> 10) KiB" : "\($0) B" }.joined(separator: " | ") + " |")
print("|---|" + String(repeating: "---|", count: chunkSizes.count))
var failures: [String] = []
var slower: [String] = []
for row in rows {
    var text = "| \(row.name) |"
    for (index, cell) in row.cells.enumerated() {
        let ratio = cell.boxed / max(cell.specialized, 0.05)
        text +=
            " \(format(cell.specialized)) / \(format(cell.boxed)) (\(String(Double(Int(ratio * 100)) / 100))×) |"
        if !cell.agree { failures.append("\(row.name) at \(chunkSizes[index]) B: outputs differ in length") }
        if cell.specialized > cell.boxed * 1.05 && cell.specialized > 2 {
            slower.append("\(row.name) at \(chunkSizes[index]) B: specialized slower than boxed")
        }
    }
    print(text)
}
let one = rows[3].cells
let two = rows[4].cells
print(
    "\nreplace → replace ÷ replace: "
        + two.indices.map { String(Double(Int(two[$0].specialized / one[$0].specialized * 100)) / 100) + "×" }
        .joined(separator: ", "))
let hop1 = rows[0].cells
let hop16 = rows[1].cells
print(
    "hop x16 ÷ hop x1: "
        + hop1.indices.map {
            String(Double(Int(hop16[$0].specialized / max(hop1[$0].specialized, 0.05) * 100)) / 100) + "×"
        }.joined(separator: ", "))
if !slower.isEmpty { print("\nSPECIALIZED SLOWER THAN BOXED:\n" + slower.joined(separator: "\n")) }
if !failures.isEmpty { print("\nFAILED:\n" + failures.joined(separator: "\n")) }
if !failures.isEmpty || (strict && !slower.isEmpty) { exit(1) }
