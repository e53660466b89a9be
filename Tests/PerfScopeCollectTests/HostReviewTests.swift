import Foundation
import PerfScopeCollect
import PerfScopeCore
import Testing

/// The USE method over the real catalog: which metrics fill which cell, how missing data is
/// shown, and which findings come out — table-driven over host shapes real fleets have.
@Suite struct HostReviewTests {
    static let catalog = try! Catalog.builtIn().metrics
    static let host = "10.0.0.1:9100"

    static func summary(_ metric: String, _ value: Double, instance: String = host, labels: [String: String] = [:]) -> MetricSummary {
        let m = catalog.first { $0.name == metric }!
        return MetricSummary(metric: metric, subsystem: m.subsystem, instance: instance, labels: labels, unit: m.unit,
                             stats: WindowStatistics(values: Array(repeating: value, count: 60))!, query: "q(\(metric))")
    }

    /// A healthy 4-CPU host with swap, PSI, a 10 GbE NIC and one disk.
    static func healthy(except overrides: [String: Double] = [:], without: Set<String> = []) -> [MetricSummary] {
        var base: [(String, Double, [String: String])] = [
            ("cpu_count", 4, [:]), ("cpu_utilisation", 0.3, [:]), ("cpu_busiest_core", 0.4, [:]), ("cpu_iowait", 0.01, [:]), ("cpu_steal", 0, [:]),
            ("load_per_cpu", 0.4, [:]), ("psi_cpu", 0.01, [:]), ("psi_io", 0.01, [:]), ("psi_memory", 0, [:]),
            ("memory_utilisation", 0.4, [:]), ("swap_usage", 0.01, [:]), ("swap_io_rate", 0, [:]), ("major_faults_rate", 1, [:]), ("oom_kills", 0, [:]),
            ("disk_utilisation", 0.1, ["device": "sda"]), ("disk_queue", 0.2, ["device": "sda"]),
            ("disk_read_latency", 0.001, ["device": "sda"]), ("disk_write_latency", 0.001, ["device": "sda"]),
            ("nic_rx_utilisation", 0.01, ["device": "eth0"]), ("nic_tx_utilisation", 0.01, ["device": "eth0"]),
            ("nic_rx_bytes", 1e6, ["device": "eth0"]), ("nic_tx_bytes", 1e6, ["device": "eth0"]),
            ("nic_drop_ratio", 0, ["device": "eth0"]), ("nic_error_ratio", 0, ["device": "eth0"]), ("tcp_retransmit_ratio", 0.0001, [:]),
            ("softnet_dropped_rate", 0, [:]), ("softnet_squeezed_rate", 0, [:]),
        ]
        base = base.filter { !without.contains($0.0) }.map { ($0.0, overrides[$0.0] ?? $0.1, $0.2) }
        return base.map { summary($0.0, $0.1, labels: $0.2) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var overrides: [String: Double] = [:]
        var without: Set<String> = []
        /// resource/dimension → expected verdict.
        var verdicts: [String: String]
        /// Finding ids expected (exactly).
        var findings: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "healthy", verdicts: ["cpu/utilisation": "ok", "memory/saturation": "ok", "disk/errors": "not observable", "cpu/errors": "not observable"], findings: []),
        Case(name: "swapless", without: ["swap_usage"], verdicts: ["memory/utilisation": "ok"], findings: []),
        Case(name: "no PSI", without: ["psi_cpu", "psi_io", "psi_memory"], verdicts: ["cpu/saturation": "ok", "memory/saturation": "ok"], findings: []),
        Case(name: "NIC without link speed", without: ["nic_rx_utilisation", "nic_tx_utilisation"], verdicts: ["network/utilisation": "ok"], findings: []),
        Case(name: "CPU saturated", overrides: ["cpu_utilisation": 0.97, "load_per_cpu": 3, "psi_cpu": 0.4],
             verdicts: ["cpu/utilisation": "high", "cpu/saturation": "high"], findings: ["use.cpu.utilisation", "use.cpu.saturation"]),
        Case(name: "memory pressure", overrides: ["memory_utilisation": 0.96, "swap_io_rate": 400, "major_faults_rate": 800, "psi_memory": 0.3],
             verdicts: ["memory/utilisation": "critical", "memory/saturation": "high"], findings: ["use.memory.utilisation", "use.memory.saturation"]),
        Case(name: "saturated disk", overrides: ["disk_utilisation": 0.99, "disk_queue": 25, "disk_write_latency": 0.08],
             verdicts: ["disk/utilisation": "high", "disk/saturation": "high"], findings: ["use.disk.utilisation", "use.disk.saturation"]),
        Case(name: "lossy network", overrides: ["tcp_retransmit_ratio": 0.08, "nic_error_ratio": 0.02],
             verdicts: ["network/saturation": "high", "network/errors": "high"], findings: ["use.network.saturation", "use.network.errors"]),
        Case(name: "OOM kill", overrides: ["oom_kills": 2], verdicts: ["memory/errors": "high"], findings: ["use.memory.errors"]),
    ]

