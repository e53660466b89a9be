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
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Exit 3 when a finding at or above this severity exists: critical, high, medium or low.", valueName: "severity"))
    var failOn: Severity?

    @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files replacing the built-in catalog.", valueName: "dir"))
    var catalog: String?

    func validate() throws {
        if failOn == .info { throw ValidationError("invalid --fail-on info: use critical, high, medium or low") }
    }

    func run() async throws {
        let session = try Session(connection, catalogDirectory: catalog)
        let window = try self.window.window()
        let report = try await session.analyze(window: window)
        let text = try output.format.render(report, color: output.output == nil && Terminal.useColor)
        try Terminal.write(text, to: output.output)
        if let failOn, report.findings.contains(where: { $0.severity >= failOn }) {
            throw ExitCode(3)
        }
    }
}
