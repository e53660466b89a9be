import Foundation
import PerfScopeCore
import Testing

/// `analyze --ai` against a stand-in OpenAI-compatible server (Tests/llm/fake_openai.py) and the
/// lab: the opinion sits beside the rule-based root causes, the LLM saw the report's digest, and
/// without an LLM (or with a refused key) the report is the rule-based one with a one-line warning.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil && PythonServer.available,
                "needs the built binary, the lab Prometheus and python3"))
struct SecondOpinionCLITests {
    static let prometheus = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""

    @Test func opinionBesideTheRules() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-llm-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: log) }
        let llm = try PythonServer.start("llm/fake_openai.py", ["sk-test-KEY", log.path])
        defer { llm.stop() }
        let env = ["PERFSCOPE_LLM_BASE_URL": "http://127.0.0.1:\(llm.port)/v1", "PERFSCOPE_LLM_MODEL": "test-model", "PERFSCOPE_LLM_API_KEY": "sk-test-KEY"]
        let args = ["analyze", "--prometheus", Self.prometheus, "--duration", "5m", "--no-store"]

        let r = try CLIRunner.run(args + ["--ai", "--format", "json"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8))
        let opinion = try #require(report.secondOpinion, "no second opinion: \(r.stderr)")
        #expect(opinion.model == "test-model")
        #expect(opinion.text == "Primary cause: the slow disk the rules found. \nSecondary factors: none.\nRisk: elections if fsync keeps rising.")
        let sent = try String(contentsOf: log, encoding: .utf8)
        #expect(sent.contains("second opinion") && sent.contains("\\\"grade\\\""), "the LLM got the review prompt and the digest: \(sent.prefix(400))")
        #expect(!sent.contains("\"tools\""), "a review, not a tool-calling chat")

        let text = try CLIRunner.run(args + ["--ai"], environment: env)
        #expect(text.stdout.contains("Second opinion (LLM test-model; the rule-based root causes above stand)"))
        #expect(text.stdout.range(of: "Root causes")!.lowerBound < text.stdout.range(of: "Second opinion")!.lowerBound)

        var refused = env
        refused["PERFSCOPE_LLM_API_KEY"] = "sk-wrong-SECRET"
        let bad = try CLIRunner.run(args + ["--ai", "--format", "json"], environment: refused)
        #expect(bad.status == 0 && bad.stderr.contains("--ai: the LLM at 127.0.0.1 rejected the API key"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("SECRET"))
        #expect(try JSONRendering.decoder().decode(Report.self, from: Data(bad.stdout.utf8)).secondOpinion == nil)
    }

    @Test func withoutAnLLMTheReportIsUnchanged() throws {
        let r = try CLIRunner.run(["analyze", "--prometheus", Self.prometheus, "--duration", "5m", "--no-store", "--ai", "--format", "json"],
                                  environment: ["PERFSCOPE_LLM_BASE_URL": ""])
        #expect(r.status == 0)
        #expect(r.stderr.contains("--ai: no LLM configured (set PERFSCOPE_LLM_BASE_URL and PERFSCOPE_LLM_MODEL)"), "\(r.stderr)")
        #expect(try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8)).secondOpinion == nil)
        let fleet = try CLIRunner.run(["analyze", "--fleet", "--ai", "--prometheus", Self.prometheus])
        #expect(fleet.status == 2 && fleet.stderr.contains("--ai reviews one cluster's report"))
    }
}