    @Test(arguments: cases)
    func hostShapes(_ c: Case) throws {
        let summaries = Self.healthy(except: c.overrides, without: c.without)
        let reviews = USEAnalysis.review(catalog: Self.catalog, summaries: summaries)
        let review = try #require(reviews.first)
        #expect(reviews.count == 1)
        // Every cell of the table is present, whatever is missing.
        for r in USEResource.allCases {
            for d in USEDimension.allCases { #expect(!review.checks(r, d).isEmpty, "\(r)/\(d)") }
        }
        for (cell, verdict) in c.verdicts {
            let p = try #require(USEPlacement(text: cell))
            #expect(review.verdict(p.resource, p.dimension) == verdict, "\(cell)")
        }
        let findings = USEAnalysis.insights(reviews, catalog: Self.catalog)
        #expect(findings.map(\.id).sorted() == c.findings.sorted())
        for f in findings {
            #expect(f.methodology == .use && f.instances == [Self.host] && !f.evidence.isEmpty)
            #expect(f.component != nil && f.issueType != nil && f.reference.contains("Systems Performance"))
            #expect(!f.investigationSteps.isEmpty && !f.immediateAction.isEmpty)
            #expect(f.evidence.allSatisfy { $0.threshold != nil && $0.instance == Self.host })
        }
    }

    @Test func missingDataIsShownNotPassed() throws {
        let summaries = Self.healthy(without: ["swap_usage", "psi_cpu", "nic_rx_utilisation"])
        let review = try #require(USEAnalysis.review(catalog: Self.catalog, summaries: summaries).first)
        let swap = try #require(review.checks.first { $0.metric == "swap_usage" })
        #expect(swap.status == .none, "a swapless host is healthy, not a gap")
        let psi = try #require(review.checks.first { $0.metric == "psi_cpu" })
        #expect(psi.status == .unavailable && psi.note?.contains("PSI") == true)
        let nic = try #require(review.checks.first { $0.metric == "nic_rx_utilisation" })
        #expect(nic.status == .unavailable && nic.note?.contains("link speed") == true)
        let rows = USETableView.rows(review)
        #expect(rows.count == 12)
        #expect(rows.first { $0.resource == "Disk" && $0.dimension == "errors" }?.details.contains("smartctl") == true)
    }

    @Test func loadWithoutCPUBusyPointsAtBlockedTasks() throws {
        let summaries = Self.healthy(except: ["load_per_cpu": 2.5, "cpu_utilisation": 0.2])
        let findings = USEAnalysis.insights(USEAnalysis.review(catalog: Self.catalog, summaries: summaries), catalog: Self.catalog)
        let f = try #require(findings.first { $0.id == "use.cpu.saturation" })
        #expect(f.observation.contains("blocked on I/O"))
    }

    @Test func membersAreTiedToTheirHost() throws {
        var summaries = Self.healthy()
        summaries += Self.healthy().map { var s = $0; s.instance = "10.0.0.2:9100"; return s }
        summaries.append(Self.summary("member_up", 1, instance: "10.0.0.1:2379"))
        summaries.append(Self.summary("member_up", 1, instance: "10.0.0.2:2379"))
        let reviews = USEAnalysis.review(catalog: Self.catalog, summaries: summaries)
        #expect(reviews.map(\.instance) == ["10.0.0.1:9100", "10.0.0.2:9100"])
        #expect(reviews.map(\.members) == [["10.0.0.1:2379"], ["10.0.0.2:2379"]])
    }

    @Test func hotCPUIsDrilledDown() {
        let summaries = Self.healthy(except: ["cpu_busiest_core": 0.98, "cpu_utilisation": 0.3])
        let reviews = USEAnalysis.review(catalog: Self.catalog, summaries: summaries)
        #expect(HostDrillDown.insights(reviews, summaries: summaries).map(\.id) == ["drilldown.cpu.hot_cpu"])
        #expect(HostDrillDown.insights(reviews, summaries: Self.healthy()).isEmpty)
    }

    /// In the full report, USE findings replace the per-metric threshold findings they cover
    /// (same thresholds), the grade still counts them, and root causes never point at a removed id.
    @Test func reportUsesUSEFindingsInsteadOfThresholdDuplicates() throws {
        var summaries = Self.healthy(except: ["disk_queue": 25, "disk_utilisation": 0.99, "disk_write_latency": 0.08])
        for (i, member) in ["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"].enumerated() {
            summaries.append(Self.summary("member_up", 1, instance: member))
            summaries.append(Self.summary("wal_fsync_p99", i == 0 ? 0.12 : 0.003, instance: member))
            summaries.append(Self.summary("backend_commit_p99", i == 0 ? 0.2 : 0.01, instance: member))
        }
        let window = try TimeWindow.resolve(duration: "1h", start: nil, end: nil, now: Date(), defaultDuration: 3600, rateWindow: nil)
        let report = ReportBuilder.build(id: "t", generatedAt: Date(), window: window, catalog: Self.catalog, summaries: summaries,
                                         dataGaps: [], source: nil)
        let ids = report.findings.map(\.id)
        #expect(ids.contains("use.disk.saturation") && ids.contains("use.disk.utilisation"))
        #expect(!ids.contains("disk.disk_queue.threshold") && !ids.contains("disk.disk_utilisation.threshold"))
        #expect(ids.contains("etcd.wal_fsync_p99.threshold"), "etcd metrics keep their threshold findings")
        #expect(report.grade != .excellent && (report.healthScores["disk"] ?? 100) < 100)
        for cause in report.rootCauses {
            for id in cause.findingIds { #expect(ids.contains(id), "root cause points at \(id)") }
        }
        #expect(report.hosts.count == 1 && report.hosts[0].members == ["10.0.0.1:2379"])
    }
}

@Suite struct ThresholdEnvironmentTests {
    static let catalog = try! Catalog.builtIn()

    @Test func overridesByMetricAndLevel() throws {
        let o = try ThresholdEnvironment.overrides([
            "PERFSCOPE_CPU_UTILIZATION_CRITICAL": "0.97", "PERFSCOPE_MEMORY_UTILISATION_HIGH": "92%",
            "PERFSCOPE_WAL_FSYNC_P99_MEDIUM": "25ms", "PERFSCOPE_PROMETHEUS_URL": "http://x", "PATH": "/bin",
        ], catalog: Self.catalog)
        #expect(o["cpu_utilisation"]?.critical == 0.97)
        #expect(o["memory_utilisation"]?.high == 0.92)
        #expect(o["wal_fsync_p99"]?.medium == 0.025)
        #expect(o.count == 3)
        let applied = try Self.catalog.applying(overrides: o)
        let cpu = try #require(applied.metric(named: "cpu_utilisation")?.thresholds)
        #expect(cpu.critical == 0.97 && cpu.high == 0.95 && cpu.direction == .above, "other levels and direction kept")
    }

    @Test(arguments: [
        ("PERFSCOPE_CPU_UTILISTION_HIGH", "0.9", "PERFSCOPE_CPU_UTILISATION_HIGH"),
        ("PERFSCOPE_CPU_UTILISATION_HIGH", "lots", "expected a number"),
    ])
    func badVariablesNameTheFix(key: String, value: String, hint: String) {
        #expect { _ = try ThresholdEnvironment.overrides([key: value], catalog: Self.catalog) } throws: { error in
            guard let e = error as? PerfScopeError else { return false }
            return e.kind == .configuration && e.message.contains(key) && e.message.contains(hint) && !e.message.contains("\n")
        }
    }
}
