// How one stage hands another its downstream.
//
// A chain's first stage needs a sink that feeds the second stage, whose
// output goes to the chain's downstream. That adapter must *own* the second
// stage and the downstream while the first stage runs: it cannot hold copies
// (a copied `BufferSink` shares its array with the original, and the next
// append would copy the whole array), and it must not hold pointers to them.
// An earlier version held pointers from `withUnsafeMutablePointer(to:)`, and
// Swift 6.3.1's optimizer loses writes made through a pointer stored in a
// struct that is passed `inout` to a function it does not inline: a pipeline
// with a non-inlined transform read back an empty sink in release builds
// (pinned by `LendingRegressionTests` and the release-mode test run in CI).
//
// So the adapter takes the values by *moving* them out of their places and
// moves them back when the stage returns or throws. A move is a bitwise copy
// of a few words, which the optimizer removes entirely once the stages are
// inlined.

/// Moves the value out of `place`, leaving it uninitialized until
/// ``_restore(_:_:)`` puts a value back. Nothing may read `place` in between.
@inlinable
@inline(__always)
internal func _take<Value>(_ place: inout Value) -> Value {
    withUnsafeMutablePointer(to: &place) { $0.move() }
}

/// Initializes `place`, which ``_take(_:)`` left uninitialized, with `value`.
@inlinable
@inline(__always)
internal func _restore<Value>(_ place: inout Value, _ value: Value) {
    withUnsafeMutablePointer(to: &place) { $0.initialize(to: value) }
}

/// A sink that feeds a transform whose output goes to another sink. It owns
/// both while it exists: see the note at the top of this file.
@frozen
@usableFromInline
internal struct _TransformSink<Transform: ByteTransform, Next: ByteSink>: ByteSink {
    @usableFromInline var transform: Transform
    @usableFromInline var next: Next

    @inlinable
    init(transform: Transform, next: Next) {
        self.transform = transform
        self.next = next
    }

    @inlinable
    mutating func write(_ bytes: RawSpan) throws {
        try transform.process(bytes, into: &next)
    }

    /// Runs `body` with a sink that feeds `transform`, whose output goes to
    /// `next`. Both are lent to the sink and given back afterwards, also when
    /// `body` throws.
    @inlinable
    @inline(__always)
    static func lending<Result>(
        _ transform: inout Transform, _ next: inout Next, _ body: (inout Self) throws -> Result
    ) rethrows -> Result {
        var sink = Self(transform: _take(&transform), next: _take(&next))
        defer {
            _restore(&transform, sink.transform)
            _restore(&next, sink.next)
        }
        return try body(&sink)
    }
}
