/// The obviously correct replace every ByteFlow result is compared with:
/// scan left to right; where the pattern starts, emit the replacement and
/// skip the pattern; otherwise emit the byte and move one on. This is the
/// semantics of Go's `bytes.ReplaceAll` and Python's `bytes.replace` (leftmost,
/// non-overlapping matches), in O(n·m) with no cleverness to get wrong.
func referenceReplace(_ input: [UInt8], _ pattern: [UInt8], _ replacement: [UInt8]) -> [UInt8] {
    precondition(!pattern.isEmpty, "the reference has no meaning for an empty pattern")
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    let first = pattern[0]
    var i = 0
    while i < input.count {
        if input[i] == first && startsWithPattern(input, at: i, pattern) {
            output.append(contentsOf: replacement)
            i += pattern.count
        } else {
            output.append(input[i])
            i += 1
        }
    }
    return output
}

/// Applies ``referenceReplace(_:_:_:)`` once per `(pattern, replacement)`
/// pair, in order: the expected output of a chain of ReplaceTransforms.
func referenceReplace(_ input: [UInt8], _ steps: [(pattern: [UInt8], replacement: [UInt8])]) -> [UInt8] {
    var bytes = input
    for step in steps {
        bytes = referenceReplace(bytes, step.pattern, step.replacement)
    }
    return bytes
}

private func startsWithPattern(_ input: [UInt8], at start: Int, _ pattern: [UInt8]) -> Bool {
    guard start + pattern.count <= input.count else { return false }
    for k in 0..<pattern.count where input[start + k] != pattern[k] {
        return false
    }
    return true
}

/// The UTF-8 bytes of `text`.
func utf8(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// A short, printable rendering of bytes for failure messages: ASCII as is,
/// other bytes as `\xNN`, long inputs cut in the middle.
func printable(_ bytes: [UInt8], limit: Int = 160) -> String {
    func render(_ slice: ArraySlice<UInt8>) -> String {
        var text = ""
        for byte in slice {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }
    if bytes.count <= limit {
        return "\"" + render(bytes[...]) + "\""
    }
    let half = limit / 2
    return "\"" + render(bytes.prefix(half)) + "…(\(bytes.count) bytes)…"
        + render(bytes.suffix(half)) + "\""
}
