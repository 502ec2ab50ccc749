#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How far a stream has got, as ``ProgressTransform`` reports it.
public struct ProgressReport: Sendable, Equatable {
    /// Bytes passed on downstream so far.
    public var bytesDone: Int
    /// The stream's length if it was given, for example a file's size.
    public var totalBytes: Int?
    /// Nanoseconds since the first chunk (monotonic clock); 0 before it.
    public var elapsedNanoseconds: UInt64
    /// Whether this is the last report of the stream (from `finish`).
    public var isFinished: Bool

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - bytesDone: Bytes passed on so far.
    ///   - totalBytes: The stream's length, if known.
    ///   - elapsedNanoseconds: Time since the first chunk.
    ///   - isFinished: Whether the stream has ended.
    public init(bytesDone: Int, totalBytes: Int?, elapsedNanoseconds: UInt64, isFinished: Bool) {
        self.bytesDone = bytesDone
        self.totalBytes = totalBytes
        self.elapsedNanoseconds = elapsedNanoseconds
        self.isFinished = isFinished
    }

    /// `bytesDone / totalBytes` clamped to 0...1, or `nil` when the total is
    /// unknown (an empty stream of known length counts as done).
    public var fraction: Double? {
        guard let totalBytes else { return nil }
        guard totalBytes > 0 else { return 1 }
        return min(1, Double(bytesDone) / Double(totalBytes))
    }
}

/// A pass-through stage that calls a handler with the stream's progress:
/// when at least `everyBytes` bytes have passed since the last call, or at
/// least `everyMilliseconds` have elapsed since it (checked once per chunk),
/// and once more from ``finish(into:)`` with ``ProgressReport/isFinished`` set.
///
/// The bytes go downstream unchanged and uncopied; the stage adds one
/// addition and one comparison per chunk, one read of the monotonic clock at
/// the first chunk and at each report, plus one per chunk when a time
/// interval is set (~20–30 ns through the vDSO on
/// Linux: put the stage where chunks are large, next to the source). It
/// allocates nothing while processing: the handler's context is allocated
/// once, when the stage is made.
///
/// ```swift
/// let size = 64 << 20
/// var pipeline = try FileSource(path: "big.log")
///     .transformed(by: ProgressTransform(totalBytes: size, everyMilliseconds: 100) { progress in
///         print("\(Int((progress.fraction ?? 0) * 100))%")
///     })
///     .transformed(by: ReplaceTransform("elvis", with: "Elvis"))
///     .into(DiscardSink())
/// try pipeline.run()
/// ```
///
/// The handler runs on the pipeline's thread, inside `process`: keep it
/// short. It cannot throw; to stop a run, let another stage throw.
public struct ProgressTransform: ByteTransform {
    /// What the handler receives.
    public typealias Handler = (ProgressReport) -> Void

    @usableFromInline internal let _handler: Handler
    @usableFromInline internal let _totalBytes: Int?
    @usableFromInline internal let _byteInterval: Int
    @usableFromInline internal let _timeInterval: UInt64
    @usableFromInline internal var _done = 0
    @usableFromInline internal var _nextByteMark: Int
    @usableFromInline internal var _start: UInt64 = 0
    @usableFromInline internal var _lastReport: UInt64 = 0

    /// Creates the stage.
    ///
    /// - Parameters:
    ///   - totalBytes: The stream's length, if known (passed on in each
    ///     report, for a percentage and an estimate of the time left).
    ///   - everyBytes: Report after at least this many more bytes; `nil` for
    ///     no byte interval. Values below 1 count as 1.
    ///   - everyMilliseconds: Report after at least this much more time;
    ///     `nil` for no time interval (then the clock is never read).
    ///   - handler: Called with each report, on the pipeline's thread.
    /// - Complexity: O(1).
    public init(
        totalBytes: Int? = nil, everyBytes: Int? = nil, everyMilliseconds: Int? = nil,
        _ handler: @escaping Handler
    ) {
        _handler = handler
        _totalBytes = totalBytes
        _byteInterval = everyBytes.map { max($0, 1) } ?? Int.max
        _timeInterval = everyMilliseconds.map { UInt64(max($0, 0)) * 1_000_000 } ?? 0
        _nextByteMark = _byteInterval
    }

    /// Bytes passed on since the stream began (or since ``reset()``).
    @inlinable
    public var bytesDone: Int { _done }

    /// Passes `chunk` on, then calls the handler if an interval has passed.
    ///
    /// - Throws: Whatever `next` throws (the bytes are then not counted).
    /// - Complexity: O(1) plus `next.write`.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
        _done &+= chunk.byteCount
        if _start == 0 {
            _start = _monotonicNanoseconds()
            _lastReport = _start
        }
        if _done >= _nextByteMark {
            _report(now: _monotonicNanoseconds(), finished: false)
        } else if _timeInterval > 0 {
            let now = _monotonicNanoseconds()
            if now &- _lastReport >= _timeInterval { _report(now: now, finished: false) }
        }
    }

    /// Calls the handler a last time, with ``ProgressReport/isFinished`` set, and
    /// returns the stage to its initial state.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        _report(now: _monotonicNanoseconds(), finished: true)
        reset()
    }

    /// Forgets the stream so far (no report is made).
    @inlinable
    public mutating func reset() {
        _done = 0
        _nextByteMark = _byteInterval
        _start = 0
        _lastReport = 0
    }

    @usableFromInline
    internal mutating func _report(now: UInt64, finished: Bool) {
        if _start == 0 { _start = now }
        _lastReport = now
        let (mark, overflow) = _done.addingReportingOverflow(_byteInterval)
        _nextByteMark = overflow ? Int.max : mark
        _handler(
            ProgressReport(
                bytesDone: _done, totalBytes: _totalBytes, elapsedNanoseconds: now &- _start,
                isFinished: finished))
    }
}

/// The monotonic clock in nanoseconds (never 0 in practice: it counts from
/// boot). Not inlinable: one system-clock read is worth a call.
@usableFromInline
internal func _monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}
