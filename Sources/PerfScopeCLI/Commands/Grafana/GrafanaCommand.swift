import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// `perfscope grafana …`: list dashboards, show a dashboard's queries, and analyse a dashboard's
/// panels by their own thresholds over a window.
struct GrafanaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grafana",
        abstract: "Analyse a Grafana dashboard's panels (by their own thresholds), list dashboards, show their queries.",
        discussion: """
        A dashboard is a JSON file (exported, or as /api/dashboards/uid/<uid> returns it) or a UID
        fetched from --grafana-url. Environment: PERFSCOPE_GRAFANA_URL, PERFSCOPE_GRAFANA_TOKEN,
        PERFSCOPE_GRAFANA_USER, PERFSCOPE_GRAFANA_PASSWORD.
        Examples:
          perfscope grafana list --grafana-url http://grafana:3000 --query etcd
          perfscope grafana queries etcd-mixin.json --var cluster=etcd
          perfscope grafana analyze etcd-mixin.json --var cluster=etcd --duration 1h --format html --output etcd.html
        """,
        subcommands: [GrafanaList.self, GrafanaQueries.self, GrafanaAnalyze.self])

    enum ListFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
}

/// `perfscope grafana list`: dashboards from `/api/search`.
struct GrafanaList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List dashboards (uid, title, folder, tags).")

    @OptionGroup var grafana: GrafanaOptions
    @Option(name: .long, help: ArgumentHelp("Only dashboards whose title contains this text.", valueName: "text")) var query: String?
    @Option(name: .long, help: "text or json.") var format: GrafanaCommand.ListFormat = .text

    func validate() throws {
        if !grafana.hasURL() { throw ValidationError("no Grafana URL: give --grafana-url or set PERFSCOPE_GRAFANA_URL") }
    }

    func run() async throws {
        guard let configuration = try grafana.configuration() else {
            throw GrafanaError.configuration("no Grafana URL: give --grafana-url or set PERFSCOPE_GRAFANA_URL")
        }
        let dashboards = try await GrafanaClient.withClient(configuration) { try await $0.searchDashboards(query: query) }
        switch format {
        case .json:
            try Terminal.write(try JSONRendering.encode(dashboards), to: nil)
        case .text:
            if dashboards.isEmpty {
                try Terminal.write("(no dashboards\(query.map { " matching \"\($0)\"" } ?? ""))\n", to: nil)
                return
            }
            var rows = [["uid", "title", "folder", "tags"]]
            for d in dashboards { rows.append([d.uid, d.title, d.folderTitle ?? "", d.tags.joined(separator: ",")]) }
            try Terminal.write(Table.render(rows), to: nil)
        }
    }
}

/// `perfscope grafana queries`: the extracted queries with variables substituted, for debugging.
struct GrafanaQueries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queries",
        abstract: "Print every Prometheus query of a dashboard with its variables substituted (nothing is run).")

    @OptionGroup var dashboard: DashboardOptions
    @OptionGroup var window: WindowOptions
    @Option(name: .long, help: "text or json.") var format: GrafanaCommand.ListFormat = .text

    struct Entry: Encodable {
        var panel: String
        var panelId: Int?
        var type: String
        var row: String?
        var unit: String?
        var refId: String
        var legendFormat: String?
        var expr: String?
        var promQL: String?
        var problem: String?
    }

    func run() async throws {
        let window = try self.window.window()
        let (dashboard, context, origin) = try await self.dashboard.resolve(window: window)
        let plan = dashboard.plan(context: context)
        switch format {
        case .json:
            let entries = plan.map { p in
                Entry(panel: p.panel.title, panelId: p.panel.id, type: p.panel.type, row: p.panel.row, unit: p.panel.unit,
                      refId: p.target.refId, legendFormat: p.target.legendFormat, expr: p.target.expr, promQL: p.promQL, problem: p.problem)
            }
            try Terminal.write(try JSONRendering.encode(entries), to: nil)
        case .text:
            var out = "# \(dashboard.title)\(dashboard.uid.map { " (uid \($0))" } ?? "") from \(origin): "
            out += "\(Set(plan.map { $0.panel.id.map(String.init) ?? $0.panel.title }).count) panels, \(plan.count) queries\n"
            for skipped in dashboard.skippedTargets {
                out += "# skipped: panel \"\(skipped.panel)\" (\(skipped.refId)): \(skipped.reason)\n"
            }
            for p in plan {
                out += "\n# \(p.panel.title) (\(p.target.refId)) [\(p.panel.type)\(p.panel.unit.map { ", unit \($0)" } ?? "")]\n"
                if let promQL = p.promQL { out += promQL + "\n" } else { out += "# not run: \(p.problem ?? "")\n" }
            }
            try Terminal.write(out, to: nil)
        }
    }
}

/// `perfscope grafana analyze`: run a dashboard's queries over the window and report panels
/// that cross their own thresholds, with per-series summaries and data gaps.
struct GrafanaAnalyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run a dashboard's queries over the window and report panels beyond their own thresholds.",
        discussion: "Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 a finding at or above --fail-on.")

    @OptionGroup var dashboard: DashboardOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Exit 3 when a finding at or above this severity exists: critical, high, medium or low.", valueName: "severity"))
    var failOn: Severity?

    func validate() throws {
        if failOn == .info { throw ValidationError("invalid --fail-on info: use critical, high, medium or low") }
    }

    func run() async throws {
        let window = try self.window.window()
        let (dashboard, context, origin) = try await self.dashboard.resolve(window: window)
        let config = try connection.loadConfig()
        let prometheus = try connection.prometheusConfiguration(config)
        let logger = self.dashboard.logger
        let (report, result) = try await PrometheusClient.withClient(prometheus, logger: logger) { client in
            try await Session.probe(client)
            return try await GrafanaCollector(client: client, logger: logger).report(
                dashboard, context: context, window: window,
                source: GrafanaReport.source(dashboard: dashboard, origin: origin, prometheus: prometheus.redactedURL)) { done, total in
                Terminal.progress("querying", done: done, total: total)
            }
        }
        logger.info("grafana dashboard analysed", metadata: [
            "queries": "\(result.queryCount)", "withData": "\(result.withData)", "failed": "\(result.failed)", "elapsed": "\(result.elapsed)",
        ])
        let text = try output.format.render(report, color: output.output == nil && Terminal.useColor)
        try Terminal.write(text, to: output.output)
        if let failOn, report.findings.contains(where: { $0.severity >= failOn }) {
            throw ExitCode(3)
        }
    }
}
