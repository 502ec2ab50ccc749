/// A result builder that composes the transforms listed in a block into one
/// right-nested ``Chain``: `{ a; b; c }` gives `Chain<A, Chain<B, C>>`, the
/// very type `transformed(by:)` builds, so the stages are specialized and
/// fused the same way.
///
/// ```swift
/// var pipeline = try Pipeline(from: FileSource(path: "in.txt"), into: BufferSink()) {
///     try ReplaceTransform("elvis", with: "Elvis")
///     MyStage()
/// }
/// ```
///
/// **Method chain or builder.** Both build the same type; pick by length. The
/// method chain (`source.transformed(by: a).transformed(by: b).into(sink)`)
/// is the default. Use the builder when the stages outnumber what reads well
/// on one chain, or when you want the stage list as a block of its own.
///
/// A block holds 1 to ``maximumChainDepth`` stages; more does not compile.
/// `if`, `switch` and `for` are not supported: each branch would need its own
/// stage type (an `Optional` or `Either` stage), and a loop's stages a type
/// decided at run time, which is ``BoxedPipeline``'s job. The `buildBlock`
/// overloads are generated: see Scripts/generate-chains.py.
@resultBuilder
public enum StagesBuilder {}

extension Pipeline {
    /// Creates a pipeline whose stages are listed in a block, in order.
    ///
    /// - Parameters:
    ///   - source: The stream's producer.
    ///   - sink: The destination.
    ///   - stages: One to ``maximumChainDepth`` transforms, composed by
    ///     ``StagesBuilder`` into a right-nested ``Chain``.
    /// - Throws: Whatever building a stage throws (a ``ByteFlowError`` from
    ///   ``ReplaceTransform/init(_:with:)-([UInt8],_)``, say), unchanged.
    @inlinable
    public init<Failure: Error>(
        from source: Source, into sink: Sink, @StagesBuilder _ stages: () throws(Failure) -> Transform
    ) throws(Failure) {
        self.init(source: source, transform: try stages(), sink: sink)
    }
}
