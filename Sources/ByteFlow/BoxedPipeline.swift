/// A pipeline whose stages are held as existentials (`any ByteSource`,
/// `[any ByteTransform]`, `any ByteSink`) and composed at run time.
///
/// It runs the same stage types as ``Pipeline`` and produces byte-identical
/// output, but the compiler cannot see through the composition: every chunk
/// crosses each stage boundary through a witness-table call on an
/// existential, and each transform's `process` runs unspecialized, generic
/// over its downstream. A stage larger than three words lives in a heap box
/// (one allocation when the existential is made). This type exists so that
/// you can measure that cost on your own stages, and so that a pipeline can
/// be assembled from a list decided at run time.
///
/// ```swift
/// var boxed = BoxedPipeline(
///     source: BytesSource("elvis"),
///     transforms: [try ReplaceTransform("elvis", with: "Elvis")],
///     sink: BufferSink())
/// try boxed.run()
/// let output = boxed.sink(as: BufferSink.self)?.string  // "Elvis"
/// ```
///
/// ``run()`` is deliberately not inlinable: the composition is compiled once,
/// in this module, as a user's dynamically built pipeline would be.
public struct BoxedPipeline {
    /// The stream's producer.
    public var source: any ByteSource
    /// The stages, applied in order.
    public var transforms: [any ByteTransform]
    /// The stream's destination; holds the output after a run.
    public var sink: any ByteSink

    /// Creates a pipeline from boxed stages.
    ///
    /// - Parameters:
    ///   - source: The stream's producer.
    ///   - transforms: The stages in order; may be empty (a copy).
    ///   - sink: The destination.
    public init(source: any ByteSource, transforms: [any ByteTransform], sink: any ByteSink) {
        self.source = source
        self.transforms = transforms
        self.sink = sink
    }

    /// The sink, if it is of type `type`: the way to read a value-type sink's
    /// output back after a run.
    ///
    /// - Parameter type: The sink's concrete type, for example `BufferSink.self`.
    /// - Returns: A copy of the sink, or `nil` if it is of another type.
    public func sink<Sink: ByteSink>(as type: Sink.Type) -> Sink? {
        sink as? Sink
    }

    /// Runs the stream from the source through every transform into the sink,
    /// then finishes the transforms in order and flushes the sink.
    ///
    /// - Returns: How many bytes were read and written.
    /// - Throws: ``PipelineError``, naming the stage that failed, the bytes
    ///   read and written until then, and the stage's own error.
    /// - Complexity: O(*n*) in the stream's length, plus one dynamic call per
    ///   chunk and stage boundary. Allocates nothing itself when the stages
    ///   are uniquely referenced; a stage whose box is shared with a copy is
    ///   copied on its first mutation.
    @discardableResult
    public mutating func run() throws(PipelineError) -> PipelineSummary {
        var source = _AnySource(base: self.source)
        self.source = _EmptySource()  // keep the box uniquely referenced
        defer { self.source = source.base }
        return try transforms.withUnsafeMutableBufferPointer { (stages) throws(PipelineError) in
            var chain = _BoxedStages(stages: stages)
            var sink = _AnySink(base: self.sink)
            self.sink = DiscardSink()
            defer { self.sink = sink.base }
            return try _runPipeline(source: &source, transform: &chain, sink: &sink)
        }
    }
}

extension BoxedPipeline {
    /// Makes the pipeline ready to run its stream again: resets the source
    /// and the sink if they are ``Resettable`` (an in-memory source rewinds, a
    /// memory sink empties and keeps its capacity). The transforms need
    /// nothing: a run leaves them in their initial state, successful or not.
    ///
    /// Each end is cast to `any Resettable` and moved out of its property
    /// while it is reset, so that its box is not shared and resetting copies
    /// nothing.
    ///
    /// - Returns: `true` if both ends were reset, `false` if either is not
    ///   ``Resettable`` (that one is left as it was).
    /// - Complexity: Two dynamic casts plus the cost of the two resets.
    @discardableResult
    public mutating func reset() -> Bool {
        var resetBoth = true
        if var source = self.source as? any ByteSource & Resettable {
            self.source = _EmptySource()  // the only reference left is `source`
            source.reset()
            self.source = source
        } else {
            resetBoth = false
        }
        if var sink = self.sink as? any ByteSink & Resettable {
            self.sink = DiscardSink()
            sink.reset()
            self.sink = sink
        } else {
            resetBoth = false
        }
        return resetBoth
    }
}

