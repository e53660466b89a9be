import Foundation

/// One series a panel query returned, in the core's terms (no Prometheus types).
public struct GrafanaSeries: Sendable, Equatable {
    public var labels: [String: String]
    public var times: [Double]
    public var values: [Double]

    public init(labels: [String: String], times: [Double], values: [Double]) {
        self.labels = labels
        self.times = times
        self.values = values
    }
}

/// What running one target gave: series, or the error Prometheus (or the substitution) reported.
public struct GrafanaTargetResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case series([GrafanaSeries])
        case failed(String)
    }

    public var target: GrafanaTarget
    /// The PromQL actually run (variables substituted).
    public var promQL: String
    public var outcome: Outcome

    public init(target: GrafanaTarget, promQL: String, outcome: Outcome) {
        self.target = target
        self.promQL = promQL
        self.outcome = outcome
    }
}

/// Findings, summaries, charts and gaps from one panel.
public struct GrafanaPanelAnalysis: Sendable, Equatable {
    public var findings: [Finding] = []
    public var summaries: [MetricSummary] = []
    public var dataGaps: [DataGap] = []
    public var charts: [Chart] = []
}

/// Judges a panel's data by the panel's own thresholds: a series in a red step is a high (or
/// critical) finding, in an orange/yellow step a medium one, with the value, the threshold and
/// the PromQL as evidence. Every series is summarised (min/avg/max/last) whether or not it
/// crossed anything, and a query with no data or an error is a data gap, never a silent zero.
///
/// Stat, gauge and bar-gauge panels show one reduced value per series (the panel's reducer,
/// `lastNotNull` by default), so that value is judged. Time-series panels show every point, so
/// the worst step reached by at least two points (one when there is only one) is judged: a
/// single stray sample is not a finding.
public enum GrafanaPanelAnalyzer {
    /// - Parameters:
    ///   - dashboard: the dashboard's UID (or title), used in stable finding ids.
    ///   - dashboardTitle: the name shown in observations (default: `dashboard`).
    public static func analyze(panel: GrafanaPanel, results: [GrafanaTargetResult], dashboard: String,
                               dashboardTitle: String? = nil) -> GrafanaPanelAnalysis {
        var analysis = GrafanaPanelAnalysis()
        let unit = GrafanaUnit(panel.unit)
        let thresholds = panel.effectiveThresholds
        let category = GrafanaCategory.guess(title: panel.title, row: panel.row, queries: results.map(\.promQL))
        var chartLines: [Chart.Line] = []
        var chartThreshold: Double?
        for result in results {
            let where_ = "panel \"\(panel.title)\" (\(result.target.refId))"
            let series: [GrafanaSeries]
            switch result.outcome {
            case .failed(let message):
                analysis.dataGaps.append(DataGap(subsystem: category.rawValue, reason: "\(where_): query failed — \(message)"))
                continue
            case .series(let list):
                series = list.filter { $0.values.contains(where: \.isFinite) }
                if series.isEmpty {
                    let metrics = GrafanaCategory.metricNames(in: result.promQL)
                    let what = metrics.isEmpty ? "" : " for \(metrics.prefix(3).joined(separator: ", "))"
                    // Series of only NaN: typically a quantile over a histogram with no observations in the window.
                    let why = list.isEmpty ? "no data\(what)" : "only NaN values\(what) (no observations in the window)"
                    analysis.dataGaps.append(DataGap(subsystem: category.rawValue, reason: "\(where_): \(why) — not judged"))
                    continue
                }
            }
            var crossings: [Crossing] = []
            for s in series {
                let name = legend(result.target.legendFormat, labels: s.labels, fallback: panel.title)
                let (base, factor) = unit.metricUnit
                if let stats = WindowStatistics(values: s.values.map { $0 * factor }) {
                    analysis.summaries.append(MetricSummary(
                        metric: name == panel.title ? panel.title : "\(panel.title): \(name)", subsystem: category.rawValue,
                        instance: s.labels["instance"] ?? "", labels: [:], unit: base, stats: stats, query: result.promQL))
                }
                if let thresholds, let crossing = judge(s, panel: panel, thresholds: thresholds) {
                    crossings.append(Crossing(series: s, name: name, judged: crossing))
                    chartLines.append(Chart.Line(name: name, points: zip(s.times, s.values).filter { $0.1.isFinite }.map { [$0.0, $0.1 * factor] }))
                    if chartThreshold == nil, let b = thresholds.boundary(ofStep: crossing.step) { chartThreshold = b.value * factor }
                }
            }
            if !crossings.isEmpty, let thresholds {
                analysis.findings.append(finding(panel: panel, target: result, crossings: crossings, thresholds: thresholds,
                                                 unit: unit, category: category, dashboard: dashboard, title: dashboardTitle ?? dashboard))
            }
        }
        if !chartLines.isEmpty {
            analysis.charts.append(Chart(metric: slug(panel.title), title: panel.title, unit: unit.metricUnit.unit,
                                         lines: Array(chartLines.prefix(8)), threshold: chartThreshold))
        }
        return analysis
    }

