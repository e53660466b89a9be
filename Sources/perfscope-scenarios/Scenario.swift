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
    /// The kernel exports pressure stall information (node_pressure_*); RHEL 8 and RHCOS do not by default.
    var psi = true
    /// The kubelet's cAdvisor is scraped (container_* series for the etcd containers); Kubernetes styles only.
    var cadvisor = false
    /// The etcd container's memory limit (bytes), when it runs in a container with one.
    var containerMemoryLimit: Double?
    /// The analysed window (seconds).
    var windowSeconds = 2400
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
    /// The member's host runs out of memory. `swap`: reclaim swaps anonymous pages (swap I/O);
    /// otherwise the page cache is evicted and re-read (major faults, device reads). `severity` 0.5…1.5.
    case memoryPressure(member: Int, swap: Bool, severity: Double)
    /// Swap is in use (resident) but nothing pages: memory that was swapped out long ago.
    case swapResident(member: Int)
    /// etcd on this member is OOM-killed at these offsets (seconds into the window) and restarts
    /// after `downSeconds`; memory climbs before each kill.
    case oomKills(member: Int, at: [Double], downSeconds: Double)
    /// The member's volume is throttled above the block device (a cloud volume's IOPS cap, a
    /// cgroup blkio limit): its fsync waits `latency` longer, the node's disk metrics look idle,
    /// only I/O pressure shows it.
    case throttledVolume(member: Int, latency: Double)
    /// The member is cut off from its peers (a partition): probes and sends to and from it fail,
    /// it loses its leader (a leader steps down and the others elect a new one).
    case partition(member: Int)
    /// The DB sits at this share of the quota, growing slowly.
    case dbNearQuota(share: Double)
    /// The DB file is mostly free pages.
    case fragmentation(totalBytes: Double, inUseBytes: Double)
    /// Defragmentation, one member after another: member `order[k]` from `at[k]` for `seconds`.
    /// Its backend is locked meanwhile (commits and applies wait, reads block), it rewrites the
    /// whole DB file, and the file shrinks to what is in use.
    case defrag(order: [Int], at: [Double], seconds: Double, totalBytes: Double, inUseBytes: Double)
    /// Leader elections at these offsets (seconds into the window), leadership to these members.
    case elections(at: [Double], to: [Int], electionSeconds: Double)
    /// Heartbeat interval too tight for the RTT: the leader misses heartbeat deadlines.
    case tightTimeouts(heartbeatMs: Double)
    /// Write rate ramps from the workload's rate to this one.
    case loadRamp(toWrites: Double)
    /// Read rate ramps to `toReads`, each read an expensive range costing `cpuSeconds` of CPU
    /// (Kubernetes lists of many objects): etcd's own CPU, range latency and commit contention rise.
    case readLoad(toReads: Double, cpuSeconds: Double)
    /// Writes carry `bytes` per value: WAL and replication volume per proposal, fsync and commit latency.
    case largeValues(bytes: Double)
}

/// A fault and when it acts: from `start` to `end` seconds into the window (negative: before it;
/// infinite: beyond it), ramping in and out over a minute.
struct FaultSpec {
    var fault: Fault
    var start: Double
    var end: Double = .infinity

    func activity(_ t: Double, ramp: Double = 60) -> Double {
        let up = min(1, max(0, (t - start) / ramp))
        let down = end.isFinite ? min(1, max(0, (end - t) / ramp)) : 1
        return min(up, down)
    }
}

/// What the analysis should say: a category and the culprit members (indices), exactly.
struct Expectation {
    var category: String
    var culprits: [Int]
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
    var faults: [FaultSpec] = []
    /// Empty: healthy. One per independent fault otherwise (two-fault scenarios have two).
    var expected: [Expectation] = []
    /// The scenario class (`disk-slow`, `healthy-busy-cpu`, `two-faults`…) and its timing pattern.
    var kind = "named"
    var timing = "whole"
    /// `tuning` or `holdout` (a function of the seed only); named scenarios are tuning.
    var split = "tuning"
    var seed: UInt64 = 1

    /// Adds a fault with the scenario-wide default timing (the named scenarios).
    mutating func add(_ fault: Fault, start: Double = -300, end: Double = .infinity) {
        faults.append(FaultSpec(fault: fault, start: start, end: end))
    }

    /// Expects one cause.
    mutating func expect(_ category: String, _ culprits: [Int]) {
        expected.append(Expectation(category: category, culprits: culprits))
    }

    /// The first fault start inside the window, for the time-location score (for OOM kills and
    /// defragmentation: the first event).
    var onsetInWindow: Double? {
        faults.map { spec -> Double in
            switch spec.fault {
            case .oomKills(_, let at, _), .defrag(_, let at, _, _, _): at.min() ?? spec.start
            default: spec.start
            }
        }.filter { $0 > 0 }.min()
    }
}

/// The label file written next to each scenario's OpenMetrics file.
struct Label: Codable {
    struct Expected: Codable, Equatable {
        var category: String
        var instances: [String]
    }

    var name: String
    var start: Int
    var end: Int
    /// The first expected cause (`healthy` with no instances when none).
    var expected: Expected
    /// Every expected cause (two for two-fault scenarios; empty when healthy).
    var expectedAll: [Expected]?
    var kind: String?
    var timing: String?
    var split: String?
    var seed: UInt64?
    /// Unix time the first fault started, when inside the window.
    var faultStart: Int?
    var description: String
    /// Deployment facts: label style, colocation, etcd version, scrape interval.
    var variant: String
    /// A perfscope.yaml (relative to the label file) the analysis needs, and why.
    var config: String?
    var configReason: String?
    /// Instances whose counters reset (process restarts) at these Unix times, for the invariant check.
    var restarts: [String: [Int]]?
}
