// Stages that have no error of their own: their `process` and `finish`
// throw only what the next stage throws (`throws(Next.WriteFailure)`), so chains
// of them into a sink that cannot fail run without `try` (see
// Infallible.swift). Conformances live here, apart from the stages, as the
// `Resettable` ones do in Resettable+Stages.swift.
extension ReplaceTransform: InfallibleTransform {}
extension PrefixTransform: InfallibleTransform {}
extension DropFirstTransform: InfallibleTransform {}
extension CountingTransform: InfallibleTransform {}

extension ByteMapTransform: InfallibleTransform {
    /// Writes nothing: the staged bytes of a chunk are written before
    /// ``process(_:into:)`` returns.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws(Next.WriteFailure) {}
}

extension ByteFilterTransform: InfallibleTransform {
    /// Writes nothing: the kept bytes of a chunk are written before
    /// ``process(_:into:)`` returns.
    @inlinable
    public mutating func finish<Next: ByteSink>(into next: inout Next) throws(Next.WriteFailure) {}
}
