// The stage library's sinks that keep their state in memory: their `reset()`
// already empties them or zeroes their counts.
extension CountingSink: Resettable {}
extension CRC32CSink: Resettable {}
extension CappedBufferSink: Resettable {}

extension TeeSink: Resettable where First: Resettable, Second: Resettable {
    /// Resets both sinks.
    ///
    /// - Complexity: The cost of the two resets.
    @inlinable
    public mutating func reset() {
        first.reset()
        second.reset()
    }
}
