import Foundation
import PerfScopeCore
import Testing

@Suite struct ThresholdTests {
    @Test(arguments: [
        (0.005, nil), (0.01, Severity.medium), (0.2, .medium), (0.5, .high), (0.9, .high), (1.0, .critical), (7.0, .critical),
    ] as [(Double, Severity?)])
    func above(value: Double, expected: Severity?) {
        let t = Thresholds(direction: .above, medium: 0.01, high: 0.5, critical: 1)
        #expect(t.evaluate(value)?.severity == expected)
    }

    @Test(arguments: [(1.0, nil), (0.5, Severity.medium), (0.3, .medium), (0.1, .high), (0.0, .critical)] as [(Double, Severity?)])
    func below(value: Double, expected: Severity?) {
        let t = Thresholds(direction: .below, medium: 0.5, high: 0.1, critical: 0)
        #expect(t.evaluate(value)?.severity == expected)
    }

    @Test func nonFiniteNeverFires() {
        let t = Thresholds(direction: .above, medium: 1)
        #expect(t.evaluate(.nan) == nil)
        #expect(t.evaluate(.infinity) == nil)
    }

    @Test func mergeKeepsUnsetLevels() {
        let base = Thresholds(direction: .above, medium: 0.01, high: 0.5, critical: 1)
        let merged = base.merged(with: Thresholds(direction: .above, medium: 0.02))
        #expect(merged == Thresholds(direction: .above, medium: 0.02, high: 0.5, critical: 1))
    }

    @Test func levelsOutOfOrderAreAProblem() {
        #expect(Thresholds(direction: .above, medium: 1, high: 0.5).problem != nil)
        #expect(Thresholds(direction: .below, medium: 0.1, high: 0.5).problem != nil)
        #expect(Thresholds(direction: .above).problem != nil)
        #expect(Thresholds(direction: .above, medium: 0.5, high: 1).problem == nil)
    }
}

@Suite struct WindowStatisticsTests {
    @Test func skipsNaNAndInfinity() throws {
        let s = try #require(WindowStatistics(values: [1, .nan, 3, .infinity, 2]))
        #expect(s.points == 3)
        #expect(s.avg == 2)
        #expect(s.max == 3)
        #expect(s.min == 1)
        #expect(s.last == 2)
    }

    @Test func emptyOrAllNaNIsNil() {
        #expect(WindowStatistics(values: []) == nil)
        #expect(WindowStatistics(values: [.nan, .nan]) == nil)
    }

    @Test(arguments: [
        ([1, 2, 2, 5, 0, 3], 7.0), ([3, 3, 3], 0), ([0, 1, .nan, 2], 2), ([9], 0),
    ] as [([Double], Double)])
    func increaseHandlesCounterResets(values: [Double], expected: Double) throws {
        #expect(try #require(WindowStatistics(values: values)).increase == expected)
    }

    @Test func p95Interpolates() throws {
        let s = try #require(WindowStatistics(values: (1...101).map(Double.init)))
        #expect(abs(s.p95 - 96) < 1e-9)
    }
}

@Suite struct ThresholdRulesTests {
    static let wal = CatalogMetric(
        name: "wal_fsync_p99", group: "etcd", subsystem: "wal-fsync", title: "WAL fsync p99", description: "d",
        query: "q", unit: .seconds, statistic: .avg, thresholds: Thresholds(direction: .above, medium: 0.01, high: 0.5, critical: 1),
        category: .disk, requires: ["etcd_disk_wal_fsync_duration_seconds_bucket"], hides: "h", reference: "etcd docs")

    static func summary(_ instance: String, _ values: [Double], metric: String = "wal_fsync_p99") -> MetricSummary {
        MetricSummary(metric: metric, subsystem: "wal-fsync", instance: instance, labels: [:], unit: .seconds,
                      stats: WindowStatistics(values: values)!, query: "histogram_quantile(0.99, …)")
    }

    @Test func healthyGivesNoFinding() {
        let findings = ThresholdRules.findings(catalog: [Self.wal], summaries: [Self.summary("a:2379", [0.002, 0.004])])
        #expect(findings.isEmpty)
        let report = ReportBuilder.build(id: "x", generatedAt: Date(), window: try! TimeWindow(duration: 60), catalog: [Self.wal],
                                         summaries: [Self.summary("a:2379", [0.002])], dataGaps: [], source: nil)
        #expect(report.grade == .excellent)
        #expect(report.rootCauses.isEmpty)
        #expect(report.healthScores["disk"] == 100)
    }

