import Foundation

/// The analysis result every front end renders: the JSON report contract of DESIGN.md.
///
/// Field names are a contract checked from outside (`perfscope analyze --format json`); extra
/// fields are allowed, but these keep their names and meanings.
public struct Report: Sendable, Codable, Equatable {
    public var schemaVersion: Int = 1
    public var id: String
    public var generatedAt: Date
    public var window: Window
    public var grade: Grade
    public var healthScores: [String: Int]
    public var findings: [Finding]
    /// Ranked, most likely first; empty when the system is healthy.
    public var rootCauses: [RootCause]
    public var recommendations: [Recommendation]
    public var dataGaps: [DataGap]
    /// Where the data came from (e.g. the Prometheus URL), for the report header.
    public var source: String?
    /// Per-metric window statistics, so a reader can see healthy values too.
    public var metrics: [MetricSummary]
    /// Per-member series of the key latency and utilisation metrics over the window.
    public var charts: [Chart]
    /// The thresholds the metrics were judged by (catalog plus config overrides), by metric name.
    public var thresholds: [String: Thresholds]
    /// The USE table of every host in the data (USE method), for the host review section.
    public var hosts: [HostReview] = []
    /// The comparison with the cluster's baseline run (flagged deltas only), when one is set in the history store.
    public var baseline: BaselineComparison?
    /// The Kubernetes/OpenShift cluster, when the analysis was given a kubeconfig (`--kubeconfig`).
    public var cluster: ClusterContext?
    /// An LLM's second opinion (`analyze --ai`), beside the rule-based root causes.
    public var secondOpinion: SecondOpinion?
    /// The etcd symptoms the diagnosis found, each with when it happened (empty: nothing needed
    /// explaining). Optional so reports stored before it decode.
    public var symptoms: [SymptomReport]?

    public struct Window: Sendable, Codable, Equatable {
        public var start: Date
        public var end: Date
        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    public init(id: String, generatedAt: Date, window: Window, grade: Grade, healthScores: [String: Int],
                findings: [Finding], rootCauses: [RootCause], recommendations: [Recommendation],
                dataGaps: [DataGap], source: String? = nil, metrics: [MetricSummary] = [], charts: [Chart] = [], thresholds: [String: Thresholds] = [:]) {
        self.id = id
        self.generatedAt = generatedAt
        self.window = window
        self.grade = grade
        self.healthScores = healthScores
        self.findings = findings
        self.rootCauses = rootCauses
        self.recommendations = recommendations
        self.dataGaps = dataGaps
        self.source = source
        self.metrics = metrics
        self.charts = charts
        self.thresholds = thresholds
    }
}

/// One observation with evidence, severity and what to do about it.
public struct Finding: Sendable, Codable, Equatable {
    /// Stable rule id, e.g. `etcd.wal_fsync.p99_high`.
    public var id: String
    public var title: String
    public var severity: Severity
    public var category: Category
    public var methodology: Methodology
    public var instances: [String]
    public var observation: String
    public var evidence: [Evidence]
    public var rootCause: String
    public var confidence: Double
    public var immediateAction: String
    public var investigationSteps: [String]
    public var longTermFix: String
    public var relatedMetrics: [String]
    public var reference: String
    /// The resource or subsystem the insight is about (`cpu`, `disk`, `wal`…); extra to the contract.
    public var component: String?
    /// What kind of problem (`utilisation`, `saturation`, `errors`, `outliers`, `step_change`…); extra to the contract.
    public var issueType: String?

    public init(id: String, title: String, severity: Severity, category: Category, methodology: Methodology,
                instances: [String], observation: String, evidence: [Evidence], rootCause: String,
                confidence: Double, immediateAction: String, investigationSteps: [String],
                longTermFix: String, relatedMetrics: [String], reference: String) {
        self.id = id
        self.title = title
        self.severity = severity
        self.category = category
        self.methodology = methodology
        self.instances = instances
        self.observation = observation
        self.evidence = evidence
        self.rootCause = rootCause
        self.confidence = confidence
        self.immediateAction = immediateAction
        self.investigationSteps = investigationSteps
        self.longTermFix = longTermFix
        self.relatedMetrics = relatedMetrics
        self.reference = reference
    }
}

/// A number behind a finding: the metric, its value, the threshold it was held against and the PromQL.
public struct Evidence: Sendable, Codable, Equatable {
    public var metric: String
    public var value: Double
    public var threshold: Double?
    public var unit: String
    public var instance: String?
    public var query: String?
    /// Context for the number (e.g. which peer an RTT points to); `metric` stays a plain catalog name.
    public var note: String?

    public init(metric: String, value: Double, threshold: Double?, unit: String, instance: String?, query: String?, note: String? = nil) {
        self.metric = metric
        self.value = value
        self.threshold = threshold
        self.unit = unit
        self.instance = instance
        self.query = query
        self.note = note
    }

    private enum CodingKeys: String, CodingKey { case metric, value, threshold, unit, instance, query, note }

    /// Optional contract fields are written as `null`, not left out, so consumers see every key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metric, forKey: .metric)
        try c.encode(value, forKey: .value)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(unit, forKey: .unit)
        try c.encode(instance, forKey: .instance)
        try c.encode(query, forKey: .query)
        try c.encodeIfPresent(note, forKey: .note)
    }
}

public struct RootCause: Sendable, Codable, Equatable {
    public var category: Category
    public var instances: [String]
    public var summary: String
    public var likelihood: Likelihood
    public var confidence: Double
    public var findingIds: [String]
    /// When the symptoms it explains started, and ended (nil: still going at the window's end).
    public var start: Date?
    public var end: Date?
    /// Share of the window its symptoms cover (0…1).
    public var coverage: Double?
    /// Explanations weighed for the same symptoms that lost, worth ruling out.
    public var alternatives: [Alternative]?

    /// A losing explanation: the category and members it would blame, and why it lost.
    public struct Alternative: Sendable, Codable, Equatable {
        public var category: Category
        public var instances: [String]
        public var confidence: Double
        public var note: String

        public init(category: Category, instances: [String], confidence: Double, note: String) {
            self.category = category
            self.instances = instances
            self.confidence = confidence
            self.note = note
        }
    }

    public init(category: Category, instances: [String], summary: String, likelihood: Likelihood,
                confidence: Double, findingIds: [String]) {
        self.category = category
        self.instances = instances
        self.summary = summary
        self.likelihood = likelihood
        self.confidence = confidence
        self.findingIds = findingIds
    }
}

public struct Recommendation: Sendable, Codable, Equatable {
    public var priority: Likelihood
    public var category: String
    public var recommendation: String
    public var rationale: String

    public init(priority: Likelihood, category: String, recommendation: String, rationale: String) {
        self.priority = priority
        self.category = category
        self.recommendation = recommendation
        self.rationale = rationale
    }
}

/// Something the analysis could not see, and therefore could not judge.
public struct DataGap: Sendable, Codable, Equatable {
    public var subsystem: String
    public var reason: String

    public init(subsystem: String, reason: String) {
        self.subsystem = subsystem
        self.reason = reason
    }
}
