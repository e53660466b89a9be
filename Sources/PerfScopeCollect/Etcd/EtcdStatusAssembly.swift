import Foundation

/// What one endpoint answered to the four gateway calls, before it is merged into a cluster view.
struct EtcdEndpointProbe: Sendable {
    var endpoint: String
    var health: Result<EtcdWire.Health, EtcdGatewayError>
    var status: Result<EtcdWire.Status, EtcdGatewayError>
    var memberList: Result<EtcdWire.MemberList, EtcdGatewayError>
    var alarms: Result<EtcdWire.AlarmList, EtcdGatewayError>

    /// At least one call got a well-formed etcd answer.
    var answered: Bool {
        (try? health.get()) != nil || (try? status.get()) != nil || (try? memberList.get()) != nil || (try? alarms.get()) != nil
    }

    /// The distinct failures, in call order, one line each.
    var failures: [String] {
        var seen: [String] = []
        for error in [health.failure, status.failure, memberList.failure, alarms.failure].compactMap({ $0 }) where !seen.contains(error.message) {
            seen.append(error.message)
        }
        return seen
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

extension EtcdClusterStatus {
    /// Merges what each endpoint said into one view. Pure: no I/O.
    ///
    /// - The member list is the one with the highest raft term (any member's list is the
    ///   cluster's; a partitioned member's may be stale).
    /// - The leader is the one reported at the highest raft term.
    /// - Alarms are the union of every answer (the alarm list is replicated).
    static func assemble(_ probes: [EtcdEndpointProbe]) -> EtcdClusterStatus {
        var errors: [String] = []

        let lists = probes.compactMap { try? $0.memberList.get() }
        let list = lists.max { a, b in (a.header.raftTerm, a.members.count) < (b.header.raftTerm, b.members.count) }
        let members = (list?.members ?? []).map {
            Member(id: EtcdWire.hex($0.id), name: $0.name, peerURLs: $0.peerURLs, clientURLs: $0.clientURLs, isLearner: $0.isLearner)
        }
        if list == nil { errors.append("no endpoint returned the member list") }

        let statuses = probes.compactMap { try? $0.status.get() }
        func term(_ s: EtcdWire.Status) -> UInt64 { max(s.raftTerm, s.header.raftTerm) }
        let raftTerm = max(statuses.map(term).max() ?? 0, lists.map(\.header.raftTerm).max() ?? 0)

        // Leader: what the members at the newest term say.
        let current = statuses.filter { term($0) == raftTerm && $0.leader != 0 }
        let leaders = Dictionary(grouping: current, by: \.leader)
        let leader = leaders.max { a, b in (a.value.count, b.key) < (b.value.count, a.key) }?.key
        if leaders.count > 1 {
            errors.append("members disagree on the leader at raft term \(raftTerm): " + leaders.keys.sorted().map(EtcdWire.hex).joined(separator: ", "))
        }
        let leaderID = leader.map(EtcdWire.hex)
        if !statuses.isEmpty, leaderID == nil {
            errors.append("no leader: no answering member knows one (quorum lost or an election in progress)")
        }

        // Cluster ID: the most common one; more than one means the endpoints mix clusters.
        let clusterIDs = (statuses.map(\.header.clusterID) + lists.map(\.header.clusterID)).filter { $0 != 0 }
        let idCounts = Dictionary(grouping: clusterIDs, by: { $0 }).mapValues(\.count)
        let clusterID = idCounts.max { a, b in (a.value, b.key) < (b.value, a.key) }?.key ?? 0
        if idCounts.count > 1 {
            errors.append("the endpoints belong to different clusters (cluster IDs " + idCounts.keys.sorted().map(EtcdWire.hex).joined(separator: ", ") + "): check --endpoints")
        }

        var alarms: [Alarm] = []
        for response in probes.compactMap({ try? $0.alarms.get() }) {
            for a in response.alarms where a.alarm != "NONE" {
                let alarm = Alarm(memberID: EtcdWire.hex(a.memberID), alarm: a.alarm)
                if !alarms.contains(alarm) { alarms.append(alarm) }
            }
        }
        alarms.sort { ($0.memberID, $0.alarm) < ($1.memberID, $1.alarm) }

        let endpoints = probes.map { probe in
            endpointStatus(probe, members: members, leader: leader ?? 0, alarms: alarms)
        }
        let memberIDs = Set(members.map(\.id))
        if list != nil {
            for e in endpoints where !e.memberID.isEmpty && !memberIDs.contains(e.memberID) {
                errors.append("\(e.endpoint) answered as member \(e.memberID), which is not in the member list")
            }
        }
        return EtcdClusterStatus(members: members, leaderID: leaderID, raftTerm: raftTerm, clusterID: EtcdWire.hex(clusterID),
                                 endpoints: endpoints, alarms: alarms, errors: errors)
    }

    private static func endpointStatus(_ probe: EtcdEndpointProbe, members: [Member], leader: UInt64, alarms: [Alarm]) -> EndpointStatus {
        var e = EndpointStatus(endpoint: probe.endpoint, errors: probe.failures)
        if let status = try? probe.status.get() {
            e.memberID = EtcdWire.hex(status.header.memberID)
            e.version = status.version
            e.dbSize = status.dbSize
            e.dbSizeInUse = status.dbSizeInUse
            e.leaderID = EtcdWire.hex(status.leader)
            e.raftIndex = status.raftIndex
            e.raftAppliedIndex = status.raftAppliedIndex
            e.raftTerm = max(status.raftTerm, status.header.raftTerm)
            e.errors += status.errors.map { "etcd reports: \(EtcdGatewayError.oneLine($0))" }
        } else if let header = (try? probe.memberList.get())?.header ?? (try? probe.alarms.get())?.header, header.memberID != 0 {
            e.memberID = EtcdWire.hex(header.memberID)
        } else if let instance = EtcdInstanceMapping.instance(forClientURL: probe.endpoint) {
            // Did not answer: name the member by its advertised client URL.
            e.memberID = members.first { $0.clientURLs.contains { EtcdInstanceMapping.instance(forClientURL: $0) == instance } }?.id ?? ""
        }
        e.isLeader = leader != 0 && !e.memberID.isEmpty && e.memberID == EtcdWire.hex(leader)

        switch probe.health {
        case .success(let health):
            e.healthy = health.health
            if !health.health {
                e.healthReason = health.reason ?? inferredReason(e, alarms: alarms)
            }
        case .failure(let error):
            e.healthy = false
            e.healthReason = error.message
        }
        return e
    }

    /// Why etcd 3.4 (which gives no reason) says unhealthy: its usual causes, else a plain statement.
    private static func inferredReason(_ e: EndpointStatus, alarms: [Alarm]) -> String {
        if !e.version.isEmpty, e.leaderID.isEmpty { return "no leader" }
        if !alarms.isEmpty { return "alarm active: " + Set(alarms.map(\.alarm)).sorted().joined(separator: ", ") }
        return "etcd /health reported false"
    }
}
