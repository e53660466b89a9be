import Foundation
@testable import PerfScopeCore
import Testing

@Suite struct GrafanaAnalysisTests {
    static let ladder = GrafanaThresholds(steps: [.init(value: nil, color: "green"), .init(value: 10, color: "orange"), .init(value: 25, color: "red")])

    static func panel(type: String = "timeseries", unit: String? = "ms", thresholds: GrafanaThresholds? = ladder, reducer: String? = nil) -> GrafanaPanel {
        GrafanaPanel(id: 7, title: "WAL fsync p99", type: type, unit: unit, thresholds: thresholds, reducer: reducer,
                     targets: [GrafanaTarget(refId: "A", expr: "x", legendFormat: "{{instance}}")])
    }

    static func result(_ series: [[Double]], instance: (Int) -> String = { "m\($0 + 1):2379" }) -> GrafanaTargetResult {
        GrafanaTargetResult(target: GrafanaTarget(refId: "A", expr: "x", legendFormat: "{{instance}}"), promQL: "wal_query",
                            outcome: .series(series.enumerated().map { i, values in
                                GrafanaSeries(labels: ["instance": instance(i)], times: values.indices.map { Double($0) * 15 }, values: values)
                            }))
    }

    /// Threshold step → severity: the colour of the step a value falls in.
    @Test(arguments: [
        (5.0, nil as Severity?), (10.0, .medium), (24.9, .medium), (25.0, .critical), (300.0, .critical),
    ])
    func ladderSeverity(value: Double, expected: Severity?) {
        let t = Self.ladder
        #expect(t.severity(ofStep: t.stepIndex(value)) == expected)
    }

    @Test(arguments: [
        ("red", Severity.high), ("dark-red", .critical), ("semi-dark-red", .high), ("#F2495C", .high),
        ("rgba(245, 54, 54, 0.9)", .high), ("orange", .medium), ("dark-yellow", .medium), ("rgba(237, 129, 40, 0.89)", .medium),
        ("blue", .low), ("purple", .low),
    ])
    func colourSeverity(color: String, expected: Severity) {
        #expect(ColorClass(color).severity == expected)
    }

    @Test(arguments: ["green", "dark-green", "#73BF69", "rgba(50, 172, 45, 0.97)", "transparent", "text"])
    func goodColoursAreNotFindings(color: String) {
        #expect(ColorClass(color).severity == nil)
    }

    @Test func redAloneIsHighAndABadBaseStepMeansBelow() {
        let red = GrafanaThresholds(steps: [.init(value: nil, color: "green"), .init(value: 90, color: "red")])
        #expect(red.severity(ofStep: 1) == .high)
        let up = GrafanaThresholds(steps: [.init(value: nil, color: "red"), .init(value: 1, color: "green")])
        #expect(up.severity(ofStep: up.stepIndex(0)) == .high)
        #expect(up.boundary(ofStep: 0)! == (1, true))
        #expect(up.severity(ofStep: up.stepIndex(1)) == nil)
    }

    @Test func timeSeriesCrossingIsAFindingWithEvidenceInMilliseconds() {
        // m1 healthy; m2 orange for 3 points; m3 red for 2 points (panel unit ms).
        let r = Self.result([[2, 3, 4, 3], [4, 12, 14, 13], [5, 30, 40, 6]])
        let a = GrafanaPanelAnalyzer.analyze(panel: Self.panel(), results: [r], dashboard: "etcd-uid", dashboardTitle: "etcd")
        #expect(a.findings.count == 1)
        let f = a.findings[0]
        #expect(f.id == "grafana.etcd_uid.panel_7.a")
        #expect(f.severity == .critical)
        #expect(f.methodology == .threshold)
        #expect(f.category == .disk)
        #expect(f.instances == ["m2:2379", "m3:2379"])
        #expect(f.evidence.count == 2)
        let worst = f.evidence[0]
        #expect(worst.value == 40 && worst.threshold == 25 && worst.unit == "ms" && worst.instance == "m3:2379" && worst.query == "wal_query")
        #expect(f.evidence[1].value == 14 && f.evidence[1].threshold == 10)
        #expect(a.summaries.count == 3)
        #expect(a.summaries[0].unit == .seconds && a.summaries[0].stats.max == 0.004)
        #expect(a.charts.count == 1)
    }

    @Test func aSingleStraySampleIsNotAFinding() {
        let r = Self.result([[2, 3, 40, 3]])
        #expect(GrafanaPanelAnalyzer.analyze(panel: Self.panel(), results: [r], dashboard: "d").findings.isEmpty)
    }

    @Test func statPanelsJudgeTheirReducedValue() {
        let stat = Self.panel(type: "stat", unit: "percent", reducer: "lastNotNull")
        // Peaks at 30 but the panel shows the last value, 5: fine.
        #expect(GrafanaPanelAnalyzer.analyze(panel: stat, results: [Self.result([[30, 30, 5]])], dashboard: "d").findings.isEmpty)
        let mean = Self.panel(type: "gauge", unit: "percent", reducer: "mean")
        let f = GrafanaPanelAnalyzer.analyze(panel: mean, results: [Self.result([[20, 20, 5]])], dashboard: "d").findings
        #expect(f.first?.severity == .medium)
        #expect(f.first?.evidence.first?.unit == "%")
        #expect(f.first?.evidence.first?.value == 15)
    }