/// A placeholder that lets ``BoxedPipeline/run()`` move the real source out
/// of its property for the duration of a run.
@usableFromInline
internal struct _EmptySource: ByteSource {
    @usableFromInline
    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool { false }
}

/// Adapts `any ByteSource` to the generic run loop; every read is a dynamic
/// call.
@usableFromInline
internal struct _AnySource: ByteSource {
    @usableFromInline var base: any ByteSource

    @usableFromInline
    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        try base.read(body)
    }
}

/// Adapts `any ByteSink` to the generic run loop; every write is a dynamic
/// call.
@usableFromInline
internal struct _AnySink: ByteSink {
    @usableFromInline var base: any ByteSink

    @usableFromInline
    mutating func write(_ bytes: RawSpan) throws {
        try base.write(bytes)
    }

    @usableFromInline
    mutating func flush() throws {
        try base.flush()
    }

    /// `true`: whether the boxed sink lends is known only when asked.
    @usableFromInline
    static var lendsMemory: Bool { true }

    @usableFromInline
    mutating func beginDirectWrite(minimumCount: Int) throws -> UnsafeMutableRawBufferPointer? {
        try base.beginDirectWrite(minimumCount: minimumCount)
    }

    @usableFromInline
    mutating func endDirectWrite(_ count: Int) {
        base.endDirectWrite(count)
    }
}

/// What ``BoxedPipeline/run()`` hands the boxed stages as their downstream:
/// the caller's sink, boxed and metered.
@usableFromInline
internal typealias _BoxedTerminal = _MeteredSink<_AnySink>

/// The boxed transforms as one transform: chunk → stage 0 → stage 1 → … →
/// the sink, each hop a call on an existential.
///
/// Each hop's sink is a concrete, non-generic type, so the code between two
/// stages is compiled once, specialized, and only the calls *into* the stages
/// are dynamic: that is the cost of boxing, and only that, that a benchmark
/// should see. (A sink generic over its downstream would run every hop as
/// unspecialized code, moving the downstream through value witnesses: it
/// measured 4–5× slower per hop.)
@usableFromInline
internal struct _BoxedStages: ByteTransform {
    @usableFromInline let stages: UnsafeMutableBufferPointer<any ByteTransform>

