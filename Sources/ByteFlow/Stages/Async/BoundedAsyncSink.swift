#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A sink whose output an async consumer drains through a bounded buffer:
/// when the consumer falls behind, the producing run waits (back-pressure)
/// instead of buffering without limit as an `AsyncStream` would.
///
/// ```swift
/// var sink = try BoundedAsyncSink(capacity: 1 << 20)
/// let consumer = Task {
///     var total = 0
///     for try await piece in sink.output { total += piece.count }  // slow is fine
///     return total
/// }
/// try await AsyncChunkSource(chunks).run(through: &transform, into: &sink)
/// sink.finish()
/// let total = try await consumer.value
/// ```
///
/// - **Bound.** Writes are gathered into arrays of ``chunkSize`` bytes that
///   the consumer receives in order. ``AsyncChunkSource/run(through:into:)-(_,BoundedAsyncSink)``
///   waits before every input slice until fewer than ``capacity`` bytes are
///   buffered, so the buffer holds at most ``capacity`` plus the output of
///   one slice (``chunkSize`` input bytes) plus one array being filled.
///   ``peakBufferedByteCount`` reports the most it ever held.
/// - **Ending.** Call ``finish(throwing:)`` after the run, with the run's
///   error if it failed; the consumer's loop then ends (or throws). Bytes
///   still buffered are delivered first.
/// - **A consumer that leaves** (its task cancelled): the next write or wait
///   throws `CancellationError`, which ends the run. A consumer that simply
///   stops iterating without being cancelled leaves the producer waiting;
///   cancel its task instead.
/// - **Allocation.** One array per ``chunkSize`` bytes of output, which the
///   consumer then owns; nothing else per write.
/// - **Concurrency.** The sink and ``output`` are `Sendable`; the producer and
///   the consumer may run in different tasks or isolation domains.
public struct BoundedAsyncSink: ByteSink, Sendable {
    /// Bytes the buffer may hold before the producer waits.
    public let capacity: Int
    /// The size of the arrays the consumer receives, except the last.
    public let chunkSize: Int
    @usableFromInline internal let _channel: _ByteChannel
    @usableFromInline internal var _pending: [UInt8] = []

    /// Creates a sink and its buffer.
    ///
    /// - Parameters:
    ///   - capacity: Bytes buffered before the producer waits; at least 1.
    ///   - chunkSize: The size of the arrays handed to the consumer (default
    ///     16 KiB, at most `capacity`); at least 1.
    /// - Throws: ``ByteFlowError/invalidChunkSize(_:)`` for a size below 1.
    public init(capacity: Int, chunkSize: Int = 16 * 1024) throws(ByteFlowError) {
        guard capacity > 0 else { throw .invalidChunkSize(capacity) }
        guard chunkSize > 0 else { throw .invalidChunkSize(chunkSize) }
        self.capacity = capacity
        self.chunkSize = min(chunkSize, capacity)
        _channel = _ByteChannel(capacity: capacity)
    }

    /// The consumer's side: the output in order, as arrays of up to
    /// ``chunkSize`` bytes. Iterate it once, from one task.
    public var output: Output { Output(channel: _channel) }

    /// The most bytes the buffer has held at once.
    public var peakBufferedByteCount: Int { _channel.peak }

    /// Copies `bytes` into the array being filled, handing each full array
    /// to the buffer.
    ///
    /// - Parameter bytes: Borrowed for the call and copied.
    /// - Throws: `CancellationError` if the consumer has gone.
    /// - Complexity: O(*n*).
    public mutating func write(_ bytes: RawSpan) throws {
        try bytes.withUnsafeBytes { buffer in
            var rest = buffer[...]
            while !rest.isEmpty {
                if _pending.isEmpty { _pending.reserveCapacity(chunkSize) }
                let take = min(rest.count, chunkSize &- _pending.count)
                _pending.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                if _pending.count == chunkSize { try _send() }
            }
        }
    }

    /// Hands the array being filled, if any, to the buffer.
    ///
    /// - Throws: `CancellationError` if the consumer has gone.
    public mutating func flush() throws {
        if !_pending.isEmpty { try _send() }
    }

    /// Ends the output: the consumer receives what is buffered, then its
    /// loop ends normally, or throws `error`.
    ///
    /// - Parameter error: The run's error, or `nil` after a successful run.
    public func finish(throwing error: (any Error)? = nil) {
        _channel.finish(throwing: error)
    }

    private mutating func _send() throws {
        let chunk = _pending
        _pending = []
        try _channel.send(chunk)
    }

    /// The consumer's side of a ``BoundedAsyncSink``.
    ///
    /// ```swift
    /// for try await piece in sink.output { handle(piece) }
    /// ```
    public struct Output: AsyncSequence, Sendable {
        let channel: _ByteChannel

        /// Starts the iteration.
        public func makeAsyncIterator() -> Iterator {
            Iterator(channel: channel)
        }

        /// Receives the arrays in order; `nil` after ``BoundedAsyncSink/finish(throwing:)``.
        public struct Iterator: AsyncIteratorProtocol {
            let channel: _ByteChannel

