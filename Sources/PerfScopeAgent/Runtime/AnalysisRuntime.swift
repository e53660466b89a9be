import Foundation
import Logging
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// Everything an analysis needs, resolved once: config, catalog (with threshold overrides) and
/// the Prometheus connection. The CLI, the tool registry (MCP, HTTP, chat) all run analyses
/// through this one type, so a capability is never written twice for two front ends.
public struct AnalysisRuntime: Sendable {
    public let config: PerfScopeConfig
    public let catalog: Catalog
    public let prometheus: PrometheusConfiguration
    public let logger: Logger
    /// The Kubernetes/OpenShift cluster discovered from a kubeconfig, for report headers and
    /// `get_ocp_cluster_info`; nil when the analysis was not given one.
    public let cluster: ClusterContext?

    public init(config: PerfScopeConfig, catalog: Catalog, prometheus: PrometheusConfiguration, logger: Logger, cluster: ClusterContext? = nil) {
        self.config = config
        self.catalog = catalog
        self.prometheus = prometheus
        self.logger = logger
        self.cluster = cluster
    }

    /// The catalog for a config: built-in or `directory`, then the config's threshold overrides,
    /// then the environment's (`PERFSCOPE_<METRIC>_<LEVEL>`, which win).
    public static func catalog(config: PerfScopeConfig, directory: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Catalog {
        let base = try (directory ?? config.catalogDirectory).map { try Catalog.load(directory: $0) } ?? Catalog.builtIn()
        let configured = try base.applying(overrides: config.thresholds).applying(symptoms: config.symptoms)
        return try configured.applying(overrides: ThresholdEnvironment.overrides(environment, catalog: configured))
    }

    /// `maxResponseBytes`: a smaller cap on each Prometheus answer than the connection's
    /// (raw queries, whose answers nothing else bounds).
    public func withClient<T: Sendable>(maxResponseBytes: Int? = nil, _ body: (PrometheusClient) async throws -> T) async throws -> T {
        var configuration = prometheus
        if let maxResponseBytes { configuration.maxResponseBytes = min(configuration.maxResponseBytes, maxResponseBytes) }
        return try await PrometheusClient.withClient(configuration, logger: logger, body)
    }

    /// The same runtime on another Prometheus connection (e.g. one sharing a server-wide limiter).
    public func with(prometheus: PrometheusConfiguration) -> AnalysisRuntime {
        AnalysisRuntime(config: config, catalog: catalog, prometheus: prometheus, logger: logger, cluster: cluster)
    }

    /// Collects `metrics` (default: the whole catalog) over the window and builds the report.
    public func analyze(window: TimeWindow, metrics: [CatalogMetric]? = nil, diagnose: Bool = true,
                        latencyMetrics: [String] = ReportBuilder.defaultLatencyMetrics, chartMetrics: [String]? = nil,
                        progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Report {
        try await withClient { client in
            try await Self.probe(client)
            let collector = MetricCollector(client: client, config: config, logger: logger)
            let keep = ReportBuilder.seriesMetrics(latencyMetrics: latencyMetrics, chartMetrics: chartMetrics)
            let result = try await collector.collect(metrics ?? catalog.metrics, window: window, keepSeries: keep) { done, total in
                progress?(done, total)
            }
            // No etcd series at all is a selector problem, not a healthy cluster: say so instead of grading "excellent".
            if (metrics ?? catalog.metrics).contains(where: { $0.name == "member_up" }),
               !result.summaries.contains(where: { ["member_up", "has_leader", "wal_fsync_p99"].contains($0.metric) }) {
                throw PerfScopeError.notFound("no etcd series match {\(config.selectors.etcd)} at \(prometheus.redactedURL): set selectors.etcd in perfscope.yaml (e.g. namespace=\"openshift-etcd\"); perfscope doctor shows what the selectors find")
            }
            logger.info("collected", metadata: ["queries": "\(result.queryCount)", "elapsed": "\(result.elapsed)",
                                                "slowest": "\(result.slowestQuery.map { "\($0.name) \($0.seconds)" } ?? "-")"])
            var report = ReportBuilder.build(
                id: ReportBuilder.runID(at: Date()), generatedAt: Date(), window: window,
                catalog: metrics ?? catalog.metrics, summaries: result.summaries, dataGaps: result.dataGaps,
                source: prometheus.redactedURL, series: result.timeSeries, explicitHosts: config.members, diagnose: diagnose,
                latencyMetrics: latencyMetrics, chartMetrics: chartMetrics)
            report.cluster = cluster
            return report
        }
    }

    /// Only the catalog metrics of some subsystems (`wal-fsync`, `disk`…), thresholds only (a
    /// single subsystem lacks the evidence to rank causes).
    public func analyze(window: TimeWindow, subsystems: Set<String>, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Report {
        try await analyze(window: window, metrics: catalog.metrics.filter { subsystems.contains($0.subsystem) }, diagnose: false, progress: progress)
    }

    /// The etcd `instance` values Prometheus scrapes, sorted: the fallback endpoints for gateway
    /// calls when none are configured.
    public func scrapedEtcdInstances() async throws -> [String] {
        try await withClient { client in
            try await client.query("group by (instance) (etcd_server_has_leader{\(config.selectors.etcd)})").result.series.compactMap(\.instance)
        }.sorted()
    }

    /// A cheap query every Prometheus-compatible API answers, so an unreachable or wrong URL
    /// fails fast with one clear line instead of one error per catalog query.
    public static func probe(_ client: PrometheusClient) async throws {
        _ = try await client.query("vector(1)")
    }
}
