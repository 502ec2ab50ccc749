// The command-line grammar of `byteflow`, as a pure function.
//
// Contract (another target compiles this file on its own, as a fuzz target):
// this file imports nothing but the standard library, has no top-level code,
// does no I/O, and `parseArguments` returns or throws for every input; it
// never traps.

/// What a `byteflow` command line asks for.
enum Command: Equatable, Sendable {
    /// Print the usage text of a topic to standard output.
    case help(HelpTopic)
    /// Print the version to standard output.
    case version
    /// `byteflow replace`: stream a file through a find-and-replace.
    case replace(ReplaceRequest)
    /// `byteflow compare`: time the specialized and the boxed pipeline.
    case compare(CompareRequest)
}

/// Which usage text to show: the overview or one command's.
enum HelpTopic: Equatable, Sendable {
    /// `byteflow --help`.
    case general
    /// `byteflow replace --help`.
    case replace
    /// `byteflow compare --help`.
    case compare
}

/// Where a command reads its bytes.
enum InputSpec: Equatable, Sendable {
    /// Standard input (no FILE operand, or `-`).
    case standardInput
    /// The file at a path.
    case file(String)
}

/// Where `replace` writes its bytes.
enum OutputSpec: Equatable, Sendable {
    /// Standard output (no `-o`, or `-o -`).
    case standardOutput
    /// The file at a path.
    case file(String)
}

/// One `FIND=REPLACEMENT` of `byteflow replace -e`.
struct ReplacePair: Equatable, Sendable {
    /// The bytes to find; never empty.
    var pattern: [UInt8]
    /// The bytes to put in their place; may be empty.
    var replacement: [UInt8]
}

/// The operands and options of `byteflow replace`.
struct ReplaceRequest: Equatable, Sendable {
    /// The bytes to find (the UTF-8 of the FIND argument); never empty. Empty
    /// when the pairs come from `-e` or `--pairs` instead.
    var pattern: [UInt8]
    /// The bytes to put in their place; may be empty.
    var replacement: [UInt8]
    /// The pairs of `-e FIND=REPLACEMENT`, in order.
    var expressions: [ReplacePair] = []
    /// The file of `--pairs FILE`: one `FIND<TAB>REPLACEMENT` per line, read
    /// when the command runs; its pairs come after those of `-e`.
    var pairsFile: String? = nil
    /// `--ignore-case`: ASCII letters match either case.
    var ignoresCase = false
    /// The stream to read.
    var input: InputSpec = .standardInput
    /// Where the result goes.
    var output: OutputSpec = .standardOutput
    /// The read chunk size in bytes; `nil` for the library's default.
    var chunkSize: Int? = nil
    /// Run the stages through `BoxedPipeline` instead of `Pipeline`.
    var boxed = false
}

/// The operands and options of `byteflow compare`.
struct CompareRequest: Equatable, Sendable {
    /// The stream to measure on; `nil` for the built-in classic input.
    var input: InputSpec? = nil
    /// A chunk size to measure (besides the whole input); `nil` for the
    /// default set.
    var chunkSize: Int? = nil
}

/// A command line that does not follow the grammar: exit status 2.
struct UsageError: Error, Equatable, Sendable {
    /// One line saying what is wrong, without the `byteflow: ` prefix.
    var message: String
    /// The help page that explains the right usage.
    var topic: HelpTopic

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - message: What is wrong, one line.
    ///   - topic: The help page to point to.
    init(_ message: String, topic: HelpTopic) {
        self.message = message
        self.topic = topic
    }

    /// The line printed after the message, for example
    /// `Try 'byteflow replace --help' for more information.`
    var hint: String {
        switch topic {
        case .general: return "Try 'byteflow --help' for more information."
        case .replace: return "Try 'byteflow replace --help' for more information."
        case .compare: return "Try 'byteflow compare --help' for more information."
        }
    }
}

/// The largest chunk size accepted: 1 GiB. Larger buffers only waste memory,
/// and an allocation that fails would end the process without a message.
let maximumChunkSize = 1 << 30

