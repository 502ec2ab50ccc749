import ByteFlow
import Testing

// The README's library example, compiled and checked here so that it cannot
// rot. Keep the two in sync.

/// Upper-cases ASCII letters. Its output is written from a scratch buffer it
/// owns and reuses, so it allocates once, at creation.
struct ASCIIUppercase: ByteTransform {
    private var scratch: [UInt8]

    init(scratchSize: Int = 4096) {
        scratch = [UInt8](repeating: 0, count: scratchSize)
    }

    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws {
        var offset = 0
        while offset < chunk.byteCount {
            let count = min(scratch.count, chunk.byteCount - offset)
            for i in 0..<count {
                let byte = chunk.unsafeLoad(fromByteOffset: offset + i, as: UInt8.self)
                scratch[i] = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
            }
            try next.write(scratch.span.bytes.extracting(0..<count))
            offset += count
        }
    }
}

@Suite("README examples")
struct ReadmeExampleTests {
    @Test("The library example produces what the README says")
    func libraryExample() throws {
        var pipeline = try BytesSource("elvis has left the building")
            .transformed(by: ReplaceTransform("elvis", with: "the king"))
            .transformed(by: ASCIIUppercase())
            .into(BufferSink())
        let summary = try pipeline.run()
        #expect(pipeline.sink.string == "THE KING HAS LEFT THE BUILDING")
        #expect(summary.bytesRead == 27)

        var boxed = BoxedPipeline(
            source: BytesSource("elvis has left the building"),
            transforms: [try ReplaceTransform("elvis", with: "the king"), ASCIIUppercase()],
            sink: BufferSink())
        try boxed.run()
        #expect(boxed.sink(as: BufferSink.self)?.string == "THE KING HAS LEFT THE BUILDING")

        var built = try Pipeline(from: BytesSource("elvis has left the building"), into: BufferSink()) {
            try ReplaceTransform("elvis", with: "the king")
            ASCIIUppercase()
        }
        try built.run()
        #expect(built.sink.string == "THE KING HAS LEFT THE BUILDING")
        #expect(type(of: built) == type(of: pipeline))
    }

    @Test("The custom transform is chunking-independent", arguments: [1, 2, 3, 5, 4096, 5000])
    func customTransformChunking(chunkSize: Int) throws {
        let text = String(repeating: "Hello, elvis! ", count: 500)
        var pipeline = try BytesSource(text, chunkSize: chunkSize)
            .transformed(by: ASCIIUppercase())
            .into(BufferSink())
        try pipeline.run()
        #expect(pipeline.sink.string == text.uppercased())
    }
}
