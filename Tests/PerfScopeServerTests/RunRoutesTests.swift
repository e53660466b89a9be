import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeCore
import PerfScopeServer
import PerfScopeStore
import PrometheusAPI
import Testing

/// `/api/runs`, `/api/runs/{id}`, `/api/reports/{id}.html`, the health routes and `/metrics`,
/// through the router with a real SQLite history in a temporary file.
@Suite struct RunRoutesTests {
    static func report(id: String, at: Date) -> Report {
        var r = Report(id: id, generatedAt: at, window: .init(start: at.addingTimeInterval(-3600), end: at), grade: .fair,
                       healthScores: ["disk": 70], findings: [
                           Finding(id: "etcd.wal_fsync_p99.threshold", title: "WAL fsync p99 high", severity: .medium, category: .disk,
                                   methodology: .threshold, instances: ["127.0.0.1:2379"], observation: "34 ms",
                                   evidence: [Evidence(metric: "wal_fsync_p99", value: 34, threshold: 10, unit: "ms", instance: "127.0.0.1:2379", query: "q")],
                                   rootCause: "slow disk", confidence: 0.8, immediateAction: "iostat", investigationSteps: ["iostat -x 1"],
                                   longTermFix: "SSD", relatedMetrics: [], reference: "etcd docs"),
                       ],
                       rootCauses: [RootCause(category: .disk, instances: ["127.0.0.1:2379"], summary: "slow disk <on> m1",
                                              likelihood: .high, confidence: 0.8, findingIds: ["etcd.wal_fsync_p99.threshold"])],
                       recommendations: [], dataGaps: [], source: "http://127.0.0.1:9090", metrics: [], charts: [], thresholds: [:])
        r.hosts = []
        return r
    }

    /// A router over a fresh SQLite file holding two runs (`run-old`, `run-new`), and an unreachable Prometheus.
    static func withApp(token: String? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-routes-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await RunStoreFactory.with(.sqlite(path: path)) { store in
            try await store.save(report(id: "run-old", at: Date().addingTimeInterval(-7200)), cluster: "lab")
            try await store.save(report(id: "run-new", at: Date().addingTimeInterval(-60)), cluster: "lab")
        }
        let config = PerfScopeConfig()
        let runtime = AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, environment: [:]),
                                      prometheus: PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("http://127.0.0.1:1")),
                                      logger: Logger(label: "test"))
        let context = ToolContext(runtime: runtime, etcdEndpoints: [URL(string: "http://127.0.0.1:1")!], store: .sqlite(path: path))
        let sessions = MCPHTTPSessions(registry: .standard, context: context, loopbackOnly: true, logger: Logger(label: "test"))
        let app = Application(router: PerfScopeHTTPServer.router(registry: .standard, context: context, sessions: sessions, token: token))
        try await app.test(.router, body)
    }

    @Test func runsListNewestFirstWithFilters() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/api/runs", method: .get) { r in
                #expect(r.status == .ok)
                let runs = try JSONValue.parse(String(buffer: r.body)).object?["runs"]?.array ?? []
                #expect(runs.compactMap { $0.object?["id"]?.string } == ["run-new", "run-old"])
            }
            try await client.execute(uri: "/api/runs?duration=1h&limit=5", method: .get) { r in
                let runs = try JSONValue.parse(String(buffer: r.body)).object?["runs"]?.array ?? []
                #expect(runs.compactMap { $0.object?["id"]?.string } == ["run-new"])
            }
            try await client.execute(uri: "/api/runs?cluster=other", method: .get) { r in
                let checked = try JSONValue.parse(String(buffer: r.body)).object?["runs"]?.array?.isEmpty == true
                #expect(checked)
            }
            for bad in ["/api/runs?duration=soon", "/api/runs?limit=many", "/api/runs?limit=9223372036854775807", "/api/runs?limit=nan",
                        "/api/runs?limit=1e300", "/api/runs?limit=-1", "/api/runs?limit=0", "/api/runs?duration=1e400w"] {
                try await client.execute(uri: bad, method: .get) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                    let message = try JSONValue.parse(String(buffer: r.body)).object?["error"]?.string ?? ""
                    #expect(!message.isEmpty && !message.contains("\n"))
                }
            }
        }
    }

    @Test func oneRunAsJSONAndAsHTML() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/api/runs/latest", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "application/json")
                let report = try JSONRendering.decoder().decode(Report.self, from: Data(String(buffer: r.body).utf8))
                #expect(report.id == "run-new" && report.rootCauses.first?.category == .disk)
            }
            try await client.execute(uri: "/api/runs/run-o", method: .get) { r in
                let checked = try JSONRendering.decoder().decode(Report.self, from: Data(String(buffer: r.body).utf8)).id == "run-old"
                #expect(checked)
            }
            try await client.execute(uri: "/api/reports/run-new.html", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = String(buffer: r.body)
                #expect(html.contains("slow disk &lt;on&gt; m1"), "report text is escaped in HTML")
                #expect(!html.contains("slow disk <on> m1"))
            }
            try await client.execute(uri: "/api/runs/nope", method: .get) { r in
                #expect(r.status == .notFound)
                let checked = try JSONValue.parse(String(buffer: r.body)).object?["error"]?.string?.contains("history list") == true
                #expect(checked)
            }
            for bad in ["/api/reports/run-new.pdf", "/api/runs/run%27%3B"] {
                try await client.execute(uri: bad, method: .get) { r in #expect(r.status == .badRequest, "\(bad)") }
            }
        }
    }

    @Test func healthRoutesAndMetrics() async throws {
        try await Self.withApp(token: "t") { client in
            let auth: HTTPFields = [.authorization: "Bearer t"]
            try await client.execute(uri: "/api/mcp/health", method: .get, headers: auth) { r in
                let body = try JSONValue.parse(String(buffer: r.body)).object
                #expect(r.status == .ok && body?["sessions"]?.number == 0 && body?["tools"]?.number == Double(ToolRegistry.standard.tools.count))
            }
            // The configured etcd endpoint is unreachable: an upstream error, not a crash or a 500.
            try await client.execute(uri: "/api/etcd/health", method: .get, headers: auth) { r in
                #expect(r.status == .badGateway, "\(String(buffer: r.body))")
            }
            try await client.execute(uri: "/api/tools/get_server_health", method: .post, headers: auth) { _ in }
            try await client.execute(uri: "/api/runs", method: .get) { r in #expect(r.status == .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get, headers: auth) { r in
                #expect(r.status == .ok && r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: r.body)
                #expect(text.contains(#"perfscope_build_info{version="\#(PerfScopeVersion.current)"} 1.0"#))
                #expect(text.contains(#"perfscope_http_requests_total{route="/api/mcp/health",method="GET",status="200"} 1"#), "\(text)")
                #expect(text.contains(#"route="/api/runs",method="GET",status="401"} 1"#))
                #expect(text.contains(#"perfscope_tool_calls_total{tool="get_server_health",outcome="502"} 1"#))
                #expect(text.contains("perfscope_mcp_sessions 0.0"))
                #expect(text.contains("perfscope_http_request_duration_seconds_bucket"))
            }
            try await client.execute(uri: "/metrics", method: .get) { r in #expect(r.status == .unauthorized) }
        }
    }
}
