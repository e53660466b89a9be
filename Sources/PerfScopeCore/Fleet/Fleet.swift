import Foundation

/// A fleet: many etcd clusters behind one Prometheus (Thanos, Mimir…), told apart by one label
/// (`cluster`, from each cluster's external labels). Every catalog metric stays one query for
/// the whole fleet — grouped by that label as well — and the answers are split per cluster, so
/// the query count does not grow with the number of clusters.
public enum Fleet {
    /// `query` with `label` added to every `by (…)` and `on (…)` clause, so aggregations and
    /// joins keep clusters apart (two clusters may well reuse the same instance addresses).
    public static func grouped(_ query: String, by label: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: #"\b(by|on)\s*\(([^()]*)\)"#) else { return query }
        let ns = query as NSString
        var out = ""
        var last = 0
        for match in regex.matches(in: query, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            let keyword = ns.substring(with: match.range(at: 1))
            let inner = ns.substring(with: match.range(at: 2))
            let labels = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            out += "\(keyword) (" + (labels.contains(label) ? labels : [label] + labels).joined(separator: ", ") + ")"
            last = match.range.location + match.range.length
        }
        return out + ns.substring(from: last)
    }

    /// One cluster's share of a fleet collection.
    public struct Part: Sendable {
        public var summaries: [MetricSummary]
        public var series: [TimeSeries]

        public init(summaries: [MetricSummary] = [], series: [TimeSeries] = []) {
            self.summaries = summaries
            self.series = series
        }
    }

    /// The name used for series that carry no fleet label at all.
    public static let unlabelled = "(no cluster label)"

    /// Splits summaries and series by the value of `label`, and drops that label so each
    /// cluster's data looks like a single-cluster collection.
    public static func split(summaries: [MetricSummary], series: [TimeSeries], label: String) -> [String: Part] {
        var parts: [String: Part] = [:]
        for var s in summaries {
            let name = s.labels.removeValue(forKey: label) ?? unlabelled
            parts[name, default: Part(summaries: [], series: [])].summaries.append(s)
        }
        for var t in series {
            let name = t.labels.removeValue(forKey: label) ?? unlabelled
            parts[name, default: Part(summaries: [], series: [])].series.append(t)
        }
        return parts
    }

    /// One row of the fleet table.
    public struct Row: Sendable, Codable, Equatable {
        public var cluster: String
        public var reportID: String
        public var grade: Grade
        /// `disk on 10.0.0.2:2379 (high)`; nil when healthy.
        public var topRootCause: String?
        /// The most severe finding's title and severity; nil when there is none above info.
        public var worstFinding: String?
        public var members: Int

        public init(cluster: String, report: Report) {
            self.cluster = cluster
            reportID = report.id
            grade = report.grade
            topRootCause = report.rootCauses.first.map { "\($0.category.rawValue) on \($0.instances.joined(separator: ", ")) (\($0.likelihood.rawValue))" }
            worstFinding = report.findings.filter { $0.severity > .info && !$0.id.hasPrefix("rca.") }.max { $0.severity < $1.severity }
                .map { "\($0.title) [\($0.severity.rawValue)]" }
            members = Set(report.metrics.filter { $0.metric == "member_up" }.map(\.instance)).count
        }
    }

    /// Worst grade first, then by name: the clusters to look at come first.
    public static func table(_ reports: [(cluster: String, report: Report)]) -> [Row] {
        table(rows: reports.map { Row(cluster: $0.cluster, report: $0.report) })
    }

    public static func table(rows: [Row]) -> [Row] {
        rows.sorted { (rank($0.grade), $0.cluster) < (rank($1.grade), $1.cluster) }
    }

    static func rank(_ grade: Grade) -> Int { [Grade.critical, .poor, .fair, .good, .excellent].firstIndex(of: grade) ?? 0 }
}
