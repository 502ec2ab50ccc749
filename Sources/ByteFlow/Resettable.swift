/// A source or sink that can be made ready for another run in place, keeping
/// what it allocated: the one reuse contract for the ends of a pipeline.
///
/// ``reset()`` returns the value to the state a run expects to start from:
/// an in-memory source rewinds to its first byte, a memory sink empties
/// itself but keeps its capacity. It is the same word, and the same promise,
/// as ``ByteTransform/reset()`` for the stages in between, so a pipeline of
/// resettable parts runs again after
/// `pipeline.source.reset(); pipeline.sink.reset()`; its stages reset
/// themselves after a failed run and are back in their initial state after
/// a successful one.
///
/// ## Implementer notes
///
/// - Must not allocate (the point is a steady state that allocates nothing)
///   and must not throw.
/// - A source or sink over something that cannot be replayed (a pipe, a
///   file descriptor) should not conform.
public protocol Resettable {
    /// Makes the value ready for another run, keeping its storage.
    mutating func reset()
}

extension BytesSource: Resettable {
    /// Rewinds to the first byte: the same as ``rewind()``.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func reset() {
        rewind()
    }
}

extension BufferSink: Resettable {
    /// Empties the buffer and keeps its capacity: the same as
    /// `removeAll(keepingCapacity: true)`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func reset() {
        removeAll(keepingCapacity: true)
    }
}

// `DiscardSink.reset()` sets its count back to zero already.
extension DiscardSink: Resettable {}

extension Pipeline where Source: Resettable, Sink: Resettable {
    /// Makes the pipeline ready to run its stream again: rewinds the source
    /// and empties the sink (see ``Resettable``). The transform needs
    /// nothing: a run leaves it in its initial state, successful or not.
    ///
    /// - Complexity: The cost of the two resets, O(1) for the library's own.
    @inlinable
    public mutating func reset() {
        source.reset()
        sink.reset()
    }
}

