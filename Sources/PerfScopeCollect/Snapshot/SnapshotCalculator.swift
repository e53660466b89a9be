import Foundation
import PerfScopeCore
import PrometheusAPI

/// What a snapshot target is: an etcd member or a node-exporter.
public enum SnapshotTargetKind: String, Sendable, Codable, Hashable, CaseIterable {
    case etcd
    case node
}

/// The no-Prometheus path, pure: two parsed `/metrics` scrapes per target, taken `elapsed`
/// seconds apart, become the same `[MetricSummary]` (catalog names, base units) the Prometheus
/// path produces, so the same rules and renderers run on them.
///
/// Counters become rates (Δ / elapsed, a decrease is a reset and counts the later value, as
/// Prometheus does); histograms become quantiles of the bucket deltas with Prometheus'
/// `histogram_quantile` interpolation; gauges keep both scrapes' values as a two-point window.
/// Whatever a target does not expose is a `DataGap`, never a silent zero. No I/O.
public enum SnapshotCalculator {
    /// One scrape of one target: the parsed families, or why it failed.
    public enum Scrape: Sendable {
        case families([MetricFamily])
        case failed(String)

        public var families: [MetricFamily]? {
            if case .families(let f) = self { return f }
            return nil
        }

        public var failure: String? {
            if case .failed(let reason) = self { return reason }
            return nil
        }
    }

    /// One target's two scrapes.
    public struct Input: Sendable {
        public var kind: SnapshotTargetKind
        /// The `instance` label Prometheus would give it: `host:port` of the scraped URL.
        public var instance: String
        public var first: Scrape
        public var second: Scrape
        /// Seconds between the two scrapes.
        public var elapsed: Double

        public init(kind: SnapshotTargetKind, instance: String, first: Scrape, second: Scrape, elapsed: Double) {
            self.kind = kind
            self.instance = instance
            self.first = first
            self.second = second
            self.elapsed = elapsed
        }
    }

    /// Which devices count as disks and NICs: the config's `selectors.disk` / `selectors.nic`
    /// label matchers, applied to the scraped series as Prometheus would apply them.
    public struct Options: Sendable {
        public var disk: SnapshotLabelFilter
        public var nic: SnapshotLabelFilter

        public init(disk: SnapshotLabelFilter, nic: SnapshotLabelFilter) {
            self.disk = disk
            self.nic = nic
        }

        /// The default selectors (dm-, loop, ram, sr, fd, nbd, zram and lo/virtual NICs left out).
        public init() {
            let defaults = PerfScopeConfig.Selectors()
            self.disk = (try? SnapshotLabelFilter(matchers: defaults.disk)) ?? SnapshotLabelFilter()
            self.nic = (try? SnapshotLabelFilter(matchers: defaults.nic)) ?? SnapshotLabelFilter()
        }

        /// The selectors of a config file.
        /// - Throws: `PerfScopeError.configuration` when a selector is not a list of label matchers.
        public init(config: PerfScopeConfig) throws {
            self.disk = try SnapshotLabelFilter(matchers: config.selectors.disk, what: "selectors.disk")
            self.nic = try SnapshotLabelFilter(matchers: config.selectors.nic, what: "selectors.nic")
        }
    }

    public struct Result: Sendable, Equatable {
        public var summaries: [MetricSummary]
        public var dataGaps: [DataGap]

        public init(summaries: [MetricSummary], dataGaps: [DataGap]) {
            self.summaries = summaries
            self.dataGaps = dataGaps
        }
    }

    /// The catalog metric names snapshot mode computes.
    public static var supportedMetrics: [String] { definitions.map(\.name) }

