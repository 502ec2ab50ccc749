import ByteFlow

/// The number of matches a run found, readable after the run: the pipeline
/// holds a copy of the stage, the tool holds this.
final class MatchTally {
    /// Leftmost, non-overlapping matches seen so far.
    var count = 0
}

/// A pass-through stage that counts the leftmost, non-overlapping
/// occurrences of a pattern, as ``ReplaceTransform`` would replace them.
///
/// Used by `--stats` only when FIND and REPLACEMENT have the same length;
/// otherwise the count follows from the bytes read and written:
/// `(written − read) / (replacement − find)`. A Knuth–Morris–Pratt
/// automaton, one step per byte, carried across chunks.
struct MatchCounter: ByteTransform {
    private let pattern: [UInt8]
    private let failure: [Int]
    private var state = 0
    /// Where the count goes.
    let tally: MatchTally

    /// A counter for `pattern` (not empty).
    init(_ pattern: [UInt8], tally: MatchTally) {
        self.pattern = pattern
        self.tally = tally
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for index in pattern.indices.dropFirst() {
            while k > 0 && pattern[index] != pattern[k] { k = failure[k - 1] }
            if pattern[index] == pattern[k] { k += 1 }
            failure[index] = k
        }
        self.failure = failure
    }

    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        chunk.withUnsafeBytes { bytes in
            var k = state
            for byte in bytes {
                while k > 0 && byte != pattern[k] { k = failure[k - 1] }
                if byte == pattern[k] { k += 1 }
                if k == pattern.count {
                    tally.count += 1
                    k = 0  // non-overlapping: start afresh after a match
                }
            }
            state = k
        }
        try next.write(chunk)
    }

    mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        state = 0
    }

    mutating func reset() {
        state = 0
    }
}
