import Foundation
import PerfScopeAgent
import PerfScopeCore
import Testing

@Suite struct IntentParserTests {
    static let tools = Set(ToolRegistry.standard.tools.map(\.name) + ["compare_with_baseline", "list_runs"])

    /// Every example question of the README maps to the tool and window a person would pick.
    @Test(arguments: [
        ("Why is etcd slow?", "get_etcd_bottleneck_analysis", nil),
        ("WAL fsync over the last 2 hours", "get_etcd_disk_wal_fsync", "2h"),
        ("show node usage", "get_etcd_node_usage", nil),
        ("compare with baseline", "compare_with_baseline", nil),
        ("disk I/O in the past 30 minutes", "get_node_disk_io", "30m"),
        ("network between members over 15m", "get_etcd_network_io", "15m"),
        ("backend commit latency last hour", "get_etcd_disk_backend_commit", "1h"),
        ("USE method on the hosts", "analyze_use_method", nil),
        ("who is loading etcd?", "characterize_workload", nil),
        ("cluster status", "get_etcd_cluster_status", nil),
        ("give me the performance report for the last 3 days", "generate_etcd_performance_report", "3d"),
        ("compaction and defrag", "get_etcd_disk_compact_defrag", nil),
        ("latency of grpc_server_handling_seconds", "analyze_latency", nil),
        ("run `sum(rate(etcd_server_proposals_committed_total[5m]))`", "query_prometheus", nil),
        ("hello", "generate_etcd_performance_report", nil),
    ] as [(String, String, String?)])
    func questionsMapToTools(question: String, tool: String, duration: String?) {
        let intent = IntentParser.parse(question, available: Self.tools)
        #expect(intent.tool == tool)
        #expect(intent.arguments["duration"]?.string == duration)
    }

    @Test func missingToolsAreNotChosen() {
        let intent = IntentParser.parse("compare with baseline", available: Set(ToolRegistry.standard.tools.map(\.name)))
        #expect(ToolRegistry.standard.tool(named: intent.tool) != nil)
    }
}

@Suite struct OfflineAgentTests {
    /// The agent's narrative and events, with a registry of one fake tool (no Prometheus).
    @Test func answersFromTheFindingsCauseFirst() async throws {
        let report: JSONValue = .object([
            "grade": .string("poor"),
            "rootCauses": .array([.object(["category": .string("disk"), "instances": .array([.string("10.0.0.2:2379")]), "likelihood": .string("high"),
                                           "confidence": .number(0.9), "summary": .string("WAL fsync p99 80 ms on 10.0.0.2:2379 with its disk 99 % busy.")])]),
            "findings": .array([.object(["severity": .string("high"), "title": .string("WAL fsync p99 above threshold"),
                                         "observation": .string("80 ms"), "immediateAction": .string("Check the disk with iostat -x.")])]),
            "dataGaps": .array([.string("[network] no peer RTT")]),
        ])
        let fake = ToolDefinition(name: "get_etcd_bottleneck_analysis", title: "t", description: "d", parameters: CommonParameters.window) { _, _ in
            ToolOutput(summary: "Bottleneck analysis: grade poor", structured: report)
        }
        let agent = OfflineAgent(registry: ToolRegistry(tools: [fake]), context: ToolContext(runtime: try TestRuntime.make(url: "http://127.0.0.1:1")))
        let events = Events()
        let answer = await agent.answer("why is etcd slow over the last 2 hours?") { await events.add($0) }
        #expect(answer.hasPrefix("Most likely cause: disk on 10.0.0.2:2379"))
        #expect(answer.contains("What to do first: Check the disk with iostat -x."))
        #expect(answer.contains("1 metric group(s) had no data"))
        let all = await events.list
        #expect(all.first == .toolCall(name: "get_etcd_bottleneck_analysis", arguments: .object(["duration": .string("2h")])))
        #expect(all.last == .messageComplete(answer))
    }

    /// A one-subsystem tool judged thresholds only: the answer says what was measured and never
    /// claims that nothing points to a cause (it did not look for causes).
    @Test(arguments: [
        ([JSONValue](), "All of these are within their thresholds."),
        ([.object(["severity": .string("high"), "title": .string("CPU saturated"), "observation": .string("98 % busy"),
                   "immediateAction": .string("Find the busiest process with top.")])], "Out of range:\n- [high] CPU saturated: 98 % busy"),
    ])
    func thresholdsOnlyToolsSayWhatWasMeasured(findings: [JSONValue], expected: String) async throws {
        let usage: JSONValue = .object([
            "grade": .string(findings.isEmpty ? "excellent" : "poor"), "rootCauses": .array([]), "findings": .array(findings), "dataGaps": .array([]),
            "scope": .string("thresholds only"),
            "measured": .array([.object(["metric": .string("cpu_utilisation"), "instance": .string("10.0.0.2:9100"), "unit": .string("ratio"),
                                         "p95": .string("91.0 %"), "max": .string("98.0 %"), "avg": .string("64.0 %")])]),
        ])
        let fake = ToolDefinition(name: "get_etcd_node_usage", title: "t", description: "d", parameters: CommonParameters.window) { _, _ in
            ToolOutput(summary: "Host usage", structured: usage)
        }
        let agent = OfflineAgent(registry: ToolRegistry(tools: [fake]), context: ToolContext(runtime: try TestRuntime.make(url: "http://127.0.0.1:1")))
        let answer = await agent.answer("show node usage") { _ in }
        #expect(answer.hasPrefix("Measured (the highest member or host per metric):\n- cpu_utilisation on 10.0.0.2:9100: p95 91.0 %, max 98.0 %, avg 64.0 %"), "\(answer)")
        #expect(answer.contains(expected), "\(answer)")
        #expect(answer.contains("these metrics only") && !answer.contains("Nothing points to a cause"), "\(answer)")
    }

    @Test func toolFailuresAreExplainedNotThrown() async throws {
        let failing = ToolDefinition(name: "generate_etcd_performance_report", title: "t", description: "d", parameters: CommonParameters.window) { _, _ in
            throw PerfScopeError.upstreamUnavailable("cannot reach Prometheus at http://127.0.0.1:1: connection refused — check --prometheus")
        }
        let agent = OfflineAgent(registry: ToolRegistry(tools: [failing]), context: ToolContext(runtime: try TestRuntime.make(url: "http://127.0.0.1:1")))
        let answer = await agent.answer("how are we doing?") { _ in }
        #expect(answer.contains("failed: cannot reach Prometheus"))
    }
}

actor Events {
    var list: [ChatEvent] = []
    func add(_ e: ChatEvent) { list.append(e) }
}
