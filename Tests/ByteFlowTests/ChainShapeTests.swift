import ByteFlow
import Testing

/// Pins the shape of chains built by appending: nested to the right, which is
/// what keeps long pipelines specialized (see the note in Chain.swift). A
/// regression here shows up in the benchmarks as a 4-stage chain costing far
/// more than one stage, not as wrong output, so it is checked by type.
@Suite("Chain shape")
struct ChainShapeTests {
    typealias P = PassThroughTransform

    @Test("transformed(by:) nests to the right up to eight stages")
    func transformedNestsRight() throws {
        let four = BytesSource("x")
            .transformed(by: P()).transformed(by: P()).transformed(by: P()).transformed(by: P())
        #expect(type(of: four.transform) == Chain<P, Chain<P, Chain<P, P>>>.self)
        let eight = four.transformed(by: P()).transformed(by: P()).transformed(by: P())
            .transformed(by: P())
        #expect(
            type(of: eight.transform)
                == Chain<P, Chain<P, Chain<P, Chain<P, Chain<P, Chain<P, Chain<P, P>>>>>>>.self)
    }

    @Test("followed(by:) nests to the right up to eight stages")
    func followedNestsRight() throws {
        let replace = try ReplaceTransform("a", with: "b")
        let five = replace.followed(by: P()).followed(by: P()).followed(by: replace).followed(by: P())
        #expect(
            type(of: five) == Chain<ReplaceTransform, Chain<P, Chain<P, Chain<ReplaceTransform, P>>>>.self)
    }

    @Test("Eight appended stages run in order", arguments: [1, 3, 64])
    func eightStagesRunInOrder(chunkSize: Int) throws {
        // Each stage rewrites the previous stage's output: a → b → c → … → i.
        let letters = Array("abcdefghi").map(String.init)
        func stage(_ i: Int) throws -> ReplaceTransform { try ReplaceTransform(letters[i], with: letters[i + 1]) }
        var pipeline = try BytesSource("a-a-a", chunkSize: chunkSize)
            .transformed(by: stage(0)).transformed(by: stage(1)).transformed(by: stage(2))
            .transformed(by: stage(3)).transformed(by: stage(4)).transformed(by: stage(5))
            .transformed(by: stage(6)).transformed(by: stage(7))
            .into(BufferSink())
        try pipeline.run()
        #expect(pipeline.sink.string == "i-i-i")
    }
}
