import ArgumentParser
import Foundation
import PerfScopeCollect
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
        let session = try Session(connection)
        let window = try self.window.window()
        // Host metrics plus etcd's process CPU (who uses the CPU) and member_id (which members live on the host).
        let metrics = session.catalog.metrics.filter { $0.usesNodeSelector || ["process_cpu", "grpc_request_rate", "member_id"].contains($0.name) }
        var report = try await session.analyze(window: window, metrics: metrics, diagnose: false)
        guard !report.hosts.isEmpty else {
            throw PerfScopeError.notFound("no node-exporter series match {\(session.config.selectors.node)} at \(session.prometheus.redactedURL): set selectors.node in perfscope.yaml (e.g. job=\"node-exporter\"); perfscope doctor shows what the selectors find")
        }
        if !instance.isEmpty {
            let known = report.hosts.map(\.instance)
            if let missing = instance.first(where: { !known.contains($0) }) {
                throw PerfScopeError.notFound("no node-exporter host \(missing) in the window (hosts: \(known.joined(separator: ", ")))")
            }
            report = Self.restrict(report, to: Set(instance))
        }
        let text = try output.format.render(report, color: output.output == nil && Terminal.useColor)
        try Terminal.write(text, to: output.output)
        if let failOn, report.findings.contains(where: { $0.severity >= failOn }) { throw ExitCode(3) }
    }

    /// The report narrowed to some hosts: their tables, findings and metrics.
    static func restrict(_ report: Report, to hosts: Set<String>) -> Report {
        var r = report
        r.hosts = r.hosts.filter { hosts.contains($0.instance) }
        let members = Set(r.hosts.flatMap(\.members))
        let keep = hosts.union(members)
        r.findings = r.findings.compactMap { f in
            guard f.instances.contains(where: keep.contains) else { return nil }
            var f = f
            f.instances = f.instances.filter(keep.contains)
            f.evidence = f.evidence.filter { $0.instance.map { i in keep.contains(i) || i.split(separator: ",").contains { keep.contains(String($0)) } } ?? true }
            return f
        }
        r.metrics = r.metrics.filter { keep.contains($0.instance) }
        r.charts = []
        return r
    }
}
