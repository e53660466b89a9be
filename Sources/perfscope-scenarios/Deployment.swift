import Foundation

/// Where the members and hosts of a scenario live and how their series are labelled.
struct Deployment {
    struct Member {
        var cluster: Int
        var index: Int
        var instance: String
        var id: String
        var host: Int
        var labels: Labels
        /// Global indices of the other members of the same cluster.
        var peers: [Int] = []
    }

    struct Host {
        var instance: String
        var labels: Labels
    }

    var members: [Member] = []
    var hosts: [Host] = []
    /// etcd instance → node-exporter instance, when the host parts differ (perfscope.yaml `members:`).
    var mapping: [String: String] = [:]
    var mappingReason: String?

    /// `slot` keeps every scenario's addresses apart, so no series continues across scenarios.
    init(_ v: Variant, slot: Int, rng: inout SplitMix64) {
        let net = 10 + slot
        let ports = [2379, 22379, 32379]
        let hostCount = v.clusterLabel ? v.clusters * v.members : (v.clusters > 1 ? max(v.clusters, v.members) : (v.colocated ? 1 : v.members))
        func fleetName(_ c: Int) -> String { String(format: "fleet-%03d", c) }
        for h in 0..<hostCount {
            let ip = "10.\(net).\(h / 200).\(11 + h % 200)"
            let nodeName: String
            switch v.style {
            case .openshift: nodeName = "ip-10-\(net)-\(h / 200)-\(11 + h % 200).ec2.internal"
            case .kubePrometheus: nodeName = "k8s-cp-\(h).s\(slot).cluster.local"
            case .hostnames: nodeName = "etcd-\(h).s\(slot).example"
            case .plain: nodeName = ip
            }
            let labels: Labels
            switch v.style {
            case .plain: labels = [("instance", "\(ip):9100"), ("job", "node")]
            case .hostnames: labels = [("instance", "\(nodeName):9100"), ("job", "node-exporter")]
            case .openshift:
                labels = [("container", "kube-rbac-proxy"), ("endpoint", "https"), ("instance", nodeName), ("job", "node-exporter"),
                          ("namespace", "openshift-monitoring"), ("pod", "node-exporter-\(String(rng.memberID().prefix(5)))"), ("service", "node-exporter")]
            case .kubePrometheus:
                labels = [("container", "node-exporter"), ("endpoint", "http-metrics"), ("instance", nodeName), ("job", "node-exporter"),
                          ("namespace", "monitoring"), ("pod", "node-exporter-\(String(rng.memberID().prefix(5)))"), ("service", "node-exporter")]
            }
            hosts.append(Host(instance: labels.first { $0.0 == "instance" }!.1,
                              labels: v.clusterLabel ? [("cluster", fleetName(h / v.members))] + labels : labels))
            hostIPs.append(ip)
            nodeNames.append(nodeName)
        }
        for c in 0..<v.clusters {
            let first = members.count
            for j in 0..<v.members {
                let h: Int
                if v.clusterLabel { h = c * v.members + j } else if v.clusters > 1 { h = (c + j) % hostCount } else { h = v.colocated ? 0 : j }
                let port = v.colocated || (v.clusters > 1 && !v.clusterLabel) ? ports[j % ports.count] : 2379
                let ip = hostIPs[h], node = nodeNames[h]
                let instance: String
                var labels: Labels
                switch v.style {
                case .plain:
                    instance = "\(ip):\(port)"
                    labels = [("instance", instance), ("job", "etcd")]
                case .hostnames:
                    instance = "\(node):\(port)"
                    labels = [("instance", instance), ("job", "etcd")]
                case .openshift:
                    instance = "\(ip):\(9979 + (port - 2379) / 10000)"
                    labels = [("endpoint", "etcd-metrics"), ("instance", instance), ("job", "etcd"), ("namespace", "openshift-etcd"),
                              ("pod", "etcd-\(node)"), ("service", "etcd")]
                case .kubePrometheus:
                    instance = "\(ip):\(2381 + (port - 2379) / 10000 * 10)"
                    labels = [("endpoint", "http-metrics"), ("instance", instance), ("job", "kube-etcd"), ("namespace", "kube-system"),
                              ("pod", "etcd-\(node)"), ("service", "kube-prometheus-kube-etcd")]
                }
                if v.clusterLabel { labels.insert(("cluster", fleetName(c)), at: 0) }
                members.append(Member(cluster: c, index: j, instance: instance, id: rng.memberID(), host: h, labels: labels))
                if v.style == .openshift || v.style == .kubePrometheus {
                    mapping[instance] = hosts[h].instance
                }
            }
            let all = Array(first..<members.count)
            for i in all { members[i].peers = all.filter { $0 != i } }
        }
        if !mapping.isEmpty {
            mappingReason = "node-exporter's instance label is the Kubernetes node name (relabelled from __meta_kubernetes_pod_node_name), etcd's is the pod IP and metrics port: the host parts differ, so members: maps them"
        }
    }

    private var hostIPs: [String] = []
    private var nodeNames: [String] = []

    func membersOn(host h: Int) -> [Int] { members.indices.filter { members[$0].host == h } }

    /// The perfscope.yaml this deployment needs, or nil.
    var configYAML: String? {
        guard !mapping.isEmpty else { return nil }
        var text = "# Generated by perfscope-scenarios: etcd instance -> node-exporter instance.\nmembers:\n"
        for (etcd, node) in mapping.sorted(by: { $0.key < $1.key }) { text += "  \"\(etcd)\": \"\(node)\"\n" }
        return text
    }
}
