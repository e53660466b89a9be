import Foundation

/// Assembles a `Report` from collected summaries and data gaps: findings from the rules,
/// scores and grade from the findings, recommendations from the findings' actions.
///
/// Pure: same inputs, same report. Threshold findings say what is out of range; the root-cause
/// engine explains etcd symptoms by the resource behind them, and its causes lead the report.
public enum ReportBuilder {
    public static func build(id: String, generatedAt: Date, window: TimeWindow, catalog: [CatalogMetric],
                             summaries: [MetricSummary], dataGaps: [DataGap], source: String?,
                             series: [TimeSeries] = [], explicitHosts: [String: String] = [:], diagnose: Bool = true,
                             latencyMetrics: [String] = defaultLatencyMetrics, chartMetrics: [String]? = nil) -> Report {
        let thresholdFindings = ThresholdRules.findings(catalog: catalog, summaries: summaries)
        // Members tied to hosts: the config's map wins over what the labels imply (etcd-<node> pods).
        let nodeNames = Set(catalog.filter(\.usesNodeSelector).map(\.name))
        let nodes = Set(summaries.filter { nodeNames.contains($0.metric) }.map(\.instance)).sorted()
        let explicitHosts = HostMapping.inferred(from: summaries, nodes: nodes).merging(explicitHosts) { _, configured in configured }
        // A single-subsystem view (e.g. `perfscope etcd wal-fsync`) lacks the other subsystems'
        // evidence, so it reports thresholds only and leaves cause ranking to the full analysis.
        let diagnosis = diagnose
            ? Diagnosis.diagnose(.init(summaries: summaries, catalog: catalog, series: series, explicitHosts: explicitHosts,
                                       window: .init(start: window.start, end: window.end), rateSeconds: window.rateSeconds),
                                 thresholdFindings: thresholdFindings)
            : Diagnosis.Output(rootCauses: [], findings: [])
        // The host review: USE table per host; its findings replace the per-metric threshold findings
        // of the metrics it covers (same thresholds, one insight per resource dimension).
        let hosts = USEAnalysis.review(catalog: catalog, summaries: summaries, explicitHosts: explicitHosts)
        let useFindings = USEAnalysis.insights(hosts, catalog: catalog)
        let useMetrics = Set(catalog.filter { $0.use != nil }.map(\.name))
        let replaced = thresholdFindings.filter { f in useMetrics.contains { f.id == "\(catalogGroup(catalog, $0)).\($0).threshold" } }
        let kept = thresholdFindings.filter { f in !replaced.contains { $0.id == f.id } }
        let hostFindings = useFindings + HostDrillDown.insights(hosts, summaries: summaries)
            + latencyFindings(catalog: catalog, series: series, metrics: latencyMetrics, summaries: summaries)
            + WorkloadAnalysis.insights(summaries: summaries, series: series, reviews: hosts)
        let rootCauses = diagnosis.rootCauses.map { cause in
            var c = cause
            c.findingIds = ThresholdRules.orderedUnique(cause.findingIds.flatMap { id -> [String] in
                guard let old = replaced.first(where: { $0.id == id }) else { return [id] }
                let metric = old.evidence.first?.metric ?? ""
                return useFindings.filter { $0.evidence.contains { $0.metric == metric } }.map(\.id)
            })
            return c
        }
        let findings = (diagnosis.findings + hostFindings + kept).sorted { a, b in a.severity > b.severity }
        // Scores and grade come from the threshold findings only, so a cause is not counted twice.
        var report = Report(
            id: id, generatedAt: generatedAt, window: .init(start: window.start, end: window.end),
            grade: Scoring.grade(thresholdFindings), healthScores: Scoring.healthScores(thresholdFindings),
            findings: findings, rootCauses: rootCauses,
            recommendations: recommendations(diagnosis.findings) + recommendations(useFindings) + recommendations(kept), dataGaps: dataGaps + diagnosis.dataGaps,
            source: source, metrics: summaries, charts: chartMetrics.map { Chart.standard(series: series, catalog: catalog, metrics: $0) } ?? Chart.standard(series: series, catalog: catalog),
            thresholds: Dictionary(catalog.compactMap { m in m.thresholds.map { (m.name, $0) } }, uniquingKeysWith: { a, _ in a }))
        report.hosts = hosts
        if diagnose { report.symptoms = diagnosis.symptoms }
        return report
    }

    static func catalogGroup(_ catalog: [CatalogMetric], _ name: String) -> String {
        catalog.first { $0.name == name }?.group ?? ""
    }

    /// The latency series `analyze` looks at for step changes and spikes.
    public static let defaultLatencyMetrics = ["wal_fsync_p99", "backend_commit_p99", "peer_rtt_p99", "grpc_request_p99"]

    /// The metrics whose series over time a report uses (charts, latency analysis, the
    /// diagnosis's symptoms and evidence over time); the collector keeps only these series, so
    /// memory does not grow with every catalog metric's points.
    public static func seriesMetrics(latencyMetrics: [String] = defaultLatencyMetrics, chartMetrics: [String]? = nil, diagnosis: Bool = true) -> Set<String> {
        let own = Set(chartMetrics ?? Chart.standardMetrics).union(latencyMetrics).union(["wal_fsync_rate", "wal_fsync_p99", "grpc_request_rate"])
        return diagnosis ? own.union(DiagnosisMetric.timed) : own
    }

    /// Step changes and spikes in latency series (by catalog metric name).
    static func latencyFindings(catalog: [CatalogMetric], series: [TimeSeries], metrics: [String], summaries: [MetricSummary]) -> [Finding] {
        metrics.flatMap { name -> [Finding] in
            guard let m = catalog.first(where: { $0.name == name }) else { return [] }
            return LatencyAnalysis.insights(metric: name, title: m.title, unit: m.unit, threshold: m.thresholds?.levels.last?.1,
                                            series: series.filter { $0.metric == name }, category: m.category,
                                            query: summaries.first { $0.metric == name }?.query)
        }
    }

    /// One recommendation per finding at low severity or above, in the order given.
    static func recommendations(_ findings: [Finding]) -> [Recommendation] {
        findings.filter { $0.severity >= .low }.map { f in
            let priority: Likelihood = f.severity >= .high ? .high : (f.severity == .medium ? .medium : .low)
            let what = f.longTermFix.isEmpty ? f.immediateAction : "\(f.immediateAction) Long term: \(f.longTermFix)"
            return Recommendation(priority: priority, category: f.category.rawValue, recommendation: what,
                                  rationale: f.observation)
        }
    }

    /// A sortable, unique run id: `20261129T220501Z-1a2b3c`.
    public static func runID(at date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let suffix = UUID().uuidString.lowercased().prefix(6)
        return "\(f.string(from: date))-\(suffix)"
    }
}
