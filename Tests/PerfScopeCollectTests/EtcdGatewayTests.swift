import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import Testing

/// Answers recorded from the lab's etcd 3.4.23 (3 members on 127.0.0.1:2379/22379/32379) with
/// `curl -s -XPOST http://127.0.0.1:2379/v3/maintenance/status -d '{}'` etc.
enum EtcdRecorded {
    static let statusM1 = #"{"header":{"cluster_id":"16332256029558918656","member_id":"15634950851934939960","revision":"8994","raft_term":"4"},"version":"3.4.23","dbSize":"1179648","leader":"15634950851934939960","raftIndex":"9114","raftTerm":"4","raftAppliedIndex":"9114","dbSizeInUse":"20480"}"#
    static let statusM2 = #"{"header":{"cluster_id":"16332256029558918656","member_id":"8156299240893463285","revision":"8994","raft_term":"4"},"version":"3.4.23","dbSize":"20480","leader":"15634950851934939960","raftIndex":"9115","raftTerm":"4","raftAppliedIndex":"9115","dbSizeInUse":"20480"}"#
    static let statusM3 = #"{"header":{"cluster_id":"16332256029558918656","member_id":"16453209212795313454","revision":"8994","raft_term":"4"},"version":"3.4.23","dbSize":"20480","leader":"15634950851934939960","raftIndex":"9116","raftTerm":"4","raftAppliedIndex":"9116","dbSizeInUse":"20480"}"#
    static let memberList = #"{"header":{"cluster_id":"16332256029558918656","member_id":"15634950851934939960","raft_term":"4"},"members":[{"ID":"8156299240893463285","name":"m2","peerURLs":["http://127.0.0.1:22380"],"clientURLs":["http://127.0.0.1:22379"]},{"ID":"15634950851934939960","name":"m1","peerURLs":["http://127.0.0.1:2380"],"clientURLs":["http://127.0.0.1:2379"]},{"ID":"16453209212795313454","name":"m3","peerURLs":["http://127.0.0.1:32380"],"clientURLs":["http://127.0.0.1:32379"]}]}"#
    /// `POST /v3/maintenance/alarm -d '{"action":"GET"}'` with no alarm: even the header is omitted.
    static let noAlarm = "{}"
    static let health = #"{"health":"true"}"#
    /// `POST /v3/maintenance/status -d 'notjson'` → HTTP 400.
    static let badRequest = #"{"error":"invalid character 'o' in literal null (expecting 'u')","message":"invalid character 'o' in literal null (expecting 'u')","code":3}"#
    /// `etcdctl endpoint status -w json` prints the same message with JSON numbers.
    static let etcdctlStatus = #"{"header":{"cluster_id":16332256029558918656,"member_id":15634950851934939960,"revision":8994,"raft_term":4},"version":"3.4.23","dbSize":1179648,"leader":15634950851934939960,"raftIndex":9117,"raftTerm":4,"raftAppliedIndex":9117,"dbSizeInUse":20480}"#

    static let m1 = "d8fa80f65a45eb38", m2 = "7130fef2173e3af5", m3 = "e4558a9b2fd95d2e", cluster = "e2a7d453ae974e00"

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try EtcdWire.decode(T.self, from: Data(json.utf8))
    }

    static func probe(_ endpoint: String, status: String, health: String = health) throws -> EtcdEndpointProbe {
        EtcdEndpointProbe(endpoint: endpoint, health: .success(try decode(EtcdWire.Health.self, health)),
                          status: .success(try decode(EtcdWire.Status.self, status)),
                          memberList: .success(try decode(EtcdWire.MemberList.self, memberList)),
                          alarms: .success(try decode(EtcdWire.AlarmList.self, noAlarm)))
    }

    static func dead(_ endpoint: String) -> EtcdEndpointProbe {
        let error = EtcdGatewayError.unreachable(endpoint: endpoint, reason: "connection refused")
        return EtcdEndpointProbe(endpoint: endpoint, health: .failure(error), status: .failure(error), memberList: .failure(error), alarms: .failure(error))
    }
}

