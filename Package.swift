// swift-tools-version:6.2
// 6.2: the library's API takes `RawSpan`, which needs the Swift 6.2 toolchain.
import PackageDescription

// ByteFlow has no package dependencies on purpose: a user who adds it gets
// nothing else. Benchmarks live in their own package under `Benchmarks/`.
let package = Package(
    name: "ByteFlow",
    products: [
        .library(name: "ByteFlow", targets: ["ByteFlow"]),
        .executable(name: "byteflow", targets: ["ByteFlowTool"]),
    ],
    targets: [
        .target(name: "ByteFlow", dependencies: ["CByteFlowCRC32C", "CByteFlowSIMD"]),
        // The C targets hold what Swift cannot reach. CRC-32C with SSE4.2's
        // `crc32` instruction (a portable fallback lives in ByteFlow).
        .target(name: "CByteFlowCRC32C"),
        // `static inline` SIMD helpers (a compare's bit mask, `pmovmskb`),
        // inlined into the library's specialized Swift code; header only.
        .target(name: "CByteFlowSIMD"),
        // The tool's logic (argument parsing, planning, file handling), as a
        // library so that tests run it in process. It reaches the library's
        // system-call wrappers through `package` access.
        .target(
            name: "ByteFlowCLI",
            dependencies: ["ByteFlow"]
        ),
        // The tool's module is not called `byteflow` so that it cannot clash
        // with `ByteFlow` on case-insensitive file systems. It only calls
        // ByteFlowCLI.
        .executableTarget(
            name: "ByteFlowTool",
            dependencies: ["ByteFlowCLI"],
            path: "Sources/byteflow"
        ),
        // A compile-time proof that the specialized replace path allocates
        // nothing (`@_noAllocation`); built by CI, no product.
        .target(
            name: "AllocationGuard",
            dependencies: ["ByteFlow"]
        ),
        .testTarget(
            name: "ByteFlowTests",
            dependencies: ["ByteFlow", "ByteFlowCLI", "AllocationGuard"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