    @Test(arguments: [
        ("s", 0.034, 34.0, "ms"), ("ms", 34.0, 34.0, "ms"), ("µs", 1500.0, 1.5, "ms"), ("bytes", 2048.0, 2048.0, "bytes"),
        ("percent", 93.0, 93.0, "%"), ("percentunit", 0.93, 93.0, "%"), ("ops", 12.0, 12.0, "1/s"), ("Bps", 10.0, 10.0, "bytes/s"),
        ("short", 3.0, 3.0, ""),
    ])
    func unitConversion(unit: String, value: Double, expected: Double, label: String) {
        let u = GrafanaUnit(unit)
        #expect(u.evidenceValue(value) == expected)
        #expect(u.evidenceUnit == label)
    }

    @Test func emptyResultsAndErrorsAreDataGaps() {
        let empty = GrafanaTargetResult(target: GrafanaTarget(refId: "A", expr: "x"), promQL: "rate(node_disk_io_time_seconds_total[1m])", outcome: .series([]))
        let nan = GrafanaTargetResult(target: GrafanaTarget(refId: "B", expr: "x"), promQL: "q",
                                      outcome: .series([GrafanaSeries(labels: [:], times: [0, 15], values: [.nan, .nan])]))
        let failed = GrafanaTargetResult(target: GrafanaTarget(refId: "C", expr: "x"), promQL: "q(",
                                         outcome: .failed("Prometheus rejected the query (bad_data): parse error — check the PromQL"))
        let a = GrafanaPanelAnalyzer.analyze(panel: Self.panel(), results: [empty, nan, failed], dashboard: "d")
        #expect(a.findings.isEmpty)
        #expect(a.summaries.isEmpty)
        #expect(a.dataGaps.count == 3)
        #expect(a.dataGaps[0].reason.contains("no data for node_disk_io_time_seconds_total"))
        #expect(a.dataGaps[1].reason.contains("only NaN"))
        #expect(a.dataGaps[2].reason.contains("bad_data"))
    }

    @Test func boilerplateAndImplausibleThresholdsAreIgnored() {
        let grafanaDefault = GrafanaThresholds(steps: [.init(value: nil, color: "green"), .init(value: 80, color: "red")], shown: false)
        #expect(grafanaDefault.effective(panelType: "stat", unit: "bytes", min: nil, max: nil) == nil)
        #expect(grafanaDefault.effective(panelType: "timeseries", unit: "percent", min: nil, max: nil) == nil)
        #expect(grafanaDefault.effective(panelType: "gauge", unit: "percent", min: nil, max: nil) != nil)
        let bytes = GrafanaThresholds(steps: [.init(value: nil, color: "green"), .init(value: 70, color: "orange")])
        #expect(bytes.effective(panelType: "stat", unit: "bytes", min: nil, max: nil) == nil)
    }

    @Test func reportSortsFindingsBySeverityAndKeepsTheContract() throws {
        let window = try TimeWindow(duration: 600, endingAt: Date(timeIntervalSince1970: 1_700_000_000))
        let low = GrafanaPanelAnalyzer.analyze(panel: Self.panel(), results: [Self.result([[12, 12, 12]])], dashboard: "d")
        let high = GrafanaPanelAnalyzer.analyze(panel: Self.panel(), results: [Self.result([[40, 40, 40]])], dashboard: "d")
        let dashboard = GrafanaDashboard(uid: "d", title: "D", tags: [], variables: [], panels: [])
        let report = GrafanaReport.build(id: "r", generatedAt: window.end, window: window, dashboard: dashboard,
                                         panels: [low, high], dataGaps: [DataGap(subsystem: "disk", reason: "x")], source: "s")
        #expect(report.findings.map(\.severity) == [.critical, .medium])
        #expect(report.grade == .critical)
        #expect(report.rootCauses.isEmpty)
        #expect(report.dataGaps.count == 1)
        #expect(report.healthScores["disk"] == 100 - 60 - 15)
        for format in ReportFormat.allCases { #expect(!(try format.render(report)).isEmpty) }
        let decoded = try JSONRendering.decoder().decode(Report.self, from: Data(try ReportFormat.json.render(report).utf8))
        #expect(decoded.findings.count == 2)
    }

    @Test func legendFormat() {
        #expect(GrafanaPanelAnalyzer.legend("{{instance}} WAL", labels: ["instance": "a:1"], fallback: "P") == "a:1 WAL")
        #expect(GrafanaPanelAnalyzer.legend("{{cluster}} - {{namespace}}\n", labels: [:], fallback: "Up") == "Up")
        #expect(GrafanaPanelAnalyzer.legend(nil, labels: ["job": "etcd", "__name__": "up"], fallback: "P") == #"{job="etcd"}"#)
        #expect(GrafanaPanelAnalyzer.legend("__auto", labels: [:], fallback: "P") == "P")
    }
}
