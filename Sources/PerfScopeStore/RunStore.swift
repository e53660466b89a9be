import Foundation
import PerfScopeCore

/// Run history: every analysis stored with its findings, root causes and per-series statistics,
/// so runs can be listed, compared with a per-cluster baseline and followed as trends.
///
/// Two backends share one schema (`Schema`): `SQLiteRunStore` (the embedded default) and
/// `PostgresRunStore` (shared by several analysers). Every run is written in one transaction.
public protocol RunStore: Sendable {
    /// Where the store is (the PostgreSQL URL with its password redacted).
    var location: StoreLocation { get }

    /// Stores a run in one transaction. Fails when a run with the same id is stored.
    func save(_ report: Report, cluster: String) async throws
    /// Runs newest first.
    func list(_ query: RunQuery) async throws -> [RunSummary]
    func summary(_ runID: String) async throws -> RunSummary
    /// The full report, decoded from the stored JSON.
    func get(_ runID: String) async throws -> Report
    /// Exact id, `latest`, or a unique prefix of an id → the run id.
    func resolveRunID(_ reference: String) async throws -> String
    func findings(run runID: String) async throws -> [StoredFinding]
    func rootCauses(run runID: String) async throws -> [StoredRootCause]
    func metricSummaries(run runID: String) async throws -> [TrendPoint]
    /// Makes the run its cluster's baseline (replacing the previous one) and returns it.
    @discardableResult func setBaseline(_ runID: String) async throws -> RunSummary
    func baseline(cluster: String) async throws -> RunSummary?
    func baselines() async throws -> [RunSummary]
    /// A metric's stored statistics across runs, oldest first.
    func trend(_ query: TrendQuery) async throws -> [TrendPoint]
    /// Deletes runs created before `date`, except baselines; returns how many.
    func prune(olderThan date: Date) async throws -> Int
    func count(cluster: String?) async throws -> Int
    /// The applied schema version.
    func schemaVersion() async throws -> Int

    // Chat conversations and settings (schema v4), so a chat survives a server restart.
    /// Stores a new, empty conversation. Fails when the id is taken.
    func createConversation(_ conversation: ConversationSummary, systemPrompt: String?) async throws
    /// Conversations, most recently updated first.
    func conversations(limit: Int?) async throws -> [ConversationSummary]
    /// One conversation with its prompt and its messages in order: all of them, or the last
    /// `lastMessages` (what an agent is given back), read without loading the rest.
    func conversation(_ id: String, lastMessages: Int?) async throws -> Conversation
    /// Appends messages in order and marks the conversation updated, in one transaction.
    func appendMessages(_ messages: [ConversationMessage], to id: String) async throws
    /// The conversation's own system prompt; nil → the server's.
    func setSystemPrompt(_ prompt: String?, conversation id: String) async throws
    func setTitle(_ title: String, conversation id: String) async throws
    func deleteConversation(_ id: String) async throws
    /// Deletes conversations not updated since `updatedBefore`, then all but the `keepNewest`
    /// most recent (with their messages); returns how many went.
    func pruneConversations(updatedBefore: Date?, keepNewest: Int?) async throws -> Int
    /// A server-wide setting (e.g. `system_prompt`); nil when unset.
    func setting(_ key: String) async throws -> String?
    /// Sets or (nil) clears a setting.
    func setSetting(_ key: String, to value: String?) async throws
    /// Releases connections; the store is unusable afterwards.
    func close() async
}

public struct RunQuery: Sendable, Equatable {
    public var since: Date?
    public var until: Date?
    public var cluster: String?
    public var limit: Int?

    public init(since: Date? = nil, until: Date? = nil, cluster: String? = nil, limit: Int? = nil) {
        self.since = since
        self.until = until
        self.cluster = cluster
        self.limit = limit
    }
}

public struct TrendQuery: Sendable, Equatable {
    public var metric: String
    public var instance: String?
    public var cluster: String?
    public var since: Date?
    public var until: Date?

    public init(metric: String, instance: String? = nil, cluster: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.metric = metric
        self.instance = instance
        self.cluster = cluster
        self.since = since
        self.until = until
    }
}

/// A finding row of a stored run (the `findings` table).
public struct StoredFinding: Sendable, Codable, Equatable {
    public var runID: String
    public var id: String
    public var severity: Severity
    public var category: Category
    public var methodology: Methodology
    public var title: String
    public var instances: [String]

    public init(runID: String, id: String, severity: Severity, category: Category, methodology: Methodology, title: String, instances: [String]) {
        self.runID = runID
        self.id = id
        self.severity = severity
        self.category = category
        self.methodology = methodology
        self.title = title
        self.instances = instances
    }
}

/// A ranked root cause of a stored run (the `root_causes` table); rank 1 is the most likely.
public struct StoredRootCause: Sendable, Codable, Equatable {
    public var runID: String
    public var rank: Int
    public var category: Category
    public var instances: [String]
    public var likelihood: Likelihood
    public var confidence: Double
    public var summary: String
    public var findingIDs: [String]

    public init(runID: String, rank: Int, category: Category, instances: [String], likelihood: Likelihood, confidence: Double,
                summary: String, findingIDs: [String]) {
        self.runID = runID
        self.rank = rank
        self.category = category
        self.instances = instances
        self.likelihood = likelihood
        self.confidence = confidence
        self.summary = summary
        self.findingIDs = findingIDs
    }
}

public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case json, csv
}

extension RunStore {
    /// One conversation with every message.
    public func conversation(_ id: String) async throws -> Conversation {
        try await conversation(id, lastMessages: nil)
    }

    /// Compares a run with `baselineRef`, or with its cluster's baseline when nil.
    public func compare(_ runRef: String, baseline baselineRef: String? = nil, rules: ComparisonRules = .standard,
                        includeUnchanged: Bool = true) async throws -> BaselineComparison {
        let runID = try await resolveRunID(runRef)
        let baseID: String
        if let baselineRef {
            baseID = try await resolveRunID(baselineRef)
        } else {
            let cluster = try await summary(runID).cluster
            guard let b = try await baseline(cluster: cluster) else { throw StoreError.noBaseline(cluster: cluster) }
            baseID = b.id
        }
        let run = try await get(runID)
        let base = try await get(baseID)
        return HistoryComparison.compare(run, baseline: base, rules: rules, includeUnchanged: includeUnchanged)
    }

    /// The comparison an `analyze` report carries: with the cluster's baseline, flagged deltas only; nil without a baseline.
    public func compareWithBaseline(_ report: Report, cluster: String, rules: ComparisonRules = .standard) async throws -> BaselineComparison? {
        guard let b = try await baseline(cluster: cluster), b.id != report.id else { return nil }
        return HistoryComparison.compare(report, baseline: try await get(b.id), rules: rules, includeUnchanged: false)
    }

    /// A stored run as the JSON report (same as `analyze --format json`) or its metric summaries as CSV.
    public func export(_ runRef: String, format: ExportFormat) async throws -> String {
        let id = try await resolveRunID(runRef)
        let report = try await get(id)
        switch format {
        case .json: return try JSONRendering.encode(report)
        case .csv: return RunExport.csv(report, cluster: try await summary(id).cluster)
        }
    }
}
