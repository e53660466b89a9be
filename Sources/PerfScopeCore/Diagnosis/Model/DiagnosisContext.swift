import Foundation

/// One etcd member as the diagnosis knows it: its instance, the node-exporter instance of its
/// host (when one could be tied), its raft ID (peer RTT's `To` label) and its pod (cAdvisor).
struct Member: Sendable, Equatable {
    let instance: String
    let host: String?
    let id: String?
    let pod: String?
}

/// Everything the rules read, resolved once: the members and their hosts, every diagnosis
/// metric as a trace on the common timeline (per member: its own etcd series, its host's
/// node-exporter series, its container's cAdvisor series), and the catalog's levels. Pure.
struct DiagnosisContext: Sendable {
    let timeline: Timeline
    let members: [Member]
    let catalog: [String: CatalogMetric]
    let scales: [String: Scale]
    let summaries: [String: [MetricSummary]]
    /// `metric|member index` → trace.
    private let traces: [String: Trace]
    /// `from index>to index` → peer round-trip trace.
    private let pairs: [String: Trace]
    /// `from index>to index` → peer send failures per second.
    private let failurePairs: [String: Trace]
    /// Points a `rate()` range spans: onsets smear over it.
    let ratePoints: Int
    /// The `rate()` range in seconds.
    let rateSeconds: Double

