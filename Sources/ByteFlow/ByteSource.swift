/// A producer of a byte stream, handed out in borrowed chunks.
///
/// A source is the first stage of a pipeline. Each call to ``read(_:)``
/// produces the next chunk of the stream and lends it to `body`.
///
/// ## Implementer notes
///
/// - **Ownership.** The source owns the memory behind a chunk. The
///   `RawSpan` passed to `body` is borrowed: it is valid only for the
///   duration of that call, and neither `body` nor anything it calls may keep
///   it (a `RawSpan` cannot escape, so the compiler enforces this). A source
///   may therefore reuse one buffer for every chunk, and should: steady-state
///   reading must not allocate.
/// - **End of stream.** `read(_:)` returns `true` after it called `body`
///   exactly once, and `false`, without calling `body`, once the stream is
///   exhausted. After returning `false` it keeps returning `false`.
/// - **Chunk sizes.** Chunks may have any size a source likes, and need not
///   be equal. A source should not produce empty chunks, but a consumer must
///   accept them.
/// - **Errors.** An error thrown by `body` is rethrown unchanged. An error of
///   the source itself (a failed `read(2)`, say) is thrown before `body` is
///   called for that chunk, so every chunk `body` saw was delivered whole. The
///   stream position after a thrown error is unspecified; a source need not
///   be readable again.
public protocol ByteSource {
    /// Produces the next chunk of the stream and passes it to `body`.
    ///
    /// - Parameter body: Receives the chunk. The span is borrowed from the
    ///   source and valid only during this call.
    /// - Returns: `true` if `body` was called with a chunk, `false` at the end
    ///   of the stream.
    /// - Throws: The source's own error (for example ``IOError``) or whatever
    ///   `body` throws.
    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool
}
