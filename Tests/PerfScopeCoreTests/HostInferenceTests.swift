import Foundation
import PerfScopeCore
import Testing

@Suite struct HostInferenceTests {
    static func pod(_ instance: String, _ pod: String?) -> MetricSummary {
        MetricSummary(metric: "member_pod", subsystem: "status", instance: instance, labels: pod.map { ["pod": $0] } ?? [:],
                      unit: .count, stats: WindowStatistics(values: [1])!, query: "q")
    }

    /// OpenShift / kubeadm: etcd's instance is IP:port, node-exporter's is the node name, and the
    /// static pod is etcd-<node name>.
    @Test func staticPodNamesTieMembersToNodes() {
        let nodes = ["ip-10-0-1-11.ec2.internal", "ip-10-0-1-12.ec2.internal", "master-2.example:9100"]
        let summaries = [Self.pod("10.0.1.11:9979", "etcd-ip-10-0-1-11.ec2.internal"), Self.pod("10.0.1.12:9979", "etcd-IP-10-0-1-12.ec2.internal"),
                         Self.pod("10.0.1.13:2379", "etcd-master-2.example"), Self.pod("10.0.1.14:2379", "kube-apiserver-x"), Self.pod("10.0.1.15:2379", nil)]
        let map = HostMapping.inferred(from: summaries, nodes: nodes)
        #expect(map == ["10.0.1.11:9979": "ip-10-0-1-11.ec2.internal", "10.0.1.12:9979": "ip-10-0-1-12.ec2.internal",
                        "10.0.1.13:2379": "master-2.example:9100"])
    }
}
