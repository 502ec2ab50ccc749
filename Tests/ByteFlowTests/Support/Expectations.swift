import Testing

/// Catches what `body` throws as an `E`, or records an issue.
func caught<E: Error>(
    _ errorType: E.Type, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> E? {
    do {
        try body()
        Issue.record("expected \(E.self) to be thrown, nothing was", sourceLocation: sourceLocation)
    } catch let error as E {
        return error
    } catch {
        Issue.record("expected \(E.self), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Expects `actual == expected` for byte arrays of any size. `#expect(a == b)`
/// on arrays makes Swift Testing compute a diff on failure, which is
/// quadratic and hangs on the large outputs of file and pipe tests; this
/// reports the lengths and the first difference instead.
func expectBytes(
    _ actual: [UInt8], equal expected: [UInt8], _ context: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual != expected else { return }
    let first =
        (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] }
        ?? min(actual.count, expected.count)
    let window = max(0, first - 20)..<(first + 40)
    Issue.record(
        """
        bytes differ \(context())
          count \(actual.count), expected \(expected.count); first difference at offset \(first)
          actual   [\(window.lowerBound)...]: \(printable(Array(actual[window.clamped(to: actual.indices)])))
          expected [\(window.lowerBound)...]: \(printable(Array(expected[window.clamped(to: expected.indices)])))
        """,
        sourceLocation: sourceLocation)
}
