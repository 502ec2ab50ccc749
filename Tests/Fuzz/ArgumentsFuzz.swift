// libFuzzer entry point for the tool's argument parser, compiled with
// Sources/ByteFlowCLI/{Arguments,Quoting,Escapes,ByteSizes}.swift by
// Tests/Fuzz/run.sh (not part of the SwiftPM package).
//
// Contract of the code under test: a pure
// `func parseArguments(_ arguments: [[UInt8]]) throws(UsageError) -> Command`
// that imports only the standard library. Whatever the arguments, it must
// return or throw: never trap, overflow or read out of bounds. It must also
// be deterministic, so each input is parsed twice and the results compared.
//
// Input layout: the bytes are split on NUL into arguments (an empty input is
// no arguments). A piece that is a single byte 0x80 + i stands for
// `tokens[i]` (the real flags, sizes at and past the limits of Int, suffixes),
// so that mutations recombine whole flags; any other piece is passed as its
// bytes, exactly (the parser takes bytes, as the tool takes argv). Every
// message a usage error carries must be one line (names are quoted).

let tokens = [
    "replace", "compare", "-o", "--chunk-size", "--boxed", "--help", "-h", "--", "-", "0", "-1", "1",
    "65536", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "99999999999999999999", "1K", "64K", "1M", "0K", "K", "M", "8796093022208K", "9007199254740992M",
    "elvis", "Elvis", "", "input.txt", "--chunk-size=64K", "-o-", "--version",
    "-i", "--in-place", "-c", "--count", "-x", "--escapes", "--stats", "--progress", "--quick",
    "\\x", "\\xZ", "\\x4", "\\0", "\\", "1KiB", "1KB", "1GB", "1GiB", "2GB", "help", "-ix",
]

func decodeArguments(_ data: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
    guard !data.isEmpty else { return [] }
    return data.split(separator: 0, omittingEmptySubsequences: false).map { piece in
        if piece.count == 1, let byte = piece.first, byte >= 0x80, Int(byte - 0x80) < tokens.count {
            return Array(tokens[Int(byte - 0x80)].utf8)
        }
        return Array(piece)
    }
}

/// The outcome of one parse, as text: a `Command` need not be `Equatable`.
func outcome(_ arguments: [[UInt8]]) -> String {
    do {
        return "command: \(String(describing: try parseArguments(arguments)))"
    } catch {
        if error.message.contains("\n") || error.message.contains("\r") {
            fatalError("a usage message is not one line: \(error.message.debugDescription)")
        }
        return "usage error: \(String(describing: error))"
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArguments(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let arguments = decodeArguments(UnsafeBufferPointer(start: data, count: size))
    let first = outcome(arguments)
    let second = outcome(arguments)
    if first != second {
        fatalError("parseArguments is not deterministic for \(arguments): \(first) vs \(second)")
    }
    return 0
}