    @usableFromInline
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        try Self.withTerminal(&next) { terminal in
            try Self.push(chunk, through: stages, from: 0, into: &terminal)
        }
    }

    /// Bit `i` is set when stage `i` can finish early
    /// (``ByteTransform/canFinishEarly``); stages from the 64th on are
    /// always asked.
    @usableFromInline let finishing: UInt64

    /// The stages, and which of them can finish early: one dynamic call per
    /// stage, once per run.
    @usableFromInline
    init(stages: UnsafeMutableBufferPointer<any ByteTransform>) {
        self.stages = stages
        var finishing: UInt64 = 0
        for index in stages.indices.prefix(64) where type(of: stages[index]).canFinishEarly {
            finishing |= 1 &<< UInt64(index)
        }
        self.finishing = finishing
    }

    /// Finished when any stage is, by ``Chain``'s rule (see
    /// ``ByteTransform/isFinished``), asking only the stages that can
    /// finish early. Asking every stage cost one dynamic call per stage per
    /// chunk, ~6 ns each, which showed with tiny chunks (four boxed
    /// pass-through stages over 1 MiB in 16 B chunks: 2.6 → 4.2 ms); a run
    /// of stages that cannot finish now tests one word per chunk (2.8 ms).
    @usableFromInline
    var isFinished: Bool {
        assert(
            !stages.contains { $0.isFinished && !type(of: $0).canFinishEarly },
            "a stage reports isFinished but its type's canFinishEarly is false: declare it true")
        var bits = finishing
        while bits != 0 {
            if stages[bits.trailingZeroBitCount].isFinished { return true }
            bits &= bits &- 1
        }
        var index = 64
        while index < stages.count {
            if stages[index].isFinished { return true }
            index &+= 1
        }
        return false
    }

    @usableFromInline
    mutating func finish<Next: ByteSink>(into next: inout Next) throws {
        try Self.withTerminal(&next) { terminal in
            for index in stages.indices {
                try _BoxedStageSink.lending(stages, index &+ 1, &terminal) { downstream in
                    try stages[index].finish(into: &downstream)
                }
            }
        }
    }

    /// Calls `body` with `next` as a ``_BoxedTerminal``: in place when it is
    /// one (always, inside ``BoxedPipeline/run()``'s stream), boxed as
    /// `any ByteSink` otherwise (the run's clean-up after a failure finishes
    /// the stages into a `DiscardSink`; any other caller works the same way).
    @usableFromInline
    static func withTerminal<Next: ByteSink>(
        _ next: inout Next, _ body: (inout _BoxedTerminal) throws -> Void
    ) rethrows {
        if Next.self == _BoxedTerminal.self {
            try withUnsafeMutablePointer(to: &next) { next in
                try next.withMemoryRebound(to: _BoxedTerminal.self, capacity: 1) { try body(&$0.pointee) }
            }
        } else {
            var terminal = _BoxedTerminal(base: _AnySink(base: _take(&next)))
            defer { _restore(&next, terminal.base.base as! Next) }
            try body(&terminal)
        }
    }

    /// Passes `bytes` to stage `index`, or to `next` once past the last stage.
    @usableFromInline
    static func push(
        _ bytes: RawSpan, through stages: UnsafeMutableBufferPointer<any ByteTransform>, from index: Int,
        into next: inout _BoxedTerminal
    ) throws {
        guard index < stages.count else { return try next.write(bytes) }
        try _BoxedStageSink.lending(stages, index &+ 1, &next) { downstream in
            try stages[index].process(bytes, into: &downstream)
        }
    }
}

/// The input of boxed stage `index`, or of the sink once `index` is past the
/// last stage. It owns the terminal sink while it exists (see Lending.swift).
@usableFromInline
internal struct _BoxedStageSink: ByteSink {
    @usableFromInline let stages: UnsafeMutableBufferPointer<any ByteTransform>
    @usableFromInline let index: Int
    @usableFromInline var next: _BoxedTerminal

    @usableFromInline
    init(stages: UnsafeMutableBufferPointer<any ByteTransform>, index: Int, next: _BoxedTerminal) {
        self.stages = stages
        self.index = index
        self.next = next
    }

    @usableFromInline
    mutating func write(_ bytes: RawSpan) throws {
        try _BoxedStages.push(bytes, through: stages, from: index, into: &next)
    }

    /// The sink's memory when this is the input of the sink (past the last
    /// stage), so that the last stage can write into it as it does in a
    /// specialized pipeline; nothing when a stage follows.
    /// `true`: the boxed sink past the last stage may lend (known only when
    /// asked).
    @usableFromInline
    static var lendsMemory: Bool { true }

    @usableFromInline
    mutating func beginDirectWrite(minimumCount: Int) throws -> UnsafeMutableRawBufferPointer? {
        guard index >= stages.count else { return nil }
        return try next.beginDirectWrite(minimumCount: minimumCount)
    }

    @usableFromInline
    mutating func endDirectWrite(_ count: Int) {
        guard index >= stages.count else { return }
        next.endDirectWrite(count)
    }

    /// Runs `body` with the input of stage `index`, lent `next` until it returns.
    @usableFromInline
    static func lending(
        _ stages: UnsafeMutableBufferPointer<any ByteTransform>, _ index: Int, _ next: inout _BoxedTerminal,
        _ body: (inout Self) throws -> Void
    ) rethrows {
        var sink = Self(stages: stages, index: index, next: _take(&next))
        defer { _restore(&next, sink.next) }
        try body(&sink)
    }
}
