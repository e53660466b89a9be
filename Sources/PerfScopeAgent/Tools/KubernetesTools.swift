import Foundation
import PerfScopeCollect
import PerfScopeCore

/// Kubernetes/OpenShift discovery through the API server, read-only. The kubeconfig is the
/// server's own (`KUBECONFIG` or `~/.kube/config`, token from `PERFSCOPE_KUBE_TOKEN`), never a
/// tool argument: a caller must not point perfscope at arbitrary files or clusters.
public enum KubernetesTools {
    public static let all: [ToolDefinition] = [clusterInfo]

    static let clusterInfo = ToolDefinition(
        name: "get_kubernetes_cluster_info", title: "Kubernetes/OpenShift cluster discovery",
        description: "Reads the server's kubeconfig and the Kubernetes API (read-only): version, OpenShift version and channel, platform, "
            + "nodes with roles, capacity and allocatable, etcd pods mapped to nodes (memberNodes: etcd instance → node), "
            + "and the discovered Prometheus (OpenShift thanos-querier route or an in-cluster service).",
        parameters: []) { _, _ in
        try await run(environment: ProcessInfo.processInfo.environment)
    }

    static func run(environment: [String: String]) async throws -> ToolOutput {
        guard Kubeconfig.defaultPaths(environment: environment).contains(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw PerfScopeError.notFound("no kubeconfig configured for the server (set KUBECONFIG or ~/.kube/config where perfscope runs)")
        }
        let connection = try KubeConnection.resolve(environment: environment)
        let info = try await ClusterDiscovery.discover(connection)
        return ToolOutput(summary: summary(info), structured: try JSONValue(encoding: info))
    }

    static func summary(_ info: ClusterInfo) -> String {
        var parts = ["Cluster \(info.context) at \(info.server): Kubernetes \(info.kubernetesVersion ?? "unknown")"]
        if let os = info.openShift { parts[0] += ", OpenShift \(os.version ?? "?")" + (os.channel.map { " (\($0))" } ?? "") }
        if let platform = info.platform { parts[0] += ", platform \(platform)" }
        let roles = Dictionary(info.nodes.flatMap { n in (n.roles.isEmpty ? ["none"] : n.roles).map { ($0, 1) } }, uniquingKeysWith: +)
        parts.append("\(info.nodes.count) nodes (" + roles.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")")
        parts.append("\(info.etcdMembers.count) etcd members: "
            + info.etcdMembers.map { "\($0.pod) on \($0.node ?? "?")" }.joined(separator: ", "))
        if let p = info.prometheus {
            parts.append("Prometheus \(p.url) from \(p.source)" + (p.inClusterOnly ? " (in-cluster only)" : ""))
        } else {
            parts.append("no Prometheus discovered")
        }
        if !info.notes.isEmpty { parts.append("not read: " + info.notes.joined(separator: "; ")) }
        return parts.joined(separator: "; ") + "."
    }
}
