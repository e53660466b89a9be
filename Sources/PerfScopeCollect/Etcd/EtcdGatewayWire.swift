import Foundation

/// The JSON the etcd v3 gateway sends, decoded robustly.
///
/// grpc-gateway (jsonpb) writes every 64-bit integer as a decimal *string*, omits fields that
/// are false, zero or empty, and may use the proto name (`cluster_id`) or the JSON name
/// (`clusterId`). So every number here accepts a string or a number, and anything missing
/// reads as 0, false, "" or [].
enum EtcdWire {
    struct Header: Decodable, Equatable, Sendable {
        var clusterID: UInt64 = 0
        var memberID: UInt64 = 0
        var revision: Int64 = 0
        var raftTerm: UInt64 = 0

        init() {}

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: EtcdJSONKey.self)
            clusterID = try c.etcdUInt64("cluster_id", "clusterId")
            memberID = try c.etcdUInt64("member_id", "memberId")
            revision = try c.etcdInt64("revision")
            raftTerm = try c.etcdUInt64("raft_term", "raftTerm")
        }
    }

    /// `POST /v3/maintenance/status`.
    struct Status: Decodable, Equatable, Sendable {
        var header = Header()
        var version = ""
        var dbSize: Int64 = 0
        var dbSizeInUse: Int64 = 0
        var leader: UInt64 = 0
        var raftIndex: UInt64 = 0
        var raftTerm: UInt64 = 0
        var raftAppliedIndex: UInt64 = 0
        var errors: [String] = []
        var isLearner = false

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: EtcdJSONKey.self)
            header = try c.etcdValue(Header.self, "header") ?? Header()
            version = try c.etcdString("version")
            dbSize = try c.etcdInt64("dbSize", "db_size")
            dbSizeInUse = try c.etcdInt64("dbSizeInUse", "db_size_in_use")
            leader = try c.etcdUInt64("leader")
            raftIndex = try c.etcdUInt64("raftIndex", "raft_index")
            raftTerm = try c.etcdUInt64("raftTerm", "raft_term")
            raftAppliedIndex = try c.etcdUInt64("raftAppliedIndex", "raft_applied_index")
            errors = try c.etcdValue([String].self, "errors") ?? []
            isLearner = try c.etcdBool("isLearner", "is_learner")
        }
    }

    struct Member: Decodable, Equatable, Sendable {
        var id: UInt64 = 0
        var name = ""
        var peerURLs: [String] = []
        var clientURLs: [String] = []
        var isLearner = false

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: EtcdJSONKey.self)
            id = try c.etcdUInt64("ID", "id")
            name = try c.etcdString("name")
            peerURLs = try c.etcdValue([String].self, "peerURLs", "peer_urls", "peerUrls") ?? []
            clientURLs = try c.etcdValue([String].self, "clientURLs", "client_urls", "clientUrls") ?? []
            isLearner = try c.etcdBool("isLearner", "is_learner")
        }
    }

    /// `POST /v3/cluster/member/list`.
    struct MemberList: Decodable, Equatable, Sendable {
        var header = Header()
        var members: [Member] = []

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: EtcdJSONKey.self)
            header = try c.etcdValue(Header.self, "header") ?? Header()
            members = try c.etcdValue([Member].self, "members") ?? []
        }
    }

    struct Alarm: Decodable, Equatable, Sendable {
        var memberID: UInt64 = 0
        /// `NOSPACE`, `CORRUPT`, … ; `NONE` when omitted.
        var alarm = "NONE"

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: EtcdJSONKey.self)
            memberID = try c.etcdUInt64("memberID", "member_id", "memberId")
            if let key = c.firstKey("alarm") {
                if let text = try? c.decode(String.self, forKey: key) {
                    alarm = text.uppercased()
                } else if let number = try? c.decode(Int.self, forKey: key) {
                    alarm = Self.names[number] ?? "ALARM_\(number)"
                }
            }
        }

        /// The proto enum `AlarmType` for gateways that print enums as numbers.
        static let names = [0: "NONE", 1: "NOSPACE", 2: "CORRUPT"]
    }

    /// `POST /v3/maintenance/alarm` with `{"action":"GET"}`. 3.4 answers `{}` when there is none.
    struct AlarmList: Decodable, Equatable, Sendable {
        var header = Header()
        var alarms: [Alarm] = []

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: EtcdJSONKey.self)
            header = try c.etcdValue(Header.self, "header") ?? Header()
            alarms = try c.etcdValue([Alarm].self, "alarms") ?? []
        }
    }

    /// `GET /health`: `{"health":"true"}` in 3.4 (a string), a bool elsewhere, and a `reason` in 3.5+.
    struct Health: Decodable, Equatable, Sendable {
        var health = false
        var reason: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: EtcdJSONKey.self)
            guard c.firstKey("health") != nil else {
                throw DecodingError.keyNotFound(EtcdJSONKey("health"), .init(codingPath: c.codingPath, debugDescription: "no health field"))
            }
            health = try c.etcdBool("health")
            let reason = try c.etcdString("reason")
            self.reason = reason.isEmpty ? nil : reason
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(T.self, from: data)
    }

    /// An etcd ID as etcdctl prints it: lowercase hex without leading zeros; "" for 0 (unset).
    static func hex(_ id: UInt64) -> String {
        id == 0 ? "" : String(id, radix: 16)
    }
}