/// Parses a `byteflow` command line.
///
/// Grammar: `byteflow COMMAND [OPTION | OPERAND]...` where options may come
/// before, between or after operands; `--` makes every later argument an
/// operand; `-` is an operand (standard input). Long options take their
/// value as `--name=value` or `--name value`; `-o` takes `-oFILE` or
/// `-o FILE`. Long options are matched exactly (no abbreviations). `--help`
/// and `--version` are honoured where they appear, before any later
/// argument is checked.
///
/// - Parameter arguments: The arguments, without the program name.
/// - Returns: The command to run.
/// - Throws: ``UsageError`` for a missing or unknown command, an unknown
///   option, a missing option value, a bad chunk size, an empty FIND, an
///   empty output file name, or a missing or extra operand.
/// - Complexity: O(*n*) in the total length of the arguments.
func parseArguments(_ arguments: [String]) throws(UsageError) -> Command {
    guard let first = arguments.first else {
        throw UsageError("missing command (replace or compare)", topic: .general)
    }
    let rest = Array(arguments.dropFirst())
    switch first {
    case "replace": return try parseReplace(rest)
    case "compare": return try parseCompare(rest)
    case "help":
        guard let topic = rest.first else { return .help(.general) }
        guard rest.count == 1 else { throw UsageError("extra operand '\(rest[1])'", topic: .general) }
        switch topic {
        case "replace": return .help(.replace)
        case "compare": return .help(.compare)
        default: throw UsageError("unknown command '\(topic)'", topic: .general)
        }
    case "-h", "--help": return .help(.general)
    case "--version": return .version
    default:
        if first.hasPrefix("-") && first != "-" {
            throw UsageError("unrecognized option '\(first)'", topic: .general)
        }
        throw UsageError("unknown command '\(first)'", topic: .general)
    }
}

/// An option a command accepts.
private struct OptionSpec {
    /// The long name without dashes, for example `output`.
    var long: String
    /// The short letter, if any.
    var short: Character?
    /// Whether the option takes a value.
    var takesValue: Bool
}

/// One argument of a command, after option syntax is resolved.
private enum Token: Equatable {
    /// An option by its long name, with its value if it takes one.
    case option(String, String?)
    /// An operand.
    case operand(String)
}

/// Splits a command's arguments into options and operands, in order.
private struct OptionScanner {
    let arguments: [String]
    let options: [OptionSpec]
    let topic: HelpTopic
    var index = 0
    /// The rest of a cluster of short options, such as `o` in `-ho`.
    var cluster: Substring = ""
    /// Whether `--` was seen.
    var onlyOperands = false

    init(_ arguments: [String], options: [OptionSpec], topic: HelpTopic) {
        self.arguments = arguments
        self.options = options
        self.topic = topic
    }

    /// The next token, or `nil` when all arguments are used.
    mutating func next() throws(UsageError) -> Token? {
        if let letter = cluster.first {
            cluster = cluster.dropFirst()
            return try shortOption(letter)
        }
        guard index < arguments.count else { return nil }
        let argument = arguments[index]
        index += 1
        if onlyOperands || argument == "-" || !argument.hasPrefix("-") {
            return .operand(argument)
        }
        if argument == "--" {
            onlyOperands = true
            return try next()
        }
        if argument.hasPrefix("--") {
            return try longOption(argument.dropFirst(2))
        }
        cluster = argument.dropFirst()
        return try next()
    }

    private mutating func longOption(_ text: Substring) throws(UsageError) -> Token {
        let name: Substring
        let inlineValue: Substring?
        if let equals = text.firstIndex(of: "=") {
            name = text[..<equals]
            inlineValue = text[text.index(after: equals)...]
        } else {
            name = text
            inlineValue = nil
        }
        guard let spec = options.first(where: { $0.long == name }) else {
            throw UsageError("unrecognized option '--\(name)'", topic: topic)
        }
        guard spec.takesValue else {
            if inlineValue != nil {
                throw UsageError("option '--\(name)' doesn't allow an argument", topic: topic)
            }
            return .option(spec.long, nil)
        }
        if let inlineValue { return .option(spec.long, String(inlineValue)) }
        guard index < arguments.count else {
            throw UsageError("option '--\(name)' requires an argument", topic: topic)
        }
        index += 1
        return .option(spec.long, arguments[index - 1])
    }

