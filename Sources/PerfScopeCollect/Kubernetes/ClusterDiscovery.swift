import Foundation

/// Reads a cluster's shape through the Kubernetes API, read-only: version, OpenShift or not,
/// platform, node inventory, etcd pods mapped to nodes, and where its Prometheus is.
///
/// Only `/version` is required: every other read that fails (403 RBAC, 404 API group absent,
/// timeout) becomes a note in `ClusterInfo.notes` and discovery goes on.
public struct ClusterDiscovery: Sendable {
    public let client: KubernetesClient

    public init(client: KubernetesClient) {
        self.client = client
    }

    /// Discovers with a fresh client for `connection`.
    public static func discover(_ connection: KubeConnection, timeout: Duration = .seconds(15)) async throws -> ClusterInfo {
        try await KubernetesClient.withClient(connection, timeout: timeout) { try await ClusterDiscovery(client: $0).discover() }
    }

    /// The etcd metrics and client ports an etcd instance label may carry: client 2379,
    /// kubeadm metrics 2381, OpenShift metrics 9979.
    public static let etcdPorts = [2379, 2381, 9979]

    public func discover() async throws -> ClusterInfo {
        let connection = client.connection
        var info = ClusterInfo(context: connection.context, server: client.base, nodes: [], etcdMembers: [], memberNodes: [:],
                               explanation: [], notes: [])
        info.explanation.append("kubeconfig context \(connection.context.isEmpty ? "?" : connection.context) → \(client.base), auth \(connection.authentication)")

        // 1. /version: the one required read (a 401 or an unreachable server stops here).
        let version = try await client.get("/version", as: KubeAPI.Version.self)
        info.kubernetesVersion = version.gitVersion
        info.explanation.append("GET /version → \(version.gitVersion ?? "no gitVersion")")

        // 2. OpenShift: the ClusterVersion object exists only there.
        if let cv = try await optional("/apis/config.openshift.io/v1/clusterversions/version", KubeAPI.ClusterVersion.self, into: &info,
                                       absent: "not OpenShift (no config.openshift.io ClusterVersion)") {
            let completed = cv.status?.history?.first { $0.state == "Completed" }?.version
            info.openShift = .init(version: cv.status?.desired?.version ?? completed, channel: cv.spec?.channel, clusterID: cv.spec?.clusterID)
            info.explanation.append("OpenShift \(info.openShift?.version ?? "?") (channel \(cv.spec?.channel ?? "none")) from clusterversions/version")
            if let infra = try await optional("/apis/config.openshift.io/v1/infrastructures/cluster", KubeAPI.Infrastructure.self, into: &info,
                                              absent: "no infrastructures/cluster object"),
               let platform = infra.status?.platformStatus?.type ?? infra.status?.platform {
                info.platform = platform
                info.platformSource = "infrastructure/cluster"
                info.explanation.append("platform \(platform) from infrastructures/cluster")
            }
        }

        // 3. Nodes: roles, capacity, allocatable, InternalIP; platform from providerID when unknown.
        if let list = try await optional("/api/v1/nodes", KubeAPI.List<KubeAPI.Node>.self, into: &info, absent: "no nodes API") {
            info.nodes = (list.items ?? []).map(Self.node).sorted { ($0.roles.contains("master") || $0.roles.contains("control-plane") ? 0 : 1, $0.name)
                < ($1.roles.contains("master") || $1.roles.contains("control-plane") ? 0 : 1, $1.name) }
            info.explanation.append("GET /api/v1/nodes → \(info.nodes.count) nodes")
            if info.platform == nil, let scheme = Self.providerScheme(info.nodes.compactMap(\.providerID)) {
                info.platform = scheme
                info.platformSource = "node providerID"
                info.explanation.append("platform \(scheme) from node spec.providerID")
            }
        }

        // 4. etcd pods: OpenShift's operator-managed static pods, else kubeadm's.
        for (namespace, selector) in [("openshift-etcd", "app=etcd"), ("kube-system", "component=etcd")] {
            let path = "/api/v1/namespaces/\(namespace)/pods?labelSelector=\(selector.replacingOccurrences(of: "=", with: "%3D"))"
            guard let list = try await optional(path, KubeAPI.List<KubeAPI.Pod>.self, into: &info, absent: "no namespace \(namespace)") else { continue }
            let pods = (list.items ?? []).map { pod in
                ClusterInfo.EtcdMember(pod: pod.metadata.name ?? "?", namespace: pod.metadata.namespace ?? namespace, node: pod.spec?.nodeName,
                                       podIP: pod.status?.podIP ?? pod.status?.hostIP, phase: pod.status?.phase)
            }.sorted { $0.pod < $1.pod }
            info.explanation.append("etcd pods in \(namespace) (\(selector)) → \(pods.count)")
            if !pods.isEmpty {
                info.etcdMembers = pods
                break
            }
        }
        info.memberNodes = Self.memberNodes(info.etcdMembers)

        // 5. Prometheus: the Thanos Querier route on OpenShift, else a labelled service.
        if info.openShift != nil {
            if let route = try await optional("/apis/route.openshift.io/v1/namespaces/openshift-monitoring/routes/thanos-querier",
                                              KubeAPI.Route.self, into: &info, absent: "no thanos-querier route in openshift-monitoring"),
               let host = route.spec?.host, !host.isEmpty {
                info.prometheus = .init(url: "https://\(host)", source: "route openshift-monitoring/thanos-querier", inClusterOnly: false,
                                        usesKubeToken: true, note: "Thanos Querier accepts the kubeconfig token (needs cluster-monitoring-view)")
            }
        } else if let list = try await optional("/api/v1/services?labelSelector=app.kubernetes.io%2Fname%3Dprometheus",
                                                KubeAPI.List<KubeAPI.Service>.self, into: &info, absent: "no services API") {
            let services = (list.items ?? []).sorted { ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < ($1.metadata.namespace ?? "", $1.metadata.name ?? "") }
            if let service = services.first(where: { $0.spec?.ports?.contains { $0.port == 9090 } ?? false }) ?? services.first,
               let name = service.metadata.name, let namespace = service.metadata.namespace {
                let port = service.spec?.ports?.first { $0.port == 9090 }?.port ?? service.spec?.ports?.first?.port ?? 9090
                info.prometheus = .init(url: "http://\(name).\(namespace).svc:\(port)", source: "service \(namespace)/\(name)", inClusterOnly: true,
                                        usesKubeToken: false,
                                        note: "in-cluster address: reachable only from inside the cluster, unless port-forwarded "
                                            + "(kubectl -n \(namespace) port-forward svc/\(name) \(port)) and passed as --prometheus")
            }
        }
        if let p = info.prometheus {
            info.explanation.append("Prometheus \(p.url) from \(p.source)")
        } else {
            info.explanation.append("no Prometheus discovered: pass --prometheus")
        }
        return info
    }