@Suite struct EtcdGatewayDecodingTests {
    @Test(arguments: [
        (UInt64(9372538179322589801), "8211f1d0f64f3269"), (15634950851934939960, "d8fa80f65a45eb38"),
        (16332256029558918656, "e2a7d453ae974e00"), (255, "ff"), (0x0abc, "abc"), (UInt64.max, "ffffffffffffffff"), (0, ""),
    ])
    func idsAreLowercaseHexWithoutLeadingZeros(id: UInt64, hex: String) {
        #expect(EtcdWire.hex(id) == hex)
    }

    @Test func decodesRecordedStatusWithDecimalStrings() throws {
        let s = try EtcdRecorded.decode(EtcdWire.Status.self, EtcdRecorded.statusM1)
        #expect(s.header.clusterID == 16332256029558918656)
        #expect(s.header.memberID == 15634950851934939960)
        #expect(s.header.revision == 8994)
        #expect(s.header.raftTerm == 4)
        #expect(s.version == "3.4.23")
        #expect(s.dbSize == 1_179_648 && s.dbSizeInUse == 20_480)
        #expect(s.leader == s.header.memberID)
        #expect(s.raftIndex == 9114 && s.raftAppliedIndex == 9114 && s.raftTerm == 4)
        #expect(s.errors.isEmpty && !s.isLearner)
    }

    @Test func numbersMayAlsoBeJSONNumbers() throws {
        let fromStrings = try EtcdRecorded.decode(EtcdWire.Status.self, EtcdRecorded.statusM1.replacingOccurrences(of: "9114", with: "9117"))
        let fromNumbers = try EtcdRecorded.decode(EtcdWire.Status.self, EtcdRecorded.etcdctlStatus)
        #expect(fromNumbers == fromStrings)
    }

