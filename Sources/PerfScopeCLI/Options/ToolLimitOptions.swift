import ArgumentParser
import PerfScopeAgent
import PerfScopeCore

/// The bounds of a long-running server (`perfscope serve`, `perfscope mcp`): see `ToolLimits`.
/// Every one has a default that keeps a small Prometheus and the server's own memory safe.
struct ToolLimitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Tool calls (analyses, queries) running at once, server-wide (default \(ToolLimits.defaultConcurrentCalls)).", valueName: "n"))
    var maxConcurrentCalls: Int?

    @Option(name: .long, help: ArgumentHelp("Tool calls waiting for a slot; more are refused as busy, HTTP 503 (default \(ToolLimits.defaultQueuedCalls)).", valueName: "n"))
    var maxQueuedCalls: Int?

    @Option(name: .long, help: ArgumentHelp("Prometheus queries in flight at once across all calls (default \(ToolLimits.defaultConcurrentQueries)).", valueName: "n"))
    var maxConcurrentQueries: Int?

    @Option(name: .long, help: ArgumentHelp("A tool call taking longer (waiting included) is stopped (default 2m).", valueName: "duration"))
    var callDeadline: String?

    @Option(name: .long, help: ArgumentHelp("Longest analysis window a tool call may ask for (default 31d).", valueName: "duration"))
    var maxWindow: String?

    @Option(name: .long, help: ArgumentHelp("Longest rate_window a tool call may ask for (default 1h).", valueName: "duration"))
    var maxRateWindow: String?

    @Option(name: .long, help: ArgumentHelp("Largest Prometheus answer query_prometheus(_range) reads, in MiB (default \(ToolLimits.defaultRawQueryBytes >> 20)).", valueName: "MiB"))
    var rawQueryMaxMib: Int?

    @Option(name: .long, help: ArgumentHelp("Chat conversations kept; starting one more deletes the least recently updated (default \(ToolLimits.defaultMaxConversations)).", valueName: "n"))
    var maxConversations: Int?

    func validate() throws {
        try Self.check(maxConcurrentCalls, "--max-concurrent-calls", 1...256)
        try Self.check(maxQueuedCalls, "--max-queued-calls", 0...10_000)
        try Self.check(maxConcurrentQueries, "--max-concurrent-queries", 1...64)
        try Self.check(rawQueryMaxMib, "--raw-query-max-mib", 1...256)
        try Self.check(maxConversations, "--max-conversations", 1...1_000_000)
        do { _ = try limits() } catch let error as any UserFacingError { throw ValidationError(error.message) }
    }

    static func check(_ value: Int?, _ flag: String, _ range: ClosedRange<Int>) throws {
        if let value, !range.contains(value) { throw ValidationError("invalid \(flag) \(value): use \(range.lowerBound) to \(range.upperBound)") }
    }

    func limits() throws -> ToolLimits {
        func seconds(_ text: String?, _ flag: String, default value: Double) throws -> Double {
            guard let text else { return value }
            do { return try DurationParser.seconds(text) } catch let error as any UserFacingError {
                throw PerfScopeError.invalidInput("invalid \(flag): \(error.message)")
            }
        }
        return ToolLimits(
            concurrentCalls: maxConcurrentCalls ?? ToolLimits.defaultConcurrentCalls,
            queuedCalls: maxQueuedCalls ?? ToolLimits.defaultQueuedCalls,
            concurrentQueries: maxConcurrentQueries ?? ToolLimits.defaultConcurrentQueries,
            callDeadline: try seconds(callDeadline, "--call-deadline", default: ToolLimits.defaultCallDeadline),
            maxWindow: try seconds(maxWindow, "--max-window", default: ToolLimits.defaultMaxWindow),
            maxRateWindow: try seconds(maxRateWindow, "--max-rate-window", default: ToolLimits.defaultMaxRateWindow),
            rawQueryBytes: (rawQueryMaxMib ?? ToolLimits.defaultRawQueryBytes >> 20) << 20,
            maxConversations: maxConversations ?? ToolLimits.defaultMaxConversations)
    }
}
