import Foundation
import PerfScopeCore
import PerfScopeStore

/// Run history: what was analysed before, one stored run, and the comparison with the baseline.
public enum HistoryTools {
    public static let all: [ToolDefinition] = [listRuns, getRun, compare]

    static let listRuns = ToolDefinition(
        name: "list_runs", title: "List stored runs",
        description: "Stored analysis runs, newest first: id, cluster, window, grade, findings by severity, top root cause, baseline flag.",
        parameters: [ToolParameter("duration", .string, "Only runs created in this window ending now (e.g. 7d).", defaultValue: .string("7d")),
                     ToolParameter("cluster", .string, "Only this cluster's runs."),
                     ToolParameter("top_k", .integer, "At most this many runs.", defaultValue: .number(20))]) { args, context in
        let since = context.now().addingTimeInterval(-(try DurationParser.seconds(args.string("duration") ?? "7d")))
        let runs = try await withStore(context) { try await $0.list(RunQuery(since: since, cluster: args.string("cluster"), limit: args.topK)) }
        let summary = runs.isEmpty ? "No stored runs in the window." : "\(runs.count) run(s); newest \(runs[0].id): grade \(runs[0].grade.rawValue)"
            + (runs[0].topRootCause.map { ", top cause \($0)" } ?? ", no root cause") + "."
        return ToolOutput(summary: summary, structured: .object(["runs": try JSONValue(encoding: runs)]))
    }

    static let getRun = ToolDefinition(
        name: "get_run", title: "Get a stored run",
        description: "One stored run's report (bounded digest unless detail=full).",
        parameters: [ToolParameter("run", .string, "Run id, a unique prefix of one, or latest.", defaultValue: .string("latest"))] + CommonParameters.size) { args, context in
        let report = try await withStore(context) { store in try await store.get(try await store.resolveRunID(args.string("run") ?? "latest")) }
        return try ReportDigest.output(report, what: "Stored run \(report.id)", arguments: args)
    }

    static let compare = ToolDefinition(
        name: "compare_with_baseline", title: "Compare with the baseline",
        description: "Per-metric deltas of a run against its cluster's baseline (or a given run): regressions by threshold level and relative change, improvements.",
        parameters: [ToolParameter("run", .string, "Run id, prefix or latest.", defaultValue: .string("latest")),
                     ToolParameter("baseline", .string, "Run to compare with (default: the cluster's baseline)."),
                     ToolParameter("top_k", .integer, "At most this many deltas.", defaultValue: .number(15))]) { args, context in
        let c = try await withStore(context) { try await $0.compare(args.string("run") ?? "latest", baseline: args.string("baseline"), includeUnchanged: false) }
        var structured = try JSONValue(encoding: c)
        if case .object(var o) = structured, let deltas = o["deltas"]?.array, deltas.count > args.topK {
            o["deltas"] = .array(Array(deltas.prefix(args.topK)))
            o["truncated"] = .string("\(deltas.count - args.topK) more deltas: raise top_k")
            structured = .object(o)
        }
        let summary = "Run \(c.runID) vs baseline \(c.baselineID): grade \(c.baselineGrade.rawValue) → \(c.grade.rawValue); \(c.regressions) regression(s), \(c.improvements) improvement(s)."
        return ToolOutput(summary: summary, structured: structured)
    }

    /// The configured store: the server's shared one, else opened for this call. Public so the
    /// HTTP routes read the same history.
    public static func withStore<T: Sendable>(_ context: ToolContext, _ body: (any RunStore) async throws -> T) async throws -> T {
        guard let location = context.store else {
            throw PerfScopeError.configuration("no run history is configured for this server: set PERFSCOPE_DB (a file path or postgres:// URL)")
        }
        if let shared = context.history { return try await body(try await shared.store()) }
        return try await RunStoreFactory.with(location, body)
    }
}
