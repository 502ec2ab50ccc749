// The stages that have no error of their own (see Infallible.swift): their
// `process`, `finish` and `read` throw only what the next stage or `body`
// throws, and their sinks' `write` cannot throw. Declared here, apart from
// the stages, as the `Resettable` conformances are in Resettable+Stages.swift.
extension ReplaceTransform: InfallibleTransform {}
extension MultiReplaceTransform: InfallibleTransform {}
extension ByteMapTransform: InfallibleTransform {}
extension ByteFilterTransform: InfallibleTransform {}
extension PrefixTransform: InfallibleTransform {}
extension DropFirstTransform: InfallibleTransform {}
extension CountingTransform: InfallibleTransform {}

extension PrefixSource: InfallibleSource where Base: InfallibleSource {}
extension ConcatenatedSource: InfallibleSource where First: InfallibleSource, Second: InfallibleSource {}

extension BufferSink: InfallibleSink {}
extension DiscardSink: InfallibleSink {}
extension CountingSink: InfallibleSink {}
extension CRC32CSink: InfallibleSink {}
