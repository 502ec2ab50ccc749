// The command-line grammar of `byteflow`, as a pure function over bytes.
//
// Contract (the fuzz target compiles this file with Quoting.swift,
// Escapes.swift and ByteSizes.swift on their own): these files import nothing but
// the standard library, have no top-level code, do no I/O, and
// `parseArguments` returns or throws for every input; it never traps.
//
// Arguments are bytes, exactly as the kernel passed them: a pattern, a
// replacement or a file name that is not valid UTF-8 is kept as it is.

/// What a `byteflow` command line asks for.
enum Command: Equatable, Sendable {
    /// Print the usage text of a topic to standard output.
    case help(HelpTopic)
    /// Print the version to standard output.
    case version
    /// `byteflow replace`: stream files through a find-and-replace.
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
    /// `byteflow help help`.
    case help
}

/// Where a command reads its bytes.
enum InputSpec: Equatable, Sendable {
    /// Standard input (no FILE operand, or `-`).
    case standardInput
    /// The file at a path, as bytes.
    case file([UInt8])
}

/// Where `replace` writes its bytes.
enum OutputSpec: Equatable, Sendable {
    /// Standard output (no `-o`, or `-o -`).
    case standardOutput
    /// The file at a path, as bytes.
    case file([UInt8])
    /// Each input file itself, replaced atomically (`-i`).
    case inPlace
    /// No output stream: only the number of matches (`-c`).
    case count
}

/// One find-and-replace: leftmost, non-overlapping occurrences of `find`
/// become `replacement`.
struct ReplaceRule: Equatable, Sendable {
    /// The bytes to find; never empty.
    var find: [UInt8]
    /// The bytes to put in their place; may be empty.
    var replacement: [UInt8]
}

/// The operands and options of `byteflow replace`.
struct ReplaceRequest: Equatable, Sendable {
    /// The find-and-replace rules: FIND and REPLACEMENT, or those of `-e`
    /// (then those of `--pairs`, added when the command runs). Several rules
    /// are applied in one pass, leftmost-first: where several FINDs match,
    /// the first-listed wins.
    var rules: [ReplaceRule]
    /// The file of `--pairs`: one `FIND<TAB>REPLACEMENT` per line.
    var pairsFile: [UInt8]? = nil
    /// `-I`: ASCII letters match either case.
    var ignoresCase = false
    /// The streams to read, in order; their results are concatenated (or,
    /// with ``OutputSpec/inPlace``, each written back). Never empty:
    /// standard input when no FILE is given.
    var inputs: [InputSpec] = [.standardInput]
    /// Where the result goes.
    var output: OutputSpec = .standardOutput
    /// The read chunk size in bytes; `nil` for the library's default.
    var chunkSize: Int? = nil
    /// Run the stages through `BoxedPipeline` instead of `Pipeline`.
    var boxed = false
    /// Print per-file and total counts and the time to standard error.
    var stats = false
    /// Draw a progress line on standard error if it is a terminal.
    var progress = false
}

/// The operands and options of `byteflow compare`.
struct CompareRequest: Equatable, Sendable {
    /// The find-and-replace to time.
    var rule = ReplaceRule(find: Array("elvis".utf8), replacement: Array("Elvis".utf8))
    /// The stream to measure on; `nil` for the built-in classic input.
    var input: InputSpec? = nil
    /// A chunk size to measure (besides the whole input); `nil` for the
    /// default set.
    var chunkSize: Int? = nil
    /// Time short batches only: a check that the command works, not a
    /// measurement (used by tests and CI).
    var quick = false
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
    ///   - message: What is wrong, one line (quote arguments with ``quoted(_:)``).
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
        case .help: return "Try 'byteflow help --help' for more information."
        }
    }
}

