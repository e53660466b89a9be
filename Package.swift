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
        // Command implementations, kept in a library so tests can drive them.
        .target(
            name: "PerfScopeCLI",
            dependencies: [
                "PerfScopeCore", "PrometheusAPI", "PerfScopeCollect",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "perfscope", dependencies: ["PerfScopeCLI"]),
        .testTarget(name: "PerfScopeCoreTests", dependencies: ["PerfScopeCore"]),
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
        .testTarget(name: "PerfScopeCollectTests", dependencies: ["PerfScopeCollect", "PerfScopeCore", "PrometheusAPI"]),
        .testTarget(name: "PerfScopeCLITests", dependencies: ["PerfScopeCLI", "PerfScopeCore"]),
    ],
    swiftLanguageModes: [.v6]
)
