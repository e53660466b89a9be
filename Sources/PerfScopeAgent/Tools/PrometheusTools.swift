import Foundation
import PerfScopeCore
import PrometheusAPI

/// Direct Prometheus access and server/cluster information.
public enum PrometheusTools {
    public static let all: [ToolDefinition] = [health, clusterInfo, query, queryRange, listMetrics]

    static let health = ToolDefinition(
        name: "get_server_health", title: "perfscope server health",
        description: "Whether perfscope reaches Prometheus (readiness, version, etcd and node targets up) and which catalog it uses.",
        parameters: []) { _, context in
        let runtime = context.runtime
        let (build, targets) = try await runtime.withClient { client in
            (try? await client.buildInfo(), try await client.query("count by (job) (up)").result.series)
        }
        let jobs = targets.map { ($0.labels["job"] ?? "?", $0.value ?? 0) }.sorted { $0.0 < $1.0 }
        let structured: JSONValue = .object([
            "prometheus": .object(["url": .string(runtime.prometheus.redactedURL), "reachable": .bool(true),
                                   "version": build.map { .string($0.version) } ?? .null]),
            "targets": .object(Dictionary(jobs.map { ($0.0, JSONValue.number($0.1)) }, uniquingKeysWith: { a, _ in a })),
            "catalog": .object(["metrics": .number(Double(runtime.catalog.metrics.count))]),
            "selectors": .object(["etcd": .string(runtime.config.selectors.etcd), "node": .string(runtime.config.selectors.node)]),
        ])
        let summary = "Prometheus \(runtime.prometheus.redactedURL) reachable\(build.map { " (version \($0.version))" } ?? ""); jobs: "
            + jobs.map { "\($0.0) \(CheckedNumber.text($0.1))" }.joined(separator: ", ") + "; catalog of \(runtime.catalog.metrics.count) metrics."
        return ToolOutput(summary: summary, structured: structured)
    }

    static let clusterInfo = ToolDefinition(
        name: "get_ocp_cluster_info", title: "Cluster information",
        description: "What is known about the cluster from the configured sources: name, etcd members and versions, their hosts, label conventions (OpenShift namespace/pod labels), Prometheus version.",
        parameters: []) { _, context in
        let runtime = context.runtime
        let selector = runtime.config.selectors.etcd
        let (members, versions, build) = try await runtime.withClient { client in
            (try await client.query("max by (instance, namespace, pod, job) (etcd_server_has_leader{\(selector)})").result.series,
             try await client.query("max by (instance, server_version) (etcd_server_version{\(selector)})").result.series,
             try? await client.buildInfo())
        }
        let openShift = members.contains { $0.labels["namespace"] == "openshift-etcd" }
        let versionOf = Dictionary(versions.compactMap { s in s.instance.map { ($0, s.labels["server_version"] ?? "?") } }, uniquingKeysWith: { a, _ in a })
        let list: [JSONValue] = members.map { s in
            .object(["instance": .string(s.instance ?? "?"), "pod": s.labels["pod"].map(JSONValue.string) ?? .null,
                     "namespace": s.labels["namespace"].map(JSONValue.string) ?? .null, "job": .string(s.labels["job"] ?? "?"),
                     "version": versionOf[s.instance ?? ""].map(JSONValue.string) ?? .null, "hasLeader": .bool((s.value ?? 0) >= 1),
                     "host": .string(HostMapping.host(of: s.instance ?? ""))])
        }
        // From the Kubernetes API when the server was started with --kubeconfig: distribution, platform, nodes.
        let api = runtime.cluster
        var structured: [String: JSONValue] = [
            "cluster": .string(runtime.config.cluster ?? "default"),
            "platform": .string(api.map { $0.distribution.hasPrefix("OpenShift") ? "openshift" : "kubernetes" } ?? (openShift ? "openshift" : "kubernetes-or-standalone")),
            "etcdMembers": .array(list), "prometheusVersion": build.map { .string($0.version) } ?? .null,
            "sources": .array([.string("prometheus \(runtime.prometheus.redactedURL)")] + (api == nil ? [] : [.string("kubernetes API")])),
        ]
        if let api { structured["kubernetes"] = try JSONValue(encoding: api) }
        let summary = "Cluster \(runtime.config.cluster ?? "default"): \(members.count) etcd members (\(Set(versionOf.values).sorted().joined(separator: ", "))), "
            + (openShift ? "OpenShift (namespace openshift-etcd)" : "labels \(selector)") + (api.map { "; \($0.headline)" } ?? "") + "."
        return ToolOutput(summary: summary, structured: .object(structured))
    }

