import Foundation
import PerfScopeCore

/// Maps plain words to tool calls for the offline agent: the subject picks the tool ("WAL
/// fsync", "node usage", "why is etcd slow"), the time phrase picks the window ("over the last
/// 2 hours", "past 30m", "today"). Deterministic: the same question gives the same calls.
public enum IntentParser {
    public struct Intent: Sendable, Equatable {
        public var tool: String
        public var arguments: [String: JSONValue]
        /// Set when the question's time span cannot be used ("nan weeks", "1e400 weeks", "900
        /// years"): the one-line reason, answered instead of running a tool.
        public var problem: String? = nil
    }

    /// Subjects in priority order: the first rule whose words all appear wins.
    static let rules: [(words: [[String]], tool: String)] = [
        ([["baseline", "regress", "compare"]], "compare_with_baseline"),
        ([["history", "previous runs", "past runs", "list runs"]], "list_runs"),
        ([["wal", "fsync"]], "get_etcd_disk_wal_fsync"),
        ([["backend commit", "commit latency", "backend"]], "get_etcd_disk_backend_commit"),
        ([["compact", "defrag"]], "get_etcd_disk_compact_defrag"),
        ([["use method", "utilisation", "utilization", "saturation", "use review"]], "analyze_use_method"),
        ([["disk", "iops", "i/o", " io "]], "get_node_disk_io"),
        ([["network", "peer", "rtt", "latency between", "packet"]], "get_etcd_network_io"),
        ([["node usage", "host usage", "cpu", "memory", "node"]], "get_etcd_node_usage"),
        ([["workload", "who is", "request rate", "clients", "load"]], "characterize_workload"),
        ([["latency of", "histogram"]], "analyze_latency"),
        ([["status", "members", "leader", "alarm"]], "get_etcd_cluster_status"),
        ([["cluster info", "openshift", "version", "platform"]], "get_ocp_cluster_info"),
        ([["health of perfscope", "server health", "are you", "can you reach", "prometheus reachable"]], "get_server_health"),
        ([["metrics", "catalog", "thresholds"]], "list_metrics"),
        ([["deep dive", "deep-dive", "everything", "all subsystems"]], "get_etcd_performance_deep_drive"),
        ([["report", "grade", "summary", "overview"]], "generate_etcd_performance_report"),
        ([["why", "slow", "bottleneck", "root cause", "cause", "problem", "wrong", "latency"]], "get_etcd_bottleneck_analysis"),
    ]

    public static func parse(_ question: String, available: Set<String>) -> Intent {
        let text = " " + question.lowercased().replacingOccurrences(of: "?", with: " ") + " "
        var args: [String: JSONValue] = [:]
        do {
            if let duration = try duration(in: text) { args["duration"] = .string(duration) }
        } catch {
            return Intent(tool: "", arguments: [:], problem: ToolErrors.message(error))
        }
        // A PromQL query in backticks or after "query": run it.
        if let q = promQL(in: question), available.contains("query_prometheus") {
            return Intent(tool: args["duration"] == nil ? "query_prometheus" : "query_prometheus_range", arguments: args.merging(["query": .string(q)]) { a, _ in a })
        }
        if text.contains("latency of "), let metric = text.components(separatedBy: "latency of ").last?.split(separator: " ").first,
           metric.contains("_"), available.contains("analyze_latency") {
            args["metric"] = .string(String(metric))
            return Intent(tool: "analyze_latency", arguments: args)
        }
        for rule in rules where available.contains(rule.tool) {
            if rule.words.allSatisfy({ alternatives in alternatives.contains { text.contains($0) } }) {
                if rule.tool == "analyze_latency" { continue }
                var a = args
                if ["get_etcd_cluster_status", "get_ocp_cluster_info", "get_server_health", "list_metrics", "list_runs", "compare_with_baseline"].contains(rule.tool) {
                    a["duration"] = nil
                }
                return Intent(tool: rule.tool, arguments: a)
            }
        }
        return Intent(tool: "generate_etcd_performance_report", arguments: args)
    }

    /// "last 2 hours", "past 30 minutes", "over 15m", "2h", "today", "last day", "last hour".
    /// A number before a unit goes through `DurationParser` (finite, positive, at most 10 years):
    /// a span it refuses throws its one-line reason.
    static func duration(in text: String) throws -> String? {
        let units: [(String, String)] = [("seconds", "s"), ("second", "s"), ("secs", "s"), ("minutes", "m"), ("minute", "m"), ("mins", "m"), ("min", "m"),
                                         ("hours", "h"), ("hour", "h"), ("hrs", "h"), ("days", "d"), ("day", "d"), ("weeks", "w"), ("week", "w")]
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "." }).map(String.init)
        for (i, w) in words.enumerated() {
            // "2h", "30m", "1h30m"
            if w.range(of: #"^\d+(\.\d+)?[smhd](\d+[smh])?$"#, options: .regularExpression) != nil { return w }
            if Double(w) != nil, i + 1 < words.count, let unit = units.first(where: { $0.0 == words[i + 1] })?.1 {
                let phrase = "\(w.prefix(40)) \(words[i + 1])"
                do {
                    _ = try DurationParser.seconds("\(w)\(unit)")
                } catch {
                    throw PerfScopeError.invalidInput("I cannot use \"\(phrase)\" as a time span: give a positive number of at most 10 years, e.g. \"over the last 2 hours\" or \"past 3 days\"")
                }
                return "\(w)\(unit)"
            }
            if ["last", "past", "previous"].contains(w), i + 1 < words.count, let unit = units.first(where: { $0.0 == words[i + 1] })?.1 {
                return unit == "w" ? "7d" : "1\(unit)"
            }
        }
        if text.contains(" today ") { return "12h" }
        if text.contains(" yesterday ") { return "1d" }
        return nil
    }

    /// Text in backticks, or after "query:" / "run query".
    static func promQL(in question: String) -> String? {
        if let open = question.firstIndex(of: "`"), let close = question[question.index(after: open)...].firstIndex(of: "`") {
            let q = String(question[question.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
            return q.isEmpty ? nil : q
        }
        for marker in ["query:", "promql:"] {
            if let r = question.range(of: marker, options: .caseInsensitive) {
                let q = question[r.upperBound...].trimmingCharacters(in: .whitespaces)
                return q.isEmpty ? nil : q
            }
        }
        return nil
    }
}
