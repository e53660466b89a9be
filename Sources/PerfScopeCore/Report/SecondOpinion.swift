import Foundation

/// An LLM's second opinion on a rule-based report (`analyze --ai`): shown beside the rule-based
/// root cause, never instead of it — the rules' ranking, grade and findings stay as they were.
public struct SecondOpinion: Sendable, Codable, Equatable {
    /// The model that wrote it (`PERFSCOPE_LLM_MODEL`).
    public var model: String
    /// Its answer: primary cause, secondary factors, risk.
    public var text: String

    public init(model: String, text: String) {
        self.model = model
        self.text = text
    }

    /// The heading every renderer uses, saying whose opinion it is.
    public var heading: String { "Second opinion (LLM \(model); the rule-based root causes above stand)" }
}
