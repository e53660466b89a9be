import Foundation
import PerfScopeCore

/// What `perfscope connect` learned about a Kubernetes or OpenShift cluster, and what it could
/// not read and why (`notes`). Codable: the CLI prints it as JSON and the agent tool returns it.
public struct ClusterInfo: Codable, Sendable, Equatable {
    public var context: String
    public var server: String
    /// `gitVersion` from `/version` (e.g. `v1.29.5+4b24c4b`).
    public var kubernetesVersion: String?
    /// Infrastructure platform: `AWS`, `GCP`, `Azure`, `BareMetal`, … (OpenShift) or the node
    /// providerID scheme (`aws`, `gce`, `azure`, …).
    public var platform: String?
    /// How `platform` was found: `infrastructure/cluster` or `node providerID`.
    public var platformSource: String?
    public var openShift: OpenShift?
    public var nodes: [Node]
    public var etcdMembers: [EtcdMember]
    /// etcd instance forms (`IP:2379`, `IP:2381`, `IP:9979`, pod name) → node name.
    public var memberNodes: [String: String]
    public var prometheus: DiscoveredPrometheus?
    /// Each step and its outcome, for `--explain`.
    public var explanation: [String]
    /// What could not be read, and why (one line each).
    public var notes: [String]

    public struct OpenShift: Codable, Sendable, Equatable {
        public var version: String?
        public var channel: String?
        public var clusterID: String?
    }

    public struct Resources: Codable, Sendable, Equatable {
        /// Kubernetes quantities as written (`8`, `7500m`, `32816264Ki`).
        public var cpu: String?
        public var memory: String?
        public var cpuCores: Double? { cpu.flatMap(KubernetesQuantity.cpuCores) }
        public var memoryBytes: Double? { memory.flatMap(KubernetesQuantity.bytes) }

        private enum CodingKeys: String, CodingKey { case cpu, memory, cpuCores, memoryBytes }

        public init(cpu: String?, memory: String?) {
            self.cpu = cpu
            self.memory = memory
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(cpu: try c.decodeIfPresent(String.self, forKey: .cpu), memory: try c.decodeIfPresent(String.self, forKey: .memory))
        }

        /// The quantities as written, plus parsed numbers for programs (cores, bytes).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(cpu, forKey: .cpu)
            try c.encodeIfPresent(memory, forKey: .memory)
            try c.encodeIfPresent(cpuCores, forKey: .cpuCores)
            try c.encodeIfPresent(memoryBytes, forKey: .memoryBytes)
        }
    }

    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        public var roles: [String]
        public var internalIP: String?
        public var providerID: String?
        public var capacity: Resources
        public var allocatable: Resources
    }

    public struct EtcdMember: Codable, Sendable, Equatable {
        public var pod: String
        public var namespace: String
        public var node: String?
        public var podIP: String?
        public var phase: String?
    }

    public struct DiscoveredPrometheus: Codable, Sendable, Equatable {
        public var url: String
        /// `route openshift-monitoring/thanos-querier` or `service <ns>/<name>`.
        public var source: String
        /// True when the URL is an in-cluster service name, reachable only from inside (or port-forwarded).
        public var inClusterOnly: Bool
        /// True when the kubeconfig token authenticates to it (the OpenShift Thanos Querier route).
        public var usesKubeToken: Bool
        public var note: String?
    }

    /// etcd instance → node-exporter instance, for the analysis' explicit host mapping: each
    /// member form maps to `<node InternalIP>:<port>` (node-exporter's usual 9100) when known.
    public func nodeExporterMapping(port: Int = 9100) -> [String: String] {
        let ipOf = Dictionary(nodes.compactMap { n in n.internalIP.map { (n.name, $0) } }, uniquingKeysWith: { a, _ in a })
        return memberNodes.compactMapValues { node in ipOf[node].map { "\($0):\(port)" } }
    }
}

/// Kubernetes resource quantities (`500m`, `4`, `16Gi`, `32816264Ki`, `1e3`).
public enum KubernetesQuantity {
    /// Nil for anything that is not a finite, non-negative quantity (`inf`, `nan`, `-1`, `1e400`).
    public static func cpuCores(_ text: String) -> Double? {
        if text.hasSuffix("m") { return number(text.dropLast()).map { $0 / 1000 } }
        return bytes(text)
    }

    public static func bytes(_ text: String) -> Double? {
        let suffixes: [(String, Double)] = [("Ki", 1024), ("Mi", 0x1p20), ("Gi", 0x1p30), ("Ti", 0x1p40), ("Pi", 0x1p50), ("Ei", 0x1p60),
                                           ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18)]
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            return number(text.dropLast(suffix.count)).flatMap { CheckedNumber.finite($0 * factor) }
        }
        return number(text[...])
    }

    static func number(_ text: Substring) -> Double? {
        guard text.utf8.count <= 40, let v = Double(text), v >= 0 else { return nil }
        return CheckedNumber.finite(v)
    }
}

/// The few fields of Kubernetes API objects discovery reads.
enum KubeAPI {
    struct Version: Decodable { var gitVersion: String? }

    struct Metadata: Decodable {
        var name: String?
        var namespace: String?
        var labels: [String: String]?
    }

    struct List<Item: Decodable>: Decodable { var items: [Item]? }

    struct Node: Decodable {
        struct Spec: Decodable { var providerID: String? }
        struct Status: Decodable {
            struct Address: Decodable { var type: String; var address: String }
            var capacity: [String: String]?
            var allocatable: [String: String]?
            var addresses: [Address]?
        }
        var metadata: Metadata
        var spec: Spec?
        var status: Status?
    }

    struct Pod: Decodable {
        struct Spec: Decodable { var nodeName: String? }
        struct Status: Decodable { var podIP: String?; var hostIP: String?; var phase: String? }
        var metadata: Metadata
        var spec: Spec?
        var status: Status?
    }

    struct Service: Decodable {
        struct Spec: Decodable {
            struct Port: Decodable { var name: String?; var port: Int }
            var ports: [Port]?
        }
        var metadata: Metadata
        var spec: Spec?
    }

    struct ClusterVersion: Decodable {
        struct Spec: Decodable { var channel: String?; var clusterID: String? }
        struct Status: Decodable {
            struct Release: Decodable { var version: String?; var state: String? }
            var desired: Release?
            var history: [Release]?
        }
        var spec: Spec?
        var status: Status?
    }

    struct Infrastructure: Decodable {
        struct Status: Decodable {
            struct PlatformStatus: Decodable { var type: String? }
            var platform: String?
            var platformStatus: PlatformStatus?
        }
        var status: Status?
    }

    struct Route: Decodable {
        struct Spec: Decodable { var host: String? }
        var spec: Spec?
    }
}
