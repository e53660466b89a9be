import Foundation
import PerfScopeCore

/// Host tools the Gregg way: USE method, latency analysis of any histogram, workload.
public enum HostTools {
    public static let all: [ToolDefinition] = [use, latency, workload]

    static let use = ToolDefinition(
        name: "analyze_use_method", title: "USE method",
        description: "Utilisation, saturation and errors of CPU, memory, disk and network on every node-exporter host (etcd members named per host), with findings, drill-down and Linux commands.",
        parameters: CommonParameters.window + [CommonParameters.instance] + CommonParameters.size) { args, context in
        let report = try await context.runtime.useReview(window: try args.window(context), instances: args.strings("instance"))
        return try ReportDigest.output(report, what: "USE review of \(report.hosts.count) host(s)", arguments: args)
    }

    static let latency = ToolDefinition(
        name: "analyze_latency", title: "Latency analysis",
        description: "p50/p95/p99 of any Prometheus histogram per group over the window, spikes (MAD outliers) and step changes.",
        parameters: [
            ToolParameter("metric", .string, "Histogram metric name, with or without _bucket, e.g. etcd_disk_wal_fsync_duration_seconds.", required: true),
            ToolParameter("selector", .string, "Label matchers to filter it, e.g. job=\"etcd\".", defaultValue: .string("")),
            ToolParameter("by", .stringArray, "Group by these labels (default instance)."),
            ToolParameter("threshold", .number, "p99 threshold in the metric's unit (seconds for *_seconds)."),
        ] + CommonParameters.window + CommonParameters.size) { args, context in
        let metric = args.string("metric") ?? ""
        let report = try await context.runtime.latency(window: try args.window(context), metric: metric,
                                                       selector: args.string("selector") ?? "", by: args.strings("by"),
                                                       threshold: args.number("threshold"))
        var structured = try ReportDigest.structured(report, topK: args.topK, full: args.full)
        if case .object(var o) = structured, !args.full {
            o["quantiles"] = .array(report.metrics.prefix(args.topK * 3).map { m in
                .object(["series": .string(m.metric), "instance": .string(m.instance),
                         "labels": .object(m.labels.mapValues(JSONValue.string)),
                         "avg": .number(m.stats.avg), "max": .number(m.stats.max), "last": .number(m.stats.last), "unit": .string(m.unit.rawValue)])
            })
            structured = .object(o)
        }
        let p99 = report.metrics.filter { $0.metric.hasSuffix("_p99") }.max { $0.stats.avg < $1.stats.avg }
        let worst = p99.map { " Highest p99: \($0.unit.format($0.stats.avg)) avg on \($0.instance)." } ?? ""
        return ToolOutput(summary: ReportDigest.summary(report, what: "Latency of \(metric)") + worst, structured: structured)
    }

    static let workload = ToolDefinition(
        name: "characterize_workload", title: "Workload characterisation",
        description: "Who loads etcd and its hosts and how it changes: requests, proposals and writes per member, clients pinned to one member, load trend, etcd's share of host CPU, disk read/write mix and I/O sizes.",
        parameters: CommonParameters.window + CommonParameters.size) { args, context in
        let report = try await context.runtime.analyze(window: try args.window(context))
        let workload = report.findings.filter { $0.methodology == .workload }
        let metrics = report.metrics.filter { ["grpc_request_rate", "put_rate", "delete_rate", "proposals_committed_rate", "process_cpu",
                                               "disk_read_iops", "disk_write_iops", "client_grpc_received_rate", "client_grpc_sent_rate"].contains($0.metric) }
        let structured: JSONValue = .object([
            "window": .object(["start": .string(TimeWindow.format(report.window.start)), "end": .string(TimeWindow.format(report.window.end))]),
            "insights": try JSONValue(encoding: Array(workload.prefix(args.topK))),
            "metrics": .array(metrics.prefix(args.full ? metrics.count : args.topK * 4).map { m in
                .object(["metric": .string(m.metric), "instance": .string(m.instance), "labels": .object(m.labels.mapValues(JSONValue.string)),
                         "avg": .number(m.stats.avg), "max": .number(m.stats.max), "unit": .string(m.unit.rawValue)])
            }),
        ])
        let summary = workload.isEmpty ? "No workload data in the window (no etcd request or host metrics)." : workload.map(\.observation).joined(separator: " ")
        return ToolOutput(summary: summary, structured: structured)
    }
}