    /// GETs and decodes `path`; a 404 is recorded as `absent` in the explanation, any other
    /// failure (403, timeout) as a note. A 401 or an unreachable server is rethrown: nothing
    /// else would work either.
    private func optional<T: Decodable>(_ path: String, _ type: T.Type, into info: inout ClusterInfo, absent: String) async throws -> T? {
        do {
            return try await client.get(path, as: type)
        } catch let error as KubernetesError {
            if error.isUnauthorized { throw error }
            if error.isNotFound {
                info.explanation.append(absent)
                return nil
            }
            info.notes.append(error.message)
            info.explanation.append("GET \(path.split(separator: "?").first ?? "") failed: \(error.message)")
            return nil
        }
    }

    static func node(_ node: KubeAPI.Node) -> ClusterInfo.Node {
        let prefix = "node-role.kubernetes.io/"
        let roles = (node.metadata.labels ?? [:]).keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
            .filter { !$0.isEmpty }.sorted()
        let status = node.status
        return ClusterInfo.Node(name: node.metadata.name ?? "?", roles: roles,
                                internalIP: status?.addresses?.first { $0.type == "InternalIP" }?.address,
                                providerID: node.spec?.providerID,
                                capacity: .init(cpu: status?.capacity?["cpu"], memory: status?.capacity?["memory"]),
                                allocatable: .init(cpu: status?.allocatable?["cpu"], memory: status?.allocatable?["memory"]))
    }

    /// The most common providerID scheme (`aws:///us-east-1a/i-…` → `aws`).
    static func providerScheme(_ ids: [String]) -> String? {
        let schemes = ids.compactMap { id -> String? in
            guard let range = id.range(of: "://") else { return nil }
            let scheme = String(id[..<range.lowerBound]).lowercased()
            return scheme.isEmpty ? nil : scheme
        }
        let counts = Dictionary(schemes.map { ($0, 1) }, uniquingKeysWith: +)
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// `IP:2379`, `IP:2381`, `IP:9979` and the pod name of every member → its node.
    static func memberNodes(_ members: [ClusterInfo.EtcdMember]) -> [String: String] {
        var map: [String: String] = [:]
        for member in members {
            guard let node = member.node else { continue }
            map[member.pod] = node
            guard let ip = member.podIP, !ip.isEmpty else { continue }
            let host = ip.contains(":") ? "[\(ip)]" : ip
            for port in etcdPorts { map["\(host):\(port)"] = node }
        }
        return map
    }
}