/// Parses a `byteflow` command line.
///
/// Grammar: `byteflow COMMAND [OPTION | OPERAND]...` where options may come
/// before, between or after operands; `--` makes every later argument an
/// operand; `-` is an operand (standard input). Long options take their
/// value as `--name=value` or `--name value`; short ones as `-oFILE` or
/// `-o FILE`, and short flags cluster (`-ix`). Long options are matched
/// exactly (no abbreviations). `--help` and `--version` are honoured where
/// they appear, before any later argument is checked.
///
/// - Parameter arguments: The arguments, without the program name, as bytes.
/// - Returns: The command to run.
/// - Throws: ``UsageError`` for a missing or unknown command, an unknown
///   option, a missing option value, a bad chunk size, a bad escape, an
///   empty FIND, an empty output file name, options that exclude each other,
///   or a missing or extra operand.
/// - Complexity: O(*n*) in the total length of the arguments.
func parseArguments(_ arguments: [[UInt8]]) throws(UsageError) -> Command {
    guard let first = arguments.first else {
        throw UsageError("missing command (replace or compare)", topic: .general)
    }
    let rest = Array(arguments.dropFirst())
    switch String(decoding: first, as: UTF8.self) {
    case "replace": return try parseReplace(rest)
    case "compare": return try parseCompare(rest)
    case "help": return try parseHelp(rest)
    case "-h", "--help": return .help(.general)
    case "--version": return .version
    default:
        if first.first == UInt8(ascii: "-") && first != [UInt8(ascii: "-")] {
            throw UsageError("unknown option \(quoted(optionName(first)))", topic: .general)
        }
        throw UsageError("unknown command \(quoted(first))", topic: .general)
    }
}

/// The option an argument names, without an inline value: `--size=3` gives
/// `--size`, `-ab` gives `-a`.
private func optionName(_ argument: [UInt8]) -> [UInt8] {
    if argument.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) {
        return Array(argument.prefix { $0 != UInt8(ascii: "=") })
    }
    return Array(argument.prefix(2))
}

private func parseHelp(_ arguments: [[UInt8]]) throws(UsageError) -> Command {
    var operands: [[UInt8]] = []
    var scanner = OptionScanner(arguments, options: [helpOption], topic: .help)
    while let token = try scanner.next() {
        switch token {
        case .operand(let operand): operands.append(operand)
        case .option: return .help(.help)
        }
    }
    guard let topic = operands.first else { return .help(.general) }
    guard operands.count == 1 else { throw UsageError("extra operand \(quoted(operands[1]))", topic: .help) }
    switch String(decoding: topic, as: UTF8.self) {
    case "replace": return .help(.replace)
    case "compare": return .help(.compare)
    case "help": return .help(.help)
    default: throw UsageError("unknown command \(quoted(topic))", topic: .help)
    }
}

/// An option a command accepts.
struct OptionSpec: Sendable {
    /// The long name without dashes, for example `output`.
    var long: String
    /// The short letter, if any.
    var short: UInt8?
    /// Whether the option takes a value.
    var takesValue: Bool

    /// Creates an option.
    init(_ long: String, short: Character? = nil, takesValue: Bool = false) {
        self.long = long
        self.short = short?.asciiValue
        self.takesValue = takesValue
    }
}

/// One argument of a command, after option syntax is resolved.
enum Token: Equatable {
    /// An option by its long name, with its value if it takes one. An option
    /// given several times yields one token each time, in order, so a
    /// command can collect repeated options (`-e A=B -e C=D`).
    case option(String, [UInt8]?)
    /// An operand.
    case operand([UInt8])
}

/// Splits a command's arguments into options and operands, in order.
struct OptionScanner {
    let arguments: [[UInt8]]
    let options: [OptionSpec]
    let topic: HelpTopic
    var index = 0
    /// The rest of a cluster of short options, such as `o` in `-ho`.
    var cluster: ArraySlice<UInt8> = []
    /// Whether `--` was seen.
    var onlyOperands = false

