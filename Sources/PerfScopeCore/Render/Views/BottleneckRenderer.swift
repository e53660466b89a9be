import Foundation

/// Bottleneck analysis: findings per category, ranked root causes with their evidence and
/// likelihood, and prioritised recommendations with the rationale behind each.
struct BottleneckRenderer {
    var markdown: Bool

    func render(_ r: Report) -> String {
        var out = heading(1, "Bottleneck analysis")
        out += "window \(TimeWindow.format(r.window.start)) → \(TimeWindow.format(r.window.end)) · grade \(r.grade.rawValue)\n\n"
        out += heading(2, "Ranked root causes")
        if r.rootCauses.isEmpty { out += "None: no etcd symptom needs explaining in this window.\n\n" }
        for (i, c) in r.rootCauses.enumerated() {
            out += "\(i + 1). \(c.category.rawValue.uppercased()) on \(c.instances.joined(separator: ", ")) — likelihood \(c.likelihood.rawValue), confidence \(String(format: "%.2f", c.confidence))\n"
            out += "   \(c.summary)\n"
            if let f = r.findings.first(where: { $0.id == c.findingIds.first }) {
                out += "   why: \(f.rootCause)\n"
                for e in f.evidence.prefix(8) {
                    out += "   - \(e.metric) on \(e.instance ?? "?"): \(Self.number(e.value)) \(e.unit)" + (e.threshold.map { " (threshold \(Self.number($0)) \(e.unit))" } ?? "") + "\n"
                }
            }
            out += "\n"
        }
        out += heading(2, "Findings by category")
        let byCategory = Dictionary(grouping: r.findings.filter { $0.methodology != .correlation }, by: \.category)
        if byCategory.isEmpty { out += "None.\n\n" }
        for category in Category.allCases {
            guard let list = byCategory[category] else { continue }
            out += (markdown ? "**\(category.rawValue)** (health \(r.healthScores[category.rawValue].map(String.init) ?? "-"))\n" : "\(category.rawValue) (health \(r.healthScores[category.rawValue].map(String.init) ?? "-"))\n")
            for f in list { out += "  - \(f.severity.rawValue): \(f.title) — \(f.instances.joined(separator: ", "))\n" }
            out += "\n"
        }
        out += heading(2, "Recommendations")
        if r.recommendations.isEmpty { out += "None.\n" }
        for (i, rec) in r.recommendations.enumerated() {
            out += "\(i + 1). [\(rec.priority.rawValue)] (\(rec.category)) \(rec.recommendation)\n   rationale: \(rec.rationale)\n"
        }
        if !r.dataGaps.isEmpty {
            out += "\n" + heading(2, "Not measured")
            for g in r.dataGaps { out += "  - [\(g.subsystem)] \(g.reason)\n" }
        }
        return out
    }

    func heading(_ level: Int, _ s: String) -> String {
        markdown ? String(repeating: "#", count: level) + " \(s)\n\n" : (level == 1 ? "\(s.uppercased())\n\n" : "\(s)\n")
    }

    static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e12 ? String(Int64(v)) : String(format: "%.3g", v) }
}
