/// The obviously correct multi-pattern replace every `MultiReplaceTransform`
/// result is compared with: scan left to right; at each position try the
/// patterns in list order and take the first that matches there (so the
/// winner is picked by its index, also among duplicates and case variants);
/// otherwise emit the byte and move one on. This is Python's
/// `re.sub("|".join(map(re.escape, patterns)), …)` on bytes, in O(n·k·m).
func referenceMultiReplace(
    _ input: [UInt8], _ pairs: [(pattern: [UInt8], replacement: [UInt8])], ignoringCase: Bool
) -> [UInt8] {
    precondition(
        pairs.allSatisfy { !$0.pattern.isEmpty }, "the reference has no meaning for an empty pattern")
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    var i = 0
    scan: while i < input.count {
        for pair in pairs where matches(input, at: i, pair.pattern, ignoringCase: ignoringCase) {
            output.append(contentsOf: pair.replacement)
            i += pair.pattern.count
            continue scan
        }
        output.append(input[i])
        i += 1
    }
    return output
}

/// Whether `pattern` occurs in `input` at `start`, ASCII letters compared
/// without case if `ignoringCase`.
private func matches(_ input: [UInt8], at start: Int, _ pattern: [UInt8], ignoringCase: Bool) -> Bool {
    guard start + pattern.count <= input.count else { return false }
    for k in 0..<pattern.count {
        let a = input[start + k]
        let b = pattern[k]
        if a == b { continue }
        if ignoringCase && asciiLowercase(a) == asciiLowercase(b) { continue }
        return false
    }
    return true
}

/// `byte` with A–Z mapped to a–z; every other byte as is.
func asciiLowercase(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
}