    /// Creates a scanner over a command's arguments.
    ///
    /// - Parameters:
    ///   - arguments: The arguments after the command name.
    ///   - options: The options the command accepts.
    ///   - topic: The help page for usage errors.
    init(_ arguments: [[UInt8]], options: [OptionSpec], topic: HelpTopic) {
        self.arguments = arguments
        self.options = options
        self.topic = topic
    }

    /// The next token, or `nil` when all arguments are used.
    ///
    /// - Throws: ``UsageError`` for an unknown option, a missing value, or a
    ///   value given to an option that takes none.
    mutating func next() throws(UsageError) -> Token? {
        while true {
            if let letter = cluster.first {
                cluster = cluster.dropFirst()
                return try shortOption(letter)
            }
            guard index < arguments.count else { return nil }
            let argument = arguments[index]
            index += 1
            let dash = UInt8(ascii: "-")
            if onlyOperands || argument.count < 2 || argument.first != dash {
                return .operand(argument)
            }
            if argument == [dash, dash] {
                onlyOperands = true
                continue
            }
            if argument[1] == dash {
                return try longOption(argument.dropFirst(2))
            }
            cluster = argument.dropFirst()
        }
    }

    private mutating func longOption(_ text: ArraySlice<UInt8>) throws(UsageError) -> Token {
        let name: ArraySlice<UInt8>
        let inlineValue: ArraySlice<UInt8>?
        if let equals = text.firstIndex(of: UInt8(ascii: "=")) {
            name = text[..<equals]
            inlineValue = text[(equals + 1)...]
        } else {
            name = text
            inlineValue = nil
        }
        let display = quoted([UInt8(ascii: "-"), UInt8(ascii: "-")] + name)
        guard let spec = options.first(where: { $0.long.utf8.elementsEqual(name) }) else {
            throw UsageError("unknown option \(display)", topic: topic)
        }
        guard spec.takesValue else {
            if inlineValue != nil {
                throw UsageError("option \(display) takes no value", topic: topic)
            }
            return .option(spec.long, nil)
        }
        if let inlineValue { return .option(spec.long, Array(inlineValue)) }
        guard index < arguments.count else {
            throw UsageError("option \(display) needs a value", topic: topic)
        }
        index += 1
        return .option(spec.long, arguments[index - 1])
    }

    private mutating func shortOption(_ letter: UInt8) throws(UsageError) -> Token {
        let display = quoted([UInt8(ascii: "-"), letter])
        guard let spec = options.first(where: { $0.short == letter }) else {
            throw UsageError("unknown option \(display)", topic: topic)
        }
        guard spec.takesValue else { return .option(spec.long, nil) }
        if !cluster.isEmpty {
            defer { cluster = [] }
            return .option(spec.long, Array(cluster))
        }
        guard index < arguments.count else {
            throw UsageError("option \(display) needs a value", topic: topic)
        }
        index += 1
        return .option(spec.long, arguments[index - 1])
    }
}

private let helpOption = OptionSpec("help", short: "h")
private let versionOption = OptionSpec("version")
private let chunkSizeOption = OptionSpec("chunk-size", takesValue: true)
private let escapesOption = OptionSpec("escapes", short: "x")

/// The options of `byteflow replace`, in the order `--help` lists them.
let replaceOptions = [
    OptionSpec("output", short: "o", takesValue: true),
    OptionSpec("in-place", short: "i"),
    OptionSpec("count", short: "c"),
    escapesOption,
    OptionSpec("stats"),
    OptionSpec("progress"),
    chunkSizeOption,
    OptionSpec("boxed"),
    OptionSpec("expression", short: "e", takesValue: true),
    OptionSpec("pairs", takesValue: true),
    OptionSpec("ignore-case", short: "I"),
    helpOption,
    versionOption,
]

