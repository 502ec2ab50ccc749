import ByteFlow
import Testing

func reference(_ input: [UInt8], _ pattern: [UInt8], _ replacement: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < input.count {
        if i + pattern.count <= input.count && Array(input[i..<i + pattern.count]) == pattern {
            out += replacement
            i += pattern.count
        } else {
            out.append(input[i])
            i += 1
        }
    }
    return out
}

struct Cuts: ByteSource {
    var bytes: [UInt8]
    var cuts: [Int]
    var offset = 0
    var next = 0
    mutating func read(_ body: (RawSpan) throws -> Void) throws -> Bool {
        guard offset < bytes.count else { return false }
        let size = next < cuts.count ? cuts[next] : bytes.count - offset
        next += 1
        let end = min(bytes.count, offset + size)
        let start = offset
        offset = end
        try body(bytes.span.bytes.extracting(start..<end))
        return true
    }
}

@Test func smoke() throws {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<20000 {
        let alphabet: [UInt8] = Array("ab".utf8)
        let n = Int.random(in: 0...40, using: &rng)
        let input = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
        let pattern = (0..<Int.random(in: 1...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
        let replacement = (0..<Int.random(in: 0...3, using: &rng)).map { _ in UInt8(ascii: "X") }
        var cuts: [Int] = []
        var total = 0
        while total < n { let c = Int.random(in: 0...5, using: &rng); cuts.append(c); total += c }
        let expected = reference(input, pattern, replacement)
        var p = try Cuts(bytes: input, cuts: cuts).transformed(by: ReplaceTransform(pattern, with: replacement)).into(BufferSink())
        try p.run()
        #expect(p.sink.bytes == expected, "\(String(decoding: input, as: UTF8.self)) \(String(decoding: pattern, as: UTF8.self)) \(cuts)")
        var b = BoxedPipeline(source: Cuts(bytes: input, cuts: cuts), transforms: [try ReplaceTransform(pattern, with: replacement), PassThroughTransform()], sink: BufferSink())
        try b.run()
        #expect(b.sink(as: BufferSink.self)!.bytes == expected)
        if p.sink.bytes != expected { break }
    }
}
