import ByteFlow
import Testing

/// `ReplaceTransform`'s kernel: a chunk of at least 63 + m bytes (one
/// 64-byte step of starts), a pattern of at most 16 bytes and a replacement
/// of at most 32 go through a loop of 64-byte steps whose last step is
/// shifted back to end at the chunk's last start; a replacement as long as
/// the pattern is written over a copy of the step's input. These tests aim
/// at its edges: every pattern length on both sides of 16, replacements
/// shorter, as long as, longer than the pattern and on both sides of 32,
/// chunks on both sides of 63 + m, matches in the starts the last step
/// shares with the one before, patterns that overlap themselves, and sinks
/// that lend exactly what is asked or stop lending.
@Suite("Replace kernel")
struct ReplaceKernelTests {
    static let patternLengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17]

    /// Replacement lengths for a pattern of `m` bytes: none, shorter, the
    /// same, longer, and around the 32 bytes stored from two registers.
    static func replacementLengths(_ m: Int) -> [Int] {
        Array(Set([0, 1, max(0, m - 1), m, m + 1, 16, 32, 33])).sorted()
    }

    /// A pattern of `m` bytes over a small alphabet, with a border (`abab`)
    /// every third length so that matches can overlap.
    static func pattern(_ m: Int, using random: inout SeededRandom) -> [UInt8] {
        if m % 3 == 0 { return (0..<m).map { UInt8(ascii: $0 % 2 == 0 ? "a" : "b") } }
        return random.bytes(m, from: utf8("abcd"))
    }

    /// Text of `count` bytes that is mostly the pattern, its prefixes and
    /// bytes of its alphabet: a match or a near-miss every few bytes.
    static func denseText(_ pattern: [UInt8], count: Int, using random: inout SeededRandom) -> [UInt8] {
        var text: [UInt8] = []
        while text.count < count {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: text += pattern
            case 1: text += pattern.prefix(Int.random(in: 0..<pattern.count, using: &random))
            default: text += random.bytes(Int.random(in: 1...6, using: &random), from: utf8("abcdx"))
            }
        }
        return Array(text.prefix(count))
    }

    @Test("every pattern and replacement length, chunks on both sides of 63 + m", arguments: patternLengths)
    func lengths(m: Int) throws {
        var random = SeededRandom(seed: 0x6E_4E31 &+ UInt64(m))
        let pattern = Self.pattern(m, using: &random)
        for replacementCount in Self.replacementLengths(m) {
            let replacement = random.bytes(replacementCount, from: utf8("ABCDEFGH"))
            let transform = try ReplaceTransform(pattern, with: replacement)
            for count in [62 + m, 63 + m, 64 + m, 100, 126 + m, 127 + m, 128 + m, 129 + m, 300, 1000] {
                let input = Self.denseText(pattern, count: count, using: &random)
                let expected = referenceReplace(input, pattern, replacement)
                let cuts: [Chunking] = [
                    .whole, .fixed(63 + m), .fixed(64 + m), .fixed(200),
                    randomPieces(for: count, using: &random),
                ]
                let ok = expectEveryChunking(
                    of: input, through: transform, gives: expected, in: cuts,
                    "pattern \(printable(pattern)), replacement \(replacementCount) bytes, \(count) bytes")
                if !ok { return }
            }
        }
    }

    /// Matches at every start the last step shares with the one before it
    /// (the last step ends at the last start, so its first starts were
    /// searched already): each must be written once.
    @Test("matches where the last step overlaps the one before are written once")
    func lastStepOverlap() throws {
        for (pattern, replacement) in [
            ("elvis", "Elvis"), ("elvis", "E"), ("elvis", "ELVIS PRESLEY"), ("x", "yy"),
        ] {
            let p = utf8(pattern)
            let transform = try ReplaceTransform(p, with: utf8(replacement))
            for count in stride(from: 63 + p.count, through: 200, by: 1) {
                // One match at each start that the last step re-reads, and
                // at the first and last starts.
                for start in Set([0, count - p.count, max(0, count - p.count - 63), 64, 63, 65]) {
                    guard start >= 0 && start + p.count <= count else { continue }
                    var input = [UInt8](repeating: UInt8(ascii: "-"), count: count)
                    input.replaceSubrange(start..<(start + p.count), with: p)
                    let expected = referenceReplace(input, p, utf8(replacement))
                    let ok = expectEveryChunking(
                        of: input, through: transform, gives: expected, in: [.whole],
                        "\(pattern) → \(replacement), \(count) bytes, match at \(start)")
                    if !ok { return }
                }
            }
        }
    }

    @Test("patterns that overlap themselves, in runs of their bytes")
    func overlappingPatterns() throws {
        for (pattern, replacement) in [
            ("aa", "b"), ("aa", "ab"), ("aaa", "aaa"), ("abab", "ABAB"), ("aba", "c"),
        ] {
            let transform = try ReplaceTransform(utf8(pattern), with: utf8(replacement))
            var random = SeededRandom(seed: UInt64(pattern.count * 31 + replacement.count))
            for count in [63, 64, 65, 66, 67, 80, 127, 128, 129, 130, 131, 200, 257] {
                let unit = utf8(pattern.count == 2 ? "a" : "ab")
                var input: [UInt8] = []
                while input.count < count { input += unit }
                input = Array(input.prefix(count))
                let expected = referenceReplace(input, utf8(pattern), utf8(replacement))
                let ok = expectEveryChunking(
                    of: input, through: transform, gives: expected,
                    in: [.whole, .fixed(70), randomPieces(for: count, using: &random)],
                    "\(pattern) → \(replacement) in \(count) bytes of \(printable(unit))")
                if !ok { return }
            }
        }
    }

    /// Sinks that lend exactly what is asked (the kernel runs out of room
    /// within a step), a little more, or only every other time (the kernel
    /// loses its loan after a long run and the general path takes over).
    @Test("sinks that lend little or stop lending", arguments: [1, 5, 8, 16])
    func stingySinks(m: Int) throws {
        var random = SeededRandom(seed: 0x5717 &+ UInt64(m))
        let pattern = Self.pattern(m, using: &random)
        for replacementCount in Self.replacementLengths(m) {
            let replacement = random.bytes(replacementCount, from: utf8("XYZ"))
            let transform = try ReplaceTransform(pattern, with: replacement)
            // Dense text with long runs between, so that some matches
            // leave the kernel's direct copies.
            var input = Self.denseText(pattern, count: 400, using: &random)
            input += [UInt8](repeating: UInt8(ascii: "-"), count: 300) + pattern
            input += Self.denseText(pattern, count: 500, using: &random)
            let expected = referenceReplace(input, pattern, replacement)
            try expectStingySinks(
                of: input, through: transform, gives: expected, in: [.whole, .fixed(300), .fixed(64 + m)],
                "pattern \(printable(pattern)), replacement \(replacementCount)")
        }
    }
}
