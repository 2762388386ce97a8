// swift-tools-version:6.0
// libFuzzer targets for the SCIM protocol core (issue 10, "Fuzzing") and the SAML response reader (issue 20). A package of its own so that the main
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
        // libxmlsec1 and libxml2 (Sources/CXMLSec -> ../../Sources/CXMLSec) and the real SAML reader and verifier
        // (Sources/RosterSAML -> ../../Sources/RosterSAML).
        .systemLibrary(name: "CXMLSec", pkgConfig: "xmlsec1-openssl", providers: [.apt(["libxmlsec1-dev", "libxml2-dev"])]),
        .target(name: "RosterSAML", dependencies: ["CXMLSec"]),
        // A SAML Response (document and base64 form) read, verified against a fixed IdP certificate and checked;
        // the same bytes as IdP metadata.
        // Linked with lld: gold stops with an internal error on this target's sanitized objects.
        .executableTarget(
            name: "fuzz-saml",
            dependencies: ["RosterSAML", "FuzzSupport"],
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
