import Foundation

/// Deterministic random numbers (SplitMix64): the same seed gives the same scenario files.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-12), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A multiplicative jitter around 1 (never below 0.05).
    mutating func jitter(_ relative: Double) -> Double { max(0.05, 1 + relative * normal()) }

    /// Rounds a non-negative expectation to an integer without bias (floor + Bernoulli of the rest).
    mutating func round(_ expected: Double) -> Double {
        let e = max(0, expected)
        let f = e.rounded(.down)
        return f + (uniform() < e - f ? 1 : 0)
    }

    /// Poisson-like count around `mean` (normal approximation for large means).
    mutating func count(_ mean: Double) -> Double {
        if mean <= 0 { return 0 }
        if mean > 30 { return max(0, (mean + mean.squareRoot() * normal()).rounded()) }
        let limit = exp(-mean)
        var k = 0.0, p = uniform()
        while p > limit { k += 1; p *= uniform() }
        return k
    }

    /// A 16-hex-digit etcd member id.
    mutating func memberID() -> String { String(format: "%016llx", next()) }
}

/// How the series are labelled: the conventions real deployments use.
enum LabelStyle: String, Codable {
    /// `job="etcd"`, `instance="IP:2379"`; node-exporter `job="node"`, `instance="IP:9100"`.
    case plain
    /// OpenShift: `job="etcd", namespace="openshift-etcd", pod="etcd-<node>"`, `instance="IP:9979"`;
    /// node-exporter `job="node-exporter"`, `instance="<node name>"` (no port, not the IP).
    case openshift
    /// kube-prometheus on vanilla Kubernetes: `job="kube-etcd"`, `instance="IP:2381"` (metrics port);
    /// node-exporter `job="node-exporter"`, `instance="<node name>"`.
    case kubePrometheus
    /// Host names: `instance="etcd-0.<cluster>.example:2379"`, node-exporter on the same names.
    case hostnames
}

/// The storage under each member: base latency and what it sustains.
struct DiskKind {
    var device: String
    /// Device write latency at low load (seconds).
    var writeLatency: Double
    var readLatency: Double
    /// Synchronous write IOPS the device sustains before latency climbs.
    var capacity: Double

    static let nvme = DiskKind(device: "nvme0n1", writeLatency: 0.00025, readLatency: 0.0001, capacity: 40_000)
    static let ssd = DiskKind(device: "sda", writeLatency: 0.0008, readLatency: 0.0003, capacity: 8_000)
    static let cloud = DiskKind(device: "vdb", writeLatency: 0.0015, readLatency: 0.0008, capacity: 3_000)
}

/// One deployment: what real deployments vary.
struct Variant {
    var style: LabelStyle = .plain
    /// All members on one host (different client ports), or one host each.
    var colocated = false
    var etcdVersion = "3.4.23"
    /// `--metrics extensive`: grpc_server_handling_seconds histograms.
    var extensive = false
    var scrapeSeconds = 15
    var cpus = 4
    var disk = DiskKind.ssd
    var memoryGiB = 16.0
    var swapGiB = 0.0
    var quotaBytes = 2.0 * 1024 * 1024 * 1024
    /// NIC link speed in bytes/s; nil for a virtual NIC that reports none (-1).
    var nicSpeed: Double? = 1.25e9
    /// Members per cluster and clusters (a fleet scenario has many clusters).
    var members = 3
    var clusters = 1
    /// A fleet behind one Prometheus told apart by a `cluster` label (external labels): every
    /// series carries `cluster="fleet-NNN"`, and every member has a host of its own.
    var clusterLabel = false
    /// Baseline peer round-trip (seconds) of the network between members.
    var baseRTT = 0.0006
    var heartbeatMs = 100.0
}

/// What goes wrong, on which member (index into the cluster's members) or host.
enum Fault {
    /// The member's data device itself is slow (degraded SSD, burst credits exhausted, throttled volume).
    case slowDisk(member: Int, capacity: Double, latency: Double)
    /// Another process saturates the member's device with its own writes.
    case noisyNeighbour(member: Int, iops: Double, bytesPerSecond: Double)
    /// Extra one-way delay on every packet to and from the member's peers.
    case netDelay(member: Int, seconds: Double)
    /// Packet loss on the member's host NIC.
    case packetLoss(member: Int, rate: Double)
    /// Other processes on the member's host want `demand` CPUs per CPU.
    case cpuSaturation(member: Int, demand: Double)
    /// The hypervisor takes this share of the member's vCPUs for other guests (steal).
    case cpuSteal(member: Int, share: Double)
    /// etcd's own cgroup is throttled (CFS quota); the host is otherwise idle.
    case cpuQuota(member: Int, cores: Double)
    /// The member's host runs out of memory: reclaim, swapping, major faults.
    case memoryPressure(member: Int)
    /// The DB sits at this share of the quota, growing slowly.
    case dbNearQuota(share: Double)
    /// The DB file is mostly free pages.
    case fragmentation(totalBytes: Double, inUseBytes: Double)
    /// Leader elections at these offsets (seconds into the window), leadership to these members.
    case elections(at: [Double], to: [Int], electionSeconds: Double)
    /// Heartbeat interval too tight for the RTT: the leader misses heartbeat deadlines.
    case tightTimeouts(heartbeatMs: Double)
    /// Write rate ramps from the workload's rate to this one over the window.
    case loadRamp(toWrites: Double)
}

/// One labelled scenario.
struct Scenario {
    var name: String
    var description: String
    var variant = Variant()
    /// Client writes and reads per second (cluster-wide), keys and DB in-use bytes at the start.
    var writes = 50.0
    var reads = 200.0
    var keys = 20_000.0
    var dbBytes = 120.0 * 1024 * 1024
    var leader = 0
    var faults: [Fault] = []
    /// Seconds into the window the faults start (negative: before the window).
    var onset = -300.0
    /// "healthy" or a category; culprit members by index (empty: the whole cluster, any instance).
    var category = "healthy"
    var culprits: [Int] = []
    /// Scored by scripts/eval (the bench-only fleet scenario is too).
    var seed: UInt64 = 1
}

/// The label file written next to each scenario's OpenMetrics file.
struct Label: Codable {
    struct Expected: Codable {
        var category: String
        var instances: [String]
    }

    var name: String
    var start: Int
    var end: Int
    var expected: Expected
    var description: String
    /// Deployment facts: label style, colocation, etcd version, scrape interval.
    var variant: String
    /// A perfscope.yaml (relative to the label file) the analysis needs, and why.
    var config: String?
    var configReason: String?
}
