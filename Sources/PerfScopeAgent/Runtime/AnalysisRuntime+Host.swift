import Foundation
import PerfScopeCore

extension AnalysisRuntime {
    /// The USE review of every node-exporter host (or only `instances`): host metrics plus
    /// etcd's process CPU and request rate (who uses the host) and member ids (which members live there).
    public func useReview(window: TimeWindow, instances: [String] = [], progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Report {
        let metrics = catalog.metrics.filter { $0.usesNodeSelector || ["process_cpu", "grpc_request_rate", "member_id"].contains($0.name) }
        let report = try await analyze(window: window, metrics: metrics, diagnose: false, progress: progress)
        guard !report.hosts.isEmpty else {
            throw PerfScopeError.notFound("no node-exporter series match {\(config.selectors.node)} at \(prometheus.redactedURL): set selectors.node in perfscope.yaml (e.g. job=\"node-exporter\"); perfscope doctor shows what the selectors find")
        }
        guard !instances.isEmpty else { return report }
        let known = report.hosts.map(\.instance)
        if let missing = instances.first(where: { !known.contains($0) }) {
            throw PerfScopeError.notFound("no node-exporter host \(missing) in the window (hosts: \(known.joined(separator: ", ")))")
        }
        return Self.restrict(report, to: Set(instances))
    }

    /// Latency analysis of any histogram: p50/p95/p99 per group, spikes and step changes on p99.
    public func latency(window: TimeWindow, metric: String, selector: String = "", by: [String] = [], threshold: Double? = nil,
                        progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Report {
        let metrics = try HistogramQuery.metrics(for: metric, selector: selector, by: by.isEmpty ? ["instance"] : by, threshold: threshold)
        let report = try await analyze(window: window, metrics: metrics, diagnose: false,
                                       latencyMetrics: metrics.map(\.name).filter { $0.hasSuffix("_p99") },
                                       chartMetrics: metrics.map(\.name), progress: progress)
        if report.metrics.isEmpty {
            let base = try HistogramQuery.baseName(metric)
            throw PerfScopeError.notFound("no histogram data for \(base)_bucket\(selector.isEmpty ? "" : "{\(selector)}") in the window: check the name (perfscope query 'count by (__name__) ({__name__=~\".*\(base).*\"})') — it must be a histogram with _bucket series")
        }
        return report
    }

    /// The report narrowed to some hosts: their tables, findings and metrics.
    public static func restrict(_ report: Report, to hosts: Set<String>) -> Report {
        var r = report
        r.hosts = r.hosts.filter { hosts.contains($0.instance) }
        let keep = hosts.union(r.hosts.flatMap(\.members))
        r.findings = r.findings.compactMap { f in
            guard f.instances.contains(where: keep.contains) else { return nil }
            var f = f
            f.instances = f.instances.filter(keep.contains)
            f.evidence = f.evidence.filter { $0.instance.map { i in keep.contains(i) || i.split(separator: ",").contains { keep.contains(String($0)) } } ?? true }
            return f
        }
        r.metrics = r.metrics.filter { keep.contains($0.instance) }
        r.charts = []
        return r
    }
}
