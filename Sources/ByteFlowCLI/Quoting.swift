// Names in messages, quoted the way GNU tools quote them (`ls
// --quoting-style=shell-escape`), so that every message is one line and the
// name can be pasted back into a shell. Pure: standard library only.

/// `name` quoted for a one-line message that a shell reads back as the same
/// bytes: `'a b'`, `'it'\''s'`, `'no'$'\n''such'`, `'f'$'\xff''.txt'`.
///
/// Printable UTF-8 goes between single quotes; a single quote becomes
/// `\'` outside them; control characters, DEL, C1 controls and bytes that
/// are not valid UTF-8 become `$'\n'`, `$'\t'`, `$'\r'` or `$'\xHH'`
/// (one per byte). An empty name is `''`.
///
/// - Parameter name: The bytes to quote, for example a file name.
/// - Returns: The quoted text, with no control characters in it.
/// - Complexity: O(*n*) in the length of `name`.
func quoted(_ name: [UInt8]) -> String {
    if name.isEmpty { return "''" }
    var result = ""
    var literal = ""  // printable text waiting for its quotes
    var escapes = ""  // escape sequences waiting for $'...'
    func flushLiteral() {
        if !literal.isEmpty { result += "'" + literal + "'" }
        literal = ""
    }
    func flushEscapes() {
        if !escapes.isEmpty { result += "$'" + escapes + "'" }
        escapes = ""
    }
    var index = 0
    while index < name.count {
        let length = validScalarLength(name, at: index)
        if length == 0 {
            flushLiteral()
            escapes += escapeSequence(name[index])
            index += 1
            continue
        }
        let scalar = String(decoding: name[index..<index + length], as: UTF8.self)
        let value = scalar.unicodeScalars.first!.value
        if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) {
            flushLiteral()
            for byte in name[index..<index + length] { escapes += escapeSequence(byte) }
        } else if value == 0x27 {
            flushLiteral()
            flushEscapes()
            result += "\\'"
        } else {
            flushEscapes()
            literal += scalar
        }
        index += length
    }
    flushLiteral()
    flushEscapes()
    return result
}

/// The escape a shell's `$'...'` reads back as `byte`.
private func escapeSequence(_ byte: UInt8) -> String {
    switch byte {
    case 0x0A: return "\\n"
    case 0x09: return "\\t"
    case 0x0D: return "\\r"
    default:
        let digits = Array("0123456789abcdef".utf8)
        return "\\x" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}

/// The length of the well-formed UTF-8 sequence at `index`, or 0 if the
/// bytes there are not one (overlong forms, surrogates and values above
/// U+10FFFF are not).
func validScalarLength(_ bytes: [UInt8], at index: Int) -> Int {
    let lead = bytes[index]
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: length = 2
    case 0xE0:
        length = 3
        low = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
        length = 3
        high = 0x9F
    case 0xF0:
        length = 4
        low = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
        length = 4
        high = 0x8F
    default: return 0
    }
    guard index + length <= bytes.count else { return 0 }
    guard (low...high).contains(bytes[index + 1]) else { return 0 }
    for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
    return length
}
