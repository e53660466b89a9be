import Foundation
import PerfScopeAgent
import PerfScopeCore
import Testing

/// Bad numbers are usage errors, and the server's bounds hold: windows, rate windows, steps,
/// the per-call deadline, busy slots and long tool names.
@Suite struct ToolLimitsTests {
    static func context(_ limits: ToolLimits = ToolLimits()) throws -> ToolContext {
        ToolContext(runtime: try TestRuntime.make(url: "http://127.0.0.1:1"), limits: limits)
    }

    static func invalid(_ body: () async throws -> ToolOutput) async -> String? {
        do {
            _ = try await body()
            return nil
        } catch let error as any UserFacingError {
            return error.kind == .invalidInput ? error.message : "kind \(error.kind): \(error.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        JSONValue.number(.nan), .number(.infinity), .number(-.infinity), .number(1e300), .number(0x1p63), .number(-1), .number(0), .number(0.5),
        .number(201), .string("nan"), .string("inf"), .string("1e400"), .string("abc"), .string(String(repeating: "9", count: 100_000)), .bool(true), .array([]),
    ])
    func badTopKIsAUsageError(value: JSONValue) async throws {
        let context = try Self.context()
        let message = await Self.invalid { try await ToolRegistry.standard.call("list_metrics", arguments: ["top_k": value], context: context) }
        #expect(message?.hasPrefix("list_metrics:") == true && (message?.count ?? 0) < 200, "\(message ?? "accepted")")
    }

    @Test(arguments: [JSONValue.number(1), .number(200), .string("5"), .number(7)])
    func goodTopKIsAccepted(value: JSONValue) async throws {
        _ = try await ToolRegistry.standard.call("list_metrics", arguments: ["top_k": value], context: try Self.context())
    }

    @Test(arguments: [
        ("analyze_use_method", ["duration": JSONValue.string("400d")], "longer than this server allows"),
        ("analyze_use_method", ["duration": .string("1h"), "rate_window": .string("2h")], "rate_window 2h is longer"),
        ("query_prometheus_range", ["query": .string("up"), "duration": .string("1h"), "step": .string("1ms")], "more than 11000 points"),
        ("query_prometheus_range", ["query": .string("up"), "duration": .string("1h"), "step": .string("0.1s")], "at least 1s"),
        ("analyze_latency", ["metric": .string("x_seconds"), "threshold": .string("nan")], "invalid threshold"),
    ] as [(String, [String: JSONValue], String)])
    func windowsAndStepsAreBounded(tool: String, arguments: [String: JSONValue], text: String) async throws {
        let context = try Self.context()
        let message = await Self.invalid { try await ToolRegistry.standard.call(tool, arguments: arguments, context: context) }
        #expect(message?.contains(text) == true, "\(message ?? "accepted")")
    }

    static func slowRegistry() -> ToolRegistry {
        ToolRegistry(tools: [ToolDefinition(name: "slow", title: "slow", description: "sleeps", parameters: []) { _, _ in
            try await Task.sleep(for: .seconds(5))
            return ToolOutput(summary: "done", structured: .null)
        }])
    }

    /// The slow tool would answer "done" after 5 s; past a 0.2 s deadline the call is a busy error instead.
    @Test func aCallPastItsDeadlineIsStopped() async throws {
        let context = try Self.context(ToolLimits(callDeadline: 0.2))
        do {
            let output = try await Self.slowRegistry().call("slow", arguments: [:], context: context)
            Issue.record("the call ran to the end: \(output.summary)")
        } catch let error as PerfScopeError {
            #expect(error.kind == .busy && error.message.contains("per-call deadline of"), "\(error.message)")
        }
    }

    @Test func callsBeyondTheSlotsAndQueueAreBusy() async throws {
        let context = try Self.context(ToolLimits(concurrentCalls: 1, queuedCalls: 0))
        let registry = Self.slowRegistry()
        let first = Task { try await registry.call("slow", arguments: [:], context: context) }
        try await Task.sleep(for: .milliseconds(200))
        do {
            _ = try await registry.call("slow", arguments: [:], context: context)
            Issue.record("a second call ran while the only slot was taken")
        } catch let error as PerfScopeError {
            #expect(error.kind == .busy && ToolErrors.httpStatus(error) == 503, "\(error.message)")
        }
        first.cancel()
        _ = try? await first.value
        // The slot is free again once the first call is gone.
        let ok = ToolRegistry(tools: [ToolDefinition(name: "fast", title: "fast", description: "", parameters: []) { _, _ in ToolOutput(summary: "ok", structured: .null) }])
        #expect(try await ok.call("fast", arguments: [:], context: context).summary == "ok")
    }

    @Test func longUnknownNamesAreNotFuzzyMatched() async throws {
        let name = String(repeating: "x", count: 1_000_000)
        let message = await Self.invalid { try await ToolRegistry.standard.call(name, arguments: [:], context: try Self.context()) }
        #expect(message?.contains("a name of 1000000 characters") == true && message?.contains("did you mean") == false)
        let near = await Self.invalid { try await ToolRegistry.standard.call("list_metric", arguments: [:], context: try Self.context()) }
        #expect(near?.contains("did you mean list_metrics") == true)
    }

    @Test func deepJSONIsRefusedBeforeDecoding() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: PerfScopeError.self) { try JSONValue.parse(deep) }
        #expect(JSONValue.exceedsDepth(Array(#"{"a": "[[[[[[[[", "b": [[1]]}"#.utf8), limit: 3) == false)
        #expect((try? JSONValue.parse(#"{"a": [[1]]}"#)) != nil)
    }

    @Test(arguments: ["nan weeks", "1e400 weeks", "inf days", "9999999 weeks", "NaN hours over the last"])
    func chatTimeSpansGoThroughDurationParser(question: String) async throws {
        let intent = IntentParser.parse("why is etcd slow over the last " + question, available: Set(ToolRegistry.standard.tools.map(\.name)))
        #expect(intent.problem?.contains("time span") == true, "\(intent)")
        let answer = await OfflineAgent(registry: .standard, context: try Self.context()).answer(question) { _ in }
        #expect(answer.contains("cannot use"), "\(answer)")
    }

    @Test func weeksStillWork() {
        #expect(IntentParser.parse("wal fsync over 2 weeks", available: ["get_etcd_disk_wal_fsync"]).arguments["duration"] == .string("2w"))
    }

    /// With no endpoint configured and no member discovered, the status tool refuses at once: it
    /// never asks Prometheus for instance labels to connect to.
    @Test func etcdStatusNeverFollowsInstanceLabels() async throws {
        let context = try Self.context()
        do {
            _ = try await ToolRegistry.standard.call("get_etcd_cluster_status", arguments: [:], context: context)
            Issue.record("get_etcd_cluster_status ran without endpoints")
        } catch let error as any UserFacingError {
            #expect(error.kind == .notFound && error.message.contains("no etcd endpoints configured"), "\(error.message)")
        }
    }
}
