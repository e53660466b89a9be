import Foundation
import HTTPTypes
import Hummingbird
import PerfScopeAgent
import PerfScopeCore

/// Run history over HTTP: the stored runs (`list_runs`, the same tool the chat and MCP use), one
/// run's full report as JSON, and the same report rendered as the HTML a browser can open.
enum RunRoutes {
    static func add(to router: Router<PerfScopeHTTPServer.Context>, registry: ToolRegistry, context: ToolContext) {
        // GET /api/runs?duration=7d&cluster=NAME&limit=20
        router.get("/api/runs") { request, _ -> Response in
            do {
                var arguments: [String: JSONValue] = [:]
                let query = request.uri.queryParameters
                if let d = query["duration"] { arguments["duration"] = .string(String(d)) }
                if let c = query["cluster"] { arguments["cluster"] = .string(String(c)) }
                if let l = query["limit"] { arguments["top_k"] = .number(Double(try CheckedNumber.int(String(l), name: "limit", in: 1...200))) }
                let output = try await registry.call("list_runs", arguments: arguments, context: context)
                return PerfScopeHTTPServer.json(output.structured)
            } catch {
                return PerfScopeHTTPServer.failure(error)
            }
        }
        // GET /api/runs/{id}: `latest`, an id or a unique prefix → the stored report as JSON.
        router.get("/api/runs/:id") { _, requestContext -> Response in
            do {
                let report = try await report(requestContext.parameters.get("id") ?? "", context: context)
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONRendering.encoder().encode(report))))
            } catch {
                return PerfScopeHTTPServer.failure(error)
            }
        }
        // GET /api/reports/{id}.html: the stored report as the self-contained HTML page.
        router.get("/api/reports/:file") { _, requestContext -> Response in
            do {
                let file = requestContext.parameters.get("file") ?? ""
                guard file.hasSuffix(".html"), file.count > 5 else {
                    throw PerfScopeError.invalidInput("ask for /api/reports/RUN.html (RUN: an id, a unique prefix or latest)")
                }
                let report = try await report(String(file.dropLast(5)), context: context)
                var headers = HTTPFields()
                headers[.contentType] = "text/html; charset=utf-8"
                headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: HTMLRenderer().render(report))))
            } catch {
                return PerfScopeHTTPServer.failure(error)
            }
        }
    }

    static func report(_ reference: String, context: ToolContext) async throws -> Report {
        guard !reference.isEmpty, reference.count <= 128, reference.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw PerfScopeError.invalidInput("invalid run reference \(reference.prefix(40)): use a run id, a unique prefix of one, or latest")
        }
        return try await HistoryTools.withStore(context) { store in try await store.get(try await store.resolveRunID(reference)) }
    }
}

/// Health of what the server depends on: etcd (through `get_etcd_cluster_status`), the MCP
/// endpoint, and the server's own metrics for Prometheus.
enum HealthRoutes {
    static func add(to router: Router<PerfScopeHTTPServer.Context>, registry: ToolRegistry, context: ToolContext,
                    sessions: MCPHTTPSessions, metrics: ServerMetrics) {
        router.get("/api/etcd/health") { _, _ -> Response in
            do {
                let output = try await registry.call("get_etcd_cluster_status", arguments: [:], context: context)
                return PerfScopeHTTPServer.json(.object(["summary": .string(output.summary), "status": output.structured]))
            } catch {
                return PerfScopeHTTPServer.failure(error)
            }
        }
        router.get("/api/mcp/health") { _, _ -> Response in
            PerfScopeHTTPServer.json(.object([
                "status": .string("ok"), "endpoint": .string("/mcp"), "transport": .string("streamable-http"),
                "sessions": .number(Double(await sessions.count)), "tools": .number(Double(registry.tools.count)),
                "version": .string(PerfScopeVersion.current),
            ]))
        }
        router.get("/metrics") { _, _ -> Response in
            metrics.mcpSessions(await sessions.count)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }
}
