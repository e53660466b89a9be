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
        let configured = try base.applying(overrides: config.thresholds)
        // The environment (PERFSCOPE_<METRIC>_<LEVEL>) wins over the config file.
        self.catalog = try configured.applying(overrides: ThresholdEnvironment.overrides(ProcessInfo.processInfo.environment, catalog: configured))
        self.prometheus = try options.prometheusConfiguration(config)
        var logger = Logger(label: "perfscope")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        self.logger = logger
    }

    func withClient<T: Sendable>(_ body: (PrometheusClient) async throws -> T) async throws -> T {
        try await PrometheusClient.withClient(prometheus, logger: logger, body)
    }

    /// Collects `metrics` (default: the whole catalog) over the window and builds the report.
    func analyze(window: TimeWindow, metrics: [CatalogMetric]? = nil, diagnose: Bool = true,
                 latencyMetrics: [String] = ReportBuilder.defaultLatencyMetrics, chartMetrics: [String]? = nil) async throws -> Report {
        try await withClient { client in
            try await Session.probe(client)
            let collector = MetricCollector(client: client, config: config, logger: logger)
            let result = try await collector.collect(metrics ?? catalog.metrics, window: window) { done, total in
                Terminal.progress("collecting", done: done, total: total)
            }
            // No etcd series at all is a selector problem, not a healthy cluster: say so instead of grading "excellent".
            if (metrics ?? catalog.metrics).contains(where: { $0.name == "member_up" }),
               !result.summaries.contains(where: { ["member_up", "has_leader", "wal_fsync_p99"].contains($0.metric) }) {
                throw PerfScopeError.notFound("no etcd series match {\(config.selectors.etcd)} at \(prometheus.redactedURL): set selectors.etcd in perfscope.yaml (e.g. namespace=\"openshift-etcd\"); perfscope doctor shows what the selectors find")
            }
            logger.info("collected", metadata: ["queries": "\(result.queryCount)", "elapsed": "\(result.elapsed)",
                                                "slowest": "\(result.slowestQuery.map { "\($0.name) \($0.seconds)" } ?? "-")"])
            return ReportBuilder.build(
                id: ReportBuilder.runID(at: Date()), generatedAt: Date(), window: window,
                catalog: metrics ?? catalog.metrics, summaries: result.summaries, dataGaps: result.dataGaps,
                source: prometheus.redactedURL, series: result.timeSeries, explicitHosts: config.members, diagnose: diagnose,
                latencyMetrics: latencyMetrics, chartMetrics: chartMetrics)
        }
    }

    /// A cheap query every Prometheus-compatible API answers, so an unreachable or wrong URL
    /// fails fast with one clear line instead of one error per catalog query.
    static func probe(_ client: PrometheusClient) async throws {
        _ = try await client.query("vector(1)")
    }
}