private func parseReplace(_ arguments: [[UInt8]]) throws(UsageError) -> Command {
    var scanner = OptionScanner(arguments, options: replaceOptions, topic: .replace)
    var operands: [[UInt8]] = []
    var request = ReplaceRequest(rules: [])
    var escapes = false
    var output: [UInt8]? = nil
    var inPlace = false
    var count = false
    var expressions: [[UInt8]] = []
    while let token = try scanner.next() {
        switch token {
        case .operand(let operand): operands.append(operand)
        case .option("help", _): return .help(.replace)
        case .option("version", _): return .version
        case .option("boxed", _): request.boxed = true
        case .option("escapes", _): escapes = true
        case .option("in-place", _): inPlace = true
        case .option("count", _): count = true
        case .option("stats", _): request.stats = true
        case .option("progress", _): request.progress = true
        case .option("ignore-case", _): request.ignoresCase = true
        case .option("expression", let value): expressions.append(value ?? [])
        case .option("pairs", let value):
            guard let value, !value.isEmpty else {
                throw UsageError("the pairs file name is empty", topic: .replace)
            }
            request.pairsFile = value
        case .option("chunk-size", let value):
            request.chunkSize = try parseChunkSize(value ?? [], topic: .replace)
        case .option("output", let value):
            guard let value, !value.isEmpty else {
                throw UsageError("the output file name is empty", topic: .replace)
            }
            output = value
        case .option(let name, _):
            throw UsageError("unhandled option '--\(name)'", topic: .replace)
        }
    }
    let files: [InputSpec]
    if !expressions.isEmpty || request.pairsFile != nil {
        // The rules come from options: every operand is a file.
        for expression in expressions {
            var rule = try parseExpression(expression, keepingEscapes: escapes)
            if escapes {
                rule.find = try unescape(rule.find, role: "FIND", topic: .replace)
                rule.replacement = try unescape(rule.replacement, role: "REPLACEMENT", topic: .replace)
                guard !rule.find.isEmpty else {
                    throw UsageError("FIND is empty in -e \(quoted(expression))", topic: .replace)
                }
            }
            request.rules.append(rule)
        }
        files = operands.map(inputSpec)
    } else {
        // The first two operands are FIND and REPLACEMENT; the rest are files.
        switch operands.count {
        case 0: throw UsageError("missing FIND and REPLACEMENT operands", topic: .replace)
        case 1: throw UsageError("missing REPLACEMENT operand after \(quoted(operands[0]))", topic: .replace)
        default: break
        }
        let find = try escapes ? unescape(operands[0], role: "FIND", topic: .replace) : operands[0]
        let replacement =
            try escapes ? unescape(operands[1], role: "REPLACEMENT", topic: .replace) : operands[1]
        guard !find.isEmpty else {
            throw UsageError("FIND is empty: give at least one byte to search for", topic: .replace)
        }
        request.rules = [ReplaceRule(find: find, replacement: replacement)]
        files = Array(operands.dropFirst(2).map(inputSpec))
    }
    if (count || request.stats)
        && (request.rules.count != 1 || request.pairsFile != nil || request.ignoresCase)
    {
        // Counts are derived from FIND's and REPLACEMENT's sizes, or counted
        // by a case-sensitive single-pattern stage.
        throw UsageError("--count and --stats take one FIND and REPLACEMENT, without -I", topic: .replace)
    }
    if !files.isEmpty { request.inputs = files }

    if inPlace {
        if output != nil {
            throw UsageError("--in-place and --output cannot be used together", topic: .replace)
        }
        if count { throw UsageError("--in-place and --count cannot be used together", topic: .replace) }
        guard !files.isEmpty else {
            throw UsageError("--in-place needs at least one FILE to edit", topic: .replace)
        }
        guard !files.contains(.standardInput) else {
            throw UsageError("standard input ('-') cannot be edited in place", topic: .replace)
        }
        request.output = .inPlace
    } else if count {
        if output != nil {
            throw UsageError("--count writes no output; it cannot be used with --output", topic: .replace)
        }
        request.output = .count
    } else if let output, output != [UInt8(ascii: "-")] {
        request.output = .file(output)
    }
    if request.inputs.filter({ $0 == .standardInput }).count > 1 {
        throw UsageError("standard input ('-') can be read only once", topic: .replace)
    }
    return .replace(request)
}

