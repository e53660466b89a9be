import Foundation
import PerfScopeCore

/// The optional `perfscope.yaml`: where Prometheus is, how to authenticate, which labels find
/// etcd and node-exporter series, threshold overrides, and which host each member runs on.
///
/// Precedence everywhere: command-line flag > environment variable > config file > default.
public struct PerfScopeConfig: Sendable, Equatable {
    public struct Prometheus: Sendable, Equatable {
        public var url: String?
        public var token: String?
        public var tokenFile: String?
        public var username: String?
        public var password: String?
        public var passwordFile: String?
        public var caFile: String?
        public var insecureSkipVerify: Bool?
        public var headers: [String: String] = [:]
        public var timeout: String?
        public var concurrency: Int?
    }

    /// Label matchers (PromQL syntax, without braces) that select series.
    public struct Selectors: Sendable, Equatable {
        /// etcd members' series. The etcd-mixin default; OpenShift: `namespace="openshift-etcd"`.
        public var etcd = #"job=~".*etcd.*""#
        /// node-exporter series.
        public var node = #"job=~".*node.*""#
        /// Block devices judged as disks: device-mapper, loop, ram and optical devices are left out.
        public var disk = #"device!~"(dm-|loop|ram|sr|fd|nbd|zram).*""#
        /// Network interfaces judged as NICs: loopback and container/overlay virtual interfaces are left out.
        public var nic = #"device!~"lo|veth.*|docker.*|br-.*|cali.*|flannel.*|cni.*|tunl.*|vxlan.*|genev.*|kube-ipvs.*""#
        /// The etcd containers in cAdvisor's series (kubelet job), tied to members by pod name.
        public var container = #"container="etcd""#
    }

    public var file: String?
    public var cluster: String?
    public var prometheus = Prometheus()
    public var selectors = Selectors()
    public var thresholds: [String: Thresholds] = [:]
    /// Symptom levels overriding the catalog's (by metric name).
    public var symptoms: [String: SymptomLevel] = [:]
    /// etcd member instance → node-exporter instance, when the host part of `instance` differs.
    public var members: [String: String] = [:]

    /// `analyze --fleet`: the label that tells clusters apart, and optionally which of its values to analyse.
    public struct FleetConfig: Sendable, Equatable {
        public var label = "cluster"
        public var clusters: [String]?
        public init() {}
    }
    public var fleet = FleetConfig()
    /// A directory of catalog YAML files replacing the built-in catalog.
    public var catalogDirectory: String?

    public init() {}

    /// The values substituted into catalog queries.
    public var placeholders: [String: String] {
        ["etcd": selectors.etcd, "node": selectors.node, "disk": selectors.disk, "nic": selectors.nic, "container": selectors.container]
    }
}
