import Foundation

/// Assembles a `Report` from collected summaries and data gaps: findings from the rules,
/// scores and grade from the findings, recommendations from the findings' actions.
///
/// Pure: same inputs, same report. Root-cause ranking is left empty until a ranking stage
/// exists — an empty list is honest, a guessed cause is not.
public enum ReportBuilder {
    public static func build(id: String, generatedAt: Date, window: TimeWindow, catalog: [CatalogMetric],
                             summaries: [MetricSummary], dataGaps: [DataGap], source: String?,
                             rootCauses: [RootCause] = []) -> Report {
        let findings = ThresholdRules.findings(catalog: catalog, summaries: summaries)
        return Report(
            id: id, generatedAt: generatedAt, window: .init(start: window.start, end: window.end),
            grade: Scoring.grade(findings), healthScores: Scoring.healthScores(findings),
            findings: findings, rootCauses: rootCauses,
            recommendations: recommendations(findings), dataGaps: dataGaps,
            source: source, metrics: summaries)
    }

    /// One recommendation per finding at low severity or above, most severe first.
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