    @Test func omittedFieldsReadAsZeroFalseOrEmpty() throws {
        // A member without a leader and with an empty backend: leader, dbSizeInUse, raftIndex are omitted.
        let s = try EtcdRecorded.decode(EtcdWire.Status.self, #"{"header":{"cluster_id":"1","member_id":"2"},"version":"3.4.23","dbSize":"20480","raftTerm":"7","errors":["etcdserver: no leader"],"isLearner":true}"#)
        #expect(s.leader == 0 && s.raftIndex == 0 && s.raftAppliedIndex == 0 && s.dbSizeInUse == 0 && s.header.revision == 0)
        #expect(s.raftTerm == 7 && s.errors == ["etcdserver: no leader"] && s.isLearner)
        let empty = try EtcdRecorded.decode(EtcdWire.Status.self, "{}")
        #expect(empty.version == "" && empty.header.memberID == 0 && empty.dbSize == 0)
        // A 64-bit number that is not a number is an error, not a silent 0.
        #expect(throws: DecodingError.self) { try EtcdRecorded.decode(EtcdWire.Status.self, #"{"dbSize":"big"}"#) }
    }

    @Test func decodesRecordedMemberListAndOmittedMemberFields() throws {
        let list = try EtcdRecorded.decode(EtcdWire.MemberList.self, EtcdRecorded.memberList)
        #expect(list.members.map { EtcdWire.hex($0.id) } == [EtcdRecorded.m2, EtcdRecorded.m1, EtcdRecorded.m3])
        #expect(list.members.map(\.name) == ["m2", "m1", "m3"])
        #expect(list.members[1].clientURLs == ["http://127.0.0.1:2379"] && list.members[1].peerURLs == ["http://127.0.0.1:2380"])
        #expect(list.members.allSatisfy { !$0.isLearner })
        // A learner, and a member added but never started (no name, no client URLs).
        let other = try EtcdRecorded.decode(EtcdWire.MemberList.self, #"{"members":[{"ID":"9372538179322589801","name":"l","peerURLs":["https://10.0.0.4:2380"],"clientURLs":["https://10.0.0.4:2379"],"isLearner":true},{"ID":"17","peerURLs":["https://10.0.0.5:2380"]}]}"#)
        #expect(other.members[0].isLearner && EtcdWire.hex(other.members[0].id) == "8211f1d0f64f3269")
        #expect(other.members[1].name == "" && other.members[1].clientURLs.isEmpty && !other.members[1].isLearner)
    }

    @Test func decodesAlarms() throws {
        #expect(try EtcdRecorded.decode(EtcdWire.AlarmList.self, EtcdRecorded.noAlarm).alarms.isEmpty)
        let list = try EtcdRecorded.decode(EtcdWire.AlarmList.self, #"{"header":{"cluster_id":"1"},"alarms":[{"memberID":"9372538179322589801","alarm":"NOSPACE"},{"memberID":"2","alarm":2},{"memberID":"3"}]}"#)
        #expect(list.alarms.map(\.alarm) == ["NOSPACE", "CORRUPT", "NONE"])
        #expect(list.alarms[0].memberID == 9372538179322589801)
    }

    @Test(arguments: [
        (#"{"health":"true"}"#, true, nil), (#"{"health":true}"#, true, nil), (#"{"health":"false"}"#, false, nil),
        (#"{"health":false,"reason":"RAFT NO LEADER"}"#, false, "RAFT NO LEADER"), (#"{"health":"true","reason":""}"#, true, nil),
    ] as [(String, Bool, String?)])
    func decodesHealthVariants(json: String, healthy: Bool, reason: String?) throws {
        let h = try EtcdRecorded.decode(EtcdWire.Health.self, json)
        #expect(h.health == healthy && h.reason == reason)
    }

    @Test func healthWithoutTheFieldIsNotHealth() {
        #expect(throws: DecodingError.self) { try EtcdRecorded.decode(EtcdWire.Health.self, #"{"status":"ok"}"#) }
    }

    @Test func gatewayErrorBodiesBecomeOneLineMessages() {
        let e = EtcdGatewayError.httpStatus(400, endpoint: "http://127.0.0.1:2379", path: "/v3/maintenance/status", body: EtcdRecorded.badRequest)
        #expect(e.label == "http_status" && e.kind == .upstreamFailed && e.status == 400)
        #expect(e.message == "etcd at http://127.0.0.1:2379 answered HTTP 400 to /v3/maintenance/status: invalid character 'o' in literal null (expecting 'u')")
        let tls = EtcdGatewayError.httpStatus(400, endpoint: "http://10.0.0.1:2379", path: "/health", body: "Client sent an HTTP request to an HTTPS server.\n")
        #expect(tls.message.contains("use https://"))
        let auth = EtcdGatewayError.httpStatus(401, endpoint: "https://e:2379", path: "/v3/maintenance/alarm", body: #"{"error":"etcdserver: user name is empty","code":16}"#)
        #expect(auth.label == "unauthorized" && !auth.message.contains("\n"))
    }
}

@Suite struct EtcdClusterAssemblyTests {
    @Test func mergesRecordedLabAnswers() throws {
        let status = EtcdClusterStatus.assemble([
            try EtcdRecorded.probe("http://127.0.0.1:2379", status: EtcdRecorded.statusM1),
            try EtcdRecorded.probe("http://127.0.0.1:22379", status: EtcdRecorded.statusM2),
            try EtcdRecorded.probe("http://127.0.0.1:32379", status: EtcdRecorded.statusM3),
        ])
        #expect(status.members.map(\.id) == [EtcdRecorded.m2, EtcdRecorded.m1, EtcdRecorded.m3])
        #expect(status.leaderID == EtcdRecorded.m1 && status.leader?.name == "m1")
        #expect(status.clusterID == EtcdRecorded.cluster && status.raftTerm == 4)
        #expect(status.endpoints.map(\.memberID) == [EtcdRecorded.m1, EtcdRecorded.m2, EtcdRecorded.m3])
        #expect(status.endpoints.map(\.isLeader) == [true, false, false])
        #expect(status.endpoints.allSatisfy { $0.healthy && $0.healthReason == nil && $0.errors.isEmpty && $0.leaderID == EtcdRecorded.m1 })
        #expect(status.endpoints[0].dbSize == 1_179_648 && status.endpoints[0].raftAppliedIndex == 9114)
        #expect(status.alarms.isEmpty && status.errors.isEmpty && status.isHealthy)
    }

    @Test func aDeadEndpointIsReportedNotThrown() throws {
        let status = EtcdClusterStatus.assemble([
            try EtcdRecorded.probe("http://127.0.0.1:2379", status: EtcdRecorded.statusM1),
            EtcdRecorded.dead("http://127.0.0.1:32379"),
            EtcdRecorded.dead("http://127.0.0.1:1"),
        ])
        #expect(status.members.count == 3 && status.leaderID == EtcdRecorded.m1)
        let m3 = status.endpoints[1], stranger = status.endpoints[2]
        // A dead member is still named by its advertised client URL; a stranger is not.
        #expect(m3.memberID == EtcdRecorded.m3 && !m3.healthy && !m3.isLeader && m3.version == "" && m3.dbSize == 0)
        #expect(stranger.memberID == "" && !stranger.healthy)
        #expect(stranger.errors == ["cannot reach etcd at http://127.0.0.1:1: connection refused"])
        #expect(stranger.healthReason == stranger.errors.first)
        #expect(status.errors.isEmpty && !status.isHealthy)
    }

    @Test func noLeaderMixedClustersAndAlarmsAreClusterFindings() throws {
        let noLeader = EtcdRecorded.statusM2.replacingOccurrences(of: #""leader":"15634950851934939960","#, with: "")
        let otherCluster = EtcdRecorded.statusM3.replacingOccurrences(of: "16332256029558918656", with: "42")
        var p1 = try EtcdRecorded.probe("http://127.0.0.1:22379", status: noLeader, health: #"{"health":"false"}"#)
        p1.alarms = .success(try EtcdRecorded.decode(EtcdWire.AlarmList.self, #"{"alarms":[{"memberID":"8156299240893463285","alarm":"NOSPACE"}]}"#))
        let p2 = try EtcdRecorded.probe("http://127.0.0.1:32379", status: otherCluster.replacingOccurrences(of: #""leader":"15634950851934939960","#, with: ""))
        let status = EtcdClusterStatus.assemble([p1, p2])
        #expect(status.leaderID == nil)
        #expect(status.errors.contains { $0.hasPrefix("no leader") })
        #expect(status.errors.contains { $0.contains("different clusters") && $0.contains("2a") })
        #expect(status.alarms == [.init(memberID: EtcdRecorded.m2, alarm: "NOSPACE")])
        #expect(status.endpoints[0].healthReason == "no leader")
    }

    @Test func codableRoundTrip() throws {
        let status = EtcdClusterStatus.assemble([try EtcdRecorded.probe("http://127.0.0.1:2379", status: EtcdRecorded.statusM1), EtcdRecorded.dead("http://127.0.0.1:1")])
        let data = try JSONEncoder().encode(status)
        #expect(try JSONDecoder().decode(EtcdClusterStatus.self, from: data) == status)
    }
}

@Suite struct EtcdInstanceMappingTests {
    @Test(arguments: [
        ("http://127.0.0.1:2379", "127.0.0.1:2379"), ("https://Etcd-0.ETCD.svc:2379/", "etcd-0.etcd.svc:2379"),
        ("https://[fd00::1]:2379", "[fd00::1]:2379"), ("https://10.0.0.1", "10.0.0.1:443"), ("http://10.0.0.1", "10.0.0.1:80"),
    ])
    func clientURLToInstance(url: String, instance: String) {
        #expect(EtcdInstanceMapping.instance(forClientURL: url) == instance)
    }

    @Test func notAnHTTPURL() {
        #expect(EtcdInstanceMapping.instance(forClientURL: "unix://localhost:2379") == nil)
        #expect(EtcdInstanceMapping.instance(forClientURL: "") == nil)
    }

    @Test func mapsInstancesToMembers() {
        let members: [EtcdClusterStatus.Member] = [
            .init(id: "a1", name: "e0", peerURLs: ["https://10.0.0.1:2380"], clientURLs: ["https://10.0.0.1:2379", "https://127.0.0.1:2379"]),
            .init(id: "b2", name: "e1", peerURLs: ["https://10.0.0.2:2380"], clientURLs: ["https://10.0.0.2:2379"]),
            .init(id: "c3", name: "", peerURLs: ["https://10.0.0.3:2380"], clientURLs: []),
        ]
        #expect(EtcdInstanceMapping.instances(of: members[0]) == ["10.0.0.1:2379", "127.0.0.1:2379"])
        let map = EtcdInstanceMapping.memberIDs(byInstance: ["10.0.0.1:2379", "10.0.0.2:2381", "10.0.0.3:9979", "10.0.0.9:2379"], members: members)
        #expect(map == ["10.0.0.1:2379": "a1", "10.0.0.2:2381": "b2", "10.0.0.3:9979": "c3"])
    }

    @Test func ambiguousHostsMatchOnlyExactly() throws {
        let list = try EtcdRecorded.decode(EtcdWire.MemberList.self, EtcdRecorded.memberList)
        let members = list.members.map { EtcdClusterStatus.Member(id: EtcdWire.hex($0.id), name: $0.name, peerURLs: $0.peerURLs, clientURLs: $0.clientURLs) }
        let map = EtcdInstanceMapping.memberIDs(byInstance: ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379", "127.0.0.1:2381"], members: members)
        #expect(map == ["127.0.0.1:2379": EtcdRecorded.m1, "127.0.0.1:22379": EtcdRecorded.m2, "127.0.0.1:32379": EtcdRecorded.m3])
    }
}

@Suite struct EtcdGatewayConfigurationTests {
    @Test func parsesEndpointLists() throws {
        let urls = try EtcdGatewayConfiguration.parseEndpoints(" http://127.0.0.1:2379, 127.0.0.1:22379,https://e:2379,http://127.0.0.1:2379 ")
        #expect(urls.map(\.absoluteString) == ["http://127.0.0.1:2379", "http://127.0.0.1:22379", "https://e:2379"])
        for bad in ["", ",", "ftp://e:2379", "http://", "http://u:p@e:2379"] {
            #expect(throws: EtcdGatewayError.self) { try EtcdGatewayConfiguration.parseEndpoints(bad) }
        }
    }

    @Test func rejectsHalfAClientCertificateAndMissingFiles() throws {
        let url = try EtcdGatewayConfiguration.parseEndpoint("https://127.0.0.1:2379")
        let half = EtcdGatewayConfiguration(endpoints: [url], certFile: "/tmp/c.pem")
        #expect { try EtcdGatewayClient(configuration: half) } throws: { ($0 as? EtcdGatewayError)?.label == "configuration" }
        let missing = EtcdGatewayConfiguration(endpoints: [url], caFile: "/nonexistent/ca.pem")
        #expect { try EtcdGatewayClient(configuration: missing) } throws: {
            ($0 as? EtcdGatewayError)?.message == "cannot read CA file /nonexistent/ca.pem: check the path and its permissions"
        }
        #expect(throws: EtcdGatewayError.self) { try EtcdGatewayClient(configuration: .init(endpoints: [])) }
    }

    /// Needs no lab: port 1 on loopback refuses at once.
    @Test func throwsOnlyWhenNoEndpointAnswers() async throws {
        let config = EtcdGatewayConfiguration(endpoints: [try EtcdGatewayConfiguration.parseEndpoint("http://127.0.0.1:1")], timeout: .seconds(3))
        await #expect {
            try await EtcdGatewayClient.withClient(config) { try await $0.clusterStatus() }
        } throws: { error in
            guard let e = error as? EtcdGatewayError else { return false }
            return e.label == "no_endpoint_answered" && e.kind == .upstreamUnavailable && !e.message.contains("\n")
                && e.message.contains("http://127.0.0.1:1") && e.message.contains("connection refused") && e.message.contains("--endpoints")
        }
    }
}

/// The lab's etcd (env `PERFSCOPE_TEST_ETCD_ENDPOINTS`, comma-separated client URLs).
enum EtcdLab {
    static let endpointsText = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_ETCD_ENDPOINTS"]
    static var enabled: Bool { !(endpointsText ?? "").isEmpty }
    static func endpoints() throws -> [URL] { try EtcdGatewayConfiguration.parseEndpoints(endpointsText ?? "") }
}

@Suite(.enabled(if: EtcdLab.enabled, "needs the lab etcd (set PERFSCOPE_TEST_ETCD_ENDPOINTS)"))
struct EtcdGatewayLiveTests {
    @Test func labClusterIsHealthyWithOneLeader() async throws {
        let endpoints = try EtcdLab.endpoints()
        let status = try await EtcdGatewayClient.withClient(.init(endpoints: endpoints)) { try await $0.clusterStatus() }
        #expect(status.members.count == 3)
        #expect(status.endpoints.count == endpoints.count)
        #expect(status.endpoints.filter(\.isLeader).count == 1)
        #expect(status.leaderID != nil && status.leader != nil)
        #expect(status.endpoints.allSatisfy { $0.healthy && $0.errors.isEmpty && $0.leaderID == status.leaderID })
        #expect(status.endpoints.allSatisfy { $0.dbSize > 0 && $0.dbSizeInUse > 0 && $0.version.hasPrefix("3.4") && $0.raftIndex > 0 })
        #expect(Set(status.endpoints.map(\.memberID)) == Set(status.members.map(\.id)))
        #expect(status.members.allSatisfy { $0.id.allSatisfy(\.isHexDigit) && $0.id == $0.id.lowercased() && !$0.id.hasPrefix("0") })
        #expect(!status.clusterID.isEmpty && status.raftTerm > 0)
        #expect(status.alarms.isEmpty && status.errors.isEmpty && status.isHealthy)
        // Every member's client URL is one of the endpoints asked, as a Prometheus instance.
        let asked = Set(endpoints.compactMap { EtcdInstanceMapping.instance(forClientURL: $0.absoluteString) })
        #expect(Set(status.members.flatMap(EtcdInstanceMapping.instances(of:))) == asked)
    }

    @Test func aDeadEndpointIsReportedNotThrown() async throws {
        let endpoints = try EtcdLab.endpoints() + [try EtcdGatewayConfiguration.parseEndpoint("http://127.0.0.1:1")]
        let status = try await EtcdGatewayClient.withClient(.init(endpoints: endpoints, timeout: .seconds(5))) { try await $0.clusterStatus() }
        #expect(status.endpoints.count == 4)
        #expect(status.endpoints.filter(\.healthy).count == 3)
        let dead = try #require(status.endpoints.last)
        #expect(dead.endpoint == "http://127.0.0.1:1" && !dead.healthy && dead.memberID == "" && !dead.isLeader)
        #expect(dead.errors == ["cannot reach etcd at http://127.0.0.1:1: connection refused"])
        #expect(dead.healthReason == "cannot reach etcd at http://127.0.0.1:1: connection refused")
        #expect(status.members.count == 3 && status.leaderID != nil && status.errors.isEmpty)
    }
}

/// An etcd serving https with `--client-cert-auth` (env `PERFSCOPE_TEST_ETCD_TLS_ENDPOINT`, e.g.
/// `https://127.0.0.1:42379`, and `PERFSCOPE_TEST_ETCD_TLS_DIR` holding `ca.pem`, `client.pem`,
/// `client-key.pem`; the server certificate must name 127.0.0.1).
enum EtcdTLSLab {
    static let env = ProcessInfo.processInfo.environment
    static var enabled: Bool { env["PERFSCOPE_TEST_ETCD_TLS_ENDPOINT"] != nil && env["PERFSCOPE_TEST_ETCD_TLS_DIR"] != nil }
    static func file(_ name: String) -> String { (env["PERFSCOPE_TEST_ETCD_TLS_DIR"] ?? "") + "/" + name }
    static func endpoint() throws -> URL { try EtcdGatewayConfiguration.parseEndpoint(env["PERFSCOPE_TEST_ETCD_TLS_ENDPOINT"] ?? "") }

    static func failure(_ config: EtcdGatewayConfiguration) async -> EtcdGatewayError? {
        do {
            _ = try await EtcdGatewayClient.withClient(config) { try await $0.clusterStatus() }
            return nil
        } catch { return error as? EtcdGatewayError }
    }
}

@Suite(.enabled(if: EtcdTLSLab.enabled, "needs an etcd with client-cert auth (set PERFSCOPE_TEST_ETCD_TLS_ENDPOINT and PERFSCOPE_TEST_ETCD_TLS_DIR)"))
struct EtcdGatewayTLSLiveTests {
    @Test func mutualTLSWithPrivateCA() async throws {
        let config = EtcdGatewayConfiguration(endpoints: [try EtcdTLSLab.endpoint()], caFile: EtcdTLSLab.file("ca.pem"),
                                              certFile: EtcdTLSLab.file("client.pem"), keyFile: EtcdTLSLab.file("client-key.pem"))
        let status = try await EtcdGatewayClient.withClient(config) { try await $0.clusterStatus() }
        #expect(status.members.count >= 1 && status.leaderID != nil)
        #expect(status.endpoints.allSatisfy { $0.healthy && $0.errors.isEmpty && $0.version.hasPrefix("3.") })
    }

    @Test func insecureSkipVerifyStillSendsTheClientCertificate() async throws {
        let config = EtcdGatewayConfiguration(endpoints: [try EtcdTLSLab.endpoint()], certFile: EtcdTLSLab.file("client.pem"),
                                              keyFile: EtcdTLSLab.file("client-key.pem"), insecureSkipVerify: true)
        let status = try await EtcdGatewayClient.withClient(config) { try await $0.clusterStatus() }
        #expect(status.endpoints.allSatisfy { $0.healthy })
    }

    @Test func missingClientCertificateIsAOneLineTLSError() async throws {
        let error = try #require(await EtcdTLSLab.failure(.init(endpoints: [try EtcdTLSLab.endpoint()], caFile: EtcdTLSLab.file("ca.pem"))))
        #expect(error.label == "no_endpoint_answered" && error.message.contains("client certificate") && !error.message.contains("\n"))
    }

    @Test func unknownCAIsAOneLineTLSError() async throws {
        let error = try #require(await EtcdTLSLab.failure(.init(endpoints: [try EtcdTLSLab.endpoint()], certFile: EtcdTLSLab.file("client.pem"),
                                                                keyFile: EtcdTLSLab.file("client-key.pem"))))
        #expect(error.label == "no_endpoint_answered" && error.message.contains("TLS handshake failed"))
    }

    @Test func plainHTTPToATLSPortSaysUseHTTPS() async throws {
        var components = try #require(URLComponents(url: try EtcdTLSLab.endpoint(), resolvingAgainstBaseURL: false))
        components.scheme = "http"
        let url = try #require(components.url)
        let error = try #require(await EtcdTLSLab.failure(.init(endpoints: [url])))
        #expect(error.label == "no_endpoint_answered" && error.message.contains("https://"))
    }
}
