/// Two transforms run one after the other: the output of `first` is the input
/// of `second`.
///
/// You rarely name this type: ``TransformedSource/transformed(by:)`` and
/// ``ByteTransform/followed(by:)`` build it. Nesting chains gives a type that
/// spells out the whole pipeline (`Chain<Chain<A, B>, C>`), which is what lets
/// the compiler specialize and inline every stage into one loop.
@frozen
public struct Chain<First: ByteTransform, Second: ByteTransform>: ByteTransform {
    /// The stage that sees the input first.
    public var first: First
    /// The stage that receives the output of ``first``.
    public var second: Second

    /// Creates a chain that runs `first`, then `second`.
    ///
    /// - Parameters:
    ///   - first: The upstream transform.
    ///   - second: The downstream transform.
    @inlinable
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    /// Passes `chunk` through ``first``, whose output goes through ``second``
    /// to `next`.
    ///
    /// - Complexity: The cost of the two stages; the chain adds none.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try withUnsafeMutablePointer(to: &second) { second in
            try withUnsafeMutablePointer(to: &next) { next in
                var downstream = _TransformSink(transform: second, next: next)
                try first.process(chunk, into: &downstream)
            }
        }
    }

    /// Finishes ``first`` into ``second``, then ``second`` into `next`.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        try withUnsafeMutablePointer(to: &second) { second in
            try withUnsafeMutablePointer(to: &next) { next in
                var downstream = _TransformSink(transform: second, next: next)
                try first.finish(into: &downstream)
            }
        }
        try second.finish(into: &next)
    }
}

/// A sink that feeds a transform whose output goes to another sink.
///
/// It refers to both through pointers rather than holding copies: a copy of a
/// sink that owns an array would make the next write copy the whole array.
/// The pointers are valid only inside the `withUnsafeMutablePointer` scopes
/// of ``Chain`` and ``BoxedPipeline``, which is where every instance lives.
@frozen
@usableFromInline
internal struct _TransformSink<Transform: ByteTransform, Next: ByteSink>: ByteSink {
    @usableFromInline let transform: UnsafeMutablePointer<Transform>
    @usableFromInline let next: UnsafeMutablePointer<Next>

    @inlinable
    init(transform: UnsafeMutablePointer<Transform>, next: UnsafeMutablePointer<Next>) {
        self.transform = transform
        self.next = next
    }

    @inlinable
    mutating func write(_ bytes: RawSpan) throws {
        try transform.pointee.process(bytes, into: &next.pointee)
    }
}

extension ByteTransform {
    /// Returns a transform that runs this one, then `next`.
    ///
    /// Use it to build a reusable stack of stages apart from any source:
    /// `let clean = trimmer.followed(by: replace)`.
    ///
    /// - Parameter next: The transform that receives this one's output.
    /// - Returns: A ``Chain`` of the two.
    @inlinable
    public func followed<Next: ByteTransform>(by next: Next) -> Chain<Self, Next> {
        Chain(self, next)
    }
}

// Why the overloads below: a chain must nest to the right,
// `Chain<A, Chain<B, Chain<C, D>>>`, to be specialized. Processing a chunk
// recurses through `Chain.process`; nested to the right, each level calls it
// with a smaller `Self` and the same downstream type. Nested to the left, as
// plain appending would build it, each level calls it with a *larger*
// downstream type (`_TransformSink<D, Next>`, then `_TransformSink<C, ...>`),
// which the optimizer takes for an infinite specialization loop: it stops
// specializing after two levels and runs the rest as unspecialized generic
// code, slower than the boxed pipeline. Swift cannot express "append to the
// innermost chain" for any depth (that needs generic associated types), so
// appending is spelled out up to eight stages, as SwiftUI's builders once
// were. Deeper chains still run correctly; build them from right-nested
// parts (`a.followed(by: b.followed(by: c))`) to keep them specialized.
extension Chain {
    /// Appends `next` as stage 3, keeping the chain nested to the right.
    @inlinable
    public func followed<Next: ByteTransform>(
        by next: Next
    ) -> Chain<First, Chain<Second, Next>> {
        .init(first, second.followed(by: next))
    }

    /// Appends `next` as stage 4, keeping the chain nested to the right.
    @inlinable
    public func followed<S1: ByteTransform, S2: ByteTransform, Next: ByteTransform>(
        by next: Next
    ) -> Chain<First, Chain<S1, Chain<S2, Next>>>
    where Second == Chain<S1, S2> {
        .init(first, second.followed(by: next))
    }

    /// Appends `next` as stage 5, keeping the chain nested to the right.
    @inlinable
    public func followed<S1: ByteTransform, S2: ByteTransform, S3: ByteTransform, Next: ByteTransform>(
        by next: Next
    ) -> Chain<First, Chain<S1, Chain<S2, Chain<S3, Next>>>>
    where Second == Chain<S1, Chain<S2, S3>> {
        .init(first, second.followed(by: next))
    }

    /// Appends `next` as stage 6, keeping the chain nested to the right.
    @inlinable
    public func followed<
        S1: ByteTransform, S2: ByteTransform, S3: ByteTransform, S4: ByteTransform, Next: ByteTransform
    >(
        by next: Next
    ) -> Chain<First, Chain<S1, Chain<S2, Chain<S3, Chain<S4, Next>>>>>
    where Second == Chain<S1, Chain<S2, Chain<S3, S4>>> {
        .init(first, second.followed(by: next))
    }

    /// Appends `next` as stage 7, keeping the chain nested to the right.
    @inlinable
    public func followed<
        S1: ByteTransform, S2: ByteTransform, S3: ByteTransform, S4: ByteTransform, S5: ByteTransform,
        Next: ByteTransform
    >(
        by next: Next
    ) -> Chain<First, Chain<S1, Chain<S2, Chain<S3, Chain<S4, Chain<S5, Next>>>>>>
    where Second == Chain<S1, Chain<S2, Chain<S3, Chain<S4, S5>>>> {
        .init(first, second.followed(by: next))
    }

    /// Appends `next` as stage 8, keeping the chain nested to the right.
    @inlinable
    public func followed<
        S1: ByteTransform, S2: ByteTransform, S3: ByteTransform, S4: ByteTransform, S5: ByteTransform,
        S6: ByteTransform, Next: ByteTransform
    >(
        by next: Next
    ) -> Chain<First, Chain<S1, Chain<S2, Chain<S3, Chain<S4, Chain<S5, Chain<S6, Next>>>>>>>
    where Second == Chain<S1, Chain<S2, Chain<S3, Chain<S4, Chain<S5, S6>>>>> {
        .init(first, second.followed(by: next))
    }
}

/// A transform that forwards every chunk unchanged.
///
/// It is the transform of a pipeline built with ``ByteSource/into(_:)``, and
/// a baseline in benchmarks: any cost it shows is the cost of composition.
@frozen
public struct PassThroughTransform: ByteTransform {
    /// Creates a pass-through stage.
    @inlinable
    public init() {}

    /// Writes `chunk` to `next` as it is, without copying it.
    ///
    /// - Complexity: O(1) plus the cost of `next.write`.
    @inlinable
    public mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try next.write(chunk)
    }
}
