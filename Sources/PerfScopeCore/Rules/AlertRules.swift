import Foundation

/// One Prometheus alerting rule.
public struct AlertRule: Sendable, Equatable {
    public var alert: String
    public var expr: String
    /// Prometheus duration (`10m`, `0m`).
    public var forDuration: String
    /// Emitted in key order.
    public var labels: [String: String]
    /// Emitted in key order.
    public var annotations: [String: String]

    public init(alert: String, expr: String, forDuration: String, labels: [String: String], annotations: [String: String]) {
        self.alert = alert
        self.expr = expr
        self.forDuration = forDuration
        self.labels = labels
        self.annotations = annotations
    }
}

/// One rule group (one per catalog group: etcd, disk, net, node).
public struct AlertRuleGroup: Sendable, Equatable {
    public var name: String
    public var rules: [AlertRule]

    public init(name: String, rules: [AlertRule]) {
        self.name = name
        self.rules = rules
    }
}

/// Prometheus alerting rules from the metric catalog, with the thresholds the analysis uses.
///
/// Pure: placeholder expansion (`$etcd`, `$node`, `$rate`…) is passed in as `expand`, so the
/// rules use exactly the selectors the collector uses without this target knowing the config.
///
/// - One alert per metric and level worth paging on: `medium` → severity `warning`, `high` and
///   `critical` → severity `critical`; `low` is informational in reports and is not exported.
/// - The comparison matches `Thresholds.evaluate` (a value *at or beyond* a level has that
///   severity): `>=` for direction `above`, `<=` for `below`.
/// - The analysis judges a window statistic (avg, p95, max…); an alert sees instant values, so
///   `for:` stands in for the statistic (sustained for avg/p95, short for min/max peaks, none
///   for counts that already cover a window).
/// - Metrics with statistic `increase` are raw counters whose rise over the analysis window is
///   judged (`changes`: how often a value changed, e.g. a process start time): the rule wraps
///   them as `increase((query)[window:1m])` (`changes(…)`) with `increaseWindow`
///   (default 1h, the default analysis window) so the thresholds keep their meaning.
public enum AlertRules {
    /// Prefix of every alert name and group name.
    public static let prefix = "Perfscope"

    /// The levels exported, with the Prometheus `severity` label they get.
    public static func exportedLevels(_ t: Thresholds) -> [(level: Severity, threshold: Double, severity: String)] {
        t.levels.reversed().compactMap { level, value in
            switch level {
            case .medium: (level, value, "warning")
            case .high, .critical: (level, value, "critical")
            default: nil
            }
        }
    }

    public static func comparison(_ direction: Thresholds.Direction) -> String {
        direction == .above ? ">=" : "<="
    }

    /// Metric-specific `for:` durations, where the statistic alone says too little.
    static let forOverrides: [String: String] = [
        // Availability: a member down or leaderless for a minute is already an outage.
        "member_up": "1m", "members_up_share": "1m", "has_leader": "1m",
        // Events: one OOM kill or memory error is worth a message at once.
        "oom_kills": "0m", "memory_edac_errors": "0m",
        // Already a 15 minute count; etcd-mixin's etcdHighNumberOfLeaderChanges waits 5m.
        "leader_changes_15m": "5m",
    ]

    /// How long the condition must hold before the alert fires.
    public static func forDuration(_ metric: CatalogMetric) -> String {
        if let d = forOverrides[metric.name] { return d }
        switch metric.statistic {
        case .avg, .p95, .last: return "10m"
        case .max, .min: return "5m"
        case .increase, .changes: return "0m"
        }
    }

    /// `wal_fsync_p99` + high → `PerfscopeWalFsyncP99High`.
    public static func alertName(metric: String, level: Severity) -> String {
        let camel = metric.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        let word: String = switch level {
        case .medium: "Warning"
        case .high: "High"
        case .critical: "Critical"
        case .low: "Low"
        case .info: "Info"
        }
        return prefix + camel + word
    }

    /// The value in an annotation, formatted for the unit by Prometheus' template functions.
    public static func valueTemplate(_ unit: MetricUnit) -> String {
        switch unit {
        case .seconds: "{{ $value | humanizeDuration }}"
        case .ratio: "{{ $value | humanizePercentage }}"
        case .bytes: "{{ $value | humanize1024 }}B"
        case .bytesPerSecond: "{{ $value | humanize1024 }}B/s"
        case .count: "{{ $value | humanize }}"
        case .perSecond: "{{ $value | humanize }}/s"
        case .cores: "{{ $value | humanize }} cores"
        case .boolean: "{{ $value }}"
        }
    }

    /// A threshold as PromQL accepts it (no exponent surprises, no trailing `.0`).
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// The rule expression for one level.
    public static func expression(_ metric: CatalogMetric, expanded: String, threshold: Double, direction: Thresholds.Direction,
                                  increaseWindow: String) -> String {
        let query = expanded.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let value = switch metric.statistic {
        case .increase: "increase((\(query))[\(increaseWindow):1m])"
        case .changes: "changes((\(query))[\(increaseWindow):1m])"
        default: "(\(query))"
        }
        return "\(value) \(comparison(direction)) \(number(threshold))"
    }

    /// Builds the groups in catalog-group order (`groupOrder`, then any other group by name);
    /// metrics without thresholds, or with only a `low` level, give no rule.
    public static func generate(metrics: [CatalogMetric], groupOrder: [String] = ["etcd", "disk", "net", "node"],
                                increaseWindow: String = "1h", expand: (CatalogMetric) -> String) -> [AlertRuleGroup] {
        let present = Set(metrics.map(\.group))
        let order = groupOrder.filter(present.contains) + present.subtracting(groupOrder).sorted()
        return order.compactMap { group in
            var rules: [AlertRule] = []
            for metric in metrics where metric.group == group {
                guard let t = metric.thresholds else { continue }
                let levels = exportedLevels(t)
                if levels.isEmpty { continue }
                let expanded = expand(metric)
                for (level, threshold, severity) in levels {
                    let labelText = metric.labels.map { "{{ $labels.\($0) }}" }.joined(separator: " ")
                    let window = [.increase, .changes].contains(metric.statistic) ? " in \(increaseWindow)" : ""
                    let sign = t.direction == .above ? "≥" : "≤"
                    let summary = "\(metric.title)\(window) is \(valueTemplate(metric.unit))\(labelText.isEmpty ? "" : " on \(labelText)")"
                        + " (\(level.rawValue) \(sign) \(metric.unit.format(threshold)))"
                    var annotations = ["summary": summary, "description": metric.description, "reference": metric.reference]
                    if let action = metric.action { annotations["runbook"] = action }
                    rules.append(AlertRule(
                        alert: alertName(metric: metric.name, level: level),
                        expr: expression(metric, expanded: expanded, threshold: threshold, direction: t.direction, increaseWindow: increaseWindow),
                        forDuration: forDuration(metric),
                        labels: ["severity": severity, "perfscope_metric": metric.name, "category": metric.category.rawValue,
                                 "perfscope_level": level.rawValue],
                        annotations: annotations))
                }
            }
            return rules.isEmpty ? nil : AlertRuleGroup(name: "perfscope-\(group)", rules: rules)
        }
    }
}