    private mutating func shortOption(_ letter: Character) throws(UsageError) -> Token {
        guard let spec = options.first(where: { $0.short == letter }) else {
            throw UsageError("invalid option -- '\(letter)'", topic: topic)
        }
        guard spec.takesValue else { return .option(spec.long, nil) }
        if !cluster.isEmpty {
            defer { cluster = "" }
            return .option(spec.long, String(cluster))
        }
        guard index < arguments.count else {
            throw UsageError("option requires an argument -- '\(letter)'", topic: topic)
        }
        index += 1
        return .option(spec.long, arguments[index - 1])
    }
}

private let helpOption = OptionSpec(long: "help", short: "h", takesValue: false)
private let versionOption = OptionSpec(long: "version", short: nil, takesValue: false)
private let chunkSizeOption = OptionSpec(long: "chunk-size", short: nil, takesValue: true)

private func parseReplace(_ arguments: [String]) throws(UsageError) -> Command {
    let options = [
        helpOption, versionOption, chunkSizeOption,
        OptionSpec(long: "output", short: "o", takesValue: true),
        OptionSpec(long: "boxed", short: nil, takesValue: false),
        OptionSpec(long: "expression", short: "e", takesValue: true),
        OptionSpec(long: "pairs", short: nil, takesValue: true),
        OptionSpec(long: "ignore-case", short: "I", takesValue: false),
    ]
    var scanner = OptionScanner(arguments, options: options, topic: .replace)
    var operands: [String] = []
    var request = ReplaceRequest(pattern: [], replacement: [])
    while let token = try scanner.next() {
        switch token {
        case .operand(let operand): operands.append(operand)
        case .option("help", _): return .help(.replace)
        case .option("version", _): return .version
        case .option("boxed", _): request.boxed = true
        case .option("ignore-case", _): request.ignoresCase = true
        case .option("expression", let value):
            request.expressions.append(try parseExpression(value ?? ""))
        case .option("pairs", let value):
            let path = value ?? ""
            guard !path.isEmpty else { throw UsageError("the pairs file name is empty", topic: .replace) }
            request.pairsFile = path
        case .option("chunk-size", let value):
            request.chunkSize = try parseChunkSize(value ?? "", topic: .replace)
        case .option("output", let value):
            let path = value ?? ""
            guard !path.isEmpty else { throw UsageError("the output file name is empty", topic: .replace) }
            request.output = path == "-" ? .standardOutput : .file(path)
        case .option(let name, _):
            throw UsageError("unhandled option '--\(name)'", topic: .replace)
        }
    }
    if !request.expressions.isEmpty || request.pairsFile != nil {
        // The pairs come from options: the only operand is the input.
        guard operands.count <= 1 else { throw UsageError("extra operand '\(operands[1])'", topic: .replace) }
        if let operand = operands.first { request.input = inputSpec(operand) }
        return .replace(request)
    }
    switch operands.count {
    case 0: throw UsageError("missing FIND and REPLACEMENT operands", topic: .replace)
    case 1: throw UsageError("missing REPLACEMENT operand after '\(operands[0])'", topic: .replace)
    case 2, 3: break
    default: throw UsageError("extra operand '\(operands[3])'", topic: .replace)
    }
    guard !operands[0].isEmpty else {
        throw UsageError("FIND is empty: give at least one byte to search for", topic: .replace)
    }
    request.pattern = Array(operands[0].utf8)
    request.replacement = Array(operands[1].utf8)
    if operands.count == 3 {
        request.input = inputSpec(operands[2])
    }
    return .replace(request)
}

