import Foundation

/// A measured departure of something etcd's users or its consensus feel, on one member (or a
/// pair of members, or the cluster), located in time. Causes exist only to explain symptoms: a
/// window without one gets no root cause, however busy its hosts look.
struct Symptom: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case walFsync, backendCommit, writeLatency, readLatency, requestLatency
        case slowApplies, slowReadIndexes, heartbeatFailures, proposalBacklog
        case peerLatency, peerFailures
        case elections, noLeader, proposalsFailed
        case memberDown, restarts
        case dbQuota, fragmentation

        /// The catalog metric that shows it.
        var metric: DiagnosisMetric {
            switch self {
            case .walFsync: .walFsync
            case .backendCommit: .backendCommit
            case .writeLatency: .writeLatency
            case .readLatency: .readLatency
            case .requestLatency: .requestLatency
            case .slowApplies: .slowApplies
            case .slowReadIndexes: .slowReadIndexes
            case .heartbeatFailures: .heartbeatFailures
            case .proposalBacklog: .proposalBacklog
            case .peerLatency: .peerRTT
            case .peerFailures: .peerFailures
            case .elections: .leaderChanges
            case .noLeader: .hasLeader
            case .proposalsFailed: .proposalsFailed
            case .memberDown: .memberUp
            case .restarts: .processRestarts
            case .dbQuota: .dbQuota
            case .fragmentation: .dbInUseRatio
            }
        }

        /// How much users feel it, for ranking causes by impact: lost availability and client
        /// latency first, internal signs after.
        var weight: Double {
            switch self {
            case .elections, .noLeader, .writeLatency, .dbQuota: 1
            case .readLatency, .requestLatency: 0.9
            case .walFsync, .memberDown, .restarts: 0.8
            case .backendCommit, .proposalsFailed: 0.7
            case .slowApplies, .heartbeatFailures: 0.6
            case .slowReadIndexes, .peerLatency, .peerFailures, .proposalBacklog: 0.5
            case .fragmentation: 0.4
            }
        }

        /// Symptoms of the write path: what a slow disk, a starved process or a locked backend delays.
        var writePath: Bool { [.walFsync, .backendCommit, .writeLatency, .slowApplies, .heartbeatFailures, .proposalBacklog].contains(self) }
        /// The member's own local operations: what only its disk or its process can slow (not
        /// replication or the network).
        var local: Bool { [.walFsync, .backendCommit].contains(self) }
        /// Latency that a starved or memory-starved process shows on every path.
        var latency: Bool { writePath || [.readLatency, .requestLatency, .slowReadIndexes].contains(self) }
        /// About the cluster as a whole (one symptom, not one per member).
        var clusterWide: Bool { [.elections, .dbQuota, .fragmentation].contains(self) }
    }

    /// Its position in the detector's list (set by `SymptomDetector`).
    var id = 0
    var kind: Kind
    /// The member it was measured on (index into the context's members); nil for cluster-wide kinds.
    var member: Int?
    /// For peer round-trips: the other end.
    var peer: Int?
    /// The sustained worst value and the level it was held against.
    var peak: Double
    var level: Double
    var episode: Episode
    /// Event times (point indices) for counted symptoms: elections, restarts.
    var events: [Int] = []
    /// 0…1: how far beyond its level (a tenfold excess is 1).
    var severity: Double

    /// Weight × severity × duration: what ranks causes.
    var impact: Double { kind.weight * (0.5 + severity) * (0.3 + 0.7 * episode.coverage) }
}
