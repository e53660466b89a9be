import Foundation
import PerfScopeAgent
import PerfScopeCore
import Testing

@Suite struct ToolRegistryTests {
    static let registry = ToolRegistry.standard

    @Test func namesAreUniqueAndFamiliar() {
        let names = Self.registry.tools.map(\.name)
        #expect(Set(names).count == names.count)
        for name in ["get_server_health", "get_etcd_cluster_status", "get_ocp_cluster_info", "get_etcd_general_info", "get_etcd_node_usage",
                     "get_etcd_disk_wal_fsync", "get_etcd_disk_backend_commit", "get_node_disk_io", "get_etcd_disk_compact_defrag",
                     "get_etcd_network_io", "get_etcd_performance_deep_drive", "get_etcd_bottleneck_analysis",
                     "generate_etcd_performance_report", "analyze_use_method", "analyze_latency", "characterize_workload",
                     "query_prometheus", "query_prometheus_range", "list_metrics"] {
            #expect(names.contains(name), "\(name)")
        }
    }

    /// Every schema is an object schema with typed, described properties; defaults sit inside enums.
    @Test func schemasAreValid() throws {
        for tool in Self.registry.tools {
            let schema = try #require(tool.inputSchema.object)
            #expect(schema["type"] == .string("object"))
            let properties = try #require(schema["properties"]?.object, "\(tool.name)")
            #expect(properties.count == tool.parameters.count)
            for (name, p) in properties {
                let p = try #require(p.object)
                #expect(p["type"] != nil && p["description"]?.string?.isEmpty == false, "\(tool.name).\(name)")
                if let values = p["enum"]?.array, let d = p["default"] { #expect(values.contains(d), "\(tool.name).\(name)") }
            }
            for r in schema["required"]?.array ?? [] { #expect(properties[r.string ?? ""] != nil) }
        }
    }

    @Test(arguments: [
        ("analyze_use_method", ["bogus": JSONValue.string("x")], "unknown argument bogus"),
        ("analyze_use_method", ["top_k": .string("many")], "top_k must be a integer"),
        ("analyze_use_method", ["detail": .string("everything")], "use one of summary, full"),
        ("analyze_latency", [:], "argument metric is required"),
        ("list_metrics", ["group": .string("gpu")], "invalid group"),
    ] as [(String, [String: JSONValue], String)])
    func badArgumentsAreOneLineInvalidInput(tool: String, arguments: [String: JSONValue], text: String) throws {
        let definition = try #require(Self.registry.tool(named: tool))
        #expect { _ = try ToolArguments(arguments, for: definition) } throws: { error in
            guard let e = error as? PerfScopeError else { return false }
            return e.kind == .invalidInput && e.message.contains(text) && !e.message.contains("\n")
        }
    }

    @Test func defaultsFillIn() throws {
        let tool = try #require(Self.registry.tool(named: "analyze_use_method"))
        let args = try ToolArguments([:], for: tool)
        #expect(args.topK == 10 && !args.full && args.string("duration") == "1h")
        let window = try args.window(now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(window.end.timeIntervalSince(window.start) == 3600)
        // start/end win over the default duration instead of clashing with it.
        let explicit = try ToolArguments(["start": .string("1799990000"), "end": .string("1799993600")], for: tool)
        #expect(try explicit.window(now: Date()).start == Date(timeIntervalSince1970: 1_799_990_000))
        #expect(try ToolArguments(["instance": .string("a:9100, b:9100")], for: tool).strings("instance") == ["a:9100", "b:9100"])
    }

    @Test func digestIsBoundedUnlessFull() throws {
        let findings = (0..<40).map { i in
            Finding(id: "f\(i)", title: "t\(i)", severity: .medium, category: .disk, methodology: .threshold, instances: ["a"],
                    observation: String(repeating: "x", count: 200), evidence: (0..<20).map { _ in Evidence(metric: "m", value: 1, threshold: 0.5, unit: "ms", instance: "a", query: "q") },
                    rootCause: "", confidence: 0.5, immediateAction: "", investigationSteps: [], longTermFix: "", relatedMetrics: [], reference: "")
        }
        let report = Report(id: "r", generatedAt: Date(), window: .init(start: Date(), end: Date()), grade: .fair, healthScores: ["disk": 60],
                            findings: findings, rootCauses: [], recommendations: [], dataGaps: [])
        let small = try ReportDigest.structured(report, topK: 5, full: false)
        let full = try ReportDigest.structured(report, topK: 5, full: true)
        #expect(small.object?["findings"]?.array?.count == 5)
        #expect(small.object?["truncated"]?.string?.contains("35 more") == true)
        #expect(small.object?["findings"]?.array?.first?.object?["evidence"]?.array?.count == 5)
        #expect(small.text().utf8.count * 5 < full.text().utf8.count)
        #expect(ReportDigest.summary(report, what: "Report").contains("40 medium"))
    }

    @Test func unknownToolSuggestsAName() async throws {
        let runtime = try Self.runtime()
        await #expect { _ = try await Self.registry.call("analyse_use_method", arguments: [:], context: ToolContext(runtime: runtime)) } throws: { error in
            (error as? PerfScopeError)?.message.contains("did you mean analyze_use_method") == true
        }
    }

    @Test func errorsMapToOneStatusEverywhere() {
        #expect(ToolErrors.httpStatus(PerfScopeError.invalidInput("x")) == 400)
        #expect(ToolErrors.httpStatus(PerfScopeError.notFound("x")) == 404)
        #expect(ToolErrors.httpStatus(PerfScopeError.upstreamUnavailable("x")) == 502)
        #expect(ToolErrors.message(PerfScopeError.invalidInput("bad thing")) == "bad thing")
    }

    static func runtime() throws -> AnalysisRuntime {
        try TestRuntime.make(url: "http://127.0.0.1:1")
    }
}
