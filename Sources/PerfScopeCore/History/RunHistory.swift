import Foundation

/// One stored run as listed by `history list`: the columns of the `runs` table, no report blob.
public struct RunSummary: Sendable, Codable, Equatable {
    public var id: String
    public var cluster: String
    public var source: String?
    public var windowStart: Date
    public var windowEnd: Date
    /// When the report was generated (the report's `generatedAt`).
    public var createdAt: Date
    public var grade: Grade
    public var healthScores: [String: Int]
    /// Findings per severity (`critical`, `high`, `medium`, `low`, `info`).
    public var findingCounts: [String: Int]
    /// Category of the most likely root cause, nil when the run had none (healthy).
    public var topRootCause: String?
    /// The run is its cluster's baseline.
    public var isBaseline: Bool

    public init(id: String, cluster: String, source: String?, windowStart: Date, windowEnd: Date, createdAt: Date,
                grade: Grade, healthScores: [String: Int], findingCounts: [String: Int], topRootCause: String?, isBaseline: Bool) {
        self.id = id
        self.cluster = cluster
        self.source = source
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.createdAt = createdAt
        self.grade = grade
        self.healthScores = healthScores
        self.findingCounts = findingCounts
        self.topRootCause = topRootCause
        self.isBaseline = isBaseline
    }

    /// The summary of a report about to be stored.
    public init(report: Report, cluster: String, isBaseline: Bool = false) {
        var counts: [String: Int] = [:]
        for s in Severity.allCases { counts[s.rawValue] = report.findings.filter { $0.severity == s }.count }
        self.init(id: report.id, cluster: cluster, source: report.source, windowStart: report.window.start,
                  windowEnd: report.window.end, createdAt: report.generatedAt, grade: report.grade,
                  healthScores: report.healthScores, findingCounts: counts,
                  topRootCause: report.rootCauses.first?.category.rawValue, isBaseline: isBaseline)
    }
}

/// One metric series' window statistics in one stored run: a point of `history trend`.
public struct TrendPoint: Sendable, Codable, Equatable {
    public var runID: String
    public var cluster: String
    public var createdAt: Date
    public var metric: String
    public var subsystem: String
    public var instance: String
    public var labels: [String: String]
    public var unit: MetricUnit
    public var avg: Double?
    public var max: Double?
    public var min: Double?
    public var last: Double?
    /// The report's window statistics carry p95 over time (not p99), so the store keeps p95.
    public var p95: Double?

    public init(runID: String, cluster: String, createdAt: Date, metric: String, subsystem: String, instance: String,
                labels: [String: String], unit: MetricUnit, avg: Double?, max: Double?, min: Double?, last: Double?, p95: Double?) {
        self.runID = runID
        self.cluster = cluster
        self.createdAt = createdAt
        self.metric = metric
        self.subsystem = subsystem
        self.instance = instance
        self.labels = labels
        self.unit = unit
        self.avg = avg
        self.max = max
        self.min = min
        self.last = last
        self.p95 = p95
    }

    public func value(_ statistic: WindowStatistic) -> Double? {
        switch statistic {
        case .avg: avg
        case .max: max
        case .min: min
        case .last: last
        case .p95: p95
        case .increase, .changes: nil
        }
    }

    /// `instance` plus the identity labels, e.g. `10.0.0.1:9100 device=sda`.
    public var seriesName: String { SeriesKey.name(instance: instance, labels: labels) }
}

/// A metric's values across runs, one line per series (instance + identity labels), oldest first.
public struct Trend: Sendable, Codable, Equatable {
    public struct Series: Sendable, Codable, Equatable {
        public var name: String
        public var instance: String
        public var labels: [String: String]
        public var points: [Point]
    }

    public struct Point: Sendable, Codable, Equatable {
        public var runID: String
        public var createdAt: Date
        public var value: Double
    }

    public var metric: String
    public var statistic: WindowStatistic
    public var unit: MetricUnit
    public var series: [Series]

    /// Groups stored points by series; points without the statistic are skipped.
    public init(metric: String, statistic: WindowStatistic, points: [TrendPoint]) {
        self.metric = metric
        self.statistic = statistic
        self.unit = points.first?.unit ?? .count
        var order: [String] = []
        var bySeries: [String: Series] = [:]
        for p in points.sorted(by: { ($0.createdAt, $0.runID) < ($1.createdAt, $1.runID) }) {
            guard let v = p.value(statistic), v.isFinite else { continue }
            let key = p.seriesName
            if bySeries[key] == nil {
                order.append(key)
                bySeries[key] = Series(name: key, instance: p.instance, labels: p.labels, points: [])
            }
            bySeries[key]?.points.append(Point(runID: p.runID, createdAt: p.createdAt, value: v))
        }
        self.series = order.sorted().compactMap { bySeries[$0] }
    }

    /// The trend as a `Chart`, so the HTML renderer's SVG code draws it.
    public func chart(title: String? = nil, threshold: Double? = nil) -> Chart {
        Chart(metric: metric, title: title ?? "\(metric) (\(statistic.rawValue) per run)", unit: unit,
              lines: series.map { s in Chart.Line(name: s.name, points: s.points.map { [$0.createdAt.timeIntervalSince1970, $0.value] }) },
              threshold: threshold)
    }
}

/// The identity of a metric series across runs: metric, instance and its identity labels.
public enum SeriesKey {
    public static func name(instance: String, labels: [String: String]) -> String {
        ([instance] + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
    }

    public static func key(_ m: MetricSummary) -> String { m.metric + "\u{1F}" + name(instance: m.instance, labels: m.labels) }
}