    /// The step a series reached, the value that shows it, and how many points were there or worse.
    struct Judged: Equatable {
        var step: Int
        var severity: Severity
        var value: Double
        var points: Int
        var total: Int
    }

    struct Crossing {
        var series: GrafanaSeries
        var name: String
        var judged: Judged
    }

    static func judge(_ s: GrafanaSeries, panel: GrafanaPanel, thresholds: GrafanaThresholds) -> Judged? {
        let finite = s.values.filter(\.isFinite)
        guard let stats = WindowStatistics(values: finite) else { return nil }
        let reduced = ["stat", "gauge", "bargauge", "singlestat", "table", "piechart"].contains(panel.type)
        if reduced {
            let value: Double = switch (panel.reducer ?? "lastNotNull").lowercased() {
            case "mean", "avg": stats.avg
            case "max": stats.max
            case "min": stats.min
            case "first", "firstnotnull": finite[0]
            default: stats.last
            }
            let step = thresholds.stepIndex(value)
            guard let severity = thresholds.severity(ofStep: step) else { return nil }
            return Judged(step: step, severity: severity, value: value, points: 1, total: 1)
        }
        let steps = finite.map { thresholds.stepIndex($0) }
        let severities = steps.map { thresholds.severity(ofStep: $0) }
        let needed = finite.count == 1 ? 1 : 2
        for severity in Severity.allCases.reversed() where severity != .info {
            let hits = severities.indices.filter { (severities[$0] ?? .info) >= severity && severities[$0] != nil }
            guard hits.count >= needed else { continue }
            // The most extreme point at that level: the highest, or the lowest for a bad base step.
            let atLevel = hits.filter { severities[$0] == severity }
            let index = atLevel.isEmpty ? hits[0] : atLevel[0]
            let below = thresholds.boundary(ofStep: steps[index])?.below ?? false
            let candidates = (atLevel.isEmpty ? hits : atLevel).map { finite[$0] }
            let value = (below ? candidates.min() : candidates.max()) ?? finite[index]
            return Judged(step: thresholds.stepIndex(value), severity: severity, value: value, points: hits.count, total: finite.count)
        }
        return nil
    }

