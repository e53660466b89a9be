import ArgumentParser
import Foundation
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeCore
import PerfScopeStore
import PrometheusAPI

/// `perfscope analyze`: the full analysis (etcd + hosts) over a window.
struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse etcd and its hosts over a window and report findings with evidence.",
        discussion: """
        Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 a finding at or above --fail-on.
        Examples:
          perfscope analyze --duration 1h
          perfscope analyze --start 2026-11-29T10:00:00Z --end 2026-11-29T11:00:00Z --format html --output report.html
          perfscope analyze --format json --fail-on high
        Each run is stored in the history database (--db, PERFSCOPE_DB; see perfscope history) unless --no-store.
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var notification: NotifyOptions

    @Flag(name: .long, help: "Do not store the run in the history database (nor compare it with the cluster's baseline).")
    var noStore = false

    @Option(name: .long, help: ArgumentHelp("Exit 3 when a finding at or above this severity exists: critical, high, medium or low.", valueName: "severity"))
    var failOn: Severity?

    @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files replacing the built-in catalog.", valueName: "dir"))
    var catalog: String?

    @Flag(name: .long, help: "Ask the configured LLM (PERFSCOPE_LLM_BASE_URL, PERFSCOPE_LLM_MODEL) for a second opinion, shown beside the rule-based root causes.")
    var ai = false

    @Flag(name: .long, help: "Analyse every cluster behind this Prometheus (Thanos, Mimir…) in one pass: a fleet table, one stored run per cluster.")
    var fleet = false

    @Option(name: .long, help: ArgumentHelp("The label that tells clusters apart (default: fleet.label in perfscope.yaml, else cluster). Implies --fleet.", valueName: "label"))
    var fleetLabel: String?

    func validate() throws {
        if failOn == .info { throw ValidationError("invalid --fail-on info: use critical, high, medium or low") }
        if ai, fleet || fleetLabel != nil { throw ValidationError("--ai reviews one cluster's report: drop --fleet, or analyse the cluster alone") }
        if let fleetLabel, !PromQL.isValidLabelName(fleetLabel) {
            throw ValidationError("invalid --fleet-label \(fleetLabel): use a Prometheus label name such as cluster")
        }
    }

    func run() async throws {
        let session = try await Session.make(connection, catalogDirectory: catalog)
        if fleet || fleetLabel != nil { return try await runFleet(session) }
        let window = try self.window.window()
        var report = try await session.analyze(window: window)
        let history = noStore ? nil : await HistoryRecorder.open(store, cluster: session.config.cluster, catalog: session.catalog.metrics)
        if let history { report = await history.withBaseline(report) }
        if ai { report = await Self.withSecondOpinion(report) }
        let text = try output.format.render(report, color: output.output == nil && Terminal.useColor)
        let written = Result { try Terminal.write(text, to: output.output) }
        // Notify before saving: the previous run is looked up before this one is stored.
        await notification.send(report, history: history, cluster: session.config.cluster)
        await history?.save(report)  // stored even when the output file could not be written
        try written.get()
        if let failOn, report.findings.contains(where: { $0.severity >= failOn }) {
            throw ExitCode(3)
        }
    }

    /// `--fleet`: every cluster in one pass, a table (or JSON with every report), each run stored
    /// under its cluster. Reports are built, notified, stored and written one at a time, so
    /// memory holds one report, not the fleet's.
    func runFleet(_ session: Session) async throws {
        let label = fleetLabel ?? session.config.fleet.label
        let window = try self.window.window()
        // Opened first: an unwritable --output fails before a minute of collection, not after.
        let writer = try PieceWriter(path: output.output)
        var fleet: AnalysisRuntime.FleetCollection
        do {
            fleet = try await session.runtime.collectFleet(window: window, label: label,
                                                           clusters: session.config.fleet.clusters.map(Set.init), progress: Session.progress)
        } catch {
            writer.abandon()
            throw error
        }
        let format = output.format
        var history: (any RunStore)?
        if !noStore {
            do { history = try await store.open() } catch { HistoryRecorder.warn("run history not available", error) }
        }
        var rows: [Fleet.Row] = []
        var failed = false
        // A write error stops the output, not the runs: every report is still notified and stored.
        var writeError: (any Error)?
        func write(_ text: @autoclosure () throws -> String) {
            guard writeError == nil else { return }
            do { try writer.write(try text()) } catch { writeError = error }
        }
        if format == .json { write(try Fleet.JSONStream.head(label: label, queries: fleet.queries)) }
        for (i, cluster) in fleet.clusters.enumerated() {
            let report = fleet.report(cluster)
            rows.append(Fleet.Row(cluster: cluster, report: report))
            if let failOn, report.findings.contains(where: { $0.severity >= failOn }) { failed = true }
            if format == .json { write(try Fleet.JSONStream.report(report, first: i == 0)) }
            // Notify against the cluster's previous run, then store this one.
            for warning in await notification.send(report, store: history, cluster: cluster) { Terminal.warning(warning) }
            do { try await history?.save(report, cluster: cluster) } catch { HistoryRecorder.warn("run \(report.id) not stored", error) }
        }
        await history?.close()
        let table = Fleet.table(rows: rows)
        write(format == .json ? try Fleet.JSONStream.tail(rows: table) : Fleet.render(rows: table, label: label, queries: fleet.queries, format: format))
        if writeError == nil { do { try writer.finish() } catch { writeError = error } }
        if let writeError {
            writer.abandon()
            throw writeError
        }
        if failed { throw ExitCode(3) }
    }

    /// `--ai`: the LLM's review beside the rule-based causes. Without an LLM, or when it fails,
    /// a one-line warning and the report stays the rule-based one (exit status unchanged).
    static func withSecondOpinion(_ report: Report) async -> Report {
        let llm: LLMConfiguration?
        do { llm = try LLMConfiguration.fromEnvironment() } catch {
            Terminal.warning("--ai: \(ToolErrors.message(error)); the report is the rule-based one")
            return report
        }
        guard let llm else {
            Terminal.warning("--ai: no LLM configured (set PERFSCOPE_LLM_BASE_URL and PERFSCOPE_LLM_MODEL); the report is the rule-based one")
            return report
        }
        // Streamed on a terminal's stderr while it arrives; the report carries the whole text.
        let live = isatty(2) == 1
        if live { Terminal.errorRaw("second opinion from \(llm.model):") }
        do {
            let opinion = try await SecondOpinionAgent(configuration: llm).review(report) { token in
                if live { FileHandle.standardError.write(Data(token.utf8)) }
            }
            if live { FileHandle.standardError.write(Data("\n".utf8)) }
            var out = report
            out.secondOpinion = opinion
            return out
        } catch {
            Terminal.warning("--ai: \(ToolErrors.message(error)); the report is the rule-based one")
            return report
        }
    }
}
