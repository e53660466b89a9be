import ArgumentParser
import Foundation
import PerfScopeAgent
import PerfScopeCore

/// `perfscope latency --metric NAME`: latency analysis of any Prometheus histogram.
struct LatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Latency analysis of any histogram: p50/p95/p99 over the window, spikes (MAD outliers) and step changes.",
        discussion: """
        Examples:
          perfscope latency --metric etcd_disk_wal_fsync_duration_seconds --threshold 10ms
          perfscope latency --metric grpc_server_handling_seconds --selector 'job="etcd",grpc_type="unary"' --by instance --by grpc_method
          perfscope latency --metric node_disk_io_time_seconds_total   # not a histogram: says so
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Histogram metric name (with or without _bucket).", valueName: "name"))
    var metric: String

    @Option(name: .long, help: ArgumentHelp("Label matchers to filter the histogram, e.g. 'job=\"etcd\"'.", valueName: "matchers"))
    var selector: String = ""

    @Option(name: .long, help: ArgumentHelp("Group by this label (repeatable; default instance).", valueName: "label"))
    var by: [String] = []

    @Option(name: .long, help: ArgumentHelp("p99 threshold in the metric's unit (seconds accept 10ms, 1s).", valueName: "value"))
    var threshold: String?

    @Option(name: .long, help: ArgumentHelp("Exit 3 when a finding at or above this severity exists: critical, high, medium or low.", valueName: "severity"))
    var failOn: Severity?

    func validate() throws {
        if failOn == .info { throw ValidationError("invalid --fail-on info: use critical, high, medium or low") }
        do { _ = try metrics() } catch let error as any UserFacingError { throw ValidationError(error.message) }
    }

    func thresholdValue() throws -> Double? {
        guard let threshold else { return nil }
        if let v = Double(threshold), v.isFinite, v >= 0 { return v }
        if threshold.hasSuffix("ms"), let v = Double(threshold.dropLast(2)), v >= 0 { return v / 1000 }
        if let v = try? DurationParser.seconds(threshold) { return v }
        throw PerfScopeError.invalidInput("invalid --threshold \(threshold): give a number in the metric's unit, or a duration like 10ms")
    }

    func metrics() throws -> [CatalogMetric] {
        try HistogramQuery.metrics(for: metric, selector: selector, by: by.isEmpty ? ["instance"] : by, threshold: thresholdValue())
    }

    func run() async throws {
        let session = try await Session.make(connection)
        let report = try await session.runtime.latency(window: try window.window(), metric: metric, selector: selector,
                                                       by: by, threshold: try thresholdValue(), progress: Session.progress)
        let text = try output.format.render(report, color: output.output == nil && Terminal.useColor)
        try Terminal.write(text, to: output.output)
        if let failOn, report.findings.contains(where: { $0.severity >= failOn }) { throw ExitCode(3) }
    }
}
