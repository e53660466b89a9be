import Foundation
import Logging
import PerfScopeCore
import PrometheusAPI

/// Runs every query of a dashboard as a range query over the window, concurrently within the
/// Prometheus client's bound, and judges each panel by its own thresholds.
///
/// A dashboard's query count is the dashboard's (one per panel target), whatever the number of
/// instances. A failing query is a data gap of its panel; only when Prometheus cannot be
/// reached at all is the first such error thrown.
public struct GrafanaCollector: Sendable {
    public let client: PrometheusClient
    public let logger: Logger

    public init(client: PrometheusClient, logger: Logger = Logger(label: "perfscope.grafana")) {
        self.client = client
        self.logger = logger
    }

    public struct Result: Sendable {
        public var plan: [GrafanaPlannedQuery]
        public var panels: [GrafanaPanelAnalysis]
        public var dataGaps: [DataGap]
        /// Queries sent, queries that returned at least one finite value, queries that failed.
        public var queryCount: Int
        public var withData: Int
        public var failed: Int
        /// The failures by panel/refId, for logs and tests.
        public var failures: [(key: String, message: String)]
        public var elapsed: Double
    }

    public func collect(_ dashboard: GrafanaDashboard, context: TemplateContext, window: TimeWindow,
                        progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Result {
        let started = ContinuousClock.now
        let plan = dashboard.plan(context: context)
        let runnable = plan.indices.filter { plan[$0].promQL != nil }
        var outcomes: [Int: GrafanaTargetResult.Outcome] = [:]
        var firstUnreachable: (any Error)?
        try await withThrowingTaskGroup(of: (Int, GrafanaTargetResult.Outcome, (any Error)?).self) { group in
            for index in runnable {
                let promQL = plan[index].promQL!
                group.addTask { [client] in
                    do {
                        let response = try await client.queryRange(promQL, start: window.start, end: window.end, step: window.step)
                        let series = response.result.series.map {
                            GrafanaSeries(labels: $0.labels, times: $0.points.map(\.time), values: $0.points.map(\.value))
                        }
                        return (index, .series(series), nil)
                    } catch {
                        let message = (error as? any UserFacingError)?.message ?? String(describing: error)
                        return (index, .failed(message), error)
                    }
                }
            }
            for try await (index, outcome, error) in group {
                outcomes[index] = outcome
                if let error, firstUnreachable == nil, (error as? any UserFacingError)?.kind == .upstreamUnavailable {
                    firstUnreachable = error
                }
                progress?(outcomes.count, runnable.count)
            }
        }
        let failures = runnable.compactMap { index -> (String, String)? in
            guard case .failed(let message)? = outcomes[index] else { return nil }
            return ("\(plan[index].panel.title)/\(plan[index].target.refId)", message)
        }
        if !runnable.isEmpty, failures.count == runnable.count, let firstUnreachable { throw firstUnreachable }
        for (key, message) in failures {
            logger.warning("grafana panel query failed", metadata: ["panel": "\(key)", "error": "\(message)"])
        }

        // Group results by panel, in dashboard order.
        var panels: [GrafanaPanelAnalysis] = []
        let uid = dashboard.uid ?? dashboard.title
        var byPanel: [(GrafanaPanel, [GrafanaTargetResult])] = []
        for index in runnable {
            let p = plan[index]
            let result = GrafanaTargetResult(target: p.target, promQL: p.promQL!, outcome: outcomes[index] ?? .failed("not run"))
            if let last = byPanel.indices.last, byPanel[last].0 == p.panel {
                byPanel[last].1.append(result)
            } else {
                byPanel.append((p.panel, [result]))
            }
        }
        for (panel, results) in byPanel {
            panels.append(GrafanaPanelAnalyzer.analyze(panel: panel, results: results, dashboard: uid, dashboardTitle: dashboard.title))
        }
        let withData = outcomes.values.filter { outcome in
            if case .series(let list) = outcome { list.contains { $0.values.contains(where: \.isFinite) } } else { false }
        }.count
        return Result(plan: plan, panels: panels, dataGaps: dashboard.planGaps(plan), queryCount: runnable.count,
                      withData: withData, failed: failures.count, failures: failures,
                      elapsed: (ContinuousClock.now - started).seconds)
    }

    /// Collects and builds the report in one go.
    public func report(_ dashboard: GrafanaDashboard, context: TemplateContext, window: TimeWindow, source: String,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> (Report, Result) {
        let result = try await collect(dashboard, context: context, window: window, progress: progress)
        let now = Date()
        let report = GrafanaReport.build(id: ReportBuilder.runID(at: now), generatedAt: now, window: window, dashboard: dashboard,
                                         panels: result.panels, dataGaps: result.dataGaps, source: source)
        return (report, result)
    }
}
