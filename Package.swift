// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "roster",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SCIM", targets: ["SCIM"])
    ],
    targets: [
        // The SCIM 2.0 protocol: resources, schemas, filters, PATCH, projection, messages. No I/O.
        .target(name: "SCIM"),
        // Release-mode micro-benchmark of the protocol core (see BENCHMARKS.md).
        .executableTarget(name: "scim-microbench", dependencies: ["SCIM"]),
        .testTarget(name: "SCIMTests", dependencies: ["SCIM"]),
    ],
    swiftLanguageModes: [.v6]
)