    @Test func oneSlowMemberIsEvidenced() throws {
        let summaries = [Self.summary("a:2379", [0.003]), Self.summary("b:2379", [0.060, 0.064]), Self.summary("c:2379", [0.004])]
        let findings = ThresholdRules.findings(catalog: [Self.wal], summaries: summaries)
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.id == "etcd.wal_fsync_p99.threshold")
        #expect(f.severity == .medium)
        #expect(f.instances == ["b:2379"])
        #expect(f.methodology == .threshold)
        #expect(f.evidence.count == 1)
        #expect(f.evidence[0].value == 62)
        #expect(f.evidence[0].threshold == 10)
        #expect(f.evidence[0].unit == "ms")
        #expect(f.observation.contains("62.0 ms"))
        #expect(f.observation.contains("Other series: 3.0 ms–4.0 ms"))
    }

    @Test func worstSeverityAndOrder() throws {
        let summaries = [Self.summary("a:2379", [0.6]), Self.summary("b:2379", [1.2]), Self.summary("c:2379", [0.02])]
        let f = try #require(ThresholdRules.findings(catalog: [Self.wal], summaries: summaries).first)
        #expect(f.severity == .critical)
        #expect(f.instances == ["b:2379", "a:2379", "c:2379"])
        #expect(Scoring.grade([f]) == .critical)
        #expect(Scoring.healthScores([f])["disk"] == 40)
    }

    @Test func metricWithoutThresholdsNeverFires() {
        var m = Self.wal
        m.thresholds = nil
        #expect(ThresholdRules.findings(catalog: [m], summaries: [Self.summary("a", [9])]).isEmpty)
    }

    @Test(arguments: [
        ([], Grade.excellent), ([Severity.info], .excellent), ([.low], .good), ([.low, .medium], .fair), ([.high], .poor), ([.medium, .critical], .critical),
    ] as [([Severity], Grade)])
    func grade(severities: [Severity], expected: Grade) {
        let findings = severities.map { s in
            Finding(id: "x", title: "t", severity: s, category: .disk, methodology: .threshold, instances: [], observation: "",
                    evidence: [], rootCause: "", confidence: 0.5, immediateAction: "", investigationSteps: [], longTermFix: "",
                    relatedMetrics: [], reference: "")
        }
        #expect(Scoring.grade(findings) == expected)
    }
}

@Suite struct ReportJSONTests {
    @Test func contractFieldNames() throws {
        let summaries = [ThresholdRulesTests.summary("b:2379", [0.06])]
        let report = ReportBuilder.build(id: "run-1", generatedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                         window: try TimeWindow(duration: 3600, endingAt: Date(timeIntervalSince1970: 1_800_000_000)),
                                         catalog: [ThresholdRulesTests.wal], summaries: summaries,
                                         dataGaps: [DataGap(subsystem: "network", reason: "no data")], source: "http://p:9090")
        let json = try ReportFormat.json.render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["schemaVersion", "id", "generatedAt", "window", "grade", "healthScores", "findings", "rootCauses", "recommendations", "dataGaps"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["schemaVersion"] as? Int == 1)
        #expect((object["window"] as? [String: String])?["end"] == "2027-01-15T08:00:00.000Z")
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        for key in ["id", "title", "severity", "category", "methodology", "instances", "observation", "evidence", "rootCause",
                    "confidence", "immediateAction", "investigationSteps", "longTermFix", "relatedMetrics", "reference"] {
            #expect(finding[key] != nil, "finding missing \(key)")
        }
        let evidence = try #require((finding["evidence"] as? [[String: Any]])?.first)
        for key in ["metric", "value", "threshold", "unit", "instance", "query"] { #expect(evidence[key] != nil, "evidence missing \(key)") }
        let scores = try #require(object["healthScores"] as? [String: Int])
        #expect(Set(scores.keys) == ["disk", "network", "cpu", "memory", "consensus", "database"])
        let decoded = try JSONRendering.decoder().decode(Report.self, from: Data(json.utf8))
        #expect(decoded == report || decoded.id == report.id)
    }

    @Test func renderersIncludeTheFinding() throws {
        let report = ReportBuilder.build(id: "run-2", generatedAt: Date(), window: try TimeWindow(duration: 600), catalog: [ThresholdRulesTests.wal],
                                         summaries: [ThresholdRulesTests.summary("b:2379", [0.06])], dataGaps: [], source: nil)
        for format in [ReportFormat.text, .markdown, .html] {
            let text = try format.render(report)
            #expect(text.contains("WAL fsync p99"), "\(format)")
            #expect(text.contains("b:2379"), "\(format)")
        }
        let html = try ReportFormat.html.render(report)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(!html.contains("<script"))
        #expect(!(try ReportFormat.text.render(report, color: false)).contains("\u{1B}["))
    }
}
