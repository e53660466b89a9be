import Foundation

/// One histogram series of a family: the buckets, sum and count that share a label set
/// (`le` excluded). Works for classic histograms and gauge histograms (`_gsum`/`_gcount`).
public struct HistogramSeries: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        /// The upper bound (`le`), `+infinity` for the last bucket.
        public var le: Double
        /// Cumulative count of observations `<= le`.
        public var count: Double

        public init(le: Double, count: Double) {
            self.le = le
            self.count = count
        }
    }

    /// The series' labels, without `le`.
    public var labels: [String: String]
    /// Buckets sorted by ascending `le`; buckets whose `le` is not a number are dropped.
    public var buckets: [Bucket]
    public var sum: Double?
    public var count: Double?
    /// The `_created` value (seconds) when exposed.
    public var created: Double?

    public init(labels: [String: String], buckets: [Bucket] = [], sum: Double? = nil, count: Double? = nil, created: Double? = nil) {
        self.labels = labels
        self.buckets = buckets
        self.sum = sum
        self.count = count
        self.created = created
    }

    /// The `+Inf` bucket's count, which a well-formed histogram has equal to ``count``.
    public var infinityBucketCount: Double? { buckets.last(where: { $0.le == .infinity })?.count }
}

/// One summary series of a family: its quantiles, sum and count (labels without `quantile`).
public struct SummarySeries: Sendable, Equatable {
    public struct Quantile: Sendable, Equatable {
        public var quantile: Double
        public var value: Double

        public init(quantile: Double, value: Double) {
            self.quantile = quantile
            self.value = value
        }

        public static func == (a: Quantile, b: Quantile) -> Bool {
            a.quantile == b.quantile && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
        }
    }

    /// The series' labels, without `quantile`.
    public var labels: [String: String]
    /// Quantiles sorted ascending; ones whose `quantile` label is not a number are dropped.
    public var quantiles: [Quantile]
    public var sum: Double?
    public var count: Double?
    public var created: Double?

    public init(labels: [String: String], quantiles: [Quantile] = [], sum: Double? = nil, count: Double? = nil, created: Double? = nil) {
        self.labels = labels
        self.quantiles = quantiles
        self.sum = sum
        self.count = count
        self.created = created
    }
}

extension MetricFamily {
    /// Every histogram series in this family, in order of first appearance, grouping the
    /// `_bucket` samples (by labels without `le`) with their `_sum`, `_count` and `_created`
    /// (`_gsum`/`_gcount` for gauge histograms).
    public func histograms() -> [HistogramSeries] {
        let bucketName = name + "_bucket"
        let sumNames: Set = [name + "_sum", name + "_gsum"]
        let countNames: Set = [name + "_count", name + "_gcount"]
        let createdName = name + "_created"
        var series: [HistogramSeries] = []
        var index: [[String: String]: Int] = [:]

        func slot(_ labels: [String: String]) -> Int {
            if let i = index[labels] { return i }
            series.append(HistogramSeries(labels: labels))
            index[labels] = series.count - 1
            return series.count - 1
        }

        for sample in samples {
            if sample.name == bucketName {
                var labels = sample.labels
                guard let le = labels.removeValue(forKey: "le").flatMap(ExpositionNumber.parseDouble) else { continue }
                series[slot(labels)].buckets.append(.init(le: le, count: sample.value))
            } else if sumNames.contains(sample.name) {
                series[slot(sample.labels)].sum = sample.value
            } else if countNames.contains(sample.name) {
                series[slot(sample.labels)].count = sample.value
            } else if sample.name == createdName {
                series[slot(sample.labels)].created = sample.value
            }
        }
        for i in series.indices {
            series[i].buckets.sort { $0.le < $1.le }
        }
        return series
    }

    /// The histogram series with exactly these labels (`le` excluded), if any.
    public func histogram(labels: [String: String] = [:]) -> HistogramSeries? {
        histograms().first { $0.labels == labels }
    }

    /// Every summary series in this family, in order of first appearance, grouping the quantile
    /// samples (by labels without `quantile`) with their `_sum`, `_count` and `_created`.
    public func summaries() -> [SummarySeries] {
        let sumName = name + "_sum"
        let countName = name + "_count"
        let createdName = name + "_created"
        var series: [SummarySeries] = []
        var index: [[String: String]: Int] = [:]

        func slot(_ labels: [String: String]) -> Int {
            if let i = index[labels] { return i }
            series.append(SummarySeries(labels: labels))
            index[labels] = series.count - 1
            return series.count - 1
        }

        for sample in samples {
            if sample.name == name {
                var labels = sample.labels
                guard let q = labels.removeValue(forKey: "quantile").flatMap(ExpositionNumber.parseDouble) else { continue }
                series[slot(labels)].quantiles.append(.init(quantile: q, value: sample.value))
            } else if sample.name == sumName {
                series[slot(sample.labels)].sum = sample.value
            } else if sample.name == countName {
                series[slot(sample.labels)].count = sample.value
            } else if sample.name == createdName {
                series[slot(sample.labels)].created = sample.value
            }
        }
        for i in series.indices {
            series[i].quantiles.sort { $0.quantile < $1.quantile }
        }
        return series
    }

    /// The summary series with exactly these labels (`quantile` excluded), if any.
    public func summary(labels: [String: String] = [:]) -> SummarySeries? {
        summaries().first { $0.labels == labels }
    }

    /// The main value for a label set: the `_total` (or bare-named) sample of a counter, the
    /// sample of a gauge, untyped, stateset or info (`_info`) family. `nil` when no such sample.
    public func value(labels: [String: String] = [:]) -> Double? {
        mainSamples.first { $0.labels == labels }?.value
    }

    /// The samples that carry the family's main value (no `_created`, `_bucket`, `_sum` …):
    /// for a counter the `_total` or bare-named ones, for info the `_info` ones, for a summary
    /// the quantiles, for a histogram none.
    public var mainSamples: [Sample] {
        let total = name + "_total"
        let info = name + "_info"
        return samples.filter { $0.name == name || (type == .counter && $0.name == total) || (type == .info && $0.name == info) }
    }
}
