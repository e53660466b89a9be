import Foundation
import Logging
import PerfScopeCore

/// `analyze --ai`: asks the configured LLM to review a finished rule-based report — primary
/// cause, secondary factors, risk — from a bounded digest of it (no tools: it judges the same
/// evidence the rules saw). The answer goes beside the rule-based root causes, never replaces them.
public struct SecondOpinionAgent: Sendable {
    let client: LLMClient
    let model: String

    public init(configuration: LLMConfiguration, logger: Logger = Logger(label: "perfscope.llm")) {
        client = LLMClient(configuration: configuration, logger: logger)
        model = configuration.model
    }

    public static let systemPrompt = """
    You are an etcd and Linux performance expert reviewing the output of perfscope's rule-based analysis. \
    Give a second opinion from the evidence provided only, in three short labelled parts: \
    "Primary cause:" (agree with the top rule-based cause or say why another explains the evidence better), \
    "Secondary factors:" (contributing conditions, or none), "Risk:" (what happens if nothing is done, and how soon). \
    Cite metrics with their values and instances. If the evidence is insufficient (data gaps), say so. \
    Do not invent numbers. At most 180 words.
    """

    /// The messages sent: the review prompt and the report's bounded digest (top findings, causes, gaps).
    public static func messages(for report: Report) throws -> [JSONValue] {
        let digest = try ReportDigest.structured(report, topK: 8, full: false)
        return [
            .object(["role": .string("system"), "content": .string(systemPrompt)]),
            .object(["role": .string("user"), "content": .string("Rule-based analysis (JSON digest):\n" + digest.text())]),
        ]
    }

    /// Streams the opinion through `onToken` and returns it.
    public func review(_ report: Report, onToken: @Sendable (String) async -> Void) async throws -> SecondOpinion {
        let reply = try await client.complete(messages: try Self.messages(for: report), tools: [], onToken: onToken)
        let text = reply.content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw LLMError(.http, "the LLM returned an empty second opinion") }
        return SecondOpinion(model: model, text: text)
    }
}
