// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "roster",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "roster", targets: ["roster"]),
        .library(name: "SCIM", targets: ["SCIM"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        // OIDC sign-in: ID token signatures (RS256, ES256) checked against the provider's JWKS.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        // The SCIM 2.0 protocol: resources, schemas, filters, PATCH, projection, messages. No I/O.
        .target(name: "SCIM"),
        // libxmlsec1 (OpenSSL) and libxml2 from Debian, for SAML signature checks: no hand-written canonicalization.
        .systemLibrary(
            name: "CXMLSec",
            pkgConfig: "xmlsec1-openssl",
            providers: [.apt(["libxmlsec1-dev", "libxml2-dev"])]
        ),
        // The domain: directories, users, groups, memberships, the event outbox and the storage protocol.
        .target(
            name: "RosterCore",
            dependencies: [
                "SCIM",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // SAML 2.0 for admin sign-in, as a Service Provider: responses checked with libxmlsec1, metadata, requests.
        // No I/O, so that the fuzz package can build it too.
        .target(name: "RosterSAML", dependencies: ["CXMLSec"]),
        // One NIO event loop as a Swift task executor (the server's connections, PostgreSQL's write transactions).
        .target(name: "RosterEventLoops", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        // What both stores write alike, whatever the database: SCIM filters and list queries as SQL over the
        // resource tables, with each store's dialect (placeholders, functions, values) supplied by the store.
        .target(name: "RosterSQL", dependencies: ["SCIM", "RosterCore"]),
        // The SQLite store (GRDB on the system libsqlite3): migrations, records, the SQLite dialect.
        .target(
            name: "RosterSQLite",
            dependencies: [
                "SCIM",
                "RosterCore",
                "RosterSQL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The PostgreSQL store (postgres-nio's pool, supervised so that it recovers within seconds of an outage), the
        // schema as versioned migrations shared with the exporter, and the exporter.
        .target(
            name: "RosterPostgres",
            dependencies: [
                "SCIM",
                "RosterCore",
                "RosterSQL",
                "RosterEventLoops",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The HTTP layer (Hummingbird 2): SCIM routes under /api/scim/v2.0/{directoryId}, the settings pages under
        // /settings/organization/dsync (Mustache templates compiled in from static/), admin sign-in (links and
        // OIDC), the read API under /api/v1, and the webhook worker (a Service that POSTs outbox events with
        // AsyncHTTPClient).
        .target(
            name: "RosterServer",
            dependencies: [
                "RosterSAML",
                "SCIM",
                "RosterCore",
                "RosterEventLoops",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        // The executable: serve, directory management.
        .executableTarget(
            name: "roster",
            dependencies: [
                "RosterCore",
                "RosterSQLite",
                "RosterPostgres",
                "RosterServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Release-mode micro-benchmark of the protocol core (see BENCHMARKS.md).
        .executableTarget(name: "scim-microbench", dependencies: ["SCIM"]),
        .testTarget(name: "SCIMTests", dependencies: ["SCIM"]),
        // Tests by layer: the protocol core, the stores (one suite on SQLite and PostgreSQL), PostgreSQL alone (export,
        // outages, the feed's order), and the server over HTTP. What several share is in RosterTestSupport.
        .target(
            name: "RosterTestSupport",
            dependencies: [
                "SCIM",
                "RosterCore",
                "RosterSQLite",
                "RosterPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RosterTestSupport"
        ),
        .testTarget(
            name: "RosterStoreTests",
            dependencies: [
                "SCIM", "RosterCore", "RosterSQLite", "RosterPostgres", "RosterTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "RosterPostgresTests",
            dependencies: [
                "SCIM", "RosterCore", "RosterSQLite", "RosterPostgres", "RosterServer", "RosterTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "RosterServerTests",
            dependencies: [
                "SCIM",
                "RosterCore",
                "RosterSQLite",
                "RosterPostgres",
                "RosterServer",
                "RosterSAML",
                "CXMLSec",
                "RosterTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
