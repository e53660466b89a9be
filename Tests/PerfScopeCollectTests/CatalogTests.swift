import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import Testing

@Suite struct BuiltInCatalogTests {
    let catalog = try! Catalog.builtIn()

    @Test func loadsEveryGroup() {
        #expect(Set(catalog.metrics.map(\.group)) == ["etcd", "disk", "net", "node"])
        #expect(catalog.metrics.count == 97, "the built-in catalog changed: update this count and the README")
        #expect(Set(catalog.metrics.map(\.name)).count == catalog.metrics.count)
    }

    @Test func thresholdsAreWellFormed() {
        for m in catalog.metrics {
            if let t = m.thresholds { #expect(t.problem == nil, "\(m.name): \(t.problem ?? "")") }
            #expect(!m.requires.isEmpty, "\(m.name) names no raw metric")
            #expect([m.usesEtcdSelector, m.usesNodeSelector, m.usesContainerSelector].filter { $0 }.count == 1,
                    "\(m.name) must use exactly one of $etcd, $node and $container")
        }
    }

    /// The etcd targets of the docs and the mixin levels, from one place.
    @Test(arguments: [
        ("wal_fsync_p99", Severity.medium, 0.01), ("wal_fsync_p99", .high, 0.5), ("wal_fsync_p99", .critical, 1.0),
        ("backend_commit_p99", .medium, 0.025), ("backend_commit_p99", .high, 0.25),
        ("peer_rtt_p99", .high, 0.15), ("db_quota_usage", .critical, 0.95), ("db_in_use_ratio", .medium, 0.5),
        ("leader_changes_15m", .high, 4), ("memory_utilisation", .high, 0.9), ("disk_queue", .high, 10),
    ])
    func referenceThresholds(name: String, severity: Severity, value: Double) throws {
        let m = try #require(catalog.metric(named: name))
        let level = try #require(m.thresholds?.levels.first { $0.0 == severity })
        #expect(level.1 == value)
    }

    /// Known defects of the system we replace must not come back.
    @Test func knownDefectsStayFixed() {
        for m in catalog.metrics {
            #expect(!m.query.contains("irate("), "\(m.name) uses irate")
            if m.name.contains("bytes") || m.name.contains("size") { #expect(m.unit != .ratio, "\(m.name) bytes labelled as ratio") }
        }
        #expect(catalog.metric(named: "memory_utilisation")?.query.contains("MemAvailable") == true)
        #expect(catalog.metric(named: "disk_utilisation")?.query.contains("$disk") == true)
        #expect(catalog.metric(named: "nic_rx_utilisation")?.query.contains("node_network_speed_bytes") == true)
        #expect(catalog.metric(named: "swap_usage")?.query.contains("> 0") == true)
        #expect(catalog.metric(named: "cpu_count")?.query.contains("node_cpu_seconds_total") == true)
    }

    /// `symptoms:` in perfscope.yaml replaces a metric's symptom level; an unknown name says the closest one.
    @Test func symptomOverridesApply() throws {
        let c = try catalog.applying(symptoms: ["wal_fsync_p99": SymptomLevel(level: 0.03)])
        #expect(c.metric(named: "wal_fsync_p99")?.symptom == SymptomLevel(level: 0.03))
        #expect(catalog.metric(named: "wal_fsync_p99")?.symptom?.level == 0.015, "the built-in level: 1.5× etcd's 10 ms target")
        #expect(throws: PerfScopeError.self) { try catalog.applying(symptoms: ["wal_fsync_p98": SymptomLevel(level: 1)]) }
    }

    @Test func overridesMergeAndValidate() throws {
        let c = try catalog.applying(overrides: ["wal_fsync_p99": Thresholds(direction: .above, medium: 0.02)])
        #expect(c.metric(named: "wal_fsync_p99")?.thresholds == Thresholds(direction: .above, medium: 0.02, high: 0.5, critical: 1))
        do {
            _ = try catalog.applying(overrides: ["wal_fsync_p98": Thresholds(medium: 1)])
            Issue.record("expected an error")
        } catch let e as PerfScopeError {
            #expect(e.message.contains("thresholds.wal_fsync_p98"))
            #expect(e.message.contains("did you mean wal_fsync_p99"))
        }
        #expect(throws: PerfScopeError.self) {
            try catalog.applying(overrides: ["wal_fsync_p99": Thresholds(direction: .above, medium: 2)])
        }
    }
}

