import Foundation
import PerfScopeCore
import Testing

@Suite struct AlertRulesTests {
    static func metric(_ name: String, group: String = "etcd", query: String = "x{$etcd}", unit: MetricUnit = .seconds,
                       statistic: WindowStatistic = .avg, thresholds: Thresholds?) -> CatalogMetric {
        CatalogMetric(name: name, group: group, subsystem: "s", title: "Title of \(name)", description: "Says what \(name) is.",
                      query: query, unit: unit, statistic: statistic, thresholds: thresholds, category: .disk, requires: [],
                      hides: "h", reference: "ref", action: "Do the thing.")
    }

    static func rules(_ metrics: [CatalogMetric]) -> [AlertRule] {
        AlertRules.generate(metrics: metrics) { $0.query.replacingOccurrences(of: "$etcd", with: #"job="etcd""#) }.flatMap(\.rules)
    }

    @Test(arguments: [
        (Thresholds.Direction.above, ">="), (.below, "<="),
    ])
    func operatorFollowsDirection(direction: Thresholds.Direction, op: String) {
        let r = Self.rules([Self.metric("m", thresholds: Thresholds(direction: direction, high: 0.5))])
        #expect(r.count == 1)
        #expect(r[0].expr == #"(x{job="etcd"}) \#(op) 0.5"#)
    }

    @Test(arguments: [
        (Thresholds(low: 1), [String]()),
        (Thresholds(medium: 2), ["warning"]),
        (Thresholds(high: 3), ["critical"]),
        (Thresholds(low: 1, medium: 2, high: 3, critical: 4), ["warning", "critical", "critical"]),
    ] as [(Thresholds, [String])])
    func levelsGiveSeverities(thresholds: Thresholds, expected: [String]) {
        let r = Self.rules([Self.metric("m", thresholds: thresholds)])
        #expect(r.map { $0.labels["severity"] } == expected)
        #expect(!r.contains { $0.alert.hasSuffix("Low") })
    }

    @Test func namesAreCamelCaseAndUnique() {
        let r = Self.rules([Self.metric("wal_fsync_p99", thresholds: Thresholds(medium: 0.01, high: 0.5, critical: 1)),
                            Self.metric("disk_utilisation", group: "disk", unit: .ratio, thresholds: Thresholds(medium: 0.7, high: 0.9))])
        #expect(r.map(\.alert) == ["PerfscopeWalFsyncP99Warning", "PerfscopeWalFsyncP99High", "PerfscopeWalFsyncP99Critical",
                                   "PerfscopeDiskUtilisationWarning", "PerfscopeDiskUtilisationHigh"])
        #expect(Set(r.map(\.alert)).count == r.count)
        #expect(r[0].labels["perfscope_metric"] == "wal_fsync_p99")
        #expect(r[0].labels["category"] == "disk")
    }

    @Test(arguments: [
        ("wal_fsync_p99", WindowStatistic.avg, "10m"), ("fd_usage", .max, "5m"), ("memory_available", .min, "5m"),
        ("filesystem_free_ratio", .last, "10m"), ("leader_changes", .increase, "0m"), ("has_leader", .avg, "1m"),
        ("oom_kills", .max, "0m"), ("leader_changes_15m", .max, "5m"),
    ] as [(String, WindowStatistic, String)])
    func forDurations(name: String, statistic: WindowStatistic, expected: String) {
        #expect(AlertRules.forDuration(Self.metric(name, statistic: statistic, thresholds: nil)) == expected)
    }

    @Test(arguments: [
        (MetricUnit.seconds, "humanizeDuration"), (.ratio, "humanizePercentage"), (.bytes, "humanize1024"), (.perSecond, "humanize }}/s"),
    ] as [(MetricUnit, String)])
    func annotationsCarryUnits(unit: MetricUnit, fragment: String) {
        let r = Self.rules([Self.metric("m", unit: unit, thresholds: Thresholds(high: 3))])[0]
        #expect(r.annotations["summary"]?.contains(fragment) == true)
        #expect(r.annotations["summary"]?.contains("{{ $labels.instance }}") == true)
        #expect(r.annotations["description"] == "Says what m is.")
        #expect(r.annotations["runbook"] == "Do the thing.")
    }

    @Test func increaseCountersAreCountedOverTheWindow() {
        let r = Self.rules([Self.metric("leader_changes", query: "max by (instance) (c{$etcd})", unit: .count, statistic: .increase,
                                        thresholds: Thresholds(low: 1, medium: 2, high: 4))])
        #expect(r.map(\.expr) == [#"increase((max by (instance) (c{job="etcd"}))[1h:1m]) >= 2"#,
                                  #"increase((max by (instance) (c{job="etcd"}))[1h:1m]) >= 4"#])
    }

    @Test func metricsWithoutThresholdsGiveNoRuleAndGroupsFollowCatalogOrder() {
        let groups = AlertRules.generate(metrics: [
            Self.metric("n", group: "node", thresholds: Thresholds(high: 1)),
            Self.metric("e", group: "etcd", thresholds: Thresholds(high: 1)),
            Self.metric("rate", group: "etcd", thresholds: nil),
            Self.metric("d", group: "disk", thresholds: Thresholds(low: 1)),
        ]) { $0.query }
        #expect(groups.map(\.name) == ["perfscope-etcd", "perfscope-node"])
        #expect(groups[0].rules.map(\.alert) == ["PerfscopeEHigh"])
    }

    @Test func yamlQuotesPromQLSafely() {
        let m = Self.metric("m", query: #"sum(x{a=~"b\\.c", d='e'})"#, thresholds: Thresholds(high: 0.25))
        let yaml = AlertRules.prometheusYAML(AlertRules.generate(metrics: [m]) { $0.query }, header: "hello")
        #expect(yaml.hasPrefix("# hello\ngroups:\n  - name: 'perfscope-etcd'\n    rules:\n      - alert: 'PerfscopeMHigh'\n"))
        #expect(yaml.contains(#"        expr: '(sum(x{a=~"b\\.c", d=''e''})) >= 0.25'"#))
        #expect(yaml.contains("        for: 10m\n"))
        #expect(AlertRules.quoted("a\nb'c") == "'a b''c'")
    }

    @Test(arguments: [(1.0, "1"), (0.25, "0.25"), (5000.0, "5000"), (0.001, "0.001")] as [(Double, String)])
    func numbers(value: Double, text: String) {
        #expect(AlertRules.number(value) == text)
    }
}
