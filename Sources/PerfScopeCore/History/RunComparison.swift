import Foundation

/// A run compared with a baseline run: per-series deltas with regressions flagged.
///
/// Pure: built from two `Report`s, so the CLI, the HTTP API and MCP compare the same way.
public struct BaselineComparison: Sendable, Codable, Equatable {
    public var runID: String
    public var baselineID: String
    public var baselineGeneratedAt: Date
    public var baselineGrade: Grade
    public var grade: Grade
    /// Regressions first (worst first), then improvements, then (when kept) unchanged series.
    public var deltas: [MetricDelta]
    public var regressions: Int
    public var improvements: Int
    /// Series present in both runs with no flagged change.
    public var unchanged: Int
    /// Finding ids (above info) in this run and not in the baseline, and the reverse.
    public var newFindings: [String]
    public var resolvedFindings: [String]
    /// Series in only one of the two runs (`metric instance labels`).
    public var onlyInRun: [String]
    public var onlyInBaseline: [String]

    public init(runID: String, baselineID: String, baselineGeneratedAt: Date, baselineGrade: Grade, grade: Grade,
                deltas: [MetricDelta], regressions: Int, improvements: Int, unchanged: Int, newFindings: [String],
                resolvedFindings: [String], onlyInRun: [String], onlyInBaseline: [String]) {
        self.runID = runID
        self.baselineID = baselineID
        self.baselineGeneratedAt = baselineGeneratedAt
        self.baselineGrade = baselineGrade
        self.grade = grade
        self.deltas = deltas
        self.regressions = regressions
        self.improvements = improvements
        self.unchanged = unchanged
        self.newFindings = newFindings
        self.resolvedFindings = resolvedFindings
        self.onlyInRun = onlyInRun
        self.onlyInBaseline = onlyInBaseline
    }

    /// Only the flagged deltas (what a report carries): unchanged series are counted, not listed.
    public func flaggedOnly() -> BaselineComparison {
        var c = self
        c.deltas = deltas.filter { $0.verdict != .unchanged }
        return c
    }
}

/// One series in both runs: the compared statistic before and after.
public struct MetricDelta: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        case regression, improvement, unchanged
    }

    public var metric: String
    public var subsystem: String
    public var instance: String
    public var labels: [String: String]
    public var unit: MetricUnit
    /// The window statistic compared: the one the catalog judges the metric by.
    public var statistic: WindowStatistic
    public var baseline: Double
    public var current: Double
    /// `current - baseline`, in the metric's base unit.
    public var absolute: Double
    /// `absolute / |baseline|` (0.5 = +50 %); nil when the baseline is 0.
    public var relative: Double?
    public var verdict: Verdict
    /// Why it is flagged, one phrase per rule that fired.
    public var reasons: [String]
    /// The threshold level the value reaches, before and after (nil: below every level).
    public var severityBefore: Severity?
    public var severityAfter: Severity?

    public var seriesName: String { SeriesKey.name(instance: instance, labels: labels) }
}

/// The rules that flag a change. Table-driven tests pin each one.
public struct ComparisonRules: Sendable, Equatable {
    /// A change of at least this fraction in the bad direction is a regression (0.5 = +50 %).
    public var relativeChange: Double
    /// The statistic each metric is judged by (catalog `statistic`); others use `defaultStatistic`.
    public var statistics: [String: WindowStatistic]
    public var defaultStatistic: WindowStatistic

    public init(relativeChange: Double = 0.5, statistics: [String: WindowStatistic] = [:], defaultStatistic: WindowStatistic = .avg) {
        self.relativeChange = relativeChange
        self.statistics = statistics
        self.defaultStatistic = defaultStatistic
    }

    public static let standard = ComparisonRules()

    public func statistic(for metric: String) -> WindowStatistic { statistics[metric] ?? defaultStatistic }

    /// Whether a relative change alone can flag this metric: latencies and utilisations (and
    /// other ratios, e.g. free space, whose thresholds say which direction is bad). Rates, counts
    /// and sizes are flagged only by a threshold level crossed: a rate going from 0 to 0.0005/s
    /// is "+∞ %" but not a regression, and workload growth is not ill health.
    public func judgesRelativeChange(unit: MetricUnit) -> Bool {
        unit == .seconds || unit == .ratio
    }

    /// The smallest absolute change the relative rule flags, so 0.1 ms → 0.2 ms is not "+100 %":
    /// 1 ms for latencies, 2 points for ratios.
    public func noiseFloor(unit: MetricUnit) -> Double {
        unit == .seconds ? 0.001 : 0.02
    }
}

