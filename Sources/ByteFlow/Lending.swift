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
// moves them back when the stage returns or throws. When the stages it lends
// hold references, the adapter lives in a temporary allocation that is never
// destroyed, and its fields are moved back out of it (`_withTemporary`).
// Reading them back out of a local `var` instead (`_restore(&next, sink.next)`)
// is a copy followed by a destroy of the adapter: every piece written into a
// nested chain behind a non-inlined stage retained and released the
// downstream stages' arrays and ran `ReplaceTransform`'s value-witness copy. Measured from a client package (1 MiB of dense text,
// replace → pass-through → pass-through → replace, µs per MiB at 1 B / 64 KiB
// chunks): 123,119 / 5,400 with the copy, 43,879 / 2,319 with the move; the
// boxed pipeline, 71,696 / 3,301, went from faster to 1.4–1.6× slower.
// The temporary has its own cost when everything is inlined (it keeps the
// optimizer from holding the adapter in registers), so stages with no
// references still use a local: see `_TransformSink.lending`.
// (`consume` of the adapter inside the `defer` was tried too: it compiled to
// a double destroy and crashed.)

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

/// Runs `body` with the value `make` returns in a temporary, then lets `giveBack` move the
/// temporary's fields out. The temporary is never destroyed, so `giveBack`
/// must move out (``_take(_:)``) every field that holds a reference; nothing
/// is copied or destroyed on the way.
@inlinable
@inline(__always)
internal func _withTemporary<Value, Result>(
    _ make: () -> Value, _ body: (inout Value) throws -> Result, giveBack: (inout Value) -> Void
) rethrows -> Result {
    return try withUnsafeTemporaryAllocation(of: Value.self, capacity: 1) { storage in
        let place = storage.baseAddress.unsafelyUnwrapped
        place.initialize(to: make())
        defer { giveBack(&place.pointee) }
        return try body(&place.pointee)
    }
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
        guard _isPOD(Transform.self) else {
            // Stages that hold references downstream (a `ReplaceTransform`'s
            // arrays): move them in and out of a temporary, never copying.
            return try _withTemporary({ Self(transform: _take(&transform), next: _take(&next)) }, body) {
                sink in
                _restore(&transform, _take(&sink.transform))
                _restore(&next, _take(&sink.next))
            }
        }
        // Nothing downstream but plain values (pass-through stages, counters):
        // a local, which the optimizer keeps in registers once the stages are
        // inlined; reading the fields back copies the sink, and the inlined
        // copy and destroy cancel out. Through the temporary instead, 16
        // pass-through stages into a `BufferSink` at 1-byte chunks cost 50×
        // one stage (180 ms against 3.3 ms per MiB); this way ~1–3×.
        var sink = Self(transform: _take(&transform), next: _take(&next))
        defer {
            _restore(&transform, sink.transform)
            _restore(&next, sink.next)
        }
        return try body(&sink)
    }
}
