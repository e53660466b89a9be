import Foundation

/// One self-contained HTML file (inline CSS, no scripts or external assets), so a report can be
/// mailed or attached to a ticket and opened offline.
public struct HTMLRenderer: Sendable {
    public init() {}

    public func render(_ r: Report) -> String {
        var body = "<h1>perfscope report <code>\(e(r.id))</code></h1>\n"
        body += "<p>Window \(e(TimeWindow.format(r.window.start))) → \(e(TimeWindow.format(r.window.end)))"
        if let source = r.source { body += " · source \(e(source))" }
        if let cluster = r.cluster { body += "<br>Cluster \(e(cluster.headline))" }
        body += "</p>\n<p class=\"grade g-\(r.grade.rawValue)\">Grade: \(r.grade.rawValue)</p>\n"
        body += "<table class=\"scores\"><tr>" + Scoring.scoredCategories.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr><tr>"
        body += Scoring.scoredCategories.map { "<td>\(r.healthScores[$0.rawValue] ?? 100)</td>" }.joined() + "</tr></table>\n"
        body += "<h2>Root causes</h2>\n"
        if r.rootCauses.isEmpty {
            body += "<p>None: no etcd symptom needs explaining in this window.</p>\n"
        } else {
            body += "<ol>" + r.rootCauses.map { c in
                "<li><b>\(c.category.rawValue)</b> on \(e(c.instances.joined(separator: ", "))): \(e(c.summary)) — likelihood \(c.likelihood.rawValue)"
                    + (RootCauseView.when(c).map { " · \(e($0))" } ?? "")
                    + ((c.alternatives ?? []).isEmpty ? "" : "<br><small>weighed against: " + (c.alternatives ?? []).map { e(RootCauseView.alternative($0)) }.joined(separator: "; ") + "</small>")
                    + "</li>"
            }.joined() + "</ol>\n"
        }
        if let opinion = r.secondOpinion {
            body += "<h2>\(e(opinion.heading))</h2>\n<blockquote>" + opinion.text.split(separator: "\n").map { "<p>\(e(String($0)))</p>" }.joined() + "</blockquote>\n"
        }
        if let baseline = r.baseline {
            let lines = ComparisonView.lines(baseline)
            body += "<h2>Baseline</h2>\n<p>\(e(lines[0]))</p>" + (lines.count > 1 ? "<ul>" + lines.dropFirst().map { "<li>\(e($0))</li>" }.joined() + "</ul>" : "") + "\n"
        }
        if !r.charts.isEmpty {
            body += "<h2>Over the window</h2>\n"
            for chart in r.charts { body += "<figure><figcaption>\(e(chart.title))</figcaption>\(SVGChart.render(chart))</figure>\n" }
        }
        body += "<h2>Findings</h2>\n"
        if r.findings.isEmpty { body += "<p>None.</p>\n" }
        for f in r.findings {
            body += "<section class=\"finding s-\(f.severity.rawValue)\"><h3>\(f.severity.rawValue.uppercased()): \(e(f.title))</h3>"
            body += "<p class=\"meta\"><code>\(e(f.id))</code> · \(f.category.rawValue) · \(f.methodology.rawValue)</p>"
            body += "<p>\(e(f.observation))</p>"
            if !f.evidence.isEmpty {
                body += "<table><tr><th>metric</th><th>instance</th><th>value</th><th>threshold</th><th>unit</th></tr>"
                for ev in f.evidence {
                    body += "<tr><td>\(e(ev.metric))</td><td>\(e(ev.instance ?? ""))</td><td class=\"n\">\(fmt(ev.value))</td><td class=\"n\">\(ev.threshold.map(fmt) ?? "")</td><td>\(e(ev.unit))</td></tr>"
                }
                body += "</table>"
            }
            body += "<p><b>Why:</b> \(e(f.rootCause))</p><p><b>Do now:</b> \(e(f.immediateAction))</p>"
            if !f.longTermFix.isEmpty { body += "<p><b>Long term:</b> \(e(f.longTermFix))</p>" }
            if !f.investigationSteps.isEmpty { body += "<ul>" + f.investigationSteps.map { "<li><code>\(e($0))</code></li>" }.joined() + "</ul>" }
            body += "<p class=\"meta\">\(e(f.reference))</p></section>\n"
        }
        if !r.hosts.isEmpty {
            body += "<h2>Hosts (USE method)</h2>\n"
            for host in r.hosts {
                body += "<h3>\(e(USETableView.heading(host)))</h3><table class=\"use\"><tr><th>resource</th><th>dimension</th><th>verdict</th><th>measured</th></tr>"
                for row in USETableView.rows(host) {
                    body += "<tr><td>\(e(row.resource))</td><td>\(e(row.dimension))</td><td class=\"v-\(e(row.verdict.replacingOccurrences(of: " ", with: "-")))\">\(e(row.verdict))</td><td>\(e(row.details))</td></tr>"
                }
                body += "</table>\n"
            }
        }
        body += "<h2>Metrics</h2>\n<table><tr><th>metric</th><th>instance</th><th>avg</th><th>max</th><th>last</th></tr>"
        for m in r.metrics {
            let labels = m.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            body += "<tr><td>\(e(m.metric))</td><td>\(e(m.instance)) \(e(labels))</td><td class=\"n\">\(e(m.unit.format(m.stats.avg)))</td><td class=\"n\">\(e(m.unit.format(m.stats.max)))</td><td class=\"n\">\(e(m.unit.format(m.stats.last)))</td></tr>"
        }
        body += "</table>\n"
        if !r.dataGaps.isEmpty {
            body += "<h2>Data gaps</h2><ul>" + r.dataGaps.map { "<li><b>\(e($0.subsystem))</b>: \(e($0.reason))</li>" }.joined() + "</ul>\n"
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>perfscope \(e(r.id))</title>
        <style>
        body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1f23;background:#fff}
        @media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#16181c}th{background:#23262c!important}}
        table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #8884;padding:.25rem .5rem;text-align:left}
        th{background:#f2f3f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .finding{border-left:4px solid #888;padding:.2rem 1rem;margin:1rem 0}.s-critical{border-color:#b00020}.s-high{border-color:#e53935}
        .s-medium{border-color:#f9a825}.s-low{border-color:#29b6f6}.meta{color:#777;font-size:12px}
        .chart{width:100%;max-width:760px;height:auto}figure{margin:.5rem 0 1rem}figcaption{font-weight:600}
        .v-critical,.v-high{color:#c62828;font-weight:600}.v-medium{color:#f9a825;font-weight:600}.v-ok{color:#2e7d32}
        .grade{font-size:18px;font-weight:600}.g-critical,.g-poor{color:#c62828}.g-fair{color:#f9a825}.g-good,.g-excellent{color:#2e7d32}
        </style></head><body>
        \(body)</body></html>

        """
    }

    /// Per Unicode scalar (`Markup.html`): labels and titles come from outside.
    func e(_ s: String) -> String { Markup.html(s) }

    func fmt(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3f", v) }
}
