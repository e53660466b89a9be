import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore
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

    func validate() throws {
        if failOn == .info { throw ValidationError("invalid --fail-on info: use critical, high, medium or low") }
    }

    func run() async throws {
        let session = try await Session.make(connection, catalogDirectory: catalog)
        let window = try self.window.window()
        var report = try await session.analyze(window: window)
        let history = noStore ? nil : await HistoryRecorder.open(store, cluster: session.config.cluster, catalog: session.catalog.metrics)
        if let history { report = await history.withBaseline(report) }
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
}