    static func finding(panel: GrafanaPanel, target: GrafanaTargetResult, crossings: [Crossing], thresholds: GrafanaThresholds,
                        unit: GrafanaUnit, category: Category, dashboard: String, title dashboardTitle: String) -> Finding {
        let sorted = crossings.sorted { ($0.judged.severity, $0.judged.value) > ($1.judged.severity, $1.judged.value) }
        let worst = sorted[0].judged
        let boundary = thresholds.boundary(ofStep: worst.step)
        let direction = boundary?.below == true ? "below" : "above"
        let evidence = sorted.prefix(10).map { c -> Evidence in
            let b = thresholds.boundary(ofStep: c.judged.step)
            let share = c.judged.total > 1 ? "\(c.judged.points) of \(c.judged.total) points" : "panel value"
            return Evidence(metric: c.name == panel.title ? panel.title : "\(panel.title): \(c.name)", value: unit.evidenceValue(c.judged.value),
                            threshold: b.map { unit.evidenceValue($0.value) }, unit: unit.evidenceUnit,
                            instance: c.series.labels["instance"], query: target.promQL,
                            note: "\(colorName(thresholds.steps[c.judged.step].color)) step of the panel's thresholds; \(share)")
        }
        let described = sorted.prefix(3).map { c -> String in
            let b = thresholds.boundary(ofStep: c.judged.step)
            let limit = b.map { " (\($0.below ? "below" : "at or above") \(unit.format($0.value)))" } ?? ""
            let share = c.judged.total > 1
                ? ", \(c.judged.points) of \(c.judged.total) points (\(Int((Double(c.judged.points) / Double(c.judged.total) * 100).rounded()))%)"
                : ""
            return "\(c.name) at \(unit.format(c.judged.value))\(limit)\(share)"
        }
        let more = sorted.count > 3 ? " and \(sorted.count - 3) more series" : ""
        let instances = Array(Set(sorted.compactMap { $0.series.labels["instance"] })).sorted()
        return Finding(
            id: "grafana.\(slug(dashboard)).\(slug(panel.id.map { "panel_\($0)" } ?? panel.title)).\(slug(target.target.refId))",
            title: "\(panel.title): \(direction) the panel's \(ColorClass(thresholds.steps[worst.step].color).name) threshold",
            severity: worst.severity, category: category, methodology: .threshold, instances: instances,
            observation: "In dashboard \"\(dashboardTitle)\", panel \"\(panel.title)\": \(described.joined(separator: "; "))\(more).",
            evidence: Array(evidence),
            rootCause: "The dashboard's author coloured values \(direction) \(boundary.map { unit.format($0.value) } ?? "this level") as \(ColorClass(thresholds.steps[worst.step].color).name); this judges the panel by its own standard, not by an etcd or USE rule.",
            confidence: panel.type == "timeseries" || panel.type == "graph" ? 0.6 : 0.5,
            immediateAction: "Open panel \"\(panel.title)\" for this window and find which \(instances.isEmpty ? "series" : "instance") drives it\(instances.isEmpty ? "" : " (\(instances.prefix(3).joined(separator: ", ")))").",
            investigationSteps: [
                "Run the panel query over the window: \(target.promQL)",
                "Run perfscope analyze over the same window for the etcd and USE view of the same hosts.",
            ],
            longTermFix: "",
            relatedMetrics: GrafanaCategory.metricNames(in: target.promQL),
            reference: "Grafana dashboard \"\(dashboardTitle)\", panel \"\(panel.title)\"")
    }

    /// `red (rgba(245, 54, 54, 0.9))` for colours that are not plain names.
    static func colorName(_ color: String) -> String {
        let name = ColorClass(color).name
        return color.lowercased() == name ? name : "\(name) (\(color))"
    }

    /// A series' display name: the target's `legendFormat` with `{{label}}` filled in, else its
    /// labels, else `fallback` (the panel title) for an unlabelled result such as `sum(…)`.
    public static func legend(_ format: String?, labels: [String: String], fallback: String) -> String {
        if let format, format != "__auto", !format.isEmpty {
            var out = format
            while let open = out.range(of: "{{"), let close = out.range(of: "}}", range: open.upperBound..<out.endIndex) {
                let name = out[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                out.replaceSubrange(open.lowerBound..<close.upperBound, with: labels[name] ?? "")
            }
            // Collapse newlines and runs of spaces; a legend left with only punctuation (all labels missing) says nothing.
            let collapsed = out.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if collapsed.contains(where: { $0.isLetter || $0.isNumber }) { return collapsed }
        }
        let shown = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
        if shown.isEmpty { return labels["__name__"] ?? fallback }
        return "{" + shown.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }

    static func slug(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if out.last != "_" { out.append("_") }
        }
        while out.hasSuffix("_") { out.removeLast() }
        while out.hasPrefix("_") { out.removeFirst() }
        return out.isEmpty ? "x" : out
    }
}
