// swift-tools-version:6.0
// libFuzzer targets for the SCIM protocol core (issue 10, "Fuzzing"). A package of its own so that the main
// package's build never sees `-sanitize=fuzzer`; `Sources/SCIM` is a symlink to the real module, not a copy.
// Build and run through `scripts/fuzz.sh` (see its header).
import PackageDescription

let package = Package(
    name: "roster-fuzz",
    targets: [
        // The real protocol core: Sources/SCIM -> ../../Sources/SCIM.
        .target(name: "SCIM"),
        // C glue: the declaration of libFuzzer's `LLVMFuzzerRunDriver` (the library comes with `-sanitize=fuzzer`) and a
        // way to build the fixtures out of LeakSanitizer's sight.
        .target(name: "CLibFuzzer"),
        // What the three fuzzers share: the libFuzzer entry, the fixed resources and the JSON round-trip check.
        .target(name: "FuzzSupport", dependencies: ["SCIM", "CLibFuzzer"]),
        // Filter text: parse, validate and evaluate against a fixed User and Group; PATCH paths; projections.
        .executableTarget(name: "fuzz-filter", dependencies: ["SCIM", "FuzzSupport"]),
        // A PATCH body: parse, then apply to a fixed User and a fixed Group with members.
        .executableTarget(name: "fuzz-patch", dependencies: ["SCIM", "FuzzSupport"]),
        // A request body: JSON parsing, POST and PUT decoding of Users and Groups, members, SearchRequest.
        .executableTarget(name: "fuzz-json", dependencies: ["SCIM", "FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
