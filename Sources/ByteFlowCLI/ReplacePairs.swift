import ByteFlow

/// Adds the pairs of `--pairs FILE` to `request.rules`, after those of `-e`.
///
/// - Parameter request: The parsed command line; its rules grow.
/// - Throws: ``ToolFailure/runtime(_:)`` if the file cannot be read;
///   ``ToolFailure/usage(_:)`` if a line of it is malformed or it has no
///   pairs.
func addPairsFile(to request: inout ReplaceRequest) throws(ToolFailure) {
    guard let path = request.pairsFile else { return }
    let contents: [UInt8]
    do {
        contents = try readWholeFile(String(decoding: path, as: UTF8.self))
    } catch {
        throw .runtime(FileFailure(error).message)
    }
    do {
        request.rules += try parsePairs(contents)
    } catch {
        throw .usage(UsageError("\(quoted(path)) \(error.message)", topic: .replace))
    }
}

/// The transform for `rules`: one pass, leftmost-first, with or without
/// ASCII case (`MultiReplaceTransform` hands a single case-sensitive rule to
/// `ReplaceTransform`'s search).
///
/// - Parameters:
///   - rules: The rules, in priority order.
///   - ignoringCase: `-I`.
///   - counting: Replace with nothing (`-c` derives counts from sizes).
/// - Throws: ``ByteFlowError`` for an empty list or FIND.
func makeReplaceTransform(_ rules: [ReplaceRule], ignoringCase: Bool, counting: Bool) throws(ByteFlowError)
    -> MultiReplaceTransform
{
    try MultiReplaceTransform(
        rules.map { ($0.find, counting ? [] : $0.replacement) }, ignoringCase: ignoringCase)
}

/// The pairs of a `--pairs` file: one `FIND<TAB>REPLACEMENT` per line, split
/// at the line's first TAB (so REPLACEMENT may contain TABs, FIND may contain
/// `=`). Lines end at LF; a CR before it belongs to REPLACEMENT. Empty lines
/// are skipped.
///
/// - Parameter contents: The file's bytes.
/// - Returns: The rules, in file order.
/// - Throws: ``UsageError`` naming the first line without a TAB or with an
///   empty FIND, or saying that there is no pair at all.
/// - Complexity: O(*n*) in the file's length.
func parsePairs(_ contents: [UInt8]) throws(UsageError) -> [ReplaceRule] {
    var rules: [ReplaceRule] = []
    var lineNumber = 0
    for line in contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        lineNumber += 1
        guard !line.isEmpty else { continue }
        guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else {
            throw UsageError("line \(lineNumber): no TAB between FIND and REPLACEMENT", topic: .replace)
        }
        guard tab > line.startIndex else {
            throw UsageError("line \(lineNumber): FIND is empty", topic: .replace)
        }
        rules.append(ReplaceRule(find: Array(line[..<tab]), replacement: Array(line[(tab + 1)...])))
    }
    guard !rules.isEmpty else { throw UsageError("has no FIND<TAB>REPLACEMENT lines", topic: .replace) }
    return rules
}

/// The bytes of the file at `path`, read with the library's ``FileSource``.
///
/// - Throws: The source's ``IOError`` (for example when the file does not
///   exist).
private func readWholeFile(_ path: String) throws -> [UInt8] {
    let source = try FileSource(path: path, allowsMapping: false)
    var bytes: [UInt8] = []
    while try source.read({ chunk in chunk.withUnsafeBytes { bytes += $0 } }) {}
    return bytes
}
