/// A sink that writes every byte to two sinks: keep a copy in memory while
/// writing to a file, or checksum what you store.
///
/// ```swift
/// var pipeline = try FileSource(path: "in.bin")
///     .into(TeeSink(try FileSink(path: "copy.bin"), CRC32CSink()))
/// try pipeline.run()
/// print(pipeline.sink.second.checksum)
/// ```
///
/// **Error policy: fail fast, in order.** Each write goes to ``first``, then
/// to ``second``. If ``first`` throws, ``second`` does not see that write and
/// the run ends with a ``TeeSinkError`` naming the branch. If ``second``
/// throws, ``first`` has already taken the bytes: the two sinks then differ
/// by that write, and the error says so by naming ``TeeSinkError/Branch/second``.
/// ``flush()`` flushes both, even when the first flush throws, and then
/// throws the first error.
@frozen
public struct TeeSink<First: ByteSink, Second: ByteSink>: ByteSink {
    /// Receives every write first.
    public var first: First
    /// Receives every write after ``first`` has taken it.
    public var second: Second

    /// Creates a sink that writes to both.
    ///
    /// - Parameters:
    ///   - first: Written to first.
    ///   - second: Written to second.
    @inlinable
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    /// Writes `bytes` to ``first``, then to ``second``.
    ///
    /// - Parameter bytes: Borrowed for the call; both sinks see the same span.
    /// - Throws: ``TeeSinkError`` wrapping the failing sink's error.
    /// - Complexity: The two sinks' writes.
    @inlinable
    public mutating func write(_ bytes: RawSpan) throws {
        do { try first.write(bytes) } catch { throw TeeSinkError(branch: .first, underlying: error) }
        do { try second.write(bytes) } catch { throw TeeSinkError(branch: .second, underlying: error) }
    }

    /// Flushes ``first``, then ``second`` (also if the first throws).
    ///
    /// - Throws: ``TeeSinkError`` for the first failing flush.
    @inlinable
    public mutating func flush() throws {
        var failure: TeeSinkError?
        do { try first.flush() } catch { failure = TeeSinkError(branch: .first, underlying: error) }
        do { try second.flush() } catch {
            if failure == nil { failure = TeeSinkError(branch: .second, underlying: error) }
        }
        if let failure { throw failure }
    }
}

extension TeeSink: Sendable where First: Sendable, Second: Sendable {}

/// One branch of a ``TeeSink`` failed.
///
/// ```swift
/// var pipeline = try FileSource(path: "in.bin")
///     .into(TeeSink(try FileSink(path: "copy.bin"), CRC32CSink()))
/// do {
///     try pipeline.run()
/// } catch {
///     if let tee = error.underlying as? TeeSinkError, tee.branch == .second {
///         print("the second branch failed: \(tee)")
///     }
/// }
/// ```
public struct TeeSinkError: Error, CustomStringConvertible {
    /// Which of the two sinks.
    public enum Branch: Sendable, Equatable {
        /// ``TeeSink/first``: neither sink took the failed write.
        case first
        /// ``TeeSink/second``: the first sink took the failed write.
        case second
    }

    /// The sink that threw.
    public var branch: Branch
    /// Its error.
    public var underlying: any Error

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - branch: The sink that threw.
    ///   - underlying: Its error.
    public init(branch: Branch, underlying: any Error) {
        self.branch = branch
        self.underlying = underlying
    }

    /// For example `second sink of a tee: cannot write to '/dev/full': …`.
    public var description: String {
        "\(branch == .first ? "first" : "second") sink of a tee: \(underlying)"
    }
}