private func parseCompare(_ arguments: [[UInt8]]) throws(UsageError) -> Command {
    let options = [escapesOption, chunkSizeOption, OptionSpec("quick"), helpOption, versionOption]
    var scanner = OptionScanner(arguments, options: options, topic: .compare)
    var operands: [[UInt8]] = []
    var request = CompareRequest()
    var escapes = false
    while let token = try scanner.next() {
        switch token {
        case .operand(let operand): operands.append(operand)
        case .option("help", _): return .help(.compare)
        case .option("version", _): return .version
        case .option("escapes", _): escapes = true
        case .option("quick", _): request.quick = true
        case .option("chunk-size", let value):
            request.chunkSize = try parseChunkSize(value ?? [], topic: .compare)
        case .option(let name, _):
            throw UsageError("unhandled option '--\(name)'", topic: .compare)
        }
    }
    switch operands.count {
    case 0: return .compare(request)
    case 1:
        throw UsageError(
            "missing REPLACEMENT operand after \(quoted(operands[0])) "
                + "(to time a file: byteflow compare FIND REPLACEMENT FILE)", topic: .compare)
    case 2, 3: break
    default: throw UsageError("extra operand \(quoted(operands[3]))", topic: .compare)
    }
    let find = try escapes ? unescape(operands[0], role: "FIND", topic: .compare) : operands[0]
    let replacement = try escapes ? unescape(operands[1], role: "REPLACEMENT", topic: .compare) : operands[1]
    guard !find.isEmpty else {
        throw UsageError("FIND is empty: give at least one byte to search for", topic: .compare)
    }
    request.rule = ReplaceRule(find: find, replacement: replacement)
    if operands.count == 3 { request.input = inputSpec(operands[2]) }
    return .compare(request)
}

/// Splits `-e FIND=REPLACEMENT` at its first `=` that is not escaped. In
/// FIND, `\=` stands for `=` and `\\` for `\` (with `keepingEscapes`, for
/// `-x`, `\\` and every other escape are kept for `unescape`); any other
/// backslash is itself. REPLACEMENT is taken as it is.
///
/// - Parameters:
///   - text: The option's value.
///   - keepingEscapes: Whether to leave `\\` as two bytes.
/// - Returns: The rule.
/// - Throws: ``UsageError`` if there is no unescaped `=` or FIND is empty.
/// - Complexity: O(*n*) in the length of `text`.
func parseExpression(_ text: [UInt8], keepingEscapes: Bool = false) throws(UsageError) -> ReplaceRule {
    let backslash = UInt8(ascii: "\\")
    let equals = UInt8(ascii: "=")
    var find: [UInt8] = []
    var index = 0
    while index < text.count {
        let byte = text[index]
        if byte == equals {
            guard !find.isEmpty else {
                throw UsageError(
                    "FIND is empty in -e \(quoted(text)): give at least one byte to search for",
                    topic: .replace)
            }
            return ReplaceRule(find: find, replacement: Array(text[(index + 1)...]))
        }
        if byte == backslash && index + 1 < text.count
            && (text[index + 1] == equals || (text[index + 1] == backslash && !keepingEscapes))
        {
            find.append(text[index + 1])
            index += 2
        } else if byte == backslash && index + 1 < text.count {
            find += [byte, text[index + 1]]
            index += 2
        } else {
            find.append(byte)
            index += 1
        }
    }
    throw UsageError(
        "no '=' in -e \(quoted(text)): expected FIND=REPLACEMENT (write \\= for a '=' in FIND)",
        topic: .replace)
}

private func inputSpec(_ operand: [UInt8]) -> InputSpec {
    operand == [UInt8(ascii: "-")] ? .standardInput : .file(operand)
}