    /// Computes every catalog metric it knows for every target. Catalog metrics it does not know
    /// (a custom catalog) are data gaps unless an empty result is healthy for them.
    public static func summarise(_ inputs: [Input], catalog: [CatalogMetric], options: Options = Options()) -> Result {
        var summaries: [MetricSummary] = []
        var gaps: [DataGap] = []
        let byName = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let nominal = inputs.map(\.elapsed).max() ?? 0
        let prepared = inputs.map(TargetData.init)

        // Targets that could not be scraped.
        for input in inputs {
            let failures = [("first", input.first.failure), ("second", input.second.failure)].compactMap { which, reason in
                reason.map { "\(which) scrape failed (\($0))" }
            }
            guard !failures.isEmpty else { continue }
            let what = input.kind == .etcd ? "etcd member" : "node-exporter"
            let consequence = input.first.failure != nil && input.second.failure != nil
                ? "none of its metrics are in this report"
                : "its rates and latencies cannot be computed; gauges come from the scrape that worked"
            gaps.append(DataGap(subsystem: input.kind == .etcd ? "general" : "node-usage",
                                reason: "\(input.instance): \(what) \(failures.joined(separator: ", ")) — \(consequence)"))
        }

        var noTargets: [String: [String]] = [:] // subsystem → metric names without any target of their kind
        for metric in catalog {
            if metric.name == "member_up" {
                summaries += memberUp(inputs.filter { $0.kind == .etcd }, metric: metric)
                if !inputs.contains(where: { $0.kind == .etcd }), !metric.emptyIsHealthy {
                    noTargets[metric.subsystem, default: []].append(metric.name)
                }
                continue
            }
            guard let definition = byName[metric.name] else {
                if !metric.emptyIsHealthy {
                    gaps.append(DataGap(subsystem: metric.subsystem,
                                        reason: "\(metric.name): not computed in snapshot mode (its PromQL needs Prometheus: use perfscope analyze) — \(metric.hides) cannot be judged"))
                }
                continue
            }
            let targets = prepared.filter { $0.kind == definition.kind }
            if targets.isEmpty {
                if !metric.emptyIsHealthy { noTargets[metric.subsystem, default: []].append(metric.name) }
                continue
            }
            var missing: [String: [String]] = [:] // missing raw names → instances
            var empty: [(instance: String, reason: String)] = []
            var produced: [MetricSummary] = []
            // A target with no successful scrape is covered by its failure gap.
            for target in targets where target.first != nil || target.second != nil {
                do {
                    let points = try definition.evaluate(target, options)
                    let kept = points.compactMap { point -> MetricSummary? in
                        guard let stats = WindowStatistics(values: point.values.map(CheckedNumber.sample)) else { return nil }
                        var labels: [String: String] = [:]
                        for name in metric.labels where name != "instance" {
                            if let v = point.labels[name] { labels[name] = v }
                        }
                        return MetricSummary(metric: metric.name, subsystem: metric.subsystem, instance: target.instance,
                                             labels: labels, unit: metric.unit, stats: stats,
                                             query: "snapshot: " + definition.how.replacingOccurrences(of: "{interval}", with: formatInterval(target.elapsed)))
                    }
                    if kept.isEmpty {
                        let why = points.isEmpty ? definition.emptyReason : definition.nanReason
                        empty.append((target.instance, why.replacingOccurrences(of: "{interval}", with: formatInterval(target.elapsed))))
                    }
                    produced += kept
                } catch let unavailable as Unavailable {
                    switch unavailable {
                    case .missing(let names): missing[names.joined(separator: ", "), default: []].append(target.instance)
                    case .empty(let reason): empty.append((target.instance, reason))
                    case .needsBothScrapes: break // the target-failure gap says so
                    }
                } catch {
                    empty.append((target.instance, String(describing: error)))
                }
            }
            summaries += produced.sorted { ($0.instance, $0.labels.description) < ($1.instance, $1.labels.description) }
            if !metric.emptyIsHealthy, !(missing.isEmpty && empty.isEmpty) {
                var parts = missing.sorted { $0.key < $1.key }.map { names, instances in
                    "\(instances.joined(separator: ", ")) \(instances.count == 1 ? "does" : "do") not expose \(names)"
                }
                let byReason = Dictionary(grouping: empty, by: \.reason)
                parts += byReason.keys.sorted().map { reason in
                    "\(byReason[reason]!.map(\.instance).joined(separator: ", ")): \(reason)"
                }
                gaps.append(DataGap(subsystem: metric.subsystem,
                                    reason: "\(metric.name): \(parts.joined(separator: "; ")) — \(metric.hides) cannot be judged"))
            }
            if metric.name == "leader_changes_15m", !produced.isEmpty {
                gaps.append(DataGap(subsystem: metric.subsystem,
                                    reason: "leader_changes_15m: counted over the \(formatInterval(nominal)) snapshot interval, not 15 minutes — leader changes before the snapshot are not seen (use perfscope analyze with Prometheus for history)"))
            }
        }
        for subsystem in noTargets.keys.sorted() {
            let names = noTargets[subsystem]!
            let etcd = names.allSatisfy { name in byName[name]?.kind == .etcd || name == "member_up" }
            let source = etcd ? "no etcd endpoint was scraped" : "no node-exporter was scraped (give its URL with --node)"
            gaps.append(DataGap(subsystem: subsystem,
                                reason: "\(subsystem): \(source) — \(names.count) metric(s) not collected: \(names.joined(separator: ", "))"))
        }
        if !inputs.isEmpty {
            gaps.append(DataGap(subsystem: "general",
                                reason: "snapshot mode: two scrapes \(formatInterval(nominal)) apart, no history — rates and latencies cover only that interval, and trend and correlation rules have no time series to run on"))
        }
        return Result(summaries: summaries, dataGaps: gaps)
    }

