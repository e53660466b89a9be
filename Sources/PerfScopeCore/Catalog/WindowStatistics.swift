/// Which statistic of a metric's time series over the window is judged.
public enum WindowStatistic: String, Sendable, Codable, CaseIterable {
    case avg, max, min, last, p95
    /// How much a counter rose over the window (resets handled like PromQL's `increase`, without extrapolation).
    case increase
    /// How many times the value changed from one point to the next (a process start time: restarts).
    case changes
}

/// Summary of one series over the analysis window: what a reader of a report needs to judge a
/// metric without looking at the chart. NaN and infinite points (e.g. a quantile over no
/// observations) are skipped, never averaged in as zero.
public struct WindowStatistics: Sendable, Codable, Equatable {
    public var avg: Double
    public var max: Double
    public var min: Double
    public var last: Double
    public var p95: Double
    /// Rise of the series over the window, counting a drop as a counter reset.
    public var increase: Double
    /// Finite points the statistics were computed from.
    public var points: Int
    /// Times consecutive finite points differ.
    public var changes: Double = 0

    /// Nil when the series has no finite point.
    public init?(values: [Double]) {
        let finite = values.filter(\.isFinite)
        guard let last = finite.last else { return nil }
        let sorted = finite.sorted()
        self.avg = finite.reduce(0, +) / Double(finite.count)
        self.max = sorted[sorted.count - 1]
        self.min = sorted[0]
        self.last = last
        self.p95 = Self.quantile(sorted, 0.95)
        self.points = finite.count
        var rise = 0.0
        for (a, b) in zip(finite, finite.dropFirst()) { rise += b >= a ? b - a : b }
        self.increase = rise
        self.changes = Double(zip(finite, finite.dropFirst()).filter { $0 != $1 }.count)
    }

    private enum CodingKeys: String, CodingKey { case avg, max, min, last, p95, increase, points, changes }

    /// `changes` arrived later: reports stored before it decode with 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        avg = try c.decode(Double.self, forKey: .avg)
        max = try c.decode(Double.self, forKey: .max)
        min = try c.decode(Double.self, forKey: .min)
        last = try c.decode(Double.self, forKey: .last)
        p95 = try c.decode(Double.self, forKey: .p95)
        increase = try c.decode(Double.self, forKey: .increase)
        points = try c.decode(Int.self, forKey: .points)
        changes = try c.decodeIfPresent(Double.self, forKey: .changes) ?? 0
    }

    public func value(_ statistic: WindowStatistic) -> Double {
        switch statistic {
        case .avg: avg
        case .max: max
        case .min: min
        case .last: last
        case .p95: p95
        case .increase: increase
        case .changes: changes
        }
    }

    /// Linear-interpolated quantile of sorted values (q in 0…1).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? .nan }
        let pos = q * Double(sorted.count - 1)
        let lower = Int(pos)
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let frac = pos - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * frac
    }
}

/// One catalog metric for one series (instance, device …) over the window.
public struct MetricSummary: Sendable, Codable, Equatable {
    public var metric: String
    public var subsystem: String
    public var instance: String
    /// Identity labels beyond instance (device, To …).
    public var labels: [String: String]
    public var unit: MetricUnit
    public var stats: WindowStatistics
    public var query: String

    public init(metric: String, subsystem: String, instance: String, labels: [String: String],
                unit: MetricUnit, stats: WindowStatistics, query: String) {
        self.metric = metric
        self.subsystem = subsystem
        self.instance = instance
        self.labels = labels
        self.unit = unit
        self.stats = stats
        self.query = query
    }
}
