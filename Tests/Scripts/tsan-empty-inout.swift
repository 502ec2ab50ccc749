// A ThreadSanitizer crash without ByteFlow code (Swift 6.3.1, Linux x86-64).
// Not part of any target; run it by hand to see whether a toolchain still
// has the problem:
//
//   swiftc -sanitize=thread -Onone -parse-as-library Tests/Scripts/tsan-empty-inout.swift -o /tmp/tsan-empty-inout
//   /tmp/tsan-empty-inout
//
// With Swift 6.3.1 it crashes in 10 runs of 10 with "ThreadSanitizer: SEGV"
// in StoreShadow ← CheckRaces ← MemoryAccess ← __tsan::ExternalAccess ←
// outer(_:); built without -sanitize=thread, or with -sanitize=address, it
// prints "no crash".
//
// Why: the compiler gives a variable of an empty struct no storage, and
// passes an undefined address for it (LLVM `undef`, so whatever bits the
// register or slot held) to a function that takes it `inout`. A generic
// callee cannot know the type is empty, so under -sanitize=thread it
// reports its `inout` access to TSan (`__tsan_external_write(address)`).
// TSan maps the shadow of machine code read-only; when the leftover bits
// point into code, TSan's write to that shadow faults. (The compiler skips
// the call where it knows the type is empty, swiftlang/swift#35579; a
// generic callee does not know.) A struct with a stored property does not
// crash. Whether the bits point into code depends on what ran before, which
// is why the crash came and went with the set of tests run.
//
// ByteFlow met it as a crash at AsyncChunkSource.swift's
// `_run(through: &transform, …)` when a test passed an empty
// `PassThroughTransform` to `AsyncChunkSource.run` (AsyncEdgeTests,
// `consumerLeaves`).
protocol Touchable {
    mutating func touch()
}

struct Empty: Touchable {
    mutating func touch() {}
}

@inline(never)
func inner<T: Touchable>(_ e: inout T) async {
    e.touch()
}

@inline(never)
func outer<T: Touchable>(_ e: inout T) async {
    await Task.yield()
    await inner(&e)  // instrumented: __tsan_external_write(address of e)
}

@inline(never)
func perform(_ body: () async -> Void) async {
    await body()
}

@main
struct Repro {
    static func main() async {
        var e = Empty()
        await perform {
            await outer(&e)
        }
        print("no crash")
    }
}