/// A coding key for any name, so one field can be looked up under several spellings.
struct EtcdJSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == EtcdJSONKey {
    /// The first of `names` present with a non-null value.
    func firstKey(_ names: String...) -> EtcdJSONKey? { firstKey(names) }

    func firstKey(_ names: [String]) -> EtcdJSONKey? {
        for name in names {
            let key = EtcdJSONKey(name)
            if contains(key), (try? decodeNil(forKey: key)) == false { return key }
        }
        return nil
    }

    func etcdValue<T: Decodable>(_ type: T.Type, _ names: String...) throws -> T? {
        guard let key = firstKey(names) else { return nil }
        return try decode(T.self, forKey: key)
    }

    func etcdString(_ names: String...) throws -> String {
        guard let key = firstKey(names) else { return "" }
        if let s = try? decode(String.self, forKey: key) { return s }
        if let i = try? decode(Int64.self, forKey: key) { return String(i) }
        if let b = try? decode(Bool.self, forKey: key) { return String(b) }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath + [key], debugDescription: "expected a string"))
    }

    /// A uint64 sent as a decimal string or a JSON number; 0 when missing.
    func etcdUInt64(_ names: String...) throws -> UInt64 {
        guard let key = firstKey(names) else { return 0 }
        if let s = try? decode(String.self, forKey: key) {
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return 0 }
            if let v = UInt64(t) { return v }
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not a uint64: \(s)")
        }
        if let v = try? decode(UInt64.self, forKey: key) { return v }
        if let d = try? decode(Double.self, forKey: key), d >= 0, d < 1.8446744073709552e19 { return UInt64(d) }
        throw DecodingError.typeMismatch(UInt64.self, .init(codingPath: codingPath + [key], debugDescription: "expected a uint64 as string or number"))
    }

    /// An int64 sent as a decimal string or a JSON number; 0 when missing.
    func etcdInt64(_ names: String...) throws -> Int64 {
        guard let key = firstKey(names) else { return 0 }
        if let s = try? decode(String.self, forKey: key) {
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return 0 }
            if let v = Int64(t) { return v }
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an int64: \(s)")
        }
        if let v = try? decode(Int64.self, forKey: key) { return v }
        if let d = try? decode(Double.self, forKey: key), abs(d) < 9.2e18 { return Int64(d) }
        throw DecodingError.typeMismatch(Int64.self, .init(codingPath: codingPath + [key], debugDescription: "expected an int64 as string or number"))
    }

    /// A bool sent as JSON bool or as the string "true"/"false"; false when missing.
    func etcdBool(_ names: String...) throws -> Bool {
        guard let key = firstKey(names) else { return false }
        if let b = try? decode(Bool.self, forKey: key) { return b }
        if let s = try? decode(String.self, forKey: key) {
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1": return true
            case "false", "0", "": return false
            default: break
            }
        }
        throw DecodingError.typeMismatch(Bool.self, .init(codingPath: codingPath + [key], debugDescription: "expected a bool"))
    }
}
