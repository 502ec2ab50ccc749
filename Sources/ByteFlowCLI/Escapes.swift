// `--escapes`: backslash escapes in FIND and REPLACEMENT, for the bytes a
// shell cannot pass in an argument (NUL) or that are awkward to type.
// Pure: standard library only.

/// The escapes `--escapes` knows, as listed in messages and the help.
let knownEscapes = #"\\ \n \r \t \0 \xHH"#

/// Interprets backslash escapes in `text`: `\\` (backslash), `\n`, `\r`,
/// `\t`, `\0` (NUL) and `\xHH` (the byte with two hexadecimal digits HH).
/// Every other byte stands for itself, including bytes that are not UTF-8.
///
/// - Parameters:
///   - text: The argument as given.
///   - role: `FIND` or `REPLACEMENT`, for the message.
///   - topic: The help page for the error.
/// - Returns: The bytes `text` stands for.
/// - Throws: ``UsageError`` for an unknown escape, a `\x` not followed by
///   two hexadecimal digits, or a backslash at the end.
/// - Complexity: O(*n*).
func unescape(_ text: [UInt8], role: String, topic: HelpTopic) throws(UsageError) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(text.count)
    var index = 0
    while index < text.count {
        let byte = text[index]
        guard byte == UInt8(ascii: "\\") else {
            result.append(byte)
            index += 1
            continue
        }
        guard index + 1 < text.count else {
            throw UsageError(
                "\(role) ends in a lone backslash escape (known escapes: \(knownEscapes))", topic: topic)
        }
        let letter = text[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\\"): result.append(0x5C)
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "0"): result.append(0x00)
        case UInt8(ascii: "x"):
            guard index + 2 <= text.count, let high = hexValue(text[index]),
                let low = hexValue(text[index + 1])
            else {
                let given = Array(text[(index - 2)..<min(index + 2, text.count)])
                throw UsageError(
                    "bad escape \(quoted(given)) in \(role): \\x takes two hexadecimal digits, as in \\x0a",
                    topic: topic)
            }
            result.append(high << 4 | low)
            index += 2
        default:
            throw UsageError(
                "unknown escape \(quoted([0x5C, letter])) in \(role) (known escapes: \(knownEscapes))",
                topic: topic)
        }
    }
    return result
}

/// The value of a hexadecimal digit, either case, or `nil`.
private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
