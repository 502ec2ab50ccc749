import ByteFlow

/// The transform `byteflow replace` runs: the FIND and REPLACEMENT operands,
/// or the pairs of `-e` followed by those of `--pairs FILE`, matched with or
/// without ASCII case.
///
/// - Parameter request: The parsed command line.
/// - Returns: The transform, ready to run.
/// - Throws: ``ToolFailure/runtime(_:)`` if the pairs file cannot be read;
///   ``ToolFailure/usage(_:)`` if a line of it is malformed or it has no
///   pairs.
func makeReplaceTransform(_ request: ReplaceRequest) throws(ToolFailure) -> MultiReplaceTransform {
    var pairs: [(pattern: [UInt8], replacement: [UInt8])]
    if request.expressions.isEmpty && request.pairsFile == nil {
        pairs = [(request.pattern, request.replacement)]
    } else {
        pairs = request.expressions.map { ($0.pattern, $0.replacement) }
    }
    if let path = request.pairsFile {
        let contents: [UInt8]
        do {
            contents = try readWholeFile(path)
        } catch {
            throw ToolFailure(error)
        }
        do {
            pairs += try parsePairs(contents).map { ($0.pattern, $0.replacement) }
        } catch {
            throw .usage(UsageError("'\(path)' \(error.message)", topic: .replace))
        }
    }
    do {
        return try MultiReplaceTransform(pairs, ignoringCase: request.ignoresCase)
    } catch {
        throw .usage(UsageError(error.description, topic: .replace))
    }
}

/// The pairs of a `--pairs` file: one `FIND<TAB>REPLACEMENT` per line, split
/// at the line's first TAB (so REPLACEMENT may contain TABs, FIND may contain
/// `=`). Lines end at LF; a CR before it belongs to REPLACEMENT. Empty lines
/// are skipped.
///
/// - Parameter contents: The file's bytes.
/// - Returns: The pairs, in file order.
/// - Throws: ``UsageError`` naming the first line without a TAB or with an
///   empty FIND, or saying that there is no pair at all.
/// - Complexity: O(*n*) in the file's length.
func parsePairs(_ contents: [UInt8]) throws(UsageError) -> [ReplacePair] {
    var pairs: [ReplacePair] = []
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
        pairs.append(ReplacePair(pattern: Array(line[..<tab]), replacement: Array(line[(tab + 1)...])))
    }
    guard !pairs.isEmpty else { throw UsageError("has no FIND<TAB>REPLACEMENT lines", topic: .replace) }
    return pairs
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
