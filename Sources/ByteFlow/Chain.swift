/// Two transforms run one after the other: the output of `first` is the input
/// of `second`.
///
/// You rarely name this type: `transformed(by:)`, `followed(by:)` and
/// ``StagesBuilder`` build it, always nested to the right
/// (`Chain<A, Chain<B, Chain<C, D>>>`). That shape spells out the whole
/// pipeline in one type, which lets the compiler specialize and inline every
/// stage into one loop, at any depth; a chain nested to the left
/// (`Chain<Chain<A, B>, C>`) stops being specialized after a few levels (see
/// Documentation/Design.md, "Deep chains"). Appending is limited to
/// ``maximumChainDepth`` stages, checked at compile time.
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
        try _TransformSink.lending(&second, &next) { downstream in
            try first.process(chunk, into: &downstream)
        }
    }

    /// Finishes ``first`` into ``second``, then ``second`` into `next`.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        try _TransformSink.lending(&second, &next) { downstream in
            try first.finish(into: &downstream)
        }
        try second.finish(into: &next)
    }

    /// Whether either stage is finished: a finished ``first`` writes nothing
    /// more, and a finished ``second`` discards whatever ``first`` would
    /// still write (see ``ByteTransform/isFinished``).
    @inlinable
    public var isFinished: Bool { first.isFinished || second.isFinished }

    /// Resets both stages, writing nothing.
    @inlinable
    public mutating func reset() {
        first.reset()
        second.reset()
    }

    /// One more than the depth of ``second``: chains count their depth along
    /// the right-hand spine, the one appending grows.
    public typealias _ChainDepth = _ChainDepthSucc<Second._ChainDepth>
}

extension Chain: Sendable where First: Sendable, Second: Sendable {}

/// A chain cannot fail when neither of its stages can.
extension Chain: InfallibleTransform where First: InfallibleTransform, Second: InfallibleTransform {}

extension ByteTransform where _ChainDepth == _ChainDepthOne {
    /// Returns a transform that runs this one, then `next`.
    ///
    /// Use it to build a reusable stack of stages apart from any source:
    /// `let clean = trimmer.followed(by: replace)`. Appending to a chain
    /// (`a.followed(by: b).followed(by: c)`) keeps it nested to the right, up
    /// to ``maximumChainDepth`` stages; past that it does not compile. In code
    /// generic over a stage whose depth is unknown, write `Chain(stage, next)`.
    ///
    /// - Parameter next: The transform that receives this one's output.
    /// - Returns: A ``Chain`` of the two.
    @inlinable
    public func followed<Next: ByteTransform>(by next: Next) -> Chain<Self, Next> {
        Chain(self, next)
    }
}

/// A transform that forwards every chunk unchanged.
///
/// It is the transform of a pipeline built with ``ByteSource/into(_:)``, and
/// a baseline in benchmarks: any cost it shows is the cost of composition.
@frozen
public struct PassThroughTransform: InfallibleTransform, Sendable {
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
