import Foundation
import PerfScopeCore

/// Ties etcd members (from the member list) to the Prometheus `instance` label of their metrics.
///
/// Prometheus sets `instance` to the scraped `host:port`. When etcd is scraped on its client
/// URL that is exactly the host:port of a client URL; when it is scraped on a separate
/// `--listen-metrics-urls` port (kubeadm 2381, OpenShift 9979) only the host matches.
public enum EtcdInstanceMapping {
    /// `http://10.0.0.1:2379` → `10.0.0.1:2379`; `https://[fd00::1]:2379` → `[fd00::1]:2379`;
    /// no port → the scheme's default (80/443), as Prometheus does. Hosts are lowercased.
    /// nil for text that is not an http(s) URL with a host (e.g. `unix://…`).
    public static func instance(forClientURL text: String) -> String? {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        host = host.lowercased()
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The `instance` values a member's metrics may carry: the host:port of each client URL.
    public static func instances(of member: EtcdClusterStatus.Member) -> [String] {
        var result: [String] = []
        for url in member.clientURLs {
            if let i = instance(forClientURL: url), !result.contains(i) { result.append(i) }
        }
        return result
    }

    /// Maps each Prometheus `instance` to the hex ID of the member it belongs to.
    ///
    /// An instance matches a member when it equals the host:port of one of its client URLs;
    /// failing that, when its host is the host of exactly one member's client or peer URLs
    /// (metrics on a separate port). Instances that match nothing, or only ambiguously (several
    /// members on one host, as in a lab on loopback), are left out.
    public static func memberIDs(byInstance instances: [String], members: [EtcdClusterStatus.Member]) -> [String: String] {
        var exact: [String: String] = [:]
        var byHost: [String: Set<String>] = [:]
        for member in members {
            for i in Self.instances(of: member) { exact[i] = member.id }
            for url in member.clientURLs + member.peerURLs {
                if let i = Self.instance(forClientURL: url) { byHost[HostMapping.host(of: i), default: []].insert(member.id) }
            }
        }
        var result: [String: String] = [:]
        for instance in instances {
            let normalized = normalize(instance)
            if let id = exact[normalized] {
                result[instance] = id
            } else if let ids = byHost[HostMapping.host(of: normalized)], ids.count == 1, let id = ids.first {
                result[instance] = id
            }
        }
        return result
    }

    /// Lowercases the host of an `instance` (`Host:2379` → `host:2379`) so it compares with URLs.
    static func normalize(_ instance: String) -> String {
        instance.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