/// Splits `-e FIND=REPLACEMENT` at its first `=` that is not escaped. In
/// FIND, `\=` stands for `=` and `\\` for `\`; any other backslash is
/// itself. REPLACEMENT is taken as it is.
///
/// - Parameter text: The option's value.
/// - Returns: The pair.
/// - Throws: ``UsageError`` if there is no unescaped `=` or FIND is empty.
/// - Complexity: O(*n*) in the length of `text`.
func parseExpression(_ text: String) throws(UsageError) -> ReplacePair {
    let bytes = Array(text.utf8)
    var pattern: [UInt8] = []
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "=") {
            guard !pattern.isEmpty else {
                throw UsageError(
                    "FIND is empty in '-e \(text)': give at least one byte to search for", topic: .replace)
            }
            return ReplacePair(pattern: pattern, replacement: Array(bytes[(index + 1)...]))
        }
        if byte == UInt8(ascii: "\\") && index + 1 < bytes.count
            && (bytes[index + 1] == UInt8(ascii: "=") || bytes[index + 1] == UInt8(ascii: "\\"))
        {
            pattern.append(bytes[index + 1])
            index += 2
        } else {
            pattern.append(byte)
            index += 1
        }
    }
    throw UsageError(
        "no '=' in '-e \(text)': expected FIND=REPLACEMENT (write \\= for a '=' in FIND)", topic: .replace)
}

private func parseCompare(_ arguments: [String]) throws(UsageError) -> Command {
    var scanner = OptionScanner(
        arguments, options: [helpOption, versionOption, chunkSizeOption], topic: .compare)
    var operands: [String] = []
    var request = CompareRequest()
    while let token = try scanner.next() {
        switch token {
        case .operand(let operand): operands.append(operand)
        case .option("help", _): return .help(.compare)
        case .option("version", _): return .version
        case .option("chunk-size", let value):
            request.chunkSize = try parseChunkSize(value ?? "", topic: .compare)
        case .option(let name, _):
            throw UsageError("unhandled option '--\(name)'", topic: .compare)
        }
    }
    guard operands.count <= 1 else {
        throw UsageError("extra operand '\(operands[1])'", topic: .compare)
    }
    request.input = operands.first.map(inputSpec)
    return .compare(request)
}

private func inputSpec(_ operand: String) -> InputSpec {
    operand == "-" ? .standardInput : .file(operand)
}

/// Parses a chunk size: decimal digits, optionally followed by one of
/// `K`, `M`, `G` (powers of 1024, either case).
///
/// - Parameters:
///   - text: The option's value.
///   - topic: The help page for the error.
/// - Returns: A size from 1 to ``maximumChunkSize``.
/// - Throws: ``UsageError`` if `text` is not such a number, is 0, or is too
///   large.
func parseChunkSize(_ text: String, topic: HelpTopic) throws(UsageError) -> Int {
    var digits = Substring(text)
    var multiplier = 1
    switch digits.last {
    case "K", "k": multiplier = 1 << 10
    case "M", "m": multiplier = 1 << 20
    case "G", "g": multiplier = 1 << 30
    default: break
    }
    if multiplier != 1 { digits = digits.dropLast() }
    let isNumber =
        !digits.isEmpty && digits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    let isNegative =
        digits.count > 1 && digits.first == "-"
        && digits.dropFirst().utf8.allSatisfy {
            $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")
        }
    guard isNumber else {
        if isNegative {
            throw UsageError("chunk size must be at least 1 byte (got '\(text)')", topic: topic)
        }
        throw UsageError(
            "invalid chunk size '\(text)': expected a whole number of bytes, optionally ending in K, M or G",
            topic: topic)
    }
    var value = 0
    for digit in digits.utf8 {
        // Stop accumulating once past the limit, so that no input overflows.
        if value <= maximumChunkSize {
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
    }
    guard value > 0 else {
        throw UsageError("chunk size must be at least 1 byte (got '\(text)')", topic: topic)
    }
    guard value <= maximumChunkSize / multiplier else {
        throw UsageError("chunk size '\(text)' is too large (at most 1G)", topic: topic)
    }
    return value * multiplier
}
