import Foundation
import Hummingbird
import PerfScopeAgent
import Prometheus

/// The server's own metrics at `GET /metrics` (swift-prometheus), so the operator can scrape the
/// analyser like any other service: requests by route and status, their latency, tool calls by
/// outcome, open MCP sessions. Routes are labelled by their template (`/api/runs/{id}`), never by
/// the raw path, so a scanner cannot blow up the label cardinality.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    static let buckets: [Duration] = [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
                                      .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30)]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        registry.makeGauge(descriptor: .init(namespace: "perfscope", metricName: "build", unitName: "info",
                                             helpText: "perfscope build; the value is always 1"),
                           labels: [("version", PerfScopeVersion.current)]).set(1.0 as Double)
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: .init(namespace: "perfscope", subsystem: "http", metricName: "requests", unitName: "total",
                                               helpText: "HTTP requests served, by route template, method and status code"),
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "perfscope", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                                                         helpText: "Time to the response head, by route template (streams end later)"),
                                       labels: [("route", route)], buckets: Self.buckets).recordNanoseconds(duration.nanoseconds)
    }

    func toolCall(_ tool: String, outcome: String) {
        registry.makeCounter(descriptor: .init(namespace: "perfscope", subsystem: "tool", metricName: "calls", unitName: "total",
                                               helpText: "Tool calls through /api/tools, by tool and outcome (ok or the HTTP status of the error)"),
                             labels: [("tool", tool), ("outcome", outcome)]).increment()
    }

    func mcpSessions(_ count: Int) {
        registry.makeGauge(descriptor: .init(namespace: "perfscope", subsystem: "mcp", metricName: "sessions", unitName: "",
                                             helpText: "Open MCP streamable-HTTP sessions"))
            .set(Double(count))
    }

    func scheduledRun(outcome: String, duration: Duration) {
        registry.makeCounter(descriptor: .init(namespace: "perfscope", subsystem: "scheduled", metricName: "runs", unitName: "total",
                                               helpText: "Scheduled analyses (serve --schedule), by outcome: ok or error"),
                             labels: [("outcome", outcome)]).increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "perfscope", subsystem: "scheduled", metricName: "run_duration", unitName: "seconds",
                                                         helpText: "Time a scheduled analysis took, storing included"),
                                       buckets: Self.buckets).recordNanoseconds(duration.nanoseconds)
    }

    func scheduleNext(_ date: Date) {
        registry.makeGauge(descriptor: .init(namespace: "perfscope", subsystem: "scheduled", metricName: "next_run_timestamp", unitName: "seconds",
                                             helpText: "When the next scheduled analysis starts (Unix seconds)"))
            .set(date.timeIntervalSince1970)
    }

    /// The exposition text (Prometheus text format 0.0.4).
    func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Counts every routed request into `ServerMetrics`.
struct MetricsMiddleware<Context: Hummingbird.RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        // The router fills in the matched route template (a shared box) while `next` runs.
        func record(_ status: Int) {
            metrics.request(route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status,
                            duration: ContinuousClock.now - start)
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch {
            record((error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }
}
