import Foundation

/// What the Kubernetes/OpenShift API said about the cluster under the etcd being analysed, for
/// the report header: a reader sees which cluster, distribution and platform the numbers are
/// from, and which node each etcd member runs on (the host its findings attach to).
public struct ClusterContext: Sendable, Codable, Equatable {
    /// The kubeconfig context's cluster name (or `cluster:` from perfscope.yaml).
    public var name: String
    /// `OpenShift 4.14.8` or `Kubernetes v1.29.5`.
    public var distribution: String
    /// `AWS`, `BareMetal`, `gce`… when known.
    public var platform: String?
    public var nodes: Int
    public var controlPlaneNodes: Int
    /// etcd pod → node.
    public var etcdMembers: [String: String]
    /// Where the Prometheus in use came from (`route openshift-monitoring/thanos-querier`), nil when configured by hand.
    public var prometheusSource: String?

    public init(name: String, distribution: String, platform: String?, nodes: Int, controlPlaneNodes: Int,
                etcdMembers: [String: String], prometheusSource: String?) {
        self.name = name
        self.distribution = distribution
        self.platform = platform
        self.nodes = nodes
        self.controlPlaneNodes = controlPlaneNodes
        self.etcdMembers = etcdMembers
        self.prometheusSource = prometheusSource
    }

    /// One line for the report headers: `prod-east — OpenShift 4.14.8 on AWS, 6 nodes (3 control plane); etcd on master-0, master-1, master-2`.
    public var headline: String {
        var text = "\(name) — \(distribution)" + (platform.map { " on \($0)" } ?? "")
        text += ", \(nodes) node\(nodes == 1 ? "" : "s") (\(controlPlaneNodes) control plane)"
        let hosts = Array(Set(etcdMembers.values)).sorted()
        if !hosts.isEmpty { text += "; etcd on " + hosts.joined(separator: ", ") }
        if let prometheusSource { text += "; Prometheus from \(prometheusSource)" }
        return text
    }
}
