import Foundation

/// What the etcd members said about the cluster at one moment: the member list, who leads,
/// each endpoint's status and health, active alarms, and what could not be learned.
///
/// IDs are lowercase hex without leading zeros, as etcdctl prints them (and as etcd's own
/// metrics label peers, e.g. `To="8211f1d0f64f3269"`); "" means unknown.
public struct EtcdClusterStatus: Sendable, Codable, Equatable {
    public struct Member: Sendable, Codable, Equatable {
        /// Member ID in hex.
        public var id: String
        /// Empty for a member added but not started yet.
        public var name: String
        public var peerURLs: [String]
        public var clientURLs: [String]
        public var isLearner: Bool

        public init(id: String, name: String, peerURLs: [String], clientURLs: [String], isLearner: Bool = false) {
            self.id = id
            self.name = name
            self.peerURLs = peerURLs
            self.clientURLs = clientURLs
            self.isLearner = isLearner
        }
    }

    /// One endpoint as asked: its status, its health and what failed. An endpoint that could
    /// not be reached has `healthy == false`, zero numbers and the reason in `errors`.
    public struct EndpointStatus: Sendable, Codable, Equatable {
        /// The endpoint URL as configured.
        public var endpoint: String
        /// The member that answered, in hex; from the member list by client URL when the
        /// endpoint did not answer; "" when unknown.
        public var memberID: String
        /// `/health` said true.
        public var healthy: Bool
        /// Why it is not healthy (etcd's `reason`, or the transport error); nil when healthy.
        public var healthReason: String?
        /// Server version, e.g. `3.4.23`; "" when unknown.
        public var version: String
        /// Backend size on disk, bytes.
        public var dbSize: Int64
        /// Backend bytes in use (the rest is free pages that defrag returns).
        public var dbSizeInUse: Int64
        /// The leader this member knows, in hex; "" when it knows none or did not answer.
        public var leaderID: String
        /// This member is the cluster's leader.
        public var isLeader: Bool
        public var raftIndex: UInt64
        public var raftAppliedIndex: UInt64
        public var raftTerm: UInt64
        /// One line each: transport errors, HTTP errors, and errors etcd itself reports.
        public var errors: [String]

        public init(endpoint: String, memberID: String = "", healthy: Bool = false, healthReason: String? = nil,
                    version: String = "", dbSize: Int64 = 0, dbSizeInUse: Int64 = 0, leaderID: String = "",
                    isLeader: Bool = false, raftIndex: UInt64 = 0, raftAppliedIndex: UInt64 = 0, raftTerm: UInt64 = 0,
                    errors: [String] = []) {
            self.endpoint = endpoint
            self.memberID = memberID
            self.healthy = healthy
            self.healthReason = healthReason
            self.version = version
            self.dbSize = dbSize
            self.dbSizeInUse = dbSizeInUse
            self.leaderID = leaderID
            self.isLeader = isLeader
            self.raftIndex = raftIndex
            self.raftAppliedIndex = raftAppliedIndex
            self.raftTerm = raftTerm
            self.errors = errors
        }
    }

    /// An active alarm (`NOSPACE`: the DB hit its quota and the cluster refuses writes; `CORRUPT`).
    public struct Alarm: Sendable, Codable, Equatable, Hashable {
        /// The member that raised it, in hex.
        public var memberID: String
        public var alarm: String

        public init(memberID: String, alarm: String) {
            self.memberID = memberID
            self.alarm = alarm
        }
    }

    public var members: [Member]
    /// The leader's member ID in hex; nil when no answering member knows a leader.
    public var leaderID: String?
    /// The highest raft term seen.
    public var raftTerm: UInt64
    /// Cluster ID in hex; "" when no endpoint said.
    public var clusterID: String
    /// In the order of the configured endpoints.
    public var endpoints: [EndpointStatus]
    public var alarms: [Alarm]
    /// Cluster-level problems: no leader, endpoints of different clusters, no member list.
    public var errors: [String]

    public init(members: [Member], leaderID: String?, raftTerm: UInt64, clusterID: String,
                endpoints: [EndpointStatus], alarms: [Alarm], errors: [String]) {
        self.members = members
        self.leaderID = leaderID
        self.raftTerm = raftTerm
        self.clusterID = clusterID
        self.endpoints = endpoints
        self.alarms = alarms
        self.errors = errors
    }

    /// The leader member, when known and listed.
    public var leader: Member? { leaderID.flatMap { id in members.first { $0.id == id } } }

    /// The member with this hex ID.
    public func member(id: String) -> Member? { members.first { $0.id == id } }

    /// Every endpoint answered and is healthy, there is one leader and no alarm.
    public var isHealthy: Bool {
        !endpoints.isEmpty && endpoints.allSatisfy(\.healthy) && leaderID != nil && alarms.isEmpty && errors.isEmpty
    }
}