    init(_ input: Diagnosis.Input) {
        let catalog = Dictionary(input.catalog.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.catalog = catalog
        scales = catalog.compactMapValues { Scale($0.thresholds) }
        let summaries = Dictionary(grouping: input.summaries, by: \.metric)
        self.summaries = summaries
        let timeline = Timeline(window: input.window, series: input.series)
        self.timeline = timeline
        rateSeconds = input.rateSeconds ?? 300
        ratePoints = timeline.count > 1 ? max(1, min(timeline.count, CheckedNumber.rounded((input.rateSeconds ?? 300) / timeline.step) ?? 1)) : 0
        let members = Self.members(input, catalog: catalog)
        self.members = members
        let series = Dictionary(grouping: input.series, by: \.metric)

        var traces: [String: Trace] = [:]
        for metric in DiagnosisMetric.allCases where metric != .peerRTT {
            guard let m = catalog[metric.rawValue] else { continue }
            let below = m.thresholds?.direction == .below
            for (i, member) in members.enumerated() {
                let matches: (String, [String: String]) -> Bool
                if m.usesEtcdSelector {
                    matches = { instance, _ in instance == member.instance }
                } else if m.labels.contains("pod") {
                    guard let pod = member.pod else { continue }
                    matches = { _, labels in labels["pod"] == pod }
                } else {
                    guard let host = member.host else { continue }
                    matches = { instance, _ in instance == host }
                }
                let timed = (series[metric.rawValue] ?? []).filter { matches($0.instance, $0.labels) }
                if !timed.isEmpty {
                    traces["\(metric.rawValue)|\(i)"] = Self.combine(timed, timeline: timeline, below: below)
                } else if let values = summaries[metric.rawValue]?.filter({ matches($0.instance, $0.labels) }).map({ $0.stats.value(m.statistic) }), !values.isEmpty {
                    let worst = below ? values.min()! : values.max()!
                    traces["\(metric.rawValue)|\(i)"] = Trace(values: Array(repeating: worst, count: timeline.count), timeless: true)
                }
            }
        }
        self.traces = traces

        let index = Dictionary(members.enumerated().compactMap { i, m in m.id.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        func byPair(_ metric: DiagnosisMetric) -> [String: Trace] {
            var out: [String: Trace] = [:]
            let timed = series[metric.rawValue] ?? []
            for (i, member) in members.enumerated() {
                let mine = timed.filter { $0.instance == member.instance }
                for s in mine {
                    guard let to = s.labels["To"].flatMap({ index[$0] }) else { continue }
                    out["\(i)>\(to)"] = Self.combine([s], timeline: timeline, below: false)
                }
                if mine.isEmpty {
                    for s in summaries[metric.rawValue] ?? [] where s.instance == member.instance {
                        guard let to = s.labels["To"].flatMap({ index[$0] }) else { continue }
                        out["\(i)>\(to)"] = Trace(values: Array(repeating: s.stats.avg, count: timeline.count), timeless: true)
                    }
                }
            }
            return out
        }
        self.pairs = byPair(.peerRTT)
        self.failurePairs = byPair(.peerFailures)
    }

    static func members(_ input: Diagnosis.Input, catalog: [String: CatalogMetric]) -> [Member] {
        let etcdNames = Set(catalog.values.filter(\.usesEtcdSelector).map(\.name))
        let instances = Set(input.summaries.filter { ["member_up", "has_leader", "wal_fsync_p99"].contains($0.metric) }.map(\.instance)).sorted()
        let nodes = Set(input.summaries.filter { !etcdNames.contains($0.metric) && !$0.instance.isEmpty }.map(\.instance)).sorted()
        return instances.map { instance in
            let id = input.summaries.first { $0.metric == DiagnosisMetric.memberID.rawValue && $0.instance == instance }?.labels["server_id"]
            let pod = input.summaries.first { $0.metric == DiagnosisMetric.memberPod.rawValue && $0.instance == instance }?.labels["pod"]
            return Member(instance: instance, host: HostMapping.nodeInstance(forEtcd: instance, among: nodes, explicit: input.explicitHosts), id: id, pod: pod)
        }
    }

    /// Several series of one metric on one member or host (devices, NICs): the worst value per point.
    /// A series coarser than the timeline (a fleet's diagnosis series) holds each value until its
    /// next point.
    static func combine(_ series: [TimeSeries], timeline: Timeline, below: Bool) -> Trace {
        var values = [Double](repeating: .nan, count: timeline.count)
        for s in series {
            let spacing = zip(s.times, s.times.dropFirst()).map { $1 - $0 }.min() ?? 0
            let hold = timeline.step > 0 && spacing > timeline.step * 1.5 ? max(0, CheckedNumber.rounded(spacing / timeline.step) ?? 0) : 1
            for (t, v) in zip(s.times, s.values) where v.isFinite {
                guard let first = timeline.index(of: t) else { continue }
                for i in first..<min(timeline.count, first + hold) {
                    values[i] = values[i].isNaN ? v : (below ? min(values[i], v) : max(values[i], v))
                }
            }
        }
        return Trace(values: values)
    }

    func trace(_ metric: DiagnosisMetric, _ member: Int) -> Trace? { traces["\(metric.rawValue)|\(member)"] }

    func pair(_ from: Int, _ to: Int) -> Trace? { pairs["\(from)>\(to)"] }

    func failures(_ from: Int, _ to: Int) -> Trace? { failurePairs["\(from)>\(to)"] }

    var pairKeys: [(from: Int, to: Int)] {
        members.indices.flatMap { i in members.indices.filter { $0 != i && pair(i, $0) != nil }.map { (i, $0) } }
    }

    /// Strength of a value of `metric` against its catalog levels (0 when it has none).
    func strength(_ metric: DiagnosisMetric, _ value: Double) -> Double {
        scales[metric.rawValue]?.strength(value) ?? 0
    }

    func format(_ metric: DiagnosisMetric, _ value: Double?) -> String {
        guard let value, value.isFinite else { return "n/a" }
        return catalog[metric.rawValue]?.unit.format(value) ?? String(value)
    }

    func time(_ i: Int) -> Date { Date(timeIntervalSince1970: timeline.time(i)) }

    /// Members sharing a host with `member` (colocated members: the lab, dev clusters).
    func neighbours(of member: Int) -> [Int] {
        guard let host = members[member].host else { return [] }
        return members.indices.filter { $0 != member && members[$0].host == host }
    }

    /// Evidence row for `metric` on `member` (or its host/pod), holding `value` against the
    /// level it crossed, else the least severe one.
    func evidence(_ metric: DiagnosisMetric, _ member: Int, value: Double, note: String? = nil) -> Evidence? {
        guard let m = catalog[metric.rawValue], value.isFinite else { return nil }
        let instance: String
        if m.usesEtcdSelector { instance = members[member].instance } else if m.labels.contains("pod") { instance = members[member].pod ?? members[member].instance } else { instance = members[member].host ?? members[member].instance }
        let threshold = m.thresholds?.evaluate(value)?.threshold ?? m.thresholds?.levels.last?.1
        let query = summaries[metric.rawValue]?.first?.query
        return Evidence(metric: metric.rawValue, value: m.unit.evidenceValue(value), threshold: threshold.map(m.unit.evidenceValue),
                        unit: m.unit.evidenceUnit, instance: instance, query: query, note: note)
    }
}
