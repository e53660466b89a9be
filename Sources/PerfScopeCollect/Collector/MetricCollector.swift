import Foundation
import Logging
import PerfScopeCore
import PrometheusAPI

/// Runs catalog metrics as range queries over the window — one PromQL per metric for every
/// member/instance at once, concurrently within the client's bound — and reduces each series
/// to window statistics. Query count depends on the catalog, never on the number of instances.
public struct MetricCollector: Sendable {
    public let client: PrometheusClient
    public let config: PerfScopeConfig
    public let logger: Logger
    /// Fleet mode: every query also groups by this label and summaries keep it (`Fleet.split`).
    public let groupBy: String?

    public init(client: PrometheusClient, config: PerfScopeConfig, logger: Logger = Logger(label: "perfscope.collect"), groupBy: String? = nil) {
        self.client = client
        self.config = config
        self.logger = logger
        self.groupBy = groupBy
    }

    public struct Result: Sendable {
        public var summaries: [MetricSummary]
        public var dataGaps: [DataGap]
        /// The range series the caller kept (`keepSeries`), in the core's terms: for trend and
        /// correlation rules and charts. Converted as each answer arrives, so the decoded
        /// answer is not held twice.
        public var timeSeries: [TimeSeries]
        public var queryCount: Int
        public var slowestQuery: (name: String, seconds: Double)?
        public var elapsed: Double
    }

    /// The core's series; `maxPoints` averages runs of consecutive points down to at most that
    /// many (a fleet keeps its diagnosis series coarse: a hundred clusters' worth at full
    /// resolution would not fit the memory goal). Samples beyond ±2^53 become NaN (checked).
    static func timeSeries(_ name: String, _ series: [Series], maxPoints: Int? = nil) -> [TimeSeries] {
        series.map { s in
            var times = s.points.map(\.time)
            var values = s.points.map { CheckedNumber.sample($0.value) }
            if let maxPoints, maxPoints > 0, values.count > maxPoints {
                let run = (values.count + maxPoints - 1) / maxPoints
                var t: [Double] = [], v: [Double] = []
                for start in stride(from: 0, to: values.count, by: run) {
                    let slice = values[start..<min(values.count, start + run)].filter(\.isFinite)
                    t.append(times[start])
                    v.append(slice.isEmpty ? .nan : slice.reduce(0, +) / Double(slice.count))
                }
                times = t
                values = v
            }
            return TimeSeries(metric: name, instance: s.labels["instance"] ?? "", labels: s.labels.filter { $0.key != "instance" },
                              times: times, values: values)
        }
    }

    /// The query a catalog metric runs with this config and window.
    public func promQL(for metric: CatalogMetric, window: TimeWindow) -> String {
        let query = QueryTemplate.expand(metric.query, values: config.placeholders, rate: window.rateRange(atLeast: metric.minRate))
        return groupBy.map { Fleet.grouped(query, by: $0) } ?? query
    }

