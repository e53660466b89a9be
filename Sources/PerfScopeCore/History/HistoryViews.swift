import Foundation

/// Plain-text pieces of history output shared by the renderers, the CLI, the API and MCP.
public enum ComparisonView {
    /// One headline, e.g. `vs baseline 20261129T100000Z-ab12cd (good, 2026-11-29 10:00 UTC): 2 regressions, 1 improvement, 180 unchanged`.
    public static func headline(_ c: BaselineComparison) -> String {
        func n(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "vs baseline \(c.baselineID) (\(c.baselineGrade.rawValue), \(TimeWindow.format(c.baselineGeneratedAt))): "
            + "\(n(c.regressions, "regression")), \(n(c.improvements, "improvement")), \(c.unchanged) unchanged"
    }

    /// One line per flagged delta: `↑ wal_fsync_p99 127.0.0.1:2379 avg 3.4 ms → 12.0 ms: reached medium (≥ 10.0 ms), +253 % (…)`.
    public static func line(_ d: MetricDelta) -> String {
        let arrow = d.verdict == .regression ? "↑" : d.verdict == .improvement ? "↓" : "="
        let why = d.reasons.isEmpty ? "" : ": " + d.reasons.joined(separator: "; ")
        return "\(arrow) \(d.metric) \(d.seriesName) \(d.statistic.rawValue) \(d.unit.format(d.baseline)) → \(d.unit.format(d.current))\(why)"
    }

    /// The lines a report shows about its baseline: headline, flagged deltas (at most `limit`), finding changes.
    public static func lines(_ c: BaselineComparison, limit: Int = 10) -> [String] {
        var out = [headline(c)]
        let flagged = c.deltas.filter { $0.verdict != .unchanged }
        out += flagged.prefix(limit).map(line)
        if flagged.count > limit { out.append("… \(flagged.count - limit) more: perfscope history compare \(c.runID)") }
        if !c.newFindings.isEmpty { out.append("new findings: " + c.newFindings.joined(separator: ", ")) }
        if !c.resolvedFindings.isEmpty { out.append("resolved findings: " + c.resolvedFindings.joined(separator: ", ")) }
        return out
    }
}

/// Unicode sparklines for the terminal: `▁▂▃▄▅▆▇█`.
public enum Sparkline {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Scales `values` between their min and max; longer series are averaged into `width` buckets.
    /// A flat series is a row of `▄`; non-finite values are blanks.
    public static func render(_ values: [Double], width: Int = 60) -> String {
        let bucketed = bucket(values, width: max(1, width))
        let finite = bucketed.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return String(repeating: " ", count: bucketed.count) }
        return String(bucketed.map { v -> Character in
            guard v.isFinite else { return " " }
            guard hi > lo else { return bars[3] }
            let i = CheckedNumber.rounded((v - lo) / (hi - lo) * Double(bars.count - 1)) ?? 0
            return bars[min(max(i, 0), bars.count - 1)]
        })
    }

    static func bucket(_ values: [Double], width: Int) -> [Double] {
        guard values.count > width else { return values }
        return (0..<width).map { i in
            let from = i * values.count / width, to = max(from + 1, (i + 1) * values.count / width)
            let slice = values[from..<to].filter(\.isFinite)
            return slice.isEmpty ? .nan : slice.reduce(0, +) / Double(slice.count)
        }
    }
}

/// `history trend` output in text and HTML.
public enum TrendView {
    public static func text(_ trend: Trend, width: Int = 60) -> String {
        guard !trend.series.isEmpty else { return "no stored values of \(trend.metric) in this window\n" }
        var out = "\(trend.metric) (\(trend.statistic.rawValue) per run)\n"
        var rows: [[String]] = [["series", "runs", "first", "last", "min", "max", "trend"]]
        for s in trend.series {
            let v = s.points.map(\.value)
            rows.append([s.name, "\(v.count)", trend.unit.format(v.first ?? .nan), trend.unit.format(v.last ?? .nan),
                         trend.unit.format(v.min() ?? .nan), trend.unit.format(v.max() ?? .nan), Sparkline.render(v, width: width)])
        }
        out += Table.render(rows, indent: "  ", rightAligned: [1, 2, 3, 4, 5])
        if let first = trend.series.flatMap(\.points).map(\.createdAt).min(), let last = trend.series.flatMap(\.points).map(\.createdAt).max() {
            out += "  runs from \(TimeWindow.format(first)) to \(TimeWindow.format(last))\n"
        }
        return out
    }

    /// A self-contained HTML page with an inline SVG chart (no scripts) and the values table.
    public static func html(_ trend: Trend, threshold: Double? = nil) -> String {
        func e(_ s: String) -> String { SVGChart.escape(s) }
        var body = "<h1>\(e(trend.metric)) across runs</h1>\n"
        if trend.series.isEmpty {
            body += "<p>No stored values in this window.</p>\n"
        } else {
            body += "<figure>\(SVGChart.render(trend.chart(threshold: threshold), width: 900, height: 260))</figure>\n"
            body += "<table><tr><th>run</th><th>time</th><th>series</th><th>\(e(trend.statistic.rawValue))</th></tr>"
            for s in trend.series {
                for p in s.points {
                    body += "<tr><td><code>\(e(p.runID))</code></td><td>\(e(TimeWindow.format(p.createdAt)))</td><td>\(e(s.name))</td><td class=\"n\">\(e(trend.unit.format(p.value)))</td></tr>"
                }
            }
            body += "</table>\n"
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>perfscope trend \(e(trend.metric))</title>
        <style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem}
        table{border-collapse:collapse}th,td{border:1px solid #8884;padding:.2rem .5rem;text-align:left}td.n{text-align:right}</style>
        </head><body>
        \(body)</body></html>

        """
    }
}

/// `history export --format csv`: the run's metric summaries, one row per series.
public enum RunExport {
    public static let csvHeader = ["run_id", "cluster", "generated_at", "subsystem", "metric", "instance", "labels", "unit", "avg", "max", "min", "last", "p95", "points"]

    public static func csv(_ report: Report, cluster: String) -> String {
        var out = csvHeader.joined(separator: ",") + "\r\n"
        let generated = TimeWindow.format(report.generatedAt)
        for m in report.metrics {
            let labels = m.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            let fields = [report.id, cluster, generated, m.subsystem, m.metric, m.instance, labels, m.unit.rawValue,
                          number(m.stats.avg), number(m.stats.max), number(m.stats.min), number(m.stats.last), number(m.stats.p95), "\(m.stats.points)"]
            out += fields.map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "" }

    /// RFC 4180: quote fields with a comma, quote or line break; double the quotes.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
