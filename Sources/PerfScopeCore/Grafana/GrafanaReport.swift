import Foundation

/// Guesses which subsystem a panel is about, from its metric names first (they are precise),
/// then its title and row. etcd-specific names are checked before host ones: WAL fsync is a
/// disk symptom, a DB size a database one, a leader change a consensus one.
public enum GrafanaCategory {
    static let rules: [(Category, [String])] = [
        (.disk, ["wal_fsync", "backend_commit", "node_disk_", "node_filesystem", "pressure_io", "disk", "fsync", "filesystem", "iops", "i/o", "io util"]),
        (.consensus, ["leader", "raft", "proposal", "heartbeat", "has_leader", "election"]),
        (.database, ["mvcc", "db_total_size", "db_size", "db size", "defrag", "compaction", "snapshot", "keys_total", "quota"]),
        (.network, ["peer", "round_trip", "round trip", "node_network", "netstat", "sockstat", "conntrack", "softnet", "network",
                    "traffic", "tcp", "udp", "icmp", "received_bytes", "sent_bytes", "nic"]),
        (.memory, ["memory", "memavailable", "mem_", "node_memory", "swap", "vmstat", "pgmajfault", "oom", "hugepage", "slab",
                   "resident_memory", "ram", "pressure_memory"]),
        (.cpu, ["cpu", "node_load", "sys load", "load average", "schedstat", "context_switch", "intr", "pressure_cpu", "procs_running", "go_gc"]),
    ]

    public static func guess(title: String, row: String? = nil, queries: [String]) -> Category {
        let names = queries.flatMap { metricNames(in: $0) }.joined(separator: " ").lowercased()
        for (category, keys) in rules where keys.contains(where: { names.contains($0) }) { return category }
        let text = (title + " " + (row ?? "")).lowercased()
        for (category, keys) in rules where keys.contains(where: { text.contains($0) }) { return category }
        return .load
    }

    static let keywords: Set<String> = ["sum", "rate", "irate", "increase", "avg", "min", "max", "count", "by", "without", "on",
                                        "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool", "topk",
                                        "bottomk", "quantile", "histogram_quantile", "label_replace", "label_join", "scalar",
                                        "vector", "time", "abs", "clamp_min", "clamp_max", "delta", "deriv", "predict_linear",
                                        "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "count_over_time",
                                        "changes", "resets", "round", "sort", "sort_desc", "absent", "stddev", "stdvar", "le",
                                        "count_values", "group", "last_over_time", "quantile_over_time", "timestamp", "ceil", "floor"]

    /// Metric names in a PromQL expression (identifiers with `_` that are not functions,
    /// keywords or label names inside braces/by-lists), in order of appearance.
    public static func metricNames(in expr: String) -> [String] {
        var names: [String] = []
        var depth = 0, parenLabelList = false
        var token = ""
        var previousWord = ""
        var inString: Character?
        func finish(_ next: Character?) {
            defer { token = "" }
            guard !token.isEmpty, depth == 0, !parenLabelList, token.first!.isLetter || token.first == "_" || token.first == ":" else { return }
            let lowered = token.lowercased()
            if keywords.contains(lowered) || next == "(" || !token.contains("_") { previousWord = lowered; return }
            if !names.contains(token) { names.append(token) }
            previousWord = lowered
        }
        for c in expr {
            if let q = inString {
                if c == q { inString = nil }
                continue
            }
            if c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == ":") { token.append(c); continue }
            finish(c == " " ? nil : c)
            switch c {
            case "\"", "'", "`": inString = c
            case "{": depth += 1
            case "}": depth = max(0, depth - 1)
            case "(": parenLabelList = ["by", "without", "on", "ignoring", "group_left", "group_right"].contains(previousWord)
            case ")": parenLabelList = false
            default: break
            }
            if c != " " { previousWord = c == "(" ? previousWord : "" }
        }
        finish(nil)
        return names
    }
}

/// Builds the `Report` for a dashboard analysis with the same contract as `perfscope analyze`,
/// so every renderer (text, markdown, html, json) and `--fail-on` work unchanged.
///
/// Panel thresholds say what is out of range but not why, so there are no root causes here:
/// `rootCauses` stays empty rather than inventing one; `perfscope analyze` ranks causes.
public enum GrafanaReport {
    public static func build(id: String, generatedAt: Date, window: TimeWindow, dashboard: GrafanaDashboard,
                             panels: [GrafanaPanelAnalysis], dataGaps: [DataGap], source: String?) -> Report {
        // Most severe first; ties keep dashboard order.
        let findings = panels.flatMap(\.findings).enumerated()
            .sorted { ($0.element.severity, -$0.offset) > ($1.element.severity, -$1.offset) }
            .map(\.element)
        return Report(
            id: id, generatedAt: generatedAt, window: .init(start: window.start, end: window.end),
            grade: Scoring.grade(findings), healthScores: Scoring.healthScores(findings),
            findings: findings, rootCauses: [], recommendations: ReportBuilder.recommendations(findings),
            dataGaps: dataGaps + panels.flatMap(\.dataGaps), source: source,
            metrics: panels.flatMap(\.summaries), charts: Array(panels.flatMap(\.charts).prefix(12)), thresholds: [:])
    }

    /// The `source` line: which dashboard, and where its data came from.
    public static func source(dashboard: GrafanaDashboard, origin: String, prometheus: String) -> String {
        "Grafana dashboard \"\(dashboard.title)\"\(dashboard.uid.map { " (uid \($0))" } ?? "") from \(origin), data from \(prometheus)"
    }
}
