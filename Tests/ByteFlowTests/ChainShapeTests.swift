import ByteFlow
import Testing

/// Pins the shape of chains built by appending: nested to the right, which is
/// what keeps long pipelines specialized (see the note in Chain.swift). A
/// regression here shows up in the benchmarks as a 4-stage chain costing far
/// more than one stage, not as wrong output, so it is checked by type.
@Suite("Chain shape")
struct ChainShapeTests {
    typealias P = PassThroughTransform

    /// `Chain<P, Chain<P, … P>>` with `depth` stages, built at run time from
    /// the types, to compare with what appending built at compile time.
    private static func rightNested(_ depth: Int) -> String {
        String(repeating: "Chain<PassThroughTransform, ", count: depth - 1) + "PassThroughTransform"
            + String(repeating: ">", count: depth - 1)
    }

    /// The type's name without module prefixes.
    private static func name(of type: Any.Type) -> String {
        String(reflecting: type).replacingOccurrences(of: "ByteFlow.", with: "")
    }

    @Test("transformed(by:) nests to the right at every depth up to the maximum")
    func transformedNestsRightToTheMaximum() throws {
        #expect(maximumChainDepth == 16)
        let p = P()
        let sixteen = BytesSource("x")
            .transformed(by: p).transformed(by: p).transformed(by: p).transformed(by: p)
            .transformed(by: p).transformed(by: p).transformed(by: p).transformed(by: p)
            .transformed(by: p).transformed(by: p).transformed(by: p).transformed(by: p)
            .transformed(by: p).transformed(by: p).transformed(by: p).transformed(by: p)
        #expect(Self.name(of: type(of: sixteen.transform)) == Self.rightNested(16))
        // Appending a 17th stage does not compile: Scripts/check-chain-limit.sh
        // checks that, and that the message says what to do.
    }

    @Test("followed(by:) nests to the right at every depth up to the maximum")
    func followedNestsRightToTheMaximum() throws {
        let p = P()
        let twelve = p.followed(by: p).followed(by: p).followed(by: p).followed(by: p).followed(by: p)
            .followed(by: p).followed(by: p).followed(by: p).followed(by: p).followed(by: p).followed(by: p)
        #expect(Self.name(of: type(of: twelve)) == Self.rightNested(12))
        let sixteen = twelve.followed(by: p).followed(by: p).followed(by: p).followed(by: p)
        #expect(Self.name(of: type(of: sixteen)) == Self.rightNested(16))
    }

    @Test("A right-nested part counts as its stages")
    func appendingAPart() throws {
        let p = P()
        let part = p.followed(by: p)
        let three = BytesSource("x").transformed(by: p).transformed(by: part)
        #expect(type(of: three.transform) == Chain<P, Chain<P, P>>.self)
        let four = three.transformed(by: p)
        #expect(type(of: four.transform) == Chain<P, Chain<P, Chain<P, P>>>.self)
    }

    @Test("The builder gives the type appending gives")
    func builderMatchesAppending() throws {
        let replace = try ReplaceTransform("a", with: "b")
        let appended = BytesSource("x").transformed(by: replace).transformed(by: P()).transformed(by: replace)
            .into(BufferSink())
        let built = try Pipeline(from: BytesSource("x"), into: BufferSink()) {
            try ReplaceTransform("a", with: "b")
            P()
            replace
        }
        #expect(type(of: built) == type(of: appended))
        let p = P()
        let sixteen = Pipeline(from: BytesSource("x"), into: DiscardSink()) {
            p
            p
            p
            p
            p
            p
            p
            p
            p
            p
            p
            p
            p
            p
            p
            p
        }
        #expect(Self.name(of: type(of: sixteen.transform)) == Self.rightNested(16))
    }

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
        func stage(_ i: Int) throws -> ReplaceTransform {
            try ReplaceTransform(letters[i], with: letters[i + 1])
        }
        var pipeline = try BytesSource("a-a-a", chunkSize: chunkSize)
            .transformed(by: stage(0)).transformed(by: stage(1)).transformed(by: stage(2))
            .transformed(by: stage(3)).transformed(by: stage(4)).transformed(by: stage(5))
            .transformed(by: stage(6)).transformed(by: stage(7))
            .into(BufferSink())
        pipeline.run()
        #expect(pipeline.sink.string == "i-i-i")
    }
}
