/// Inputs that stress the search kernel: classes built to defeat a
/// two-rare-byte prefilter, and dense matches. The same classes are in
/// `Tests/ByteFlowTests/SearchKernelTests.swift` (`AdversarialClass`) and in
/// `Benchmarks/Peers/generate.py`, so a figure here, a test there and a peer
/// run all mean the same bytes.
public enum SearchInput: String, CaseIterable, Sendable {
    /// `(ab)^16 b` in `(ab)^16 c` repeated.
    case periodic
    /// `a^32 b` in `aab` repeated: a prefilter candidate every third byte.
    case alternating
    /// `a^16 b a^16` in `aab` repeated: a candidate every third byte, and at
    /// each the window's last byte is the pattern's (no Horspool skip).
    case centered
    /// A 1,000-byte pattern; the text is copies of it with its middle byte
    /// changed (a near miss every 1,000 bytes).
    case longNearMiss = "long-near-miss"
    /// `a^999 b` in `a^99 b` repeated.
    case longRuns = "long-runs"
    /// `x` → `yy` in `x` repeated: a match every byte.
    case everyByte = "every-byte"
    /// `ab` → `c` in `ab` repeated: a match every two bytes.
    case everyPair = "every-pair"
    /// `elvis` → `Elvis` in the classic pieces shuffled: a match every ~13
    /// bytes, near misses between.
    case shuffledClassic = "shuffled-classic"

    /// The bytes to find.
    public var pattern: [UInt8] {
        switch self {
        case .periodic: return Array((String(repeating: "ab", count: 16) + "b").utf8)
        case .alternating: return Array((String(repeating: "a", count: 32) + "b").utf8)
        case .centered:
            return Array((String(repeating: "a", count: 16) + "b" + String(repeating: "a", count: 16)).utf8)
        case .longNearMiss:
            var random = SplitMix64(seed: 1000)
            let alphabet = Array("etaoinshrdlu ".utf8)
            return (0..<1000).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        case .longRuns: return Array((String(repeating: "a", count: 999) + "b").utf8)
        case .everyByte: return Array("x".utf8)
        case .everyPair: return Array("ab".utf8)
        case .shuffledClassic: return Classic.find
        }
    }

    /// What each match becomes.
    public var replacement: [UInt8] {
        switch self {
        case .everyByte: return Array("yy".utf8)
        case .everyPair: return Array("c".utf8)
        case .shuffledClassic: return Classic.replacement
        default: return Array("<match>".utf8)
        }
    }

    /// `byteCount` bytes of the class's text.
    public func text(byteCount: Int) -> [UInt8] {
        let unit: [UInt8]
        switch self {
        case .periodic: unit = Array((String(repeating: "ab", count: 16) + "c").utf8)
        case .alternating, .centered: unit = Array("aab".utf8)
        case .longNearMiss:
            var near = pattern
            near[500] = UInt8(ascii: "Z")
            unit = near
        case .longRuns: unit = Array((String(repeating: "a", count: 99) + "b").utf8)
        case .everyByte: unit = Array("x".utf8)
        case .everyPair: unit = Array("ab".utf8)
        case .shuffledClassic: return TextInput.dense(byteCount: byteCount)
        }
        var text: [UInt8] = []
        text.reserveCapacity(byteCount + unit.count)
        while text.count < byteCount { text += unit }
        text.removeLast(text.count - byteCount)
        return text
    }
}
