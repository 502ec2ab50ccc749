/// A source whose chunks pass through a transform: a pipeline still waiting
/// for its sink.
///
/// Build one with ``ByteSource/transformed(by:)``, add stages with
/// ``transformed(by:)`` and finish it with ``into(_:)``.
@frozen
public struct TransformedSource<Source: ByteSource, Transform: ByteTransform> {
    /// The stream's producer.
    public var source: Source
    /// All stages so far, composed into one transform.
    public var transform: Transform

    /// Pairs a source with a transform.
    ///
    /// - Parameters:
    ///   - source: The stream's producer.
    ///   - transform: The stage its chunks pass through.
    @inlinable
    public init(source: Source, transform: Transform) {
        self.source = source
        self.transform = transform
    }

    /// Appends a stage.
    ///
    /// - Parameter next: A transform that receives the output of the stages so
    ///   far.
    /// - Returns: The same source with `Chain<Transform, Next>` as its
    ///   transform.
    @inlinable
    public func transformed<Next: ByteTransform>(
        by next: Next
    ) -> TransformedSource<Source, Chain<Transform, Next>> {
        TransformedSource<Source, Chain<Transform, Next>>(source: source, transform: Chain(transform, next))
    }

    /// Completes the pipeline with a sink.
    ///
    /// - Parameter sink: Where the output goes. The pipeline holds it; read it
    ///   back through ``Pipeline/sink`` after ``Pipeline/run()``.
    /// - Returns: A pipeline ready to run.
    @inlinable
    public func into<Sink: ByteSink>(_ sink: Sink) -> Pipeline<Source, Transform, Sink> {
        Pipeline(source: source, transform: transform, sink: sink)
    }
}

// Appending to a chain keeps it nested to the right, which is what keeps a
// long pipeline specialized: see the note above `extension Chain` in
// Chain.swift.
extension TransformedSource {
    /// Appends a stage as stage 3, keeping the chain nested to the right.
    @inlinable
    public func transformed<T1: ByteTransform, T2: ByteTransform, Next: ByteTransform>(
        by next: Next
    ) -> TransformedSource<Source, Chain<T1, Chain<T2, Next>>>
    where Transform == Chain<T1, T2> {
        TransformedSource<Source, Chain<T1, Chain<T2, Next>>>(
            source: source, transform: transform.followed(by: next))
    }

    /// Appends a stage as stage 4, keeping the chain nested to the right.
    @inlinable
    public func transformed<T1: ByteTransform, T2: ByteTransform, T3: ByteTransform, Next: ByteTransform>(
        by next: Next
    ) -> TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Next>>>>
    where Transform == Chain<T1, Chain<T2, T3>> {
        TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Next>>>>(
            source: source, transform: transform.followed(by: next))
    }

    /// Appends a stage as stage 5, keeping the chain nested to the right.
    @inlinable
    public func transformed<
        T1: ByteTransform, T2: ByteTransform, T3: ByteTransform, T4: ByteTransform, Next: ByteTransform
    >(
        by next: Next
    ) -> TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Next>>>>>
    where Transform == Chain<T1, Chain<T2, Chain<T3, T4>>> {
        TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Next>>>>>(
            source: source, transform: transform.followed(by: next))
    }

    /// Appends a stage as stage 6, keeping the chain nested to the right.
    @inlinable
    public func transformed<
        T1: ByteTransform, T2: ByteTransform, T3: ByteTransform, T4: ByteTransform, T5: ByteTransform,
        Next: ByteTransform
    >(
        by next: Next
    ) -> TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, Next>>>>>>
    where Transform == Chain<T1, Chain<T2, Chain<T3, Chain<T4, T5>>>> {
        TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, Next>>>>>>(
            source: source, transform: transform.followed(by: next))
    }

    /// Appends a stage as stage 7, keeping the chain nested to the right.
    @inlinable
    public func transformed<
        T1: ByteTransform, T2: ByteTransform, T3: ByteTransform, T4: ByteTransform, T5: ByteTransform,
        T6: ByteTransform, Next: ByteTransform
    >(
        by next: Next
    ) -> TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, Chain<T6, Next>>>>>>>
    where Transform == Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, T6>>>>> {
        TransformedSource<Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, Chain<T6, Next>>>>>>>(
            source: source, transform: transform.followed(by: next))
    }

    /// Appends a stage as stage 8, keeping the chain nested to the right.
    @inlinable
    public func transformed<
        T1: ByteTransform, T2: ByteTransform, T3: ByteTransform, T4: ByteTransform, T5: ByteTransform,
        T6: ByteTransform, T7: ByteTransform, Next: ByteTransform
    >(
        by next: Next
    ) -> TransformedSource<
        Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, Chain<T6, Chain<T7, Next>>>>>>>
    >
    where Transform == Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, Chain<T6, T7>>>>>> {
        TransformedSource<
            Source, Chain<T1, Chain<T2, Chain<T3, Chain<T4, Chain<T5, Chain<T6, Chain<T7, Next>>>>>>>
        >(source: source, transform: transform.followed(by: next))
    }
}

extension ByteSource {
    /// Starts a pipeline whose chunks pass through `transform`.
    ///
    /// ```swift
    /// var pipeline = BytesSource("elvis lives")
    ///     .transformed(by: try ReplaceTransform("elvis", with: "Elvis"))
    ///     .into(BufferSink())
    /// try pipeline.run()
    /// ```
    ///
    /// - Parameter transform: The first stage.
    /// - Returns: A ``TransformedSource`` to add stages to or finish with a sink.
    @inlinable
    public func transformed<Transform: ByteTransform>(
        by transform: Transform
    ) -> TransformedSource<Self, Transform> {
        TransformedSource(source: self, transform: transform)
    }

