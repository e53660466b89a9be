/// Turns catalog thresholds into findings: for each catalog metric, every series whose window
/// statistic crosses a level becomes evidence in one finding for that metric.
///
/// This is the `threshold` methodology only: it says *what* is out of range, with numbers.
/// Ranking *why* (cross-subsystem root cause) is a separate, later stage.
public enum ThresholdRules {
    public static func findings(catalog: [CatalogMetric], summaries: [MetricSummary]) -> [Finding] {
        let byMetric = Dictionary(grouping: summaries, by: \.metric)
        var out: [Finding] = []
        for metric in catalog {
            guard let thresholds = metric.thresholds, let series = byMetric[metric.name] else { continue }
            var hits: [(summary: MetricSummary, value: Double, severity: Severity, limit: Double)] = []
            for summary in series {
                let value = summary.stats.value(metric.statistic)
                if let (severity, limit) = thresholds.evaluate(value) {
                    hits.append((summary, value, severity, limit))
                }
            }
            guard let worst = hits.map(\.severity).max() else { continue }
            hits.sort { a, b in
                a.severity != b.severity ? a.severity > b.severity
                    : (thresholds.direction == .above ? a.value > b.value : a.value < b.value)
            }
            // Cluster-wide series (no instance label) are named by their other labels.
            let instances = orderedUnique(hits.map { $0.summary.instance.isEmpty ? describe($0.summary) : $0.summary.instance })
            let evidence = hits.map { hit in
                Evidence(metric: metric.name, value: metric.unit.evidenceValue(hit.value),
                         threshold: metric.unit.evidenceValue(hit.limit), unit: metric.unit.evidenceUnit,
                         instance: describe(hit.summary), query: hit.summary.query)
            }
            let others = series.filter { s in !hits.contains { $0.summary == s } }
                .map { $0.stats.value(metric.statistic) }
            out.append(Finding(
                id: "\(metric.group).\(metric.name).threshold",
                title: "\(metric.title) \(thresholds.direction == .above ? "above" : "below") threshold",
                severity: worst,
                category: metric.category,
                methodology: .threshold,
                instances: instances,
                observation: observation(metric: metric, hits: hits.map { ($0.summary, $0.value, $0.limit) }, others: others),
                evidence: evidence,
                rootCause: metric.cause ?? metric.description,
                confidence: confidence(points: hits.map(\.summary.stats.points).min() ?? 0),
                immediateAction: metric.action ?? "Look at \(metric.title) per instance over the window and correlate with the host's disk, CPU and network.",
                investigationSteps: metric.investigate ?? ["perfscope query '\(hits[0].summary.query)' --range"],
                longTermFix: metric.fix ?? "",
                relatedMetrics: metric.requires,
                reference: metric.reference))
        }
        return out.sorted { a, b in a.severity != b.severity ? a.severity > b.severity : a.id < b.id }
    }

    static func describe(_ s: MetricSummary) -> String {
        let extra = s.labels.filter { $0.key != "instance" }.sorted { $0.key < $1.key }
        guard !extra.isEmpty else { return s.instance }
        let labels = extra.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return s.instance.isEmpty ? labels : s.instance + " " + labels
    }

    static func observation(metric: CatalogMetric, hits: [(MetricSummary, Double, Double)], others: [Double]) -> String {
        let stat = metric.statistic.rawValue
        let parts = hits.prefix(5).map { s, v, limit in
            "\(describe(s)): \(metric.unit.format(v)) (\(stat); threshold \(metric.unit.format(limit)))"
        }
        var text = "\(metric.title) over the window — " + parts.joined(separator: "; ")
        if hits.count > 5 { text += "; and \(hits.count - 5) more" }
        if let lo = others.filter(\.isFinite).min(), let hi = others.filter(\.isFinite).max() {
            text += lo == hi ? ". Other series: \(metric.unit.format(lo))"
                : ". Other series: \(metric.unit.format(lo))–\(metric.unit.format(hi))"
        }
        return text + "."
    }

    /// More points behind a statistic → more confidence; a handful of points is a glimpse.
    static func confidence(points: Int) -> Double {
        switch points {
        case ..<3: 0.4
        case ..<12: 0.6
        case ..<60: 0.75
        default: 0.85
        }
    }

    static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
