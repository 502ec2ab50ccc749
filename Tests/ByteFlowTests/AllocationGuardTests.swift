// The allocation guard's roots are compiled in release builds only (see
// Sources/AllocationGuard): CI's release-mode test run checks that the code
// the compiler proved allocation-free also computes the right bytes.
#if !DEBUG
    import AllocationGuard
    import ByteFlow
    import Testing

    @Suite("AllocationGuard: the checked roots match the reference")
    struct AllocationGuardTests {
        static let input = utf8(
            "abcelvisaElvisabcelviseelvisaelvisaabeeeelvise l v i saa bb e l v i saa elvi selvielviselvielvi"
                + "elviselvi1elvielviselvis " + String(repeating: "a long elvis pattern, elvis! ", count: 40))

        @Test(arguments: [1, 2, 3, 5, 16, 119, 4096])
        func replaceMatchesReference(chunkSize: Int) throws {
            // A 5-byte pattern and one longer than 16 bytes (the word-loop
            // verification), each with a replacement of another length.
            for (pattern, replacement) in [("elvis", "Elvis!"), ("a long elvis pattern, ", "")] {
                let expected = referenceReplace(Self.input, utf8(pattern), utf8(replacement))
                var transform = try ReplaceTransform(pattern, with: replacement)
                var output = [UInt8](repeating: 0, count: expected.count)
                let result = try Self.input.withUnsafeBytes { input in
                    try output.withUnsafeMutableBytes { output in
                        try replace(&transform, input: input, chunkSize: chunkSize, output: output)
                    }
                }
                #expect(result.written == expected.count && result.dropped == 0)
                #expect(output == expected, "\(pattern) at chunk size \(chunkSize)")
            }
        }

        @Test(arguments: [1, 7, 4096])
        func chainMatchesReference(chunkSize: Int) throws {
            let expected = referenceReplace(Self.input, utf8("elvis"), utf8("E"))
            var stages = ReplaceChain(
                try ReplaceTransform("elvis", with: "E"),
                Chain(PassThroughTransform(), PassThroughTransform()))
            var output = [UInt8](repeating: 0, count: expected.count - 3)
            let result = try Self.input.withUnsafeBytes { input in
                try output.withUnsafeMutableBytes { output in
                    try replaceChained(&stages, input: input, chunkSize: chunkSize, output: output)
                }
            }
            // The output is 3 bytes short: what does not fit is counted.
            #expect(result.written == expected.count - 3 && result.dropped == 3)
            #expect(output[...] == expected.dropLast(3))
        }
    }
#endif