@Suite struct CatalogParserErrorTests {
    static let valid = """
    group: etcd
    metrics:
      - name: m
        subsystem: general
        title: T
        description: D
        query: up{$etcd}
        unit: boolean
        category: consensus
        requires: [up]
        hides: h
        reference: r
    """

    @Test func validParses() throws {
        let metrics = try CatalogParser.parse(text: Self.valid, file: "etcd.yaml")
        #expect(metrics.count == 1)
        #expect(metrics[0].labels == ["instance"])
        #expect(metrics[0].statistic == .avg)
        #expect(metrics[0].emptyIsHealthy == false)
    }

    @Test(arguments: [
        ("unit: boolean", "unit: percent", "etcd.yaml: metrics[0].unit: \"percent\" is not one of"),
        ("unit: boolean", "unit: boolean\n    tresholds: {medium: 1}", "etcd.yaml: metrics[0].tresholds: unknown key"),
        ("query: up{$etcd}", "query: up{$etc}", "etcd.yaml: metrics[0].query: unknown placeholder $etc"),
        ("- name: m", "- name: Bad-Name", "etcd.yaml: metrics[0].name:"),
        ("    hides: h\n", "", "etcd.yaml: metrics[0].hides: required"),
        ("unit: boolean", "unit: boolean\n    thresholds: {direction: sideways, high: 1}", "metrics[0].thresholds.direction"),
        ("unit: boolean", "unit: boolean\n    thresholds: {medium: 5, high: 1}", "levels must fall"),
        ("group: etcd", "group: [etcd", "etcd.yaml: not valid YAML"),
    ])
    func errorsNameFileAndKey(find: String, replace: String, expected: String) {
        let text = Self.valid.replacingOccurrences(of: find, with: replace)
        do {
            _ = try CatalogParser.parse(text: text, file: "etcd.yaml")
            Issue.record("expected an error for \(replace)")
        } catch let e as PerfScopeError {
            #expect(e.kind == .configuration)
            #expect(e.message.contains(expected), "\(e.message)")
            #expect(!e.message.contains("\n"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func duplicateNamesAcrossFilesAreRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.valid.write(to: dir.appendingPathComponent("etcd.yaml"), atomically: true, encoding: .utf8)
        try Self.valid.replacingOccurrences(of: "group: etcd", with: "group: node")
            .write(to: dir.appendingPathComponent("node.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: PerfScopeError.self) { try Catalog.load(directory: dir.path) }
    }
}

@Suite struct QueryTemplateTests {
    @Test(arguments: [
        ("up{$etcd}", #"up{job="etcd"}"#),
        ("x{$node, $disk}[$rate]", #"x{job="node", device!~"dm-.*"}[5m]"#),
        ("rate(x{$etcd}[$rate]) / y{$etcd}", #"rate(x{job="etcd"}[5m]) / y{job="etcd"}"#),
        ("price{$unknown}", "price{$unknown}"),
    ])
    func expands(template: String, expanded: String) {
        let values = ["etcd": #"job="etcd""#, "node": #"job="node""#, "disk": #"device!~"dm-.*""#]
        #expect(QueryTemplate.expand(template, values: values, rate: "5m") == expanded)
    }

    @Test func emptySelectorsLeaveNoStrayCommas() {
        let values = ["etcd": "", "node": "", "disk": #"device!~"dm-.*""#]
        #expect(QueryTemplate.expand("x{$node, $disk}", values: values, rate: "5m") == #"x{device!~"dm-.*"}"#)
        #expect(QueryTemplate.expand("x{$etcd}", values: values, rate: "5m") == "x{}")
        #expect(QueryTemplate.expand(#"x{$etcd, grpc_type="unary"}"#, values: values, rate: "5m") == #"x{grpc_type="unary"}"#)
    }
}