public enum HistoryComparison {
    /// Compares `run` with `baseline`, series by series (metric + instance + identity labels).
    public static func compare(_ run: Report, baseline: Report, rules: ComparisonRules = .standard,
                               includeUnchanged: Bool = true) -> BaselineComparison {
        let before = Dictionary(baseline.metrics.map { (SeriesKey.key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let afterKeys = Set(run.metrics.map(SeriesKey.key))
        var deltas: [MetricDelta] = []
        var seen = Set<String>()
        for m in run.metrics {
            let key = SeriesKey.key(m)
            guard let b = before[key], seen.insert(key).inserted else { continue }
            // The run's thresholds are the ones it was judged by (catalog + overrides).
            let thresholds = run.thresholds[m.metric] ?? baseline.thresholds[m.metric]
            if let d = delta(metric: m.metric, subsystem: m.subsystem, instance: m.instance, labels: m.labels, unit: m.unit,
                             statistic: rules.statistic(for: m.metric), before: b.stats, after: m.stats,
                             thresholds: thresholds, rules: rules) {
                deltas.append(d)
            }
        }
        deltas.sort(by: order)
        let flagged = deltas.filter { $0.verdict != .unchanged }
        let significant: (Report) -> Set<String> = { Set($0.findings.filter { $0.severity > .info }.map(\.id)) }
        let now = significant(run), then = significant(baseline)
        let name: (MetricSummary) -> String = { "\($0.metric) \(SeriesKey.name(instance: $0.instance, labels: $0.labels))" }
        return BaselineComparison(
            runID: run.id, baselineID: baseline.id, baselineGeneratedAt: baseline.generatedAt,
            baselineGrade: baseline.grade, grade: run.grade,
            deltas: includeUnchanged ? deltas : flagged,
            regressions: deltas.filter { $0.verdict == .regression }.count,
            improvements: deltas.filter { $0.verdict == .improvement }.count,
            unchanged: deltas.count - flagged.count,
            newFindings: now.subtracting(then).sorted(), resolvedFindings: then.subtracting(now).sorted(),
            onlyInRun: run.metrics.filter { before[SeriesKey.key($0)] == nil }.map(name).sorted(),
            onlyInBaseline: baseline.metrics.filter { !afterKeys.contains(SeriesKey.key($0)) }.map(name).sorted())
    }

    /// One series: the rules, in order — a threshold level crossed decides; otherwise, for a
    /// latency or a ratio, a relative change of at least `rules.relativeChange` in the bad
    /// direction (and above the noise floor).
    public static func delta(metric: String, subsystem: String = "", instance: String, labels: [String: String] = [:],
                             unit: MetricUnit, statistic: WindowStatistic, before: WindowStatistics, after: WindowStatistics,
                             thresholds: Thresholds?, rules: ComparisonRules = .standard) -> MetricDelta? {
        let b = before.value(statistic), a = after.value(statistic)
        guard b.isFinite, a.isFinite else { return nil }
        let absolute = a - b
        let relative: Double? = b == 0 ? nil : absolute / abs(b)
        let levelBefore = thresholds?.evaluate(b), levelAfter = thresholds?.evaluate(a)
        var verdict = MetricDelta.Verdict.unchanged
        var reasons: [String] = []

        let rankBefore = levelBefore.map { $0.severity.rank } ?? -1
        let rankAfter = levelAfter.map { $0.severity.rank } ?? -1
        if rankAfter > rankBefore, let reached = levelAfter {
            verdict = .regression
            let op = thresholds?.direction == .below ? "≤" : "≥"
            reasons.append("reached \(reached.severity.rawValue) (\(op) \(unit.format(reached.threshold)))")
        } else if rankAfter < rankBefore, let left = levelBefore {
            verdict = .improvement
            reasons.append(levelAfter.map { "down from \(left.severity.rawValue) to \($0.severity.rawValue)" }
                           ?? "cleared the \(left.severity.rawValue) threshold (\(unit.format(left.threshold)))")
        }

        if rules.judgesRelativeChange(unit: unit), abs(absolute) >= rules.noiseFloor(unit: unit), absolute != 0 {
            // A rise is bad unless the metric is bad when low (has_leader, free space).
            let worse = thresholds?.direction == .below ? absolute < 0 : absolute > 0
            // From 0, any change above the noise floor counts as large.
            // (With a little slack: 0.4 → 0.6 is +50 % even though 0.2/0.4 rounds below 0.5 in binary.)
            let large = relative.map { abs($0) >= rules.relativeChange - 1e-9 } ?? true
            if large {
                let change = relative.map { String(format: "%+.0f %%", $0 * 100) } ?? "from 0"
                let phrase = "\(change) (\(unit.format(b)) → \(unit.format(a)))"
                if worse {
                    if verdict != .regression { verdict = .regression }
                    reasons.append(phrase)
                } else if verdict == .unchanged || verdict == .improvement {
                    verdict = .improvement
                    reasons.append(phrase)
                }
            }
        }
        return MetricDelta(metric: metric, subsystem: subsystem, instance: instance, labels: labels, unit: unit,
                           statistic: statistic, baseline: b, current: a, absolute: absolute, relative: relative,
                           verdict: verdict, reasons: reasons,
                           severityBefore: levelBefore?.severity, severityAfter: levelAfter?.severity)
    }

    /// Regressions, then improvements, then unchanged; within each, the highest level reached,
    /// then the largest relative change, then by name.
    static func order(_ x: MetricDelta, _ y: MetricDelta) -> Bool {
        let rank: (MetricDelta.Verdict) -> Int = { [.regression: 0, .improvement: 1, .unchanged: 2][$0] ?? 3 }
        if rank(x.verdict) != rank(y.verdict) { return rank(x.verdict) < rank(y.verdict) }
        let sx = x.severityAfter?.rank ?? -1, sy = y.severityAfter?.rank ?? -1
        if sx != sy { return sx > sy }
        let rx = abs(x.relative ?? .infinity), ry = abs(y.relative ?? .infinity)
        if rx != ry { return rx > ry }
        return (x.metric, x.seriesName) < (y.metric, y.seriesName)
    }
}
