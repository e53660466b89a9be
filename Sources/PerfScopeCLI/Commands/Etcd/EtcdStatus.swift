import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// `perfscope etcd status`: members, leader, raft term/index, DB size, version, health and
/// alarms from etcd's v3 JSON gateway on each endpoint.
struct EtcdStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Cluster status from each member's v3 gateway: members, leader, raft, DB size, version, health, alarms.",
        discussion: "Endpoints from --endpoints or PERFSCOPE_ETCD_ENDPOINTS; without them, the instances Prometheus scrapes are tried as http://INSTANCE.")

    enum Output: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(name: .long, help: ArgumentHelp("Comma-separated client URLs (env PERFSCOPE_ETCD_ENDPOINTS).", valueName: "urls")) var endpoints: String?
    @Option(name: .long, help: ArgumentHelp("CA bundle for https endpoints.", valueName: "path")) var cacert: String?
    @Option(name: .long, help: ArgumentHelp("Client certificate (PEM).", valueName: "path")) var cert: String?
    @Option(name: .long, help: ArgumentHelp("Client key (PEM).", valueName: "path")) var key: String?
    @Flag(name: .long, help: "Skip TLS verification of the etcd endpoints (dangerous).") var insecureSkipTlsVerify = false
    @Option(name: .long, help: "table or json.") var format: Output = .table
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let endpoints {
            do { _ = try EtcdGatewayConfiguration.parseEndpoints(endpoints) } catch let e as any UserFacingError { throw ValidationError(e.message) }
        }
        if (cert == nil) != (key == nil) { throw ValidationError("give --cert and --key together") }
    }

    func run() async throws {
        let urls = try await resolveEndpoints()
        if insecureSkipTlsVerify { Terminal.warning("TLS verification of etcd endpoints is OFF (--insecure-skip-tls-verify)") }
        let config = EtcdGatewayConfiguration(endpoints: urls, caFile: cacert, certFile: cert, keyFile: key, insecureSkipVerify: insecureSkipTlsVerify)
        let status = try await EtcdGatewayClient.withClient(config) { try await $0.clusterStatus() }
        switch format {
        case .json: try Terminal.write(try JSONRendering.encode(status), to: nil)
        case .table: try Terminal.write(Self.table(status), to: nil)
        }
        if !status.isHealthy { throw ExitCode(1) }
    }

    func resolveEndpoints() async throws -> [URL] {
        if let text = endpoints ?? ProcessInfo.processInfo.environment["PERFSCOPE_ETCD_ENDPOINTS"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try EtcdGatewayConfiguration.parseEndpoints(text)
        }
        let session = try await Session.make(connection)
        let instances = try await session.runtime.scrapedEtcdInstances()
        guard !instances.isEmpty else {
            throw PerfScopeError.invalidInput("no etcd endpoints: pass --endpoints http://HOST:2379,… or set PERFSCOPE_ETCD_ENDPOINTS")
        }
        Terminal.warning("no --endpoints: trying the scraped instances as http://INSTANCE (\(instances.joined(separator: ", ")))")
        return try instances.map { try EtcdGatewayConfiguration.parseEndpoint("http://\($0)") }
    }

    static func table(_ s: EtcdClusterStatus) -> String {
        var out = "cluster \(s.clusterID.isEmpty ? "?" : s.clusterID) · raft term \(s.raftTerm) · leader \(s.leader.map { "\($0.name) (\($0.id))" } ?? "none")\n\n"
        var rows = [["endpoint", "member", "id", "leader", "health", "version", "db size", "in use", "raft index", "applied"]]
        for e in s.endpoints {
            let member = s.member(id: e.memberID)
            rows.append([e.endpoint, member?.name ?? "?", e.memberID, e.isLeader ? "yes" : "", e.healthy ? "healthy" : "UNHEALTHY" + (e.healthReason.map { " (\($0))" } ?? ""),
                         e.version, MetricUnit.bytes.format(Double(e.dbSize)), MetricUnit.bytes.format(Double(e.dbSizeInUse)),
                         String(e.raftIndex), String(e.raftAppliedIndex)])
        }
        out += Table.render(rows)
        out += "\nmembers\n" + Table.render([["id", "name", "peer URLs", "client URLs", "learner"]] + s.members.map {
            [$0.id, $0.name, $0.peerURLs.joined(separator: ","), $0.clientURLs.joined(separator: ","), $0.isLearner ? "yes" : ""]
        }, indent: "  ")
        out += "\nalarms: " + (s.alarms.isEmpty ? "none" : s.alarms.map { "\($0.alarm) on \($0.memberID)" }.joined(separator: ", ")) + "\n"
        for e in s.endpoints { for err in e.errors { out += "error \(e.endpoint): \(err)\n" } }
        for err in s.errors { out += "cluster: \(err)\n" }
        return out
    }
}