            /// The next array, waiting for one if the buffer is empty.
            ///
            /// - Returns: The next array, or `nil` at the end of the output.
            /// - Throws: The error passed to ``BoundedAsyncSink/finish(throwing:)``,
            ///   or `CancellationError` if this task is cancelled while waiting.
            public mutating func next() async throws -> [UInt8]? {
                try await channel.receive()
            }
        }
    }
}

/// The buffer between a ``BoundedAsyncSink`` and its consumer: a queue of
/// arrays and at most one waiting producer and one waiting consumer, all
/// under one lock.
///
/// The lock is a `pthread_mutex_t`, not `Synchronization.Mutex`: on Linux
/// `Mutex` is built on raw futex calls that ThreadSanitizer does not model,
/// and it reported every guarded access as a race.
@usableFromInline
internal final class _ByteChannel: @unchecked Sendable {
    struct State {
        var queue: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var peak = 0
        var finished = false
        var failure: (any Error)?
        var consumerGone = false
        var waitingProducer: CheckedContinuation<Void, any Error>?
        var waitingConsumer: CheckedContinuation<[UInt8]?, any Error>?
    }

    let capacity: Int
    // `_state` is only touched inside `withLock`.
    private var _state = State()
    private let _mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(capacity: Int) {
        self.capacity = capacity
        _mutex = .allocate(capacity: 1)
        _mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(_mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(_mutex)
        _mutex.deallocate()
    }

    /// Runs `body` with the state, under the lock.
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(_mutex)
        defer { pthread_mutex_unlock(_mutex) }
        return try body(&_state)
    }

    var peak: Int { withLock { $0.peak } }

    /// Enqueues `chunk` (never waits: the producer waits in `waitForRoom`).
    func send(_ chunk: [UInt8]) throws {
        let consumer: CheckedContinuation<[UInt8]?, any Error>? = try withLock { state in
            if state.consumerGone { throw CancellationError() }
            if let waiting = state.waitingConsumer {
                state.waitingConsumer = nil
                return waiting
            }
            state.queue.append(chunk)
            state.buffered &+= chunk.count
            state.peak = max(state.peak, state.buffered)
            return nil
        }
        consumer?.resume(returning: chunk)
    }

    /// Returns once fewer than `capacity` bytes are buffered.
    @usableFromInline
    func waitForRoom() async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<Void, any Error>) in
                let result: Result<Void, any Error>? = withLock { state in
                    if state.consumerGone { return .failure(CancellationError()) }
                    if state.buffered < capacity { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }  // see `receive()`
                    state.waitingProducer = continuation
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let producer = withLock { state in
                defer { state.waitingProducer = nil }
                return state.waitingProducer
            }
            producer?.resume(throwing: CancellationError())
        }
    }

    /// The next array, waiting while the queue is empty.
    func receive() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                let (result, producer) = withLock {
                    state -> (Result<[UInt8]?, any Error>?, CheckedContinuation<Void, any Error>?) in
                    if state.head < state.queue.count {
                        let chunk = state.queue[state.head]
                        state.queue[state.head] = []
                        state.head &+= 1
                        if state.head == state.queue.count {
                            state.queue.removeAll(keepingCapacity: true)
                            state.head = 0
                        }
                        state.buffered &-= chunk.count
                        var producer: CheckedContinuation<Void, any Error>?
                        if state.buffered < capacity {
                            producer = state.waitingProducer
                            state.waitingProducer = nil
                        }
                        return (.success(chunk), producer)
                    }
                    if state.finished {
                        defer { state.failure = nil }
                        return (state.failure.map { .failure($0) } ?? .success(nil), nil)
                    }
                    if state.consumerGone { return (.failure(CancellationError()), nil) }
                    // Checked under the lock that `onCancel` also takes: a
                    // cancellation either comes first and is seen here, or
                    // comes after and finds the stored continuation.
                    if Task.isCancelled {
                        state.consumerGone = true
                        defer { state.waitingProducer = nil }
                        return (.failure(CancellationError()), state.waitingProducer)
                    }
                    state.waitingConsumer = continuation
                    return (nil, nil)
                }
                if let result, case .failure = result {
                    producer?.resume(throwing: CancellationError())
                } else {
                    producer?.resume()
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            leave()
        }
    }

    /// The consumer has gone: wake both sides with `CancellationError`.
    func leave() {
        let (consumer, producer) = withLock { state in
            state.consumerGone = true
            defer {
                state.waitingConsumer = nil
                state.waitingProducer = nil
            }
            return (state.waitingConsumer, state.waitingProducer)
        }
        consumer?.resume(throwing: CancellationError())
        producer?.resume(throwing: CancellationError())
    }

    func finish(throwing error: (any Error)?) {
        let consumer = withLock { state in
            state.finished = true
            state.failure = error
            defer { state.waitingConsumer = nil }
            return state.waitingConsumer
        }
        if let consumer {
            if let error { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
        }
    }
}