    /// Collects `metrics` (default: the whole catalog). Per-metric failures become data gaps;
    /// if Prometheus cannot be reached at all, the first such error is thrown.
    /// `keepSeries`: the metrics whose range series the caller needs (nil = all); the others are
    /// reduced to their window statistics and dropped.
    /// `coarseSeries`: of those, the ones kept at most `coarsePoints` points (averaged runs).
    public func collect(_ metrics: [CatalogMetric], window: TimeWindow, keepSeries: Set<String>? = nil,
                        coarseSeries: Set<String> = [], coarsePoints: Int = 60,
                        progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Result {
        let started = ContinuousClock.now
        // Each answer is reduced as soon as it arrives: only the statistics and the series the
        // caller keeps outlive it, so memory holds a few answers at a time, not the whole
        // catalog's (a fleet's answers are large).
        typealias Outcome = (index: Int, summaries: [MetricSummary], series: [TimeSeries]?, error: (any Error)?, seconds: Double)
        let total = metrics.count
        var outcomes: [Outcome] = []
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            // Expensive queries first: the total is then close to the slowest query's own time.
            let order = metrics.indices.sorted { metrics[$0].expensive && !metrics[$1].expensive }
            for index in order {
                let metric = metrics[index]
                let query = promQL(for: metric, window: window)
                // Later than the start when the metric's rate range is longer than the window's.
                let first = window.evaluation(atLeast: metric.minRate).start
                let keep = keepSeries?.contains(metric.name) ?? true
                let coarse = coarseSeries.contains(metric.name)
                group.addTask { [client, groupBy, coarsePoints] in
                    let t0 = ContinuousClock.now
                    do {
                        let series = try await client.queryRange(query, start: first, end: window.end, step: window.step).result.series
                        let summaries = Self.summarise(metric: metric, series: series, query: query, keep: groupBy)
                        let kept = keep ? Self.timeSeries(metric.name, series, maxPoints: coarse ? coarsePoints : nil) : nil
                        return (index, summaries, kept, nil, (ContinuousClock.now - t0).seconds)
                    } catch {
                        return (index, [], nil, error, (ContinuousClock.now - t0).seconds)
                    }
                }
            }
            for try await outcome in group {
                outcomes.append(outcome)
                progress?(outcomes.count, total)
            }
        }
        outcomes.sort { $0.index < $1.index }
        let errors = outcomes.compactMap(\.error)
        if !outcomes.isEmpty, errors.count == outcomes.count,
           let unreachable = errors.first(where: { ($0 as? any UserFacingError)?.kind == .upstreamUnavailable }) {
            throw unreachable
        }
        var result = Result(summaries: [], dataGaps: [], timeSeries: [], queryCount: metrics.count, slowestQuery: nil, elapsed: 0)
        for outcome in outcomes {
            let metric = metrics[outcome.index]
            if result.slowestQuery == nil || outcome.seconds > result.slowestQuery!.seconds {
                result.slowestQuery = (metric.name, outcome.seconds)
            }
            if let error = outcome.error {
                let message = (error as? any UserFacingError)?.message ?? String(describing: error)
                logger.warning("catalog query failed", metadata: ["metric": "\(metric.name)", "error": "\(message)"])
                result.dataGaps.append(DataGap(subsystem: metric.subsystem, reason: "\(metric.name): query failed — \(message)"))
                continue
            }
            if let series = outcome.series { result.timeSeries += series }
            if outcome.summaries.isEmpty, !metric.emptyIsHealthy {
                result.dataGaps.append(DataGap(
                    subsystem: metric.subsystem,
                    reason: "\(metric.name): no data for \(metric.requires.joined(separator: ", ")) — \(metric.hides) cannot be judged (run perfscope doctor)"))
            }
            result.summaries += outcome.summaries
        }
        result.elapsed = (ContinuousClock.now - started).seconds
        return result
    }

    /// One summary per series with at least one finite point, keyed by the metric's identity labels.
    static func summarise(metric: CatalogMetric, series: [Series], query: String, keep: String? = nil) -> [MetricSummary] {
        series.compactMap { s in
            // Checked: a sample beyond ±2^53 is skipped, so no statistic can reach beyond `Int`.
            guard let stats = WindowStatistics(values: s.points.map { CheckedNumber.sample($0.value) }) else { return nil }
            var labels: [String: String] = [:]
            for name in metric.labels + (keep.map { [$0] } ?? []) where name != "instance" {
                if let v = s.labels[name] { labels[name] = v }
            }
            return MetricSummary(metric: metric.name, subsystem: metric.subsystem, instance: s.labels["instance"] ?? "",
                                 labels: labels, unit: metric.unit, stats: stats, query: query)
        }
        .sorted { ($0.instance, $0.labels.description) < ($1.instance, $1.labels.description) }
    }
}

extension Duration {
    /// Seconds as a Double.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
