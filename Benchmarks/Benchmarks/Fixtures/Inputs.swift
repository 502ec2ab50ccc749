// Deterministic inputs and checks shared by the benchmark executables.
//
// Everything here runs at set-up, outside the measured region, so it is
// written for clarity, not speed.

/// The Go memory-profiling walkthrough's input: thirteen pieces that together
/// are 119 bytes, with `elvis` hidden in some of them, split across others and
/// spelled in ways that must not match.
public enum Classic {
    /// The pieces, in the walkthrough's order.
    public static let pieces: [String] = [
        "abc", "elvis", "aElvis", "abcelvis", "eelvis", "aelvis", "aabeeeelvis", "e l v i s",
        "aa bb e l v i saa", " elvi s", "elvielvis", "elvielvielviselvi1", "elvielviselvis",
    ]

    /// The pieces concatenated: 119 bytes.
    public static let input: [UInt8] = Array(pieces.joined().utf8)

    /// The bytes to find.
    public static let find: [UInt8] = Array("elvis".utf8)

    /// The bytes each match becomes.
    public static let replacement: [UInt8] = Array("Elvis".utf8)

    /// The walkthrough's expected output, written out so that it does not
    /// depend on any code under test.
    public static let expected: [UInt8] = Array(
        "abcElvisaElvisabcElviseElvisaElvisaabeeeElvise l v i saa bb e l v i saa elvi selviElviselvielviElviselvi1elviElvisElvis"
            .utf8)
}

/// A small, fast, seedable generator (SplitMix64), so that every run of the
/// benchmarks sees the same bytes.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 pseudo-random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generated text inputs.
public enum TextInput {
    /// Words with no `elvis` in them, nor any pair that could form one across
    /// a space.
    static let vocabulary: [String] = [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by",
        "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had",
        "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if",
        "more", "when", "will", "would", "who", "so", "no", "stream", "byte", "chunk", "buffer", "swift",
        "pipeline", "evil", "lives", "elves", "level", "vision", "visit", "else", "vis", "elvi",
    ]

    /// The match-dense regime of issue 8: the line
    /// `the king elvis has left the building` repeated, an `elvis` every 37
    /// bytes and a `king` 9 bytes before it, so that a replace hands the next
    /// stage pieces of 5–30 bytes.
    ///
    /// - Parameter byteCount: The exact length of the result.
    public static func denseLines(byteCount: Int) -> [UInt8] {
        let line = Array("the king elvis has left the building\n".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(byteCount + line.count)
        while text.count < byteCount { text += line }
        return Array(text.prefix(byteCount))
    }

    /// The words ``sparse(byteCount:elvisEvery:seed:)`` draws from, for
    /// benchmarks that search for them.
    public static var vocabularyWords: [String] { vocabulary }

    /// Word-like text: words from a fixed vocabulary separated by spaces and
    /// the odd newline, with one `elvis` about every `elvisEvery` bytes.
    ///
    /// - Parameters:
    ///   - byteCount: The exact length of the result.
    ///   - elvisEvery: The average distance between two `elvis`.
    ///   - seed: Fixes the text.
    public static func sparse(byteCount: Int, elvisEvery: Int = 4096, seed: UInt64 = 0xB17E_F10E) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let words = vocabulary.map { Array($0.utf8) }
        var text: [UInt8] = []
        text.reserveCapacity(byteCount + 64)
        var nextElvis = Int.random(in: elvisEvery / 2...elvisEvery * 3 / 2, using: &random)
        var lineLength = 0
        while text.count < byteCount {
            if text.count >= nextElvis {
                text.append(contentsOf: "elvis".utf8)
                nextElvis = text.count + Int.random(in: elvisEvery / 2...elvisEvery * 3 / 2, using: &random)
            } else {
                text.append(contentsOf: words[Int.random(in: 0..<words.count, using: &random)])
            }
            lineLength += 1
            if lineLength == 12 {
                text.append(UInt8(ascii: "\n"))
                lineLength = 0
            } else {
                text.append(UInt8(ascii: " "))
            }
        }
        text.removeLast(text.count - byteCount)
        return text
    }

    /// The classic pieces again and again, each time in a new shuffled order:
    /// a dense input where about one byte in twelve begins an `elvis` and many
    /// more begin a near miss.
    ///
    /// - Parameters:
    ///   - byteCount: The exact length of the result.
    ///   - seed: Fixes the order.
    public static func dense(byteCount: Int, seed: UInt64 = 0xE1_7155) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let pieces = Classic.pieces.map { Array($0.utf8) }
        var text: [UInt8] = []
        text.reserveCapacity(byteCount + 128)
        while text.count < byteCount {
            for piece in pieces.shuffled(using: &random) {
                text.append(contentsOf: piece)
            }
        }
        text.removeLast(text.count - byteCount)
        return text
    }
}

/// A plain reference find-and-replace (leftmost, non-overlapping), used only
/// to check the benchmarked code's output at set-up.
///
/// - Complexity: O(*n* × *m*).
public func referenceReplace(_ input: [UInt8], _ find: [UInt8], _ replacement: [UInt8]) -> [UInt8] {
    precondition(!find.isEmpty)
    var output: [UInt8] = []
    output.reserveCapacity(input.count + input.count / 4)
    var i = 0
    while i < input.count {
        if input[i] == find[0] && i + find.count <= input.count
            && input[i..<i + find.count].elementsEqual(find)
        {
            output.append(contentsOf: replacement)
            i += find.count
        } else {
            output.append(input[i])
            i += 1
        }
    }
    return output
}

/// Stops the benchmark run, loudly, if `actual` is not `expected`: a benchmark
/// of code that gives the wrong answer measures nothing.
///
/// - Parameters:
///   - actual: What the benchmarked code produced.
///   - expected: What it should have produced.
///   - what: The benchmark's name, for the message.
public func verify(_ actual: [UInt8], equals expected: [UInt8], _ what: String) {
    guard actual != expected else { return }
    let firstDifference =
        zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(actual.count, expected.count)
    fatalError(
        "\(what): wrong output (\(actual.count) bytes, expected \(expected.count); first difference at byte \(firstDifference))"
    )
}

/// Stops the benchmark run, loudly, if `actual` is not `expected`.
///
/// - Parameters:
///   - actual: A value the benchmarked code produced, for example a byte count.
///   - expected: What it should be.
///   - what: The benchmark's name, for the message.
public func verify<T: Equatable>(_ actual: T, equals expected: T, _ what: String) {
    guard actual != expected else { return }
    fatalError("\(what): got \(actual), expected \(expected)")
}
