// A driver for the profiling walkthrough (Documentation/ProfilingWalkthrough.md):
// runs one of the Classic suite's Go ports (Benchmarks/Benchmarks/Classic/GoPort.swift)
// on the walkthrough's 119-byte input, N times, so that valgrind, heaptrack
// and perf can look at it without the benchmark harness around it.
//
//   swiftc -O -parse-as-library Benchmarks/Benchmarks/Classic/GoPort.swift \
//       Documentation/Walkthrough/main.swift -o .build/walkthrough
//   .build/walkthrough a 100000      # a, b or c, and a run count
@main
struct Walkthrough {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let runs = Int(arguments[2]),
            let algorithm = ["a": algOne, "b": algOneConcreteReader, "c": algOneStackWindow][arguments[1]]
        else {
            print("usage: walkthrough a|b|c RUNS")
            return
        }
        let input = Array(
            ("abcelvisaElvisabcelviseelvisaelvisaabeeeelvise l v i saa bb e l v i saa elvi selvielviselvielvi"
                + "elviselvi1elvielviselvis").utf8)
        let expected = Array(
            ("abcElvisaElvisabcElviseElvisaElvisaabeeeElvise l v i saa bb e l v i saa elvi selviElviselvielvi"
                + "Elviselvi1elviElvisElvis").utf8)
        let find = Array("elvis".utf8)
        let replacement = Array("Elvis".utf8)
        var output = OutputBuffer()
        for _ in 0..<runs {
            output.reset()
            algorithm(input, find, replacement, &output)
        }
        precondition(output.bytes == expected, "wrong output")
        print(output.bytes.count, "bytes per run,", runs, "runs")
    }
}
