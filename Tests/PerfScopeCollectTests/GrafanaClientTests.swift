import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import Testing

/// The real dashboards from the sibling `shared/data/dashboards` directory.
enum GrafanaFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/dashboards").standardizedFileURL

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path(name)) else {
            throw Missing(description: "dashboard fixture \(path(name)) not found: ../shared/data/dashboards must sit beside the repository")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct Missing: Error, CustomStringConvertible { let description: String }

    static let etcdUID = "c2f4e12cdf69feb95caa41a5a1b423d9"
    static let nodeUID = "rYdddlPWk"
}

/// A Grafana stand-in under the sub-path `/grafana`: `/api/search` and `/api/dashboards/uid/<uid>`
/// serving the two real dashboards, accepting only the token `good-token` or `admin:secret`.
enum FakeGrafana {
    static func responder(dashboards: [String: String]) -> @Sendable (GrafanaRecordedRequest) -> GrafanaTestServer.Reply {
        { request in
            let auth = request.header("Authorization") ?? ""
            let basic = "Basic " + Data("admin:secret".utf8).base64EncodedString()
            guard auth == "Bearer good-token" || auth == basic else {
                return .init(.unauthorized, #"{"message":"invalid API key"}"#)
            }
            if request.path == "/grafana/api/search" {
                guard request.query["type"] == "dash-db" else { return .init(.badRequest, #"{"message":"bad type"}"#) }
                let q = (request.query["query"] ?? "").lowercased()
                let items = dashboards.sorted { $0.key < $1.key }.compactMap { uid, json -> [String: Any]? in
                    let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
                    let title = object?["title"] as? String ?? ""
                    guard q.isEmpty || title.lowercased().contains(q) else { return nil }
                    return ["id": 1, "uid": uid, "title": title, "uri": "db/x", "url": "/grafana/d/\(uid)/x", "type": "dash-db",
                            "tags": object?["tags"] ?? [], "isStarred": false, "folderTitle": "Infra", "folderUid": "f1"]
                }
                let data = try! JSONSerialization.data(withJSONObject: items)
                return .init(.ok, String(decoding: data, as: UTF8.self))
            }
            let prefix = "/grafana/api/dashboards/uid/"
            if request.path.hasPrefix(prefix) {
                let uid = String(request.path.dropFirst(prefix.count))
                guard let json = dashboards[uid] else { return .init(.notFound, #"{"message":"Dashboard not found"}"#) }
                return .init(.ok, #"{"meta":{"type":"db","slug":"x","folderTitle":"Infra"},"dashboard":"# + json + "}")
            }
            return .init(.notFound, #"{"message":"Not found"}"#)
        }
    }

    static func with<T: Sendable>(_ body: (GrafanaTestServer) async throws -> T) async throws -> T {
        let dashboards = [GrafanaFixtures.etcdUID: try GrafanaFixtures.text("etcd-mixin.json"),
                          GrafanaFixtures.nodeUID: try GrafanaFixtures.text("node-exporter-full.json")]
        return try await GrafanaTestServer.with(responder: responder(dashboards: dashboards), body)
    }

    static func configuration(_ server: GrafanaTestServer, auth: GrafanaConfiguration.Authentication = .bearer(token: "good-token")) -> GrafanaConfiguration {
        GrafanaConfiguration(url: URL(string: "http://127.0.0.1:\(server.port)/grafana/")!, authentication: auth, timeout: .seconds(5))
    }
}

@Suite struct GrafanaClientTests {
    @Test func searchListsDashboardsWithTheirFields() async throws {
        try await FakeGrafana.with { server in
            let all = try await GrafanaClient.withClient(FakeGrafana.configuration(server)) { try await $0.searchDashboards() }
            #expect(Set(all.map(\.uid)) == [GrafanaFixtures.etcdUID, GrafanaFixtures.nodeUID])
            let etcd = try #require(all.first { $0.uid == GrafanaFixtures.etcdUID })
            #expect(etcd.title == "etcd")
            #expect(etcd.folderTitle == "Infra")
            #expect(etcd.url == "/grafana/d/\(GrafanaFixtures.etcdUID)/x")
            #expect(etcd.tags.contains("etcd-mixin"))
            let filtered = try await GrafanaClient.withClient(FakeGrafana.configuration(server)) { try await $0.searchDashboards(query: "node exporter") }
            #expect(filtered.map(\.uid) == [GrafanaFixtures.nodeUID])
            // The sub-path is kept, the query is encoded, the token is sent as a bearer.
            let request = try #require(server.requests.last)
            #expect(request.path == "/grafana/api/search")
            #expect(request.query["query"] == "node exporter")
            #expect(request.header("Authorization") == "Bearer good-token")
        }
    }

    @Test(arguments: [(GrafanaFixtures.etcdUID, 16), (GrafanaFixtures.nodeUID, 275)])
    func dashboardByUIDIsParsedFromTheEnvelope(uid: String, queries: Int) async throws {
        try await FakeGrafana.with { server in
            let dashboard = try await GrafanaClient.withClient(FakeGrafana.configuration(server)) { try await $0.dashboard(uid: uid) }
            #expect(dashboard.uid == uid)
            #expect(dashboard.queries.count == queries)
        }
    }

    @Test func basicAuthWorksAndBadCredentialsAreOneLineUnauthorized() async throws {
        try await FakeGrafana.with { server in
            let basic = FakeGrafana.configuration(server, auth: .basic(username: "admin", password: "secret"))
            let d = try await GrafanaClient.withClient(basic) { try await $0.dashboard(uid: GrafanaFixtures.etcdUID) }
            #expect(d.title == "etcd")
            for auth in [GrafanaConfiguration.Authentication.bearer(token: "bad-token"), .none, .basic(username: "admin", password: "nope")] {
                do {
                    _ = try await GrafanaClient.withClient(FakeGrafana.configuration(server, auth: auth)) { try await $0.searchDashboards() }
                    Issue.record("expected 401 for \(auth)")
                } catch let error as GrafanaError {
                    #expect(error.label == "unauthorized")
                    #expect(error.status == 401)
                    #expect(error.kind == .upstreamFailed)
                    #expect(!error.message.contains("\n"))
                    #expect(!error.message.contains("bad-token") && !error.message.contains("nope"), "secrets never in messages")
                    #expect(error.message.contains("--grafana-token"))
                }
            }
        }
    }

    @Test func unknownUIDIsNotFound() async throws {
        try await FakeGrafana.with { server in
            await #expect(throws: GrafanaError.dashboardNotFound(uid: "nope", url: FakeGrafana.configuration(server).redactedURL)) {
                _ = try await GrafanaClient.withClient(FakeGrafana.configuration(server)) { try await $0.dashboard(uid: "nope") }
            }
        }
    }

    @Test func unreachableGrafanaIsOneLine() async throws {
        // A port nothing listens on: bind, note the port, stop.
        let port = try await GrafanaTestServer.with(responder: { _ in .init(.ok, "[]") }) { $0.port }
        let config = GrafanaConfiguration(url: URL(string: "http://127.0.0.1:\(port)")!, authentication: .bearer(token: "t"), timeout: .seconds(3))
        do {
            _ = try await GrafanaClient.withClient(config) { try await $0.searchDashboards() }
            Issue.record("expected an error")
        } catch let error as GrafanaError {
            #expect(error.label == "unreachable")
            #expect(error.kind == .upstreamUnavailable)
            #expect(error.message.contains("PERFSCOPE_GRAFANA_URL"))
        }
    }

    @Test func sourcesAndURLs() throws {
        #expect(GrafanaDashboardSource(GrafanaFixtures.path("etcd-mixin.json")) == .file(GrafanaFixtures.path("etcd-mixin.json")))
        #expect(GrafanaDashboardSource("abc123") == .uid("abc123"))
        #expect(GrafanaDashboardSource(GrafanaFixtures.directory.path) == .uid(GrafanaFixtures.directory.path), "a directory is not a file")
        let d = try GrafanaDashboardSource.loadFile(GrafanaFixtures.path("etcd-mixin.json"))
        #expect(d.queries.count == 16)
        #expect(throws: GrafanaError.unreadableFile("/nonexistent.json")) { try GrafanaDashboardSource.loadFile("/nonexistent.json") }
        #expect(throws: GrafanaError.self) { try GrafanaConfiguration.parseURL("ftp://x") }
        let withSecret = GrafanaConfiguration(url: try GrafanaConfiguration.parseURL("https://u:p@g.example/grafana/"))
        #expect(withSecret.redactedURL == "https://g.example/grafana")
        do { _ = try GrafanaConfiguration.parseURL("https://user:hunter2@host?x=1") } catch let e as GrafanaError {
            #expect(!e.message.contains("hunter2"))
        }
    }

    @Test func missingURLForAUIDIsAUsageError() async throws {
        await #expect(throws: GrafanaError.missingURL(uid: "abc")) { _ = try await GrafanaDashboardSource.uid("abc").load(grafana: nil) }
        #expect(GrafanaError.missingURL(uid: "abc").kind == .invalidInput)
    }
}
