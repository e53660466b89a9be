import Foundation
import PerfScopeCore

/// An OpenAI-compatible chat-completions endpoint (OpenAI, Gemini's compatible endpoint,
/// Ollama, vLLM, llama.cpp server): `PERFSCOPE_LLM_BASE_URL` (e.g. `https://api.openai.com/v1`,
/// `http://127.0.0.1:11434/v1`), `PERFSCOPE_LLM_API_KEY` (optional for local servers),
/// `PERFSCOPE_LLM_MODEL`.
public struct LLMConfiguration: Sendable {
    public var baseURL: URL
    public var apiKey: String?
    public var model: String
    public var timeout: Duration
    /// Tool-calling rounds before the agent must answer.
    public var maxSteps: Int
    /// Characters of a tool result passed to the model (results are bounded digests already).
    public var maxToolResultCharacters: Int

    public init(baseURL: URL, apiKey: String? = nil, model: String, timeout: Duration = .seconds(120), maxSteps: Int = 6,
                maxToolResultCharacters: Int = 12_000) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
        self.maxSteps = maxSteps
        self.maxToolResultCharacters = maxToolResultCharacters
    }

    /// From the environment; nil when no base URL is set (the offline agent answers then).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> LLMConfiguration? {
        guard let base = env["PERFSCOPE_LLM_BASE_URL"], !base.isEmpty else { return nil }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw PerfScopeError.configuration("PERFSCOPE_LLM_BASE_URL \(base) is not an http(s) URL: use e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1")
        }
        guard let model = env["PERFSCOPE_LLM_MODEL"], !model.isEmpty else {
            throw PerfScopeError.configuration("PERFSCOPE_LLM_MODEL is not set: name the model, e.g. gpt-4o-mini or llama3.1")
        }
        return LLMConfiguration(baseURL: url, apiKey: env["PERFSCOPE_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }, model: model)
    }

    /// The default system prompt: an etcd and systems-performance expert who uses the tools.
    public static let defaultSystemPrompt = """
    You are perfscope, an expert in etcd and Linux systems performance (Brendan Gregg's USE method, workload \
    characterisation, drill-down and latency analysis). Answer questions about why an etcd cluster and its hosts are slow. \
    Always call tools to get data before concluding; never invent numbers. Prefer get_etcd_bottleneck_analysis or \
    generate_etcd_performance_report for "why is it slow" questions, the subsystem tools for specific areas, and \
    analyze_use_method for hosts. Cite the evidence (metric, value, threshold, instance), rank causes, say what could not be \
    judged (data gaps), and end with concrete next steps (commands). Healthy targets: WAL fsync p99 < 10 ms, backend \
    commit p99 < 25 ms, peer RTT well under the 100 ms heartbeat. Be concise.
    """
}
