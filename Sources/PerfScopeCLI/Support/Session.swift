import Foundation
import Logging
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// Everything a command needs resolved once: config, catalog (with threshold overrides) and
/// the Prometheus connection.
struct Session {
    let config: PerfScopeConfig
    let catalog: Catalog
    let prometheus: PrometheusConfiguration
    let logger: Logger

    init(_ options: ConnectionOptions, catalogDirectory: String? = nil) throws {
        let config = try options.loadConfig()
        self.config = config
        let base = try (catalogDirectory ?? config.catalogDirectory).map { try Catalog.load(directory: $0) } ?? Catalog.builtIn()
        self.catalog = try base.applying(overrides: config.thresholds)
        self.prometheus = try options.prometheusConfiguration(config)
        var logger = Logger(label: "perfscope")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        self.logger = logger
    }

    func withClient<T: Sendable>(_ body: (PrometheusClient) async throws -> T) async throws -> T {
        try await PrometheusClient.withClient(prometheus, logger: logger, body)
    }

    /// A cheap query every Prometheus-compatible API answers, so an unreachable or wrong URL
    /// fails fast with one clear line instead of one error per catalog query.
    static func probe(_ client: PrometheusClient) async throws {
        _ = try await client.query("vector(1)")
    }
}
