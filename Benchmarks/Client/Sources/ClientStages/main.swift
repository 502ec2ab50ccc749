// Whole-process runs of the stage library over a file, for timing against
// the command-line tools people use for the same job (issue 11's goals):
//
//   ClientStages lines FILE    line framing into a CountingSink; prints the
//                              number of lines, as `wc -l FILE` does
//   ClientStages newlines FILE CountingTransform over the file (every byte
//                              touched, no frames); prints the newlines
//   ClientStages upper FILE    ASCII upper case to standard output, as
//                              `tr a-z A-Z < FILE` does
//
// The file is read with `FileSource(path:)` (mapped when large), as a user's
// tool would. Exit status 1 with a message on any error.

import ByteFlow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func fail(_ message: String) -> Never {
    var text = "ClientStages: \(message)\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    fail("usage: ClientStages lines|newlines|upper FILE")
}
let path = arguments[2]
do {
    switch arguments[1] {
    case "lines":
        // Frames up to 1 GiB, so that no line of a test file is refused.
        var pipeline = try FileSource(path: path)
            .transformed(by: DelimiterFramer.lines(maximumFrameLength: 1 << 30))
            .into(CountingSink())
        try pipeline.run()
        print(pipeline.sink.writeCount)
    case "newlines":
        var pipeline = try FileSource(path: path).transformed(by: CountingTransform()).into(DiscardSink())
        try pipeline.run()
        print(pipeline.transform.counts.lines)
    case "upper":
        var pipeline = try FileSource(path: path).transformed(by: ByteMapTransform.asciiUppercase)
            .into(FileSink.standardOutput())
        try pipeline.run()
    default:
        fail("unknown mode \(arguments[1]) (lines, newlines or upper)")
    }
} catch {
    fail("\(error)")
}
