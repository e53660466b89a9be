import Foundation
import PerfScopeCollect
import PerfScopeCore

/// etcd tools: one per subsystem view, the whole-cluster analyses, and the gateway status.
/// Names follow the system perfscope replaces, so existing prompts and agents keep working.
public enum EtcdTools {
    public static let all: [ToolDefinition] = [
        subsystem("get_etcd_general_info", "etcd general info", "Members up, leader, proposals, slow applies, DB size and quota, keys, request rates, etcd CPU and RSS.", ["general", "status"]),
        subsystem("get_etcd_node_usage", "Host usage of etcd nodes", "Host CPU (by mode, load, PSI), memory from MemAvailable, swap, major faults and OOM kills of the etcd hosts.", ["node-usage"]),
        subsystem("get_etcd_disk_wal_fsync", "etcd WAL fsync", "WAL fsync latency p50/p99/p99.9 per member and fsync rate (healthy p99 < 10 ms).", ["wal-fsync"]),
        subsystem("get_etcd_disk_backend_commit", "etcd backend commit", "Backend commit latency p50/p99/p99.9 per member and commit rate (healthy p99 < 25 ms).", ["backend-commit"]),
        subsystem("get_node_disk_io", "Host disk I/O", "Disk utilisation, queue, latency, IOPS, throughput and free space per device (dm/loop excluded).", ["disk"]),
        subsystem("get_etcd_disk_compact_defrag", "etcd compaction and defrag", "Compaction and defrag durations and snapshot saves.", ["compact-defrag"]),
        subsystem("get_etcd_network_io", "etcd and host network", "Peer RTT, peer send failures, client gRPC traffic, watch/lease streams, NIC utilisation, drops, errors, retransmits.", ["network"]),
        analysis("get_etcd_performance_deep_drive", "etcd deep dive", "Every subsystem, cross-subsystem correlations and a health score per category, over the window.", what: "Deep dive"),
        analysis("get_etcd_bottleneck_analysis", "etcd bottleneck analysis", "Ranked root causes of slowness (disk, CPU, network, consensus, database, load) with evidence, likelihood and confidence.", what: "Bottleneck analysis"),
        analysis("generate_etcd_performance_report", "etcd performance report", "The full performance report: grade, health scores, root causes, findings with actions, recommendations and data gaps.", what: "Performance report"),
        clusterStatus,
    ]

    static func subsystem(_ name: String, _ title: String, _ description: String, _ subsystems: Set<String>) -> ToolDefinition {
        ToolDefinition(name: name, title: title, description: description + " Thresholds only (no cause ranking).",
                       parameters: CommonParameters.window + CommonParameters.size) { args, context in
            let report = try await context.runtime.analyze(window: try args.window(context), subsystems: subsystems)
            var output = try ReportDigest.output(report, what: title, arguments: args)
            if case .object(var o) = output.structured {
                o["scope"] = .string("thresholds only: these metrics were judged, no cause was ranked")
                o["measured"] = ReportDigest.measured(report)
                output.structured = .object(o)
            }
            return output
        }
    }

    static func analysis(_ name: String, _ title: String, _ description: String, what: String) -> ToolDefinition {
        ToolDefinition(name: name, title: title, description: description,
                       parameters: CommonParameters.window + CommonParameters.size) { args, context in
            let report = try await context.runtime.analyze(window: try args.window(context))
            return try ReportDigest.output(report, what: what, arguments: args)
        }
    }

    /// The gateway status of the configured endpoints (`PERFSCOPE_ETCD_ENDPOINTS`), else of the
    /// discovered members (`members` in perfscope.yaml, or the etcd pods the Kubernetes API
    /// listed). Never an `instance` label from Prometheus: data must not choose what the server
    /// connects to, any more than a caller may (endpoints are not an argument).
    static let clusterStatus = ToolDefinition(
        name: "get_etcd_cluster_status", title: "etcd cluster status",
        description: "Members, leader, raft term and index, DB size and in-use, version, health and alarms from each member's v3 gateway.",
        parameters: []) { _, context in
        var endpoints = context.etcdEndpoints ?? []
        if endpoints.isEmpty { endpoints = try discoveredEndpoints(context) }
        let status = try await EtcdGatewayClient.withClient(EtcdGatewayConfiguration(endpoints: endpoints)) { try await $0.clusterStatus() }
        let unhealthy = status.endpoints.filter { !$0.healthy }.map(\.endpoint)
        let summary = "etcd cluster \(status.clusterID.isEmpty ? "?" : status.clusterID): \(status.members.count) members, leader \(status.leader?.name ?? "none"), raft term \(status.raftTerm); "
            + (unhealthy.isEmpty ? "all \(status.endpoints.count) endpoints healthy" : "unhealthy: \(unhealthy.joined(separator: ", "))")
            + (status.alarms.isEmpty ? "; no alarms." : "; alarms: \(status.alarms.map(\.alarm).joined(separator: ", ")).")
        return ToolOutput(summary: summary, structured: try JSONValue(encoding: status))
    }

    static func discoveredEndpoints(_ context: ToolContext) throws -> [URL] {
        let members = context.runtime.config.members.keys.sorted()
        guard !members.isEmpty else {
            throw PerfScopeError.notFound("no etcd endpoints configured for the server: set PERFSCOPE_ETCD_ENDPOINTS (client URLs), list members in perfscope.yaml, or start it with --kubeconfig")
        }
        return try members.map { try EtcdGatewayConfiguration.parseEndpoint("http://\($0)") }
    }
}
