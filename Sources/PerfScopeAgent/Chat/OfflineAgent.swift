import Foundation
import PerfScopeCore

/// The chat agent that needs no LLM: maps the question to a tool (`IntentParser`), runs it,
/// and answers from the findings with a deterministic narrative — the cause first, then its
/// numbers, what to do, and what could not be judged.
public struct OfflineAgent: ChatAgent {
    let registry: ToolRegistry
    let context: ToolContext

    public init(registry: ToolRegistry, context: ToolContext) {
        self.registry = registry
        self.context = context
    }

    public func answer(_ question: String, emit: @Sendable (ChatEvent) async -> Void) async -> String {
        let trimmed = question.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || ["help", "/help", "what can you do", "what can you do?"].contains(trimmed.lowercased()) {
            let text = Self.help(registry)
            await emit(.message(text))
            await emit(.messageComplete(text))
            return text
        }
        let intent = IntentParser.parse(trimmed, available: Set(registry.tools.map(\.name)))
        if let problem = intent.problem {
            await emit(.message(problem))
            await emit(.messageComplete(problem))
            return problem
        }
        let arguments = JSONValue.object(intent.arguments)
        await emit(.toolCall(name: intent.tool, arguments: arguments))
        let text: String
        do {
            let output = try await registry.call(intent.tool, arguments: intent.arguments, context: context)
            await emit(.toolResult(name: intent.tool, output: output))
            text = Self.narrative(tool: intent.tool, output: output)
        } catch {
            let message = ToolErrors.message(error)
            await emit(.toolResult(name: intent.tool, summary: message, isError: true))
            text = "I ran \(intent.tool) and it failed: \(message)"
        }
        for paragraph in text.components(separatedBy: "\n\n") { await emit(.message(paragraph + "\n\n")) }
        await emit(.messageComplete(text))
        return text
    }

    static func help(_ registry: ToolRegistry) -> String {
        """
        Ask me about your etcd cluster and its hosts, for example: "why is etcd slow?", "WAL fsync over the last 2 hours", \
        "show node usage", "disk I/O in the past 30 minutes", "network between members", "USE method", "who is loading etcd?", \
        "cluster status", "compare with baseline", or a PromQL query in backticks. I call one of \(registry.tools.count) tools \
        (\(registry.tools.map(\.name).prefix(6).joined(separator: ", ")) …) and explain the result with its numbers.
        """
    }

    /// Cause first, then numbers, then what to do, then gaps.
    static func narrative(tool: String, output: ToolOutput) -> String {
        guard let o = output.structured.object else { return output.summary }
        var parts: [String] = []
        let causes = o["rootCauses"]?.array ?? []
        let findings = o["findings"]?.array?.compactMap(\.object) ?? []
        if o["scope"] != nil { return measuredNarrative(o, findings: findings) }
        if o["grade"] != nil || o["rootCauses"] != nil {
            if let top = causes.first?.object {
                let instances = top["instances"]?.array?.compactMap(\.string).joined(separator: ", ") ?? ""
                parts.append("Most likely cause: \(top["category"]?.string ?? "?") on \(instances) (likelihood \(top["likelihood"]?.string ?? "?"), confidence \(String(format: "%.2f", top["confidence"]?.number ?? 0))). \(top["summary"]?.string ?? "")")
                // Each further root cause explains other symptoms (an independent fault), ranked by impact.
                if causes.count > 1 {
                    let others = causes.dropFirst().prefix(2).compactMap(\.object).map {
                        "\($0["category"]?.string ?? "?") on \($0["instances"]?.array?.compactMap(\.string).joined(separator: ", ") ?? "") (likelihood \($0["likelihood"]?.string ?? "?")): \($0["summary"]?.string ?? "")"
                    }
                    parts.append("Also found:\n" + others.map { "- " + $0 }.joined(separator: "\n"))
                }
            } else if o["rootCauses"] != nil {
                parts.append(findings.contains { ["critical", "high", "medium"].contains($0["severity"]?.string ?? "") }
                    ? "No etcd symptom needs a root cause in this window, but some metrics are out of range."
                    : "Nothing points to a cause of slowness in this window: etcd's latencies, elections and DB space are healthy.")
            }
            if let grade = o["grade"]?.string { parts.append("Grade: \(grade).") }
            let notable = findings.filter { $0["severity"]?.string != "info" }.prefix(4)
            if !notable.isEmpty {
                parts.append("Findings:\n" + notable.map { f in
                    "- [\(f["severity"]?.string ?? "")] \(f["title"]?.string ?? ""): \(f["observation"]?.string ?? "")"
                }.joined(separator: "\n"))
            }
            if let action = notable.first?["immediateAction"]?.string, !action.isEmpty {
                parts.append("What to do first: \(action)")
            }
            let gaps = o["dataGaps"]?.array?.count ?? 0
            if gaps > 0 { parts.append("\(gaps) metric group(s) had no data and were not judged (see the report's data gaps).") }
            return parts.joined(separator: "\n\n")
        }
        return output.summary
    }

    /// A thresholds-only tool (one subsystem): what was measured, what is out of range — and no
    /// claim about causes or about metrics it did not look at.
    static func measuredNarrative(_ o: [String: JSONValue], findings: [[String: JSONValue]]) -> String {
        var parts: [String] = []
        let measured = o["measured"]?.array?.compactMap(\.object) ?? []
        if !measured.isEmpty {
            parts.append("Measured (the highest member or host per metric):\n" + measured.map { m in
                let numbers = [("p95", m["p95"]), ("max", m["max"]), ("avg", m["avg"])].compactMap { name, v in v?.string.map { "\(name) \($0)" } }
                let labels = m["labels"]?.string.map { " {\($0)}" } ?? ""
                return "- \(m["metric"]?.string ?? "?") on \(m["instance"]?.string ?? "?")\(labels): " + numbers.joined(separator: ", ")
            }.joined(separator: "\n"))
        }
        let notable = findings.filter { $0["severity"]?.string != "info" }.prefix(4)
        if notable.isEmpty {
            parts.append(measured.isEmpty ? "No data for these metrics in this window." : "All of these are within their thresholds.")
        } else {
            parts.append("Out of range:\n" + notable.map { f in
                "- [\(f["severity"]?.string ?? "")] \(f["title"]?.string ?? ""): \(f["observation"]?.string ?? "")"
            }.joined(separator: "\n"))
            if let action = notable.first?["immediateAction"]?.string, !action.isEmpty { parts.append("What to do first: \(action)") }
        }
        if let grade = o["grade"]?.string {
            parts.append("Grade: \(grade) (these metrics only; ask \"why is etcd slow?\" for the whole analysis with ranked causes).")
        }
        let gaps = o["dataGaps"]?.array?.count ?? 0
        if gaps > 0 { parts.append("\(gaps) metric group(s) had no data and were not judged (see the report's data gaps).") }
        return parts.joined(separator: "\n\n")
    }
}
