// swift-tools-version:6.1
import PackageDescription

// A client of ByteFlow, as a user's package would be: it depends on the root
// package by path and defines its own stages, so every figure it prints is
// what a user's module gets from `@inlinable` (specialized across the module
// boundary), not what the library's own module gets. It has no other
// dependency and times with `ContinuousClock` (best of several alternating
// runs), so it builds in seconds. Run from the repository root:
//
//     swift run -c release --package-path Benchmarks/Client ClientComposition
//
// It prints the composition matrix, specialized against boxed, and exits 1
// if any cell's specialized time is above its boxed time (a bug).
// `ClientStages lines|newlines|upper FILE` runs stages of the library over a
// file as whole processes, to time against `wc -l` and `tr a-z A-Z`.
let package = Package(
    name: "ByteFlowClient",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ByteFlow", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "ClientComposition",
            dependencies: [.product(name: "ByteFlow", package: "ByteFlow")]
        ),
        .executableTarget(
            name: "ClientStages",
            dependencies: [.product(name: "ByteFlow", package: "ByteFlow")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
