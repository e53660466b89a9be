import Foundation
import PerfScopeCore
import Testing

@Suite struct HistoryComparisonTests {
    static let wal = Thresholds(direction: .above, low: 0.01, medium: 0.025, high: 0.05, critical: 0.1)
    static let hasLeader = Thresholds(direction: .below, critical: 0.5)
    static let free = Thresholds(direction: .below, low: 0.3, medium: 0.2, high: 0.1)

    /// One-point statistics of `v` (NaN allowed: a quantile over no observations).
    static func stats(_ v: Double) -> WindowStatistics {
        var s = WindowStatistics(values: [1])!
        (s.avg, s.max, s.min, s.last, s.p95) = (v, v, v, v, v)
        return s
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var unit: MetricUnit
        var thresholds: Thresholds?
        var before: Double
        var after: Double
        var verdict: MetricDelta.Verdict
        var reason: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "latency crosses medium", unit: .seconds, thresholds: wal, before: 0.004, after: 0.03, verdict: .regression, reason: "reached medium (≥ 25.0 ms)"),
        Case(name: "latency +60 % under every level", unit: .seconds, thresholds: wal, before: 0.004, after: 0.0064, verdict: .regression, reason: "+60 %"),
        Case(name: "latency +40 % is not enough", unit: .seconds, thresholds: wal, before: 0.004, after: 0.0056, verdict: .unchanged, reason: nil),
        Case(name: "latency +100 % below the 1 ms noise floor", unit: .seconds, thresholds: nil, before: 0.0002, after: 0.0004, verdict: .unchanged, reason: nil),
        Case(name: "latency back under low", unit: .seconds, thresholds: wal, before: 0.012, after: 0.004, verdict: .improvement, reason: "cleared the low threshold"),
        Case(name: "latency down a level", unit: .seconds, thresholds: wal, before: 0.06, after: 0.03, verdict: .improvement, reason: "down from high to medium"),
        Case(name: "+80 % reaching high", unit: .seconds, thresholds: wal, before: 0.03, after: 0.054, verdict: .regression, reason: "reached high"),
        Case(name: "utilisation without thresholds +50 %", unit: .ratio, thresholds: nil, before: 0.4, after: 0.6, verdict: .regression, reason: "+50 %"),
        Case(name: "utilisation +1 point is noise", unit: .ratio, thresholds: nil, before: 0.01, after: 0.02, verdict: .unchanged, reason: nil),
        Case(name: "utilisation halves", unit: .ratio, thresholds: nil, before: 0.6, after: 0.3, verdict: .improvement, reason: "-50 %"),
        Case(name: "a rate without thresholds is workload, never a regression", unit: .perSecond, thresholds: nil, before: 100, after: 1000, verdict: .unchanged, reason: nil),
        Case(name: "bytes without thresholds", unit: .bytes, thresholds: nil, before: 1e9, after: 3e9, verdict: .unchanged, reason: nil),
        Case(name: "lower is worse: has_leader drops", unit: .boolean, thresholds: hasLeader, before: 1, after: 0.4, verdict: .regression, reason: "reached critical"),
        Case(name: "lower is worse: free space halves", unit: .ratio, thresholds: free, before: 0.8, after: 0.35, verdict: .regression, reason: "-56 %"),
        Case(name: "lower is worse: rising is better", unit: .ratio, thresholds: free, before: 0.15, after: 0.5, verdict: .improvement, reason: "cleared the medium threshold"),
        Case(name: "from zero above the noise floor", unit: .seconds, thresholds: nil, before: 0, after: 0.005, verdict: .regression, reason: "from 0"),
        Case(name: "zero to zero", unit: .seconds, thresholds: wal, before: 0, after: 0, verdict: .unchanged, reason: nil),
        Case(name: "a count under its lowest level: +75 % is not a regression", unit: .count, thresholds: Thresholds(direction: .above, low: 10), before: 2, after: 3.5, verdict: .unchanged, reason: nil),
        Case(name: "a count crossing its lowest level", unit: .count, thresholds: Thresholds(direction: .above, low: 10), before: 2, after: 12, verdict: .regression, reason: "reached low (≥ 10)"),
        Case(name: "a rate from 0 under its lowest level", unit: .perSecond, thresholds: Thresholds(direction: .above, low: 0.001), before: 0, after: 0.0005, verdict: .unchanged, reason: nil),
    ]

    @Test(arguments: cases)
    func rules(c: Case) throws {
        let d = try #require(HistoryComparison.delta(metric: "m", instance: "i", unit: c.unit, statistic: .avg,
                                                     before: Self.stats(c.before), after: Self.stats(c.after), thresholds: c.thresholds))
        #expect(d.verdict == c.verdict, "\(d.reasons)")
        if let reason = c.reason {
            #expect(d.reasons.contains { $0.contains(reason) }, "\(d.reasons)")
        } else {
            #expect(d.reasons.isEmpty, "\(d.reasons)")
        }
        #expect(d.absolute == c.after - c.before)
        #expect(d.relative == (c.before == 0 ? nil : (c.after - c.before) / abs(c.before)))
    }

    @Test func theRelativeRuleIsConfigurable() throws {
        let strict = ComparisonRules(relativeChange: 0.2)
        let d = try #require(HistoryComparison.delta(metric: "m", instance: "i", unit: .seconds, statistic: .avg,
                                                     before: Self.stats(0.01), after: Self.stats(0.0125), thresholds: nil, rules: strict))
        #expect(d.verdict == .regression)
        #expect(HistoryComparison.delta(metric: "m", instance: "i", unit: .seconds, statistic: .avg,
                                        before: Self.stats(0.01), after: Self.stats(0.0125), thresholds: nil)?.verdict == .unchanged)
    }

    @Test func theJudgedStatisticIsCompared() throws {
        let before = WindowStatistics(values: [0.001, 0.001, 0.001, 0.04])!   // avg 10.75 ms, max 40 ms
        let after = WindowStatistics(values: [0.001, 0.001, 0.001, 0.001])!
        let byMax = try #require(HistoryComparison.delta(metric: "m", instance: "i", unit: .seconds, statistic: .max,
                                                         before: before, after: after, thresholds: Self.wal))
        #expect(byMax.baseline == 0.04 && byMax.current == 0.001 && byMax.verdict == .improvement)
        #expect(byMax.statistic == .max)
    }

    static func report(_ id: String, metrics: [MetricSummary], findings: [Finding] = [], thresholds: [String: Thresholds] = [:]) -> Report {
        Report(id: id, generatedAt: Date(timeIntervalSince1970: 1_790_000_000), window: .init(start: Date(timeIntervalSince1970: 1_789_996_400), end: Date(timeIntervalSince1970: 1_790_000_000)),
               grade: .good, healthScores: [:], findings: findings, rootCauses: [], recommendations: [], dataGaps: [],
               metrics: metrics, thresholds: thresholds)
    }

    static func m(_ name: String, _ instance: String, _ v: Double, unit: MetricUnit = .seconds, labels: [String: String] = [:]) -> MetricSummary {
        MetricSummary(metric: name, subsystem: "s", instance: instance, labels: labels, unit: unit, stats: stats(v), query: "q")
    }

    static func finding(_ id: String, _ severity: Severity) -> Finding {
        Finding(id: id, title: id, severity: severity, category: .disk, methodology: .threshold, instances: [], observation: "",
                evidence: [], rootCause: "", confidence: 1, immediateAction: "", investigationSteps: [], longTermFix: "", relatedMetrics: [], reference: "")
    }

    @Test func reportsAreMatchedSeriesBySeriesWithRegressionsFirst() {
        let base = Self.report("base", metrics: [
            Self.m("wal_fsync_p99", "a:2379", 0.004), Self.m("wal_fsync_p99", "b:2379", 0.004),
            Self.m("disk_utilisation", "a:9100", 0.2, unit: .ratio, labels: ["device": "sda"]),
            Self.m("disk_utilisation", "a:9100", 0.2, unit: .ratio, labels: ["device": "sdb"]),
            Self.m("gone", "a", 1, unit: .count),
        ], findings: [Self.finding("old.one", .high), Self.finding("info.one", .info)], thresholds: ["wal_fsync_p99": Self.wal])
        let run = Self.report("run", metrics: [
            Self.m("wal_fsync_p99", "a:2379", 0.004), Self.m("wal_fsync_p99", "b:2379", 0.06),
            Self.m("disk_utilisation", "a:9100", 0.5, unit: .ratio, labels: ["device": "sda"]),
            Self.m("disk_utilisation", "a:9100", 0.05, unit: .ratio, labels: ["device": "sdb"]),
            Self.m("new", "a", 1, unit: .count),
        ], findings: [Self.finding("new.one", .medium), Self.finding("info.two", .info)], thresholds: ["wal_fsync_p99": Self.wal])
        let c = HistoryComparison.compare(run, baseline: base)
        #expect(c.deltas.map(\.verdict) == [.regression, .regression, .improvement, .unchanged])
        #expect(c.deltas[0].metric == "wal_fsync_p99" && c.deltas[0].instance == "b:2379" && c.deltas[0].severityAfter == .high)
        #expect(c.deltas[1].labels == ["device": "sda"])
        #expect(c.deltas[2].labels == ["device": "sdb"])
        #expect((c.regressions, c.improvements, c.unchanged) == (2, 1, 1))
        #expect(c.newFindings == ["new.one"] && c.resolvedFindings == ["old.one"])
        #expect(c.onlyInRun == ["new a"] && c.onlyInBaseline == ["gone a"])
        let flagged = c.flaggedOnly()
        #expect(flagged.deltas.count == 3 && flagged.unchanged == 1)
        #expect(HistoryComparison.compare(run, baseline: base, includeUnchanged: false) == flagged)

        let lines = ComparisonView.lines(flagged)
        #expect(lines[0].hasPrefix("vs baseline base (good, "))
        #expect(lines[0].hasSuffix("2 regressions, 1 improvement, 1 unchanged"))
        #expect(lines[1] == "↑ wal_fsync_p99 b:2379 avg 4.0 ms → 60.0 ms: reached high (≥ 50.0 ms); +1400 % (4.0 ms → 60.0 ms)")
        #expect(lines.contains("new findings: new.one"))
    }

    @Test func aReportWithABaselineRendersIt() throws {
        var run = Self.report("run", metrics: [Self.m("wal_fsync_p99", "a:2379", 0.06)], thresholds: ["wal_fsync_p99": Self.wal])
        let base = Self.report("base", metrics: [Self.m("wal_fsync_p99", "a:2379", 0.004)])
        let noBaseline = try ReportFormat.json.render(run)
        #expect(!noBaseline.contains("\"baseline\""))  // the contract's JSON is unchanged without a baseline
        run.baseline = HistoryComparison.compare(run, baseline: base).flaggedOnly()
        #expect(try ReportFormat.text.render(run).contains("Baseline\n  vs baseline base"))
        #expect(try ReportFormat.markdown.render(run).contains("## Baseline"))
        #expect(try ReportFormat.html.render(run).contains("<h2>Baseline</h2>"))
        let json = try ReportFormat.json.render(run)
        let back = try JSONRendering.decoder().decode(Report.self, from: Data(json.utf8))
        #expect(back.baseline == run.baseline)
    }

    @Test func sparklinesScaleBetweenMinAndMax() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([5, 5, 5]) == "▄▄▄")
        #expect(Sparkline.render([0, .nan, 1]) == "▁ █")
        #expect(Sparkline.render([]) == "")
        #expect(Sparkline.render(Array(repeating: 1.0, count: 500) + [2], width: 50).count == 50)
    }

    @Test func trendsGroupBySeriesAndRender() {
        let at = { (s: Double) in Date(timeIntervalSince1970: 1_790_000_000 + s) }
        let points = [0.004, 0.008, 0.016].enumerated().flatMap { i, v in [
            TrendPoint(runID: "r\(i)", cluster: "c", createdAt: at(Double(i) * 3600), metric: "wal_fsync_p99", subsystem: "wal", instance: "a",
                       labels: [:], unit: .seconds, avg: v, max: v * 2, min: v, last: v, p95: v),
            TrendPoint(runID: "r\(i)", cluster: "c", createdAt: at(Double(i) * 3600), metric: "wal_fsync_p99", subsystem: "wal", instance: "b",
                       labels: ["device": "x"], unit: .seconds, avg: 0.001, max: 0.001, min: 0.001, last: 0.001, p95: nil),
        ] }
        let trend = Trend(metric: "wal_fsync_p99", statistic: .avg, points: points.reversed())
        #expect(trend.series.map(\.name) == ["a", "b device=x"])
        #expect(trend.series[0].points.map(\.value) == [0.004, 0.008, 0.016])
        #expect(Trend(metric: "wal_fsync_p99", statistic: .p95, points: points).series.map(\.name) == ["a"])
        let text = TrendView.text(trend)
        #expect(text.contains("▁▃█"))
        #expect(text.contains("4.0 ms") && text.contains("16.0 ms"))
        let html = TrendView.html(trend, threshold: 0.01)
        #expect(html.contains("<svg") && html.contains("<code>r2</code>") && !html.contains("<script"))
        #expect(TrendView.text(Trend(metric: "x", statistic: .avg, points: [])).contains("no stored values of x"))
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        let report = Self.report("r,1", metrics: [Self.m("m", "i", 0.5, labels: ["a": "x\"y", "b": "1"]), Self.m("n", "j", .nan)])
        let lines = RunExport.csv(report, cluster: "c").components(separatedBy: "\r\n")
        #expect(lines[0] == RunExport.csvHeader.joined(separator: ","))
        #expect(lines[1].hasPrefix("\"r,1\",c,"))
        #expect(lines[1].contains(",\"a=x\"\"y;b=1\",seconds,0.5,0.5,0.5,0.5,0.5,1"))
        #expect(lines[2].hasSuffix(",n,j,,seconds,,,,,,1"))
    }
}
