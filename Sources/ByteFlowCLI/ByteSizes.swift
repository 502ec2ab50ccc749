// `--chunk-size` values: a count of bytes with an optional unit, as GNU
// coreutils reads them (`head -c`, `split -b`). Pure: standard library only.

/// The largest chunk size accepted: 1 GiB. Larger buffers only waste memory,
/// and an allocation that fails would end the process without a message.
let maximumChunkSize = 1 << 30

/// The units a size may end in, case-insensitive, and their multipliers:
/// `K`, `KiB` = 1024 and `KB` = 1000, and likewise `M` and `G`, as GNU
/// coreutils reads them.
let byteSizeUnits: [(suffix: String, multiplier: Int)] = [
    ("", 1),
    ("k", 1 << 10), ("kib", 1 << 10), ("kb", 1_000),
    ("m", 1 << 20), ("mib", 1 << 20), ("mb", 1_000_000),
    ("g", 1 << 30), ("gib", 1 << 30), ("gb", 1_000_000_000),
]

/// Parses a chunk size: decimal digits, optionally followed by a unit of
/// ``byteSizeUnits`` (`64K`, `64KiB`, `64KB`, `1M`, …).
///
/// - Parameters:
///   - text: The option's value.
///   - topic: The help page for the error.
/// - Returns: A size from 1 to ``maximumChunkSize``.
/// - Throws: ``UsageError`` if `text` is not such a number, is 0, or is
///   larger than 1 GiB.
/// - Complexity: O(*n*).
func parseChunkSize(_ text: [UInt8], topic: HelpTopic) throws(UsageError) -> Int {
    let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    let digits = text.prefix(while: isDigit)
    let unit = String(decoding: text[digits.count...], as: UTF8.self).lowercased()
    guard !digits.isEmpty, let multiplier = byteSizeUnits.first(where: { $0.suffix == unit })?.multiplier
    else {
        if text.first == UInt8(ascii: "-") && text.count > 1 && text.dropFirst().allSatisfy(isDigit) {
            throw UsageError("chunk size must be at least 1 byte (got \(quoted(text)))", topic: topic)
        }
        throw UsageError(
            "invalid chunk size \(quoted(text)): expected a whole number of bytes, "
                + "optionally ending in K, KiB, KB, M, MiB, MB, G, GiB or GB", topic: topic)
    }
    var value = 0
    for digit in digits {
        // Stop accumulating once past the limit, so that no input overflows.
        if value <= maximumChunkSize {
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
    }
    guard value > 0 else {
        throw UsageError("chunk size must be at least 1 byte (got \(quoted(text)))", topic: topic)
    }
    guard value <= maximumChunkSize / multiplier else {
        throw UsageError("chunk size \(quoted(text)) is too large (at most 1GiB)", topic: topic)
    }
    return value * multiplier
}
