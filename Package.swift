// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "perfscope",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "perfscope", targets: ["perfscope"]),
        .library(name: "PerfScopeCore", targets: ["PerfScopeCore"]),
        .library(name: "PrometheusAPI", targets: ["PrometheusAPI"]),
        .library(name: "PerfScopeCollect", targets: ["PerfScopeCollect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure core: models, durations, windows, report model and renderers. No I/O, no networking.
        .target(name: "PerfScopeCore"),
        // Prometheus HTTP API client and exposition-format parser.
        .target(
            name: "PrometheusAPI",
            dependencies: [
                "PerfScopeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Edges that gather data: metric catalog, config file, collectors.
        .target(
            name: "PerfScopeCollect",
            dependencies: [
                "PerfScopeCore", "PrometheusAPI",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Catalog")]
        ),
        // Run history: one store protocol, SQLite (GRDB, the embedded default) and PostgreSQL.
        .target(
            name: "PerfScopeStore",
            dependencies: [
                "PerfScopeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The one tool registry every front end exposes (CLI, MCP, HTTP, chat agent).
        .target(
            name: "PerfScopeAgent",
            dependencies: [
                "PerfScopeCore", "PrometheusAPI", "PerfScopeCollect", "PerfScopeStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Transports: MCP (stdio and streamable HTTP) and the Hummingbird HTTP server.
        .target(
            name: "PerfScopeServer",
            dependencies: [
                "PerfScopeCore", "PerfScopeAgent",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Command implementations, kept in a library so tests can drive them.
        .target(
            name: "PerfScopeCLI",
            dependencies: [
                "PerfScopeCore", "PrometheusAPI", "PerfScopeCollect", "PerfScopeStore", "PerfScopeAgent", "PerfScopeServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "perfscope", dependencies: ["PerfScopeCLI"]),
        // Dev tool: labelled synthetic fault scenarios (OpenMetrics + labels) for scripts/eval.
        // Optimised even in debug builds: it writes ~25 M samples per eval run.
        .executableTarget(name: "perfscope-scenarios", dependencies: [], swiftSettings: [.unsafeFlags(["-O"])]),
        .testTarget(name: "PerfScopeCoreTests", dependencies: ["PerfScopeCore"]),
        // The diagnosis against the built-in catalog (its levels, its metric names), not a hand copy.
        .testTarget(name: "DiagnosisTests", dependencies: ["PerfScopeCore", "PerfScopeCollect"]),
        .testTarget(
            name: "PrometheusAPITests",
            dependencies: [
                "PrometheusAPI",
                .product(name: "Logging", package: "swift-log"),
                // An in-test HTTP(S) server that checks what the client sends (auth, headers, TLS).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "PerfScopeCollectTests", dependencies: [
            "PerfScopeCollect", "PerfScopeCore", "PrometheusAPI",
            // An in-test HTTP server speaking Grafana's API (search, dashboards by UID, auth).
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "PerfScopeCLITests", dependencies: ["PerfScopeCLI", "PerfScopeCore"]),
        .testTarget(name: "PerfScopeStoreTests", dependencies: ["PerfScopeStore", "PerfScopeCore"]),
        .testTarget(name: "PerfScopeAgentTests", dependencies: ["PerfScopeAgent", "PerfScopeCore"]),
        .testTarget(name: "PerfScopeServerTests", dependencies: [
            "PerfScopeServer", "PerfScopeAgent", "PerfScopeCore", "PerfScopeStore",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