    static let query = ToolDefinition(
        name: "query_prometheus", title: "Instant PromQL query",
        description: "Runs a PromQL instant query (read-only) and returns at most top_k series.",
        parameters: [ToolParameter("query", .string, "PromQL expression.", required: true),
                     ToolParameter("time", .string, "Evaluation time: RFC 3339 or Unix seconds (default now).")] + CommonParameters.size) { args, context in
        let at = try args.string("time").map { try TimeWindow.parseTime($0) }
        let response = try await context.runtime.withClient(maxResponseBytes: context.limits.rawQueryBytes) {
            try await $0.query(args.string("query") ?? "", at: at)
        }
        return output(response, arguments: args, what: "instant query")
    }

    static let queryRange = ToolDefinition(
        name: "query_prometheus_range", title: "Range PromQL query",
        description: "Runs a PromQL range query over the window; at most top_k series, points thinned to ~60 per series unless detail=full.",
        parameters: [ToolParameter("query", .string, "PromQL expression.", required: true),
                     ToolParameter("step", .string, "Resolution, e.g. 30s (default: the window's step).")] + CommonParameters.window + CommonParameters.size) { args, context in
        let window = try args.window(context)
        let step = try args.string("step").map { try DurationParser.seconds($0) } ?? window.step
        try context.limits.check(step: step, over: window)
        let response = try await context.runtime.withClient(maxResponseBytes: context.limits.rawQueryBytes) {
            try await $0.queryRange(args.string("query") ?? "", start: window.start, end: window.end, step: step)
        }
        return output(response, arguments: args, what: "range query")
    }

    static let listMetrics = ToolDefinition(
        name: "list_metrics", title: "List metrics",
        description: "The catalog perfscope judges (name, title, unit, thresholds, what it hides when missing), optionally filtered by group or text.",
        parameters: [ToolParameter("group", .string, "Only this catalog file.", enumValues: ["etcd", "disk", "net", "node"]),
                     ToolParameter("search", .string, "Only metrics whose name, title or description contains this.")] + CommonParameters.size) { args, context in
        var metrics = context.runtime.catalog.metrics
        if let group = args.string("group") { metrics = metrics.filter { $0.group == group } }
        if let text = args.string("search")?.lowercased(), !text.isEmpty {
            metrics = metrics.filter { "\($0.name) \($0.title) \($0.description)".lowercased().contains(text) }
        }
        let limit = args.full ? metrics.count : max(args.topK, 50)
        let list: [JSONValue] = metrics.prefix(limit).map { m in
            .object(["name": .string(m.name), "group": .string(m.group), "subsystem": .string(m.subsystem), "title": .string(m.title),
                     "unit": .string(m.unit.rawValue), "statistic": .string(m.statistic.rawValue), "category": .string(m.category.rawValue),
                     "thresholds": (try? m.thresholds.map { try JSONValue(encoding: $0) } ?? .null) ?? .null,
                     "use": m.use.map { .string($0.text) } ?? .null, "hides": .string(m.hides)])
        }
        var o: [String: JSONValue] = ["metrics": .array(list), "count": .number(Double(metrics.count))]
        if metrics.count > limit { o["truncated"] = .string("\(metrics.count - limit) more: use detail=full or a filter") }
        return ToolOutput(summary: "\(metrics.count) catalog metrics" + (metrics.count > limit ? " (first \(limit) listed)." : "."), structured: .object(o))
    }

    /// Series capped at top_k, points thinned for summaries.
    static func output(_ response: QueryResponse, arguments: ToolArguments, what: String) -> ToolOutput {
        let series = response.result.series
        let kept = arguments.full ? series : Array(series.prefix(arguments.topK))
        let list: [JSONValue] = kept.map { s in
            let points = arguments.full || s.points.count <= 60 ? s.points : stride(from: 0, to: s.points.count, by: Int((Double(s.points.count) / 60).rounded(.up))).map { s.points[$0] }
            return .object(["labels": .object(s.labels.mapValues(JSONValue.string)),
                            "points": .array(points.map { .array([.number($0.time), $0.value.isFinite ? .number($0.value) : .string("\($0.value)")]) })])
        }
        var o: [String: JSONValue] = ["resultType": .string(response.result.resultType), "series": .array(list), "seriesCount": .number(Double(series.count))]
        if !response.warnings.isEmpty { o["warnings"] = .array(response.warnings.map(JSONValue.string)) }
        if kept.count < series.count { o["truncated"] = .string("\(series.count - kept.count) more series: raise top_k or use detail=full") }
        let preview = kept.prefix(3).map { s in
            let labels = s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",")
            return "{\(labels)} \(s.value.map { String(format: "%g", $0) } ?? "-")"
        }.joined(separator: "; ")
        return ToolOutput(summary: "\(what): \(series.count) series (\(response.result.resultType))\(preview.isEmpty ? "" : ": \(preview)")\(series.count > 3 ? " …" : "")", structured: .object(o))
    }
}
