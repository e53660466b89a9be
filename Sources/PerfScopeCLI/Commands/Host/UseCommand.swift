import ArgumentParser
import Foundation
import PerfScopeAgent
import PerfScopeCore

/// `perfscope use`: the USE method on every host with node-exporter — etcd or not.
struct UseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use",
        abstract: "USE method review of every node-exporter host: utilisation, saturation and errors of CPU, memory, disk and network.",
        discussion: """
        Works on any Linux host with node-exporter; etcd members on a host are named next to it.
        Thresholds are the catalog's (perfscope catalog list), overridable in perfscope.yaml
        (thresholds:) and by environment: PERFSCOPE_<METRIC>_<LEVEL>, e.g.
        PERFSCOPE_CPU_UTILIZATION_CRITICAL=0.97 or PERFSCOPE_DISK_QUEUE_HIGH=20.
        Examples:
          perfscope use --duration 30m
          perfscope use --instance 10.0.0.5:9100 --format markdown
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Only this node-exporter instance (repeatable).", valueName: "instance"))
    var instance: [String] = []

    @Option(name: .long, help: ArgumentHelp("Exit 3 when a finding at or above this severity exists: critical, high, medium or low.", valueName: "severity"))
    var failOn: Severity?

    func validate() throws {
        if failOn == .info { throw ValidationError("invalid --fail-on info: use critical, high, medium or low") }
        if let bad = instance.first(where: { $0.isEmpty || $0.contains(where: \.isNewline) }) {
            throw ValidationError("invalid --instance \"\(bad)\": give an instance label value like 10.0.0.5:9100")
        }
    }

    func run() async throws {
        let session = try await Session.make(connection)
        let report = try await session.runtime.useReview(window: try window.window(), instances: instance, progress: Session.progress)
        let text = try output.format.render(report, color: output.output == nil && Terminal.useColor)
        try Terminal.write(text, to: output.output)
        if let failOn, report.findings.contains(where: { $0.severity >= failOn }) { throw ExitCode(3) }
    }
}
