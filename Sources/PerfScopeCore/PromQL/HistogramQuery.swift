import Foundation

/// Turns any Prometheus histogram a user names into catalog metrics for its p50, p95 and p99,
/// so `perfscope latency --metric NAME` runs through the same collector, statistics, latency
/// analysis and renderers as the built-in catalog.
public enum HistogramQuery {
    public static let quantiles: [(name: String, q: Double)] = [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)]

    /// `etcd_disk_wal_fsync_duration_seconds_bucket` → `etcd_disk_wal_fsync_duration_seconds`.
    /// Throws invalid input for anything that is not a metric name.
    public static func baseName(_ name: String) throws -> String {
        var base = name.trimmingCharacters(in: .whitespaces)
        for suffix in ["_bucket", "_sum", "_count"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        let valid = !base.isEmpty && base.first.map { $0.isLetter || $0 == "_" || $0 == ":" } == true
            && base.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == ":" }
        guard valid else {
            throw PerfScopeError.invalidInput("invalid --metric \"\(name)\": give a histogram's metric name, e.g. etcd_disk_wal_fsync_duration_seconds")
        }
        return base
    }

    /// Catalog metrics `<base>_p50/_p95/_p99`, grouped `by` labels, filtered by `selector`
    /// (label matchers, already validated), judged against `threshold` at p99 when given.
    public static func metrics(for name: String, selector: String, by: [String], threshold: Double?) throws -> [CatalogMetric] {
        let base = try baseName(name)
        if let problem = PromQL.validateMatchers(selector) {
            throw PerfScopeError.invalidInput("invalid --selector \(selector): \(problem)")
        }
        if selector.contains("$") { throw PerfScopeError.invalidInput("invalid --selector \(selector): \"$\" is not allowed (it would be read as a placeholder)") }
        if let bad = by.first(where: { l in l.isEmpty || l == "le" || !l.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" } }) {
            throw PerfScopeError.invalidInput("invalid --by \"\(bad)\": give label names like instance or grpc_method")
        }
        let unit: MetricUnit = base.hasSuffix("_seconds") ? .seconds : (base.hasSuffix("_bytes") ? .bytes : .count)
        let category: Category = ["fsync", "commit", "disk"].contains(where: base.contains) ? .disk
            : (["network", "peer", "rtt"].contains(where: base.contains) ? .network : .load)
        let group = by.joined(separator: ", ")
        return quantiles.map { label, q in
            let selectorText = selector.isEmpty ? "" : "{\(selector)}"
            var m = CatalogMetric(
                name: "\(base)_\(label)", group: "latency", subsystem: "latency",
                title: "\(base) \(label)", description: "\(label) of \(base) per \(group) from its histogram buckets.",
                query: "histogram_quantile(\(q), sum by (\(group.isEmpty ? "" : group + ", ")le) (rate(\(base)_bucket\(selectorText)[$rate])))",
                unit: unit, labels: by.isEmpty ? ["instance"] : by, statistic: .avg,
                thresholds: label == "p99" ? threshold.map { Thresholds(direction: .above, medium: $0) } : nil,
                category: category, requires: ["\(base)_bucket"], hides: "\(label) latency of \(base)",
                reference: "Systems Performance 2nd ed., 2.6 (latency analysis)",
                cause: label == "p99" ? "The slowest 1 % of \(base) observations exceed the threshold you set." : nil,
                action: label == "p99" ? "Find when and where: the step-change and spike findings date it; drill down by another label with --by." : nil)
            m.minRate = 60
            return m
        }
    }
}
