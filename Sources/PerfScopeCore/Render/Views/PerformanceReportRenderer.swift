import Foundation

/// The performance report: executive summary, critical alerts, the critical metrics against
/// etcd's targets with pass/fail, node usage, the grade, recommendations and the methodology.
struct PerformanceReportRenderer {
    var markdown: Bool

    /// The metrics an etcd review always looks at, with the target they are judged by.
    static let keyMetrics = ["wal_fsync_p99", "backend_commit_p99", "peer_rtt_p99", "leader_changes", "proposals_failed_rate",
                             "db_quota_usage", "db_in_use_ratio", "slow_applies_rate", "gc_pause_avg", "gc_pause_max"]
    static let nodeMetrics = ["cpu_count", "cpu_utilisation", "load_per_cpu", "psi_cpu", "memory_utilisation", "swap_io_rate",
                              "disk_utilisation", "disk_write_latency", "psi_io"]

    func render(_ r: Report) -> String {
        var out = h(1, "etcd performance report")
        out += "window \(TimeWindow.format(r.window.start)) → \(TimeWindow.format(r.window.end))" + (r.source.map { " · source \($0)" } ?? "") + "\n\n"
        out += h(2, "Executive summary")
        let critical = r.findings.filter { $0.severity >= .high && $0.methodology != .correlation }
        out += "Grade **\(r.grade.rawValue)**. "
        if let top = r.rootCauses.first {
            out += "Most likely cause: \(top.category.rawValue) on \(top.instances.joined(separator: ", ")) (likelihood \(top.likelihood.rawValue)). \(top.summary)\n\n"
        } else {
            out += "No etcd symptom needs explaining in this window" + (r.findings.isEmpty ? "." : "; \(r.findings.count) finding(s) below.") + "\n\n"
        }
        if !markdown { out = out.replacingOccurrences(of: "**", with: "") }
        out += h(2, "Critical alerts")
        out += critical.isEmpty ? "None.\n\n" : critical.map { "- \($0.severity.rawValue.uppercased()): \($0.title) — \($0.instances.joined(separator: ", "))\n" }.joined() + "\n"
        out += h(2, "Critical metrics against targets")
        out += table(r, Self.keyMetrics, withTarget: true)
        out += "\n" + h(2, "Node usage")
        out += table(r, Self.nodeMetrics, withTarget: true)
        out += "\n" + h(2, "Health scores")
        out += Scoring.scoredCategories.map { "\($0.rawValue) \(r.healthScores[$0.rawValue] ?? 100)" }.joined(separator: " · ") + "\n\n"
        out += h(2, "Recommendations")
        out += r.recommendations.isEmpty ? "None.\n" : r.recommendations.enumerated().map { "\($0.offset + 1). [\($0.element.priority.rawValue)] \($0.element.recommendation)\n" }.joined()
        if !r.dataGaps.isEmpty {
            out += "\n" + h(2, "Not measured")
            out += r.dataGaps.map { "- \($0.reason)\n" }.joined()
        }
        out += "\n" + h(2, "Methodology")
        out += """
        Each catalog metric is one PromQL range query for all members over the window, reduced to window statistics \
        (avg, p95, max, last). Thresholds: etcd's documented targets (WAL fsync p99 < 10 ms, backend commit p99 < 25 ms, \
        peer RTT well under the heartbeat), the etcd-mixin alerts and the node-mixin USE rules, from one catalog. \
        Root causes explain etcd symptoms by the resource behind them (USE method per host, per-member comparison, \
        latency-vs-load correlation); a busy but healthy cluster gets none.

        """
        return out
    }

    func table(_ r: Report, _ names: [String], withTarget: Bool) -> String {
        var rows = [["metric", "instance", "value", "target", "status"]]
        for name in names {
            for s in r.metrics where s.metric == name {
                let value = s.stats.avg
                let finding = r.findings.first { $0.id.contains(".\(name).") && $0.instances.contains(s.instance) }
                let target = r.thresholds[name].flatMap { t in t.levels.last.map { (t.direction == .above ? "< " : "> ") + s.unit.format($0.1) } }
                rows.append([name, s.instance + (s.labels.isEmpty ? "" : " " + s.labels.map { "\($0.key)=\($0.value)" }.joined(separator: ",")),
                             s.unit.format(value), target ?? "-",
                             finding.map { $0.severity.rawValue.uppercased() } ?? "ok"])
            }
        }
        if rows.count == 1 { return "no data\n" }
        return markdown ? MarkdownTable.render(rows) : Table.render(rows, indent: "  ")
    }

    func h(_ level: Int, _ s: String) -> String {
        markdown ? String(repeating: "#", count: level) + " \(s)\n\n" : (level == 1 ? s.uppercased() + "\n\n" : s + "\n")
    }
}