    /// Connects this source straight to a sink, with no transform: a copy.
    ///
    /// - Parameter sink: Where the bytes go.
    /// - Returns: A pipeline whose transform is a ``PassThroughTransform``.
    @inlinable
    public func into<Sink: ByteSink>(_ sink: Sink) -> Pipeline<Self, PassThroughTransform, Sink> {
        Pipeline(source: self, transform: PassThroughTransform(), sink: sink)
    }
}

/// What one run of a pipeline moved.
public struct PipelineSummary: Sendable, Equatable, CustomStringConvertible {
    /// Bytes the source produced.
    public var bytesRead: Int
    /// Bytes the sink accepted.
    public var bytesWritten: Int

    /// Creates a summary.
    ///
    /// - Parameters:
    ///   - bytesRead: Bytes the source produced.
    ///   - bytesWritten: Bytes the sink accepted.
    @inlinable
    public init(bytesRead: Int, bytesWritten: Int) {
        self.bytesRead = bytesRead
        self.bytesWritten = bytesWritten
    }

    /// For example `read 119 bytes, wrote 119 bytes`.
    public var description: String {
        "read \(bytesRead) bytes, wrote \(bytesWritten) bytes"
    }
}

/// A complete pipeline: a source, a transform (often a ``Chain`` of them) and a
/// sink, all of concrete types.
///
/// Because every stage's type is known, ``run()`` is specialized for this
/// exact pipeline in the module that calls it: the stages are inlined into
/// one loop over the source's chunks, with no dynamic dispatch and no
/// allocation. Compare ``BoxedPipeline``, which runs the same stages as
/// existentials.
///
/// The stages are stored properties, so a pipeline can be reused: put a new
/// source in ``source``, empty the ``sink``, and run again.
@frozen
public struct Pipeline<Source: ByteSource, Transform: ByteTransform, Sink: ByteSink> {
    /// The stream's producer.
    public var source: Source
    /// All stages, composed into one transform.
    public var transform: Transform
    /// The stream's destination; holds the output after a run.
    public var sink: Sink

    /// Creates a pipeline from its three parts.
    ///
    /// - Parameters:
    ///   - source: The stream's producer.
    ///   - transform: The stage or chain of stages.
    ///   - sink: The destination.
    @inlinable
    public init(source: Source, transform: Transform, sink: Sink) {
        self.source = source
        self.transform = transform
        self.sink = sink
    }

    /// Runs the stream from the source through the transform into the sink,
    /// then finishes the transform and flushes the sink.
    ///
    /// - Returns: How many bytes were read and written.
    /// - Throws: ``PipelineError``, naming the stage that failed, the bytes
    ///   read and written until then, and the stage's own error.
    /// - Complexity: O(*n*) in the length of the stream for the built-in
    ///   stages; allocates nothing beyond what the stages themselves do.
    @inlinable
    @discardableResult
    public mutating func run() throws(PipelineError) -> PipelineSummary {
        try _runPipeline(source: &source, transform: &transform, sink: &sink)
    }
}

/// The run loop shared by ``Pipeline`` and ``BoxedPipeline``: generic, so it is
/// specialized for a pipeline's concrete stages, and runs with existential
/// stages too.
@inlinable
internal func _runPipeline<Source: ByteSource, Transform: ByteTransform, Sink: ByteSink>(
    source: inout Source,
    transform: inout Transform,
    sink: inout Sink
) throws(PipelineError) -> PipelineSummary {
    var bytesRead = 0
    var inBody = false
    return try withUnsafeMutablePointer(to: &sink) { (sink) throws(PipelineError) -> PipelineSummary in
        var metered = _MeteredSink(base: sink)
        do {
            while try source.read({ chunk in
                inBody = true
                bytesRead &+= chunk.byteCount
                try transform.process(chunk, into: &metered)
                inBody = false
            }) {}
            inBody = true
            try transform.finish(into: &metered)
            inBody = false
            try metered.flush()
        } catch {
            let stage: PipelineError.Stage =
                metered.failed ? .sink : (inBody ? .transform : .source)
            throw PipelineError(
                stage: stage, bytesRead: bytesRead, bytesWritten: metered.bytesWritten, underlying: error)
        }
        return PipelineSummary(bytesRead: bytesRead, bytesWritten: metered.bytesWritten)
    }
}

/// Counts what reaches the sink and notes whether the sink threw, so that a
/// ``PipelineError`` can name the failing stage. One add per write.
@frozen
@usableFromInline
internal struct _MeteredSink<Base: ByteSink>: ByteSink {
    @usableFromInline let base: UnsafeMutablePointer<Base>
    @usableFromInline var bytesWritten = 0
    @usableFromInline var failed = false

    @inlinable
    init(base: UnsafeMutablePointer<Base>) {
        self.base = base
    }

    @inlinable
    mutating func write(_ bytes: RawSpan) throws {
        do {
            try base.pointee.write(bytes)
        } catch {
            failed = true
            throw error
        }
        bytesWritten &+= bytes.byteCount
    }

    @inlinable
    mutating func flush() throws {
        do {
            try base.pointee.flush()
        } catch {
            failed = true
            throw error
        }
    }
}
