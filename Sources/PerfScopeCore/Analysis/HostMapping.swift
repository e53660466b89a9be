/// Ties an etcd member's series to its host's node-exporter series: by an explicit map from
/// the config, else by the host part of `instance` (before the port).
public enum HostMapping {
    /// `10.0.0.1:2379` → `10.0.0.1`; `[fd00::1]:2379` → `fd00::1`; `etcd-0.etcd:2379` → `etcd-0.etcd`; no port → unchanged.
    public static func host(of instance: String) -> String {
        if instance.hasPrefix("["), let close = instance.firstIndex(of: "]") {
            return String(instance[instance.index(after: instance.startIndex)..<close])
        }
        let colons = instance.filter { $0 == ":" }.count
        if colons == 1, let colon = instance.lastIndex(of: ":") {
            return String(instance[..<colon])
        }
        return instance // bare IPv6 or no port
    }

    /// The node-exporter instance for an etcd instance, or nil when none matches.
    public static func nodeInstance(forEtcd etcd: String, among nodes: [String], explicit: [String: String] = [:]) -> String? {
        if let mapped = explicit[etcd] { return mapped }
        let h = host(of: etcd)
        if let mapped = explicit[h] { return mapped }
        // Host names are case-insensitive.
        return nodes.first { host(of: $0).lowercased() == h.lowercased() }
    }

    /// Mappings the data itself gives when host parts differ: Kubernetes runs etcd as the
    /// static pod `etcd-<node name>` (kubeadm, OpenShift), and kube-prometheus and OpenShift label
    /// node-exporter's `instance` with that node name, while etcd's `instance` is `IP:2379`,
    /// `IP:2381` or `IP:9979`. Reads the `member_pod` catalog metric (instance, pod).
    public static func inferred(from summaries: [MetricSummary], nodes: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for s in summaries where s.metric == "member_pod" {
            guard let pod = s.labels["pod"], pod.hasPrefix("etcd-"), !s.instance.isEmpty else { continue }
            let node = String(pod.dropFirst("etcd-".count)).lowercased()
            if let match = nodes.first(where: { host(of: $0).lowercased() == node || $0.lowercased() == node }) {
                out[s.instance] = match
            }
        }
        return out
    }
}
