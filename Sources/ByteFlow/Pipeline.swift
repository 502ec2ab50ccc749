/// A source whose chunks pass through a transform: a pipeline still waiting
/// for its sink.
///
/// Build one with ``ByteSource/transformed(by:)``, add stages with
/// `transformed(by:)` and finish it with ``into(_:)``. Appending keeps the
/// chain of stages nested to the right, the shape that stays specialized, up
/// to ``maximumChainDepth`` stages; appending one more does not compile, and
/// the message says what to do.
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

    /// Completes the pipeline with a sink.
    ///
    /// - Parameter sink: Where the output goes. The pipeline holds it; read it
    ///   back through ``Pipeline/sink`` after ``Pipeline/run()-7ijts``.
    /// - Returns: A pipeline ready to run.
    @inlinable
    public func into<Sink: ByteSink>(_ sink: Sink) -> Pipeline<Source, Transform, Sink> {
        Pipeline(source: source, transform: transform, sink: sink)
    }
}

extension ByteSource {
    /// Starts a pipeline whose chunks pass through `transform`.
    ///
    /// ```swift
    /// var pipeline = BytesSource("elvis lives")
    ///     .transformed(by: try ReplaceTransform("elvis", with: "Elvis"))
    ///     .into(BufferSink())
    /// pipeline.run()  // no `try`: these stages cannot fail
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

extension TransformedSource: Sendable where Source: Sendable, Transform: Sendable {}

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
/// Because every stage's type is known, ``run()-7ijts`` is specialized for this
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
    /// The source is read until it ends, or until the transform reports
    /// ``ByteTransform/isFinished`` (a ``PrefixTransform`` past its limit),
    /// whichever comes first; in the second case the source is left where
    /// reading stopped.
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
/// stages too. The async run (Async.swift) drives the same ``_Run`` from an
/// `AsyncSequence`.
@inlinable
internal func _runPipeline<Source: ByteSource, Transform: ByteTransform, Sink: ByteSink>(
    source: inout Source,
    transform: inout Transform,
    sink: inout Sink
) throws(PipelineError) -> PipelineSummary {
    var run = _Run(sink: _take(&sink))
    defer { _restore(&sink, run.metered.base) }
    do {
        // `isFinished` is a constant `false` for most stages and folds away;
        // a finished stage (a `PrefixTransform` past its limit) ends reading.
        while !transform.isFinished, try source.read({ chunk in try run.process(chunk, through: &transform) })
        {}
    } catch {
        // A `PipelineError` thrown by `run` already names its stage; anything
        // else is the source's own.
        throw run.failedStage != nil
            ? error as! PipelineError : run.fail(.source, error, resetting: &transform)
    }
    try run.finish(&transform)
    return run.summary
}

/// One run of a pipeline, whatever feeds it: counts the bytes read and
/// written, names the stage that failed, and resets the transform after a
/// failure so that the next run does not begin with bytes this one held
/// back. It owns the sink during the run (see Lending.swift for why it does
/// not point to it).
@frozen
@usableFromInline
internal struct _Run<Sink: ByteSink> {
    @usableFromInline var metered: _MeteredSink<Sink>
    @usableFromInline var bytesRead = 0
    /// Set when this run threw a ``PipelineError`` of its own.
    @usableFromInline var failedStage: PipelineError.Stage?

    @inlinable
    init(sink: Sink) {
        metered = _MeteredSink(base: sink)
    }

    @inlinable
    var summary: PipelineSummary {
        PipelineSummary(bytesRead: bytesRead, bytesWritten: metered.bytesWritten)
    }

    /// Passes one chunk of the stream through `transform` into the sink.
    @inlinable
    mutating func process<Transform: ByteTransform>(
        _ chunk: RawSpan, through transform: inout Transform
    ) throws(PipelineError) {
        bytesRead &+= chunk.byteCount
        do {
            try transform.process(chunk, into: &metered)
        } catch {
            throw fail(metered.failed ? .sink : .transform, error, resetting: &transform)
        }
    }

    /// Ends the stream: finishes `transform` into the sink, then flushes it.
    ///
    /// Out of line on purpose: it runs once per stream, but inlined, a deep
    /// chain's finish path (one lending per stage) filled the run loop's
    /// function, and the optimizer stopped inlining there before it reached
    /// the innermost write (its inliner gives up on callers past a block
    /// limit). Measured from a client package, 16 pass-through stages into a
    /// `BufferSink`, 1 MiB: 7.6–9.0× one stage at 1 B and 16 B chunks inlined,
    /// 2.1–2.5× out of line (2026-11-30, Documentation/Benchmarks.md).
    @inlinable
    @inline(never)
    mutating func finish<Transform: ByteTransform>(_ transform: inout Transform) throws(PipelineError) {
        do {
            try transform.finish(into: &metered)
            try metered.flush()
        } catch {
            throw fail(metered.failed ? .sink : .transform, error, resetting: &transform)
        }
    }

    /// Resets `transform` (see ``ByteTransform/reset()``) and describes the
    /// failure of `stage`.
    @inlinable
    mutating func fail<Transform: ByteTransform>(
        _ stage: PipelineError.Stage, _ error: any Error, resetting transform: inout Transform
    ) -> PipelineError {
        failedStage = stage
        transform.reset()
        return PipelineError(
            stage: stage, bytesRead: bytesRead, bytesWritten: metered.bytesWritten, underlying: error)
    }
}

extension Pipeline: Sendable where Source: Sendable, Transform: Sendable, Sink: Sendable {}

/// Counts what reaches the sink and notes whether the sink threw, so that a
/// ``PipelineError`` can name the failing stage. One add per write. It owns
/// the sink during a run (see Lending.swift for why it does not point to it).
@frozen
@usableFromInline
internal struct _MeteredSink<Base: ByteSink>: ByteSink {
    @usableFromInline var base: Base
    @usableFromInline var bytesWritten = 0
    @usableFromInline var failed = false

    @inlinable
    init(base: Base) {
        self.base = base
    }

    @inlinable
    mutating func write(_ bytes: RawSpan) throws {
        do {
            try base.write(bytes)
        } catch {
            failed = true
            throw error
        }
        bytesWritten &+= bytes.byteCount
    }

    @inlinable
    mutating func flush() throws {
        do {
            try base.flush()
        } catch {
            failed = true
            throw error
        }
    }

    @inlinable
    static var lendsMemory: Bool { Base.lendsMemory }

    @inlinable
    @inline(__always)  // (as `BufferSink`'s: a call per replace kernel run)
    mutating func beginDirectWrite(minimumCount: Int) throws -> UnsafeMutableRawBufferPointer? {
        do {
            return try base.beginDirectWrite(minimumCount: minimumCount)
        } catch {
            failed = true
            throw error
        }
    }

    @inlinable
    mutating func endDirectWrite(_ count: Int) {
        base.endDirectWrite(count)
        bytesWritten &+= count
    }
}
