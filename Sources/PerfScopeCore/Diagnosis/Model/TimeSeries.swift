/// A metric's values over the window for one series, as the pure core sees them (no
/// Prometheus types), so trend and correlation rules run the same on Prometheus data, direct
/// scrapes and backfilled scenarios.
public struct TimeSeries: Sendable, Equatable {
    public var metric: String
    public var instance: String
    public var labels: [String: String]
    public var times: [Double]
    public var values: [Double]

    public init(metric: String, instance: String, labels: [String: String] = [:], times: [Double], values: [Double]) {
        self.metric = metric
        self.instance = instance
        self.labels = labels
        self.times = times
        self.values = values
    }

    /// Mean of the last quarter of finite points divided by the mean of the first quarter; nil
    /// with fewer than 8 finite points or a zero first quarter. > 1 means rising.
    public var trendRatio: Double? {
        let finite = values.filter(\.isFinite)
        guard finite.count >= 8 else { return nil }
        let q = finite.count / 4
        let first = finite.prefix(q).reduce(0, +) / Double(q)
        let last = finite.suffix(q).reduce(0, +) / Double(q)
        guard first > 0 else { return nil }
        return last / first
    }

    /// Pearson correlation of two series over the timestamps both have finite values at; nil
    /// with fewer than 6 common points or no variance.
    public static func correlation(_ a: TimeSeries, _ b: TimeSeries) -> Double? {
        var index: [Double: Double] = [:]
        for (t, v) in zip(b.times, b.values) where v.isFinite { index[t] = v }
        var xs: [Double] = []
        var ys: [Double] = []
        for (t, v) in zip(a.times, a.values) where v.isFinite {
            if let w = index[t] {
                xs.append(v)
                ys.append(w)
            }
        }
        guard xs.count >= 6 else { return nil }
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in zip(xs, ys) {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
            syy += (y - my) * (y - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
