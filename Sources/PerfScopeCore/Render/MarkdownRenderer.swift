import Foundation

/// Markdown report for tickets and wikis.
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func render(_ r: Report) -> String {
        var out = "# perfscope report \(r.id)\n\n"
        out += "- **Window:** \(TimeWindow.format(r.window.start)) → \(TimeWindow.format(r.window.end))\n"
        if let source = r.source { out += "- **Source:** \(escape(source))\n" }
        if let cluster = r.cluster { out += "- **Cluster:** \(escape(cluster.headline))\n" }
        out += "- **Grade:** \(r.grade.rawValue)\n"
        out += "- **Findings:** " + Severity.allCases.reversed().map { s in "\(s.rawValue) \(r.findings.filter { $0.severity == s }.count)" }.joined(separator: ", ") + "\n\n"
        out += "| " + Scoring.scoredCategories.map(\.rawValue).joined(separator: " | ") + " |\n"
        out += "|" + Scoring.scoredCategories.map { _ in "---:" }.joined(separator: "|") + "|\n"
        out += "| " + Scoring.scoredCategories.map { "\(r.healthScores[$0.rawValue] ?? 100)" }.joined(separator: " | ") + " |\n\n"

        out += "## Root causes\n\n"
        if r.rootCauses.isEmpty {
            out += "None: no etcd symptom needs explaining in this window.\n\n"
        } else {
            for (i, c) in r.rootCauses.enumerated() {
                out += "\(i + 1). **\(c.category.rawValue)** on \(escape(c.instances.joined(separator: ", "))): \(escape(c.summary)) (likelihood \(c.likelihood.rawValue), confidence \(String(format: "%.2f", c.confidence))\(RootCauseView.when(c).map { ", \($0)" } ?? ""))\n"
                for alt in c.alternatives ?? [] { out += "   - weighed against: \(escape(RootCauseView.alternative(alt)))\n" }
            }
            out += "\n"
        }
        if let opinion = r.secondOpinion {
            out += "## \(escape(opinion.heading))\n\n" + opinion.text.split(separator: "\n").map { "> " + escape(String($0)) + "\n" }.joined() + "\n"
        }
        if let baseline = r.baseline {
            out += "## Baseline\n\n" + ComparisonView.lines(baseline).map { "- " + escape($0) + "\n" }.joined() + "\n"
        }
        out += "## Findings\n\n"
        if r.findings.isEmpty { out += "None.\n\n" }
        for f in r.findings {
            if f.id == r.findings.first(where: { $0.severity == f.severity })?.id {
                out += "### \(f.severity.rawValue.capitalized) (\(r.findings.filter { $0.severity == f.severity }.count))\n\n"
            }
            out += "#### \(f.severity.rawValue.uppercased()): \(escape(f.title))\n\n"
            out += "`\(Markup.markdownCode(f.id))` · \(f.category.rawValue) · \(f.methodology.rawValue) · confidence \(String(format: "%.2f", f.confidence))\n\n"
            out += "\(escape(f.observation))\n\n"
            if !f.evidence.isEmpty {
                out += "| metric | instance | value | threshold | unit |\n|---|---|---:|---:|---|\n"
                for e in f.evidence {
                    out += "| \(escape(e.metric)) | \(escape(e.instance ?? "")) | \(number(e.value)) | \(e.threshold.map(number) ?? "") | \(escape(e.unit)) |\n"
                }
                out += "\n"
            }
            out += "- **Why:** \(escape(f.rootCause))\n- **Do now:** \(escape(f.immediateAction))\n"
            if !f.longTermFix.isEmpty { out += "- **Long term:** \(escape(f.longTermFix))\n" }
            for step in f.investigationSteps { out += "- `\(Markup.markdownCode(step))`\n" }
            out += "- **Reference:** \(escape(f.reference))\n\n"
        }
        if !r.hosts.isEmpty {
            out += "## Hosts (USE method)\n\n"
            for host in r.hosts {
                out += "### \(escape(USETableView.heading(host)))\n\n| resource | dimension | verdict | measured |\n|---|---|---|---|\n"
                for row in USETableView.rows(host) {
                    out += "| \(escape(row.resource)) | \(escape(row.dimension)) | \(escape(row.verdict)) | \(escape(row.details)) |\n"
                }
                out += "\n"
            }
        }
        out += "## Metrics\n\n| metric | instance | avg | max | last |\n|---|---|---:|---:|---:|\n"
        for m in r.metrics {
            let labels = m.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            out += "| \(escape(m.metric)) | \(escape(m.instance))\(labels.isEmpty ? "" : " " + escape(labels)) | \(m.unit.format(m.stats.avg)) | \(m.unit.format(m.stats.max)) | \(m.unit.format(m.stats.last)) |\n"
        }
        if !r.dataGaps.isEmpty {
            out += "\n## Data gaps\n\n"
            for g in r.dataGaps { out += "- **\(escape(g.subsystem))**: \(escape(g.reason))\n" }
        }
        return out
    }

    /// Per Unicode scalar (`Markup.markdown`): labels and titles come from outside.
    func escape(_ s: String) -> String { Markup.markdown(s) }

    func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? CheckedNumber.text(v) : String(format: "%.3f", v) }
}
