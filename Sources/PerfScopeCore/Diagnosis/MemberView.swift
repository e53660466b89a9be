/// Everything the root-cause rules know about one etcd member and the host it runs on, read
/// from the collected summaries by catalog metric name. `nil` means "not measured" — a rule
/// never treats a missing value as zero.
public struct MemberView: Sendable, Equatable {
    public var instance: String
    /// The node-exporter instance of the member's host, when one could be tied to it.
    public var host: String?
    /// Hex member ID (etcd_server_id), used to read peer RTT `To` labels.
    public var memberID: String?
    public var isLeader: Bool

    public var values: [String: Double] = [:]

    /// A value by catalog metric name (window statistic chosen by the catalog entry).
    public subscript(_ metric: String) -> Double? { values[metric] }

    /// Builds one view per etcd member. Host metrics come from the node instance matched by
    /// `HostMapping`; per-device/interface host metrics take the worst device.
    public static func build(summaries: [MetricSummary], catalog: [CatalogMetric],
                             explicitHosts: [String: String] = [:]) -> [MemberView] {
        let byName = Dictionary(catalog.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let etcdNames = Set(catalog.filter(\.usesEtcdSelector).map(\.name))
        let members = Set(summaries.filter { $0.metric == "member_up" || $0.metric == "has_leader" || $0.metric == "wal_fsync_p99" }
            .map(\.instance)).sorted()
        let nodeInstances = Set(summaries.filter { !etcdNames.contains($0.metric) }.map(\.instance)).sorted()

        func stat(_ s: MetricSummary) -> Double {
            s.stats.value(byName[s.metric]?.statistic ?? .avg)
        }
        func worst(_ metric: String, _ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            return byName[metric]?.thresholds?.direction == .below ? values.min() : values.max()
        }

        return members.map { instance in
            var view = MemberView(instance: instance, host: nil, memberID: nil, isLeader: false)
            view.host = HostMapping.nodeInstance(forEtcd: instance, among: nodeInstances, explicit: explicitHosts)
            var grouped: [String: [Double]] = [:]
            for s in summaries {
                if etcdNames.contains(s.metric) {
                    guard s.instance == instance else { continue }
                    if s.metric == "member_id" { view.memberID = s.labels["server_id"] }
                    if s.metric == "is_leader" { view.isLeader = s.stats.last >= 0.5 }
                    if s.metric == "peer_rtt_p99" { continue }
                } else {
                    guard let host = view.host, s.instance == host else { continue }
                }
                grouped[s.metric, default: []].append(stat(s))
            }
            for (metric, values) in grouped {
                view.values[metric] = worst(metric, values)
            }
            return view
        }
    }

    /// Peer RTT p99 (window avg) from each member to each peer: `[from instance: [to member ID: seconds]]`.
    public static func peerRTT(summaries: [MetricSummary]) -> [String: [String: Double]] {
        var out: [String: [String: Double]] = [:]
        for s in summaries where s.metric == "peer_rtt_p99" {
            if let to = s.labels["To"] { out[s.instance, default: [:]][to] = s.stats.avg }
        }
        return out
    }
}
