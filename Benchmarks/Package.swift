// swift-tools-version:6.1
import PackageDescription

// ByteFlow's benchmarks: a package of their own so that the library itself
// has no dependencies. Run from the repository root with
//
//     swift package --package-path Benchmarks benchmark
//
// Each executable under `Benchmarks/Benchmarks/` is one benchmark suite,
// found by ordo-one's BenchmarkPlugin. The `MallocInterposer` trait counts
// mallocs through an `LD_PRELOAD`ed interposer (no jemalloc needed).
// `Fixtures` holds the deterministic inputs and the reuse helpers they share.

let benchmarkDependencies: [Target.Dependency] = [
    .product(name: "ByteFlow", package: "ByteFlow"),
    .product(name: "Benchmark", package: "benchmark"),
    "Fixtures",
]

let package = Package(
    name: "ByteFlowBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so that the dependency does not take the name of the folder
        // the repository was cloned into.
        .package(name: "ByteFlow", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "Fixtures",
            dependencies: [
                .product(name: "ByteFlow", package: "ByteFlow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Fixtures"
        ),
        .executableTarget(
            name: "Classic",
            dependencies: benchmarkDependencies,
            path: "Benchmarks/Classic",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Composition",
            dependencies: benchmarkDependencies,
            path: "Benchmarks/Composition",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MultiReplace",
            dependencies: benchmarkDependencies,
            path: "Benchmarks/MultiReplace",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Search",
            dependencies: benchmarkDependencies,
            path: "Benchmarks/Search",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Stages",
            dependencies: benchmarkDependencies,
            path: "Benchmarks/Stages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LargeStreams",
            dependencies: benchmarkDependencies,
            path: "Benchmarks/LargeStreams",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