    /// `member_up`: 1 for each scrape that worked, 0 for each that failed.
    static func memberUp(_ inputs: [Input], metric: CatalogMetric) -> [MetricSummary] {
        inputs.compactMap { input in
            let values = [input.first, input.second].map { $0.families == nil ? 0.0 : 1.0 }
            guard let stats = WindowStatistics(values: values.map(CheckedNumber.sample)) else { return nil }
            return MetricSummary(metric: metric.name, subsystem: metric.subsystem, instance: input.instance, labels: [:],
                                 unit: metric.unit, stats: stats,
                                 query: "snapshot: GET /metrics answered (1) or failed (0) at 2 scrapes \(formatInterval(input.elapsed)) apart")
        }
        .sorted { $0.instance < $1.instance }
    }

    // MARK: Counter and histogram arithmetic (Prometheus semantics)

    /// The increase of a counter between two samples: a decrease is a reset, so the later value
    /// is the increase since the reset (as Prometheus' `rate`/`increase` treat it).
    public static func counterIncrease(from first: Double, to second: Double) -> Double {
        second < first ? second : second - first
    }

    /// Prometheus' `histogram_quantile` on cumulative buckets (`le`, count): buckets with the same
    /// bound are merged, a decreasing count is raised to the previous one, the rank's bucket is
    /// interpolated linearly (from 0 for the first bucket when its bound is positive), a rank in
    /// the `+Inf` bucket gives the highest finite bound, and no observations give NaN.
    public static func histogramQuantile(_ q: Double, _ buckets: [(upperBound: Double, count: Double)]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var sorted = buckets.filter { !$0.upperBound.isNaN }.sorted { $0.upperBound < $1.upperBound }
        guard let last = sorted.last, last.upperBound == .infinity else { return .nan }
        // Coalesce equal bounds.
        var merged: [(upperBound: Double, count: Double)] = []
        for b in sorted {
            if let tail = merged.last, tail.upperBound == b.upperBound {
                merged[merged.count - 1].count += b.count
            } else {
                merged.append(b)
            }
        }
        sorted = merged
        // Ensure monotonic counts.
        var maxSoFar = -Double.infinity
        for i in sorted.indices {
            if sorted[i].count < maxSoFar { sorted[i].count = maxSoFar } else { maxSoFar = sorted[i].count }
        }
        guard sorted.count >= 2 else { return .nan }
        let observations = sorted[sorted.count - 1].count
        guard observations > 0, observations.isFinite else { return .nan }
        var rank = q * observations
        // First bucket (among all but +Inf) whose count reaches the rank; `count - 1` when none does.
        let b = sorted.dropLast().firstIndex { $0.count >= rank } ?? (sorted.count - 1)
        if b == sorted.count - 1 { return sorted[sorted.count - 2].upperBound }
        if b == 0, sorted[0].upperBound <= 0 { return sorted[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = sorted[b].upperBound
        var count = sorted[b].count
        if b > 0 {
            bucketStart = sorted[b - 1].upperBound
            count -= sorted[b - 1].count
            rank -= sorted[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// `30s`, `2s`, `1.5s`, `2m`.
    public static func formatInterval(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        let whole = seconds.rounded()
        if abs(seconds - whole) < 0.05 {
            if whole >= 60, whole.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(whole / 60))m" }
            return "\(Int(whole))s"
        }
        return String(format: "%.1fs", seconds)
    }
}

// MARK: - Evaluation machinery

extension SnapshotCalculator {
    /// Why a metric has no value for a target.
    enum Unavailable: Error, Equatable {
        /// The target does not expose these raw metrics.
        case missing([String])
        /// The metrics exist but the condition is not met (no swap, no matching device …).
        case empty(String)
        /// A rate needs both scrapes and one failed (covered by the target-failure gap).
        case needsBothScrapes
    }

    /// One series of a metric: its identity labels and its values (one per scrape for gauges,
    /// one over the interval for rates and quantiles).
    struct Point: Equatable {
        var labels: [String: String]
        var values: [Double]
    }

    /// Values per identity label set.
    typealias Groups = [[String: String]: Double]

    enum Aggregation { case sum, max, min, count, avg }

    /// One scrape's samples by full sample name (so `x_total`, `x_bucket` are found whatever
    /// the family grouping or format).
    struct ScrapeIndex {
        let samples: [String: [Sample]]

        init(_ families: [MetricFamily]) {
            var index: [String: [Sample]] = [:]
            for family in families {
                for sample in family.samples { index[sample.name, default: []].append(sample) }
            }
            samples = index
        }

        /// The samples of `name` passing `filter`. Throws `missing` when the name is not exposed.
        func select(_ name: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter()) throws -> [Sample] {
            guard let all = samples[name] else { throw Unavailable.missing([name]) }
            return all.filter { filter.matches($0.labels) }
        }

        /// `op by (labels) (name{filter})` on this scrape.
        func aggregate(_ name: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter(), by: [String] = [],
                       _ op: Aggregation = .sum) throws -> Groups {
            let selected = try select(name, filter)
            return SnapshotCalculator.aggregate(selected.map { ($0.labels, $0.value) }, by: by, op)
        }
    }

    /// Groups `(labels, value)` by the `by` labels and reduces each group.
    static func aggregate(_ values: [([String: String], Double)], by: [String], _ op: Aggregation) -> Groups {
        var grouped: [[String: String]: [Double]] = [:]
        for (labels, value) in values {
            var key: [String: String] = [:]
            for name in by { if let v = labels[name] { key[name] = v } }
            grouped[key, default: []].append(value)
        }
        return grouped.mapValues { list in
            switch op {
            case .sum: list.reduce(0, +)
            case .max: list.max() ?? .nan
            case .min: list.min() ?? .nan
            case .count: Double(list.count)
            case .avg: list.reduce(0, +) / Double(list.count)
            }
        }
    }

    /// Binary operation on label-matched groups (one-to-one, like PromQL without `on`).
    static func combine(_ a: Groups, _ b: Groups, _ op: (Double, Double) -> Double) -> Groups {
        var out: Groups = [:]
        for (key, x) in a { if let y = b[key] { out[key] = op(x, y) } }
        return out
    }

    /// A target's successful scrapes, prepared for evaluation.
    struct TargetData {
        let kind: SnapshotTargetKind
        let instance: String
        let first: ScrapeIndex?
        let second: ScrapeIndex?
        let elapsed: Double

        init(_ input: Input) {
            kind = input.kind
            instance = input.instance
            first = input.first.families.map(ScrapeIndex.init)
            second = input.second.families.map(ScrapeIndex.init)
            elapsed = input.elapsed
        }

        /// A gauge-like value per scrape: `body` runs on each successful scrape and each group
        /// keeps one value per scrape. Missing only when no scrape has the data.
        func perScrape(_ body: (ScrapeIndex) throws -> Groups) throws -> [Point] {
            var values: [[String: String]: [Double]] = [:]
            var order: [[String: String]] = []
            var firstError: (any Error)?
            var answered = false
            for scrape in [first, second].compactMap({ $0 }) {
                do {
                    let groups = try body(scrape)
                    answered = true
                    for (key, value) in groups {
                        if values[key] == nil { order.append(key) }
                        values[key, default: []].append(value)
                    }
                } catch {
                    firstError = firstError ?? error
                }
            }
            if !answered, let firstError { throw firstError }
            return order.map { Point(labels: $0, values: values[$0]!) }
        }

        /// Both scrapes, or `needsBothScrapes`.
        func pair() throws -> (ScrapeIndex, ScrapeIndex) {
            guard let first, let second else { throw Unavailable.needsBothScrapes }
            return (first, second)
        }

        /// Per-series increase of a counter between the scrapes (resets handled). Series only in
        /// the second scrape are left out, as Prometheus leaves out a series with a single sample —
        /// unless `newSeriesFromZero` (counters created at their first event, like etcd 3.4's peer
        /// send failures), where they count from 0.
        func seriesIncreases(_ name: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter(),
                             newSeriesFromZero: Bool = false) throws -> [([String: String], Double)] {
            let (a, b) = try pair()
            let before = a.samples[name]
            guard let after = b.samples[name] else { throw Unavailable.missing([name]) }
            if before == nil, !newSeriesFromZero {
                throw Unavailable.empty("\(name) first appeared between the two scrapes (restarted?), so it has no increase yet")
            }
            var previous: [[String: String]: Double] = [:]
            for s in before ?? [] where filter.matches(s.labels) { previous[s.labels] = s.value }
            var deltas: [([String: String], Double)] = []
            for s in after where filter.matches(s.labels) {
                if let p = previous[s.labels] {
                    deltas.append((s.labels, SnapshotCalculator.counterIncrease(from: p, to: s.value)))
                } else if newSeriesFromZero {
                    deltas.append((s.labels, s.value))
                }
            }
            return deltas
        }

        /// `op by (labels) (increase(name{filter}[interval]))`.
        func increase(_ name: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter(), by: [String] = [],
                      _ op: Aggregation = .sum, newSeriesFromZero: Bool = false) throws -> Groups {
            SnapshotCalculator.aggregate(try seriesIncreases(name, filter, newSeriesFromZero: newSeriesFromZero), by: by, op)
        }

        /// `op by (labels) (rate(name{filter}[interval]))`: per-series increase / elapsed, then aggregated.
        func rate(_ name: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter(), by: [String] = [],
                  _ op: Aggregation = .sum, newSeriesFromZero: Bool = false) throws -> Groups {
            guard elapsed > 0 else { throw Unavailable.empty("the two scrapes were not apart in time") }
            let increases = try seriesIncreases(name, filter, newSeriesFromZero: newSeriesFromZero)
            return SnapshotCalculator.aggregate(increases.map { ($0.0, $0.1 / elapsed) }, by: by, op)
        }

        /// Increases of a histogram's buckets, summed `by` labels (and `le`): cumulative buckets
        /// per group, ready for `histogramQuantile`.
        func bucketIncreases(_ base: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter(),
                             by: [String] = []) throws -> [[String: String]: [(upperBound: Double, count: Double)]] {
            let deltas = try seriesIncreases(base + "_bucket", filter)
            var grouped: [[String: String]: [Double: Double]] = [:]
            for (labels, delta) in deltas {
                guard let leText = labels["le"], let le = SnapshotCalculator.parseBound(leText) else { continue }
                var key: [String: String] = [:]
                for name in by { if let v = labels[name] { key[name] = v } }
                grouped[key, default: [:]][le, default: 0] += delta
            }
            return grouped.mapValues { buckets in buckets.map { (upperBound: $0.key, count: $0.value) }.sorted { $0.upperBound < $1.upperBound } }
        }

        /// `histogram_quantile(q, sum by (by, le) (rate(base_bucket[interval]))) * scale`.
        func quantile(_ q: Double, _ base: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter(), by: [String] = [], scale: Double = 1) throws -> [Point] {
            try bucketIncreases(base, filter, by: by)
                .sorted { $0.key.description < $1.key.description }
                .map { key, buckets in Point(labels: key, values: [SnapshotCalculator.histogramQuantile(q, buckets) * scale]) }
        }
    }

    /// An `le` label value: a float or `+Inf`.
    static func parseBound(_ text: String) -> Double? {
        switch text.trimmingCharacters(in: .whitespaces) {
        case "+Inf", "Inf", "+inf", "inf": .infinity
        case "-Inf", "-inf": -.infinity
        case let t: Double(t)
        }
    }
}

extension SnapshotCalculator.TargetData {
    /// Rows of a group map as points with one value each.
    static func points(_ groups: SnapshotCalculator.Groups) -> [SnapshotCalculator.Point] {
        groups.sorted { $0.key.description < $1.key.description }.map { SnapshotCalculator.Point(labels: $0.key, values: [$0.value]) }
    }
}

/// A list of PromQL label matchers (`device!~"(dm-|loop).*", fstype="ext4"`) applied to scraped
/// series, with PromQL semantics: regexes are anchored, a missing label is the empty string.
public struct SnapshotLabelFilter: Sendable {
    public enum Operator: String, Sendable { case equal = "=", notEqual = "!=", matches = "=~", notMatches = "!~" }

    public struct Matcher: @unchecked Sendable {
        public let name: String
        public let op: Operator
        public let value: String
        let regex: NSRegularExpression?

        public init(name: String, op: Operator, value: String) throws {
            self.name = name
            self.op = op
            self.value = value
            if op == .matches || op == .notMatches {
                do {
                    regex = try NSRegularExpression(pattern: "^(?:\(value))$")
                } catch {
                    throw PerfScopeError.configuration("invalid regex \"\(value)\" in matcher \(name)\(op.rawValue)\"\(value)\"")
                }
            } else {
                regex = nil
            }
        }

        public func matches(_ labels: [String: String]) -> Bool {
            let v = labels[name] ?? ""
            switch op {
            case .equal: return v == value
            case .notEqual: return v != value
            case .matches, .notMatches:
                let range = NSRange(v.startIndex..<v.endIndex, in: v)
                let hit = regex?.firstMatch(in: v, options: [], range: range) != nil
                return op == .matches ? hit : !hit
            }
        }
    }

    public var matchers: [Matcher]

    /// Matches everything.
    public init(_ matchers: [Matcher] = []) { self.matchers = matchers }

    /// Equality matchers.
    public init(_ equal: [String: String]) {
        matchers = equal.sorted { $0.key < $1.key }.compactMap { try? Matcher(name: $0.key, op: .equal, value: $0.value) }
    }

    /// Parses matchers as written inside PromQL braces (`a="x", b!~"y.*"`).
    /// - Throws: `PerfScopeError.configuration` naming `what` when the text is not matchers.
    public init(matchers text: String, what: String = "label matchers") throws {
        var result: [Matcher] = []
        let chars = Array(text)
        var i = 0
        func fail(_ why: String) -> PerfScopeError {
            .configuration("\(what): cannot read \"\(text)\" as label matchers (\(why)): write them as in PromQL braces, e.g. device!~\"(dm-|loop).*\"")
        }
        func skipSpace() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        while true {
            skipSpace()
            if i >= chars.count { break }
            var name = ""
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
                name.append(chars[i])
                i += 1
            }
            guard !name.isEmpty else { throw fail("a label name is expected at position \(i + 1)") }
            skipSpace()
            var opText = ""
            while i < chars.count, "=!~".contains(chars[i]), opText.count < 2 {
                opText.append(chars[i])
                i += 1
            }
            guard let op = Operator(rawValue: opText) else { throw fail("unknown operator \"\(opText)\" after \(name)") }
            skipSpace()
            guard i < chars.count, chars[i] == "\"" || chars[i] == "'" || chars[i] == "`" else { throw fail("a quoted value is expected after \(name)\(opText)") }
            let quote = chars[i]
            i += 1
            var value = ""
            var closed = false
            while i < chars.count {
                let c = chars[i]
                if c == quote { closed = true; i += 1; break }
                if c == "\\", quote != "`", i + 1 < chars.count {
                    let n = chars[i + 1]
                    switch n {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    default: value.append(n)
                    }
                    i += 2
                    continue
                }
                value.append(c)
                i += 1
            }
            guard closed else { throw fail("unterminated quoted value for \(name)") }
            result.append(try Matcher(name: name, op: op, value: value))
            skipSpace()
            if i < chars.count {
                guard chars[i] == "," else { throw fail("a comma is expected at position \(i + 1)") }
                i += 1
            }
        }
        matchers = result
    }

    public func matches(_ labels: [String: String]) -> Bool { matchers.allSatisfy { $0.matches(labels) } }

    /// Both filters.
    public func and(_ other: SnapshotLabelFilter) -> SnapshotLabelFilter { SnapshotLabelFilter(matchers + other.matchers) }
}
