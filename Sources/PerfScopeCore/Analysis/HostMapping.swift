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
}
