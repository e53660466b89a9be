import Foundation
import PerfScopeCollect
import PerfScopeCore

extension AnalysisRuntime {
    /// A fleet's collected data, turned into reports one cluster at a time: each catalog metric
    /// was one query for every cluster (grouped by the fleet label too) and was split per
    /// cluster. A caller that renders, stores and drops each report as it comes keeps one
    /// report in memory, not a hundred.
    public struct FleetCollection: Sendable {
        public let label: String
        public let queries: Int
        /// The clusters to report on, by name.
        public let clusters: [String]
        let window: TimeWindow
        let generatedAt: Date
        let source: String
        let catalog: [CatalogMetric]
        let members: [String: String]
        let dataGaps: [DataGap]
        let fleetWide: Set<String>
        var parts: [String: Fleet.Part]

        /// The cluster's report; its collected data is released. A metric other clusters have
        /// and this one lacks is its data gap.
        public mutating func report(_ name: String) -> Report {
            let part = parts.removeValue(forKey: name) ?? Fleet.Part(summaries: [], series: [])
            let present = Set(part.summaries.map(\.metric))
            let gaps = dataGaps + catalog
                .filter { !present.contains($0.name) && !$0.emptyIsHealthy && fleetWide.contains($0.name) }
                .map { DataGap(subsystem: $0.subsystem, reason: "\($0.name): no data in this cluster (other clusters have it) — \($0.hides) cannot be judged") }
            return ReportBuilder.build(
                id: ReportBuilder.runID(at: generatedAt) + "-" + AnalysisRuntime.slug(name), generatedAt: generatedAt, window: window,
                catalog: catalog, summaries: part.summaries, dataGaps: gaps,
                source: "\(source) {\(label)=\"\(name)\"}", series: part.series, explicitHosts: members)
        }
    }

    /// Collects a fleet in one pass; the cluster name is the `label` value. `clusters` limits
    /// the run to those names (one escaped matcher in both selectors).
    public func collectFleet(window: TimeWindow, label: String, clusters: Set<String>? = nil,
                             progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> FleetCollection {
        try await withClient { client in
            try await Self.probe(client)
            var scoped = config
            if let clusters, let only = PromQL.anyOf(label, clusters.sorted()) {
                scoped.selectors.etcd = PromQL.joinMatchers([scoped.selectors.etcd, only])
                scoped.selectors.node = PromQL.joinMatchers([scoped.selectors.node, only])
            }
            let collector = MetricCollector(client: client, config: scoped, logger: logger, groupBy: label)
            // The diagnosis reads its series at a minute's resolution or so: a hundred clusters at full
            // resolution would not fit the memory goal (charts and latency analysis keep theirs).
            let full = ReportBuilder.seriesMetrics(diagnosis: false)
            let result = try await collector.collect(catalog.metrics, window: window, keepSeries: ReportBuilder.seriesMetrics(),
                                                     coarseSeries: ReportBuilder.seriesMetrics().subtracting(full)) { done, total in
                progress?(done, total)
            }
            logger.info("fleet collected", metadata: ["queries": "\(result.queryCount)", "elapsed": "\(result.elapsed)",
                                                      "slowest": "\(result.slowestQuery.map { "\($0.name) \($0.seconds)" } ?? "-")"])
            let parts = Fleet.split(summaries: result.summaries, series: result.timeSeries, label: label)
                .filter { name, part in
                    (clusters?.contains(name) ?? true) && part.summaries.contains { ["member_up", "has_leader", "wal_fsync_p99"].contains($0.metric) }
                }
            guard !parts.isEmpty else {
                throw PerfScopeError.notFound("no etcd series with a \(label) label match {\(config.selectors.etcd)} at \(prometheus.redactedURL): check --fleet-label (the label telling clusters apart, e.g. from external_labels)")
            }
            return FleetCollection(label: label, queries: result.queryCount, clusters: parts.keys.sorted(), window: window, generatedAt: Date(),
                                   source: prometheus.redactedURL, catalog: catalog.metrics, members: config.members, dataGaps: result.dataGaps,
                                   fleetWide: Set(result.summaries.map(\.metric)), parts: parts)
        }
    }

    /// Every cluster's report at once (scheduled runs; small fleets).
    public func analyzeFleet(window: TimeWindow, label: String, clusters: Set<String>? = nil,
                             progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> (reports: [(cluster: String, report: Report)], queries: Int) {
        var fleet = try await collectFleet(window: window, label: label, clusters: clusters, progress: progress)
        var reports: [(cluster: String, report: Report)] = []
        for name in fleet.clusters { reports.append((name, fleet.report(name))) }
        return (reports, fleet.queries)
    }

    /// A cluster name as a run-id suffix: letters, digits and dashes only.
    static func slug(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(40))
    }
}
