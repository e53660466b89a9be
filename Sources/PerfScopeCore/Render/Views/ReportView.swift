import Foundation

/// The named views of one report that the per-subsystem commands print: a subsystem's
/// metrics and findings, the deep dive, the bottleneck analysis and the performance report.
/// Each view renders as text, Markdown or JSON from the same report, so numbers never differ
/// between views.
public enum ReportView: Sendable {
    case subsystem(String, title: String)
    case deepDive
    case bottlenecks
    case performanceReport

    public func render(_ report: Report, format: ReportFormat, color: Bool = false) throws -> String {
        switch (self, format) {
        case (_, .json): return try JSONRendering.encode(json(report))
        case (.subsystem(let name, let title), _): return SubsystemRenderer(name: name, title: title, markdown: format != .text).render(report)
        case (.deepDive, .text): return TextRenderer(color: color).render(report)
        case (.deepDive, .html), (.performanceReport, .html), (.bottlenecks, .html): return HTMLRenderer().render(report)
        case (.deepDive, _): return MarkdownRenderer().render(report)
        case (.bottlenecks, _): return BottleneckRenderer(markdown: format != .text).render(report)
        case (.performanceReport, _): return PerformanceReportRenderer(markdown: format != .text).render(report)
        }
    }

    /// JSON shape per view: the full report for deep dive and performance report; the parts that
    /// matter for the others.
    func json(_ r: Report) -> AnyEncodable {
        switch self {
        case .subsystem(let name, _):
            return AnyEncodable(SubsystemJSON(subsystem: name, window: r.window, metrics: r.metrics, findings: r.findings, dataGaps: r.dataGaps))
        case .bottlenecks:
            return AnyEncodable(BottleneckJSON(window: r.window, grade: r.grade, healthScores: r.healthScores, rootCauses: r.rootCauses,
                                               findings: r.findings, recommendations: r.recommendations, dataGaps: r.dataGaps))
        case .deepDive, .performanceReport:
            return AnyEncodable(r)
        }
    }

    struct SubsystemJSON: Encodable {
        var subsystem: String
        var window: Report.Window
        var metrics: [MetricSummary]
        var findings: [Finding]
        var dataGaps: [DataGap]
    }

    struct BottleneckJSON: Encodable {
        var window: Report.Window
        var grade: Grade
        var healthScores: [String: Int]
        var rootCauses: [RootCause]
        var findings: [Finding]
        var recommendations: [Recommendation]
        var dataGaps: [DataGap]
    }
}

struct AnyEncodable: Encodable {
    let encodeTo: (Encoder) throws -> Void
    init(_ value: some Encodable) { encodeTo = value.encode }
    func encode(to encoder: Encoder) throws { try encodeTo(encoder) }
}

/// A subsystem's metrics per member/device, its threshold findings and what could not be seen.
struct SubsystemRenderer {
    var name: String
    var title: String
    var markdown: Bool

    func render(_ r: Report) -> String {
        var out = markdown ? "# \(title)\n\n" : "\(title)\n\n"
        out += "window \(TimeWindow.format(r.window.start)) → \(TimeWindow.format(r.window.end))\n\n"
        var rows = [["metric", "instance", "avg", "p95", "max", "last"]]
        for m in r.metrics {
            let labels = m.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            rows.append([m.metric, labels.isEmpty ? m.instance : "\(m.instance) \(labels)", m.unit.format(m.stats.avg),
                         m.unit.format(m.stats.p95), m.unit.format(m.stats.max), m.unit.format(m.stats.last)])
        }
        out += rows.count == 1 ? "no data\n" : (markdown ? MarkdownTable.render(rows) : Table.render(rows, indent: "  ", rightAligned: [2, 3, 4, 5]))
        out += markdown ? "\n## Findings\n\n" : "\nFindings\n"
        if r.findings.isEmpty { out += markdown ? "None: every metric is within its thresholds.\n" : "  none: every metric is within its thresholds\n" }
        for f in r.findings {
            out += (markdown ? "- **\(f.severity.rawValue.uppercased())** " : "  \(f.severity.rawValue.uppercased()) ") + "\(f.observation)\n"
            out += (markdown ? "  - action: " : "      action: ") + f.immediateAction + "\n"
        }
        if !r.dataGaps.isEmpty {
            out += markdown ? "\n## Not measured\n\n" : "\nNot measured\n"
            for g in r.dataGaps { out += (markdown ? "- " : "  - ") + g.reason + "\n" }
        }
        return out
    }
}

enum MarkdownTable {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var out = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in rows.dropFirst() {
            out += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
