import Foundation
import PerfScopeCore

/// How a discovered cluster feeds an analysis: its name and shape for the report header, its
/// etcd member → node map for tying members to their node-exporter, and its Prometheus when
/// none was configured by hand.
extension ClusterInfo {
    /// The report header's view of the cluster.
    public func context(name: String?) -> ClusterContext {
        let distribution = openShift.map { "OpenShift \($0.version ?? "?")" } ?? "Kubernetes \(kubernetesVersion ?? "?")"
        let controlPlane = nodes.filter { $0.roles.contains("master") || $0.roles.contains("control-plane") }.count
        let members = Dictionary(etcdMembers.compactMap { m in m.node.map { ("\(m.namespace)/\(m.pod)", $0) } }, uniquingKeysWith: { a, _ in a })
        return ClusterContext(name: name ?? (context.isEmpty ? server : context), distribution: distribution, platform: platform,
                              nodes: nodes.count, controlPlaneNodes: controlPlane, etcdMembers: members, prometheusSource: nil)
    }

    /// The config with the cluster's member → node-exporter map added under the configured
    /// `members:` (which win), and the cluster name when none is configured.
    public func applied(to config: PerfScopeConfig, clusterName: String) -> PerfScopeConfig {
        var out = config
        out.members = nodeExporterMapping().merging(config.members) { _, configured in configured }
        if out.cluster == nil { out.cluster = clusterName }
        return out
    }

    /// The Prometheus to use when none is configured: a reachable discovered URL (OpenShift's
    /// Thanos Querier, with the kubeconfig token), or nil with the reason (an in-cluster-only
    /// service address, or nothing found) for a warning.
    public var usablePrometheus: (prometheus: DiscoveredPrometheus?, reason: String?) {
        guard let prometheus else { return (nil, "no Prometheus discovered in the cluster: pass --prometheus") }
        if prometheus.inClusterOnly {
            return (nil, "the discovered Prometheus \(prometheus.url) is in-cluster only — \(prometheus.note ?? "port-forward it and pass --prometheus")")
        }
        return (prometheus, nil)
    }
}
