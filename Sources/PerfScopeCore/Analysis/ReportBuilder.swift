import Foundation

/// Assembles a `Report` from collected summaries and data gaps: findings from the rules,
/// scores and grade from the findings, recommendations from the findings' actions.
///
/// Pure: same inputs, same report. Threshold findings say what is out of range; the root-cause
/// engine explains etcd symptoms by the resource behind them, and its causes lead the report.
public enum ReportBuilder {
    public static func build(id: String, generatedAt: Date, window: TimeWindow, catalog: [CatalogMetric],
                             summaries: [MetricSummary], dataGaps: [DataGap], source: String?,
                             series: [TimeSeries] = [], explicitHosts: [String: String] = [:], diagnose: Bool = true) -> Report {
        let thresholdFindings = ThresholdRules.findings(catalog: catalog, summaries: summaries)
        // A single-subsystem view (e.g. `perfscope etcd wal-fsync`) lacks the other subsystems'
        // evidence, so it reports thresholds only and leaves cause ranking to the full analysis.
        let diagnosis = diagnose
            ? RootCauseEngine.diagnose(.init(summaries: summaries, catalog: catalog, series: series, explicitHosts: explicitHosts),
                                       thresholdFindings: thresholdFindings)
            : RootCauseEngine.Output(rootCauses: [], findings: [])
        // Scores and grade come from the threshold findings only, so a cause is not counted twice.
        return Report(
            id: id, generatedAt: generatedAt, window: .init(start: window.start, end: window.end),
            grade: Scoring.grade(thresholdFindings), healthScores: Scoring.healthScores(thresholdFindings),
            findings: diagnosis.findings + thresholdFindings, rootCauses: diagnosis.rootCauses,
            recommendations: recommendations(diagnosis.findings) + recommendations(thresholdFindings), dataGaps: dataGaps + diagnosis.dataGaps,
            source: source, metrics: summaries, charts: Chart.standard(series: series, catalog: catalog),
            thresholds: Dictionary(catalog.compactMap { m in m.thresholds.map { (m.name, $0) } }, uniquingKeysWith: { a, _ in a }))
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
