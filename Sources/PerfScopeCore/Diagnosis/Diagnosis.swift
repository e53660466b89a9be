import Foundation

/// Explains why etcd is slow: symptoms first, then the causes that explain them.
///
/// 1. **Symptoms** (`SymptomDetector`): departures etcd's users or its consensus feel — request
///    latency per method class, slow applies and read indexes, WAL fsync and backend commit
///    latency, peer round-trips and failures, elections, a lost leader, failed or pending
///    proposals, DB space, a member down or restarted — per member, located in time by their
///    worst sustained stretch.
/// 2. **Explanations** (`Rules/`, one file per cause): each rule reads the evidence on the
///    symptom's member and host *during the symptom's episode* and says how strongly its cause
///    explains it; a signal that rose with the symptom counts more than one that was high all
///    along.
/// 3. **Arbitration** (`Arbitration.swift`): the explanations of each symptom compete under
///    documented adjustments; consequences (elections after the leader's disk slowed) follow
///    their cause.
/// 4. **Causes**: winners grouped by category and culprit; independent faults stay separate
///    causes, ranked by the impact of what they explain. A window without symptoms has none.
///
/// Every level comes from the catalog (`thresholds`, `symptom`); nothing here is a metric level.
/// Pure: no I/O.
public enum Diagnosis {
    public struct Input: Sendable {
        public var summaries: [MetricSummary]
        public var catalog: [CatalogMetric]
        public var series: [TimeSeries]
        public var explicitHosts: [String: String]
        /// The analysed window (series points are placed on it).
        public var window: Report.Window?
        /// The `rate()` range in seconds (onsets smear over it).
        public var rateSeconds: Double?

        public init(summaries: [MetricSummary], catalog: [CatalogMetric], series: [TimeSeries] = [], explicitHosts: [String: String] = [:],
                    window: Report.Window? = nil, rateSeconds: Double? = nil) {
            self.summaries = summaries
            self.catalog = catalog
            self.series = series
            self.explicitHosts = explicitHosts
            self.window = window
            self.rateSeconds = rateSeconds
        }
    }

    public struct Output: Sendable {
        public var rootCauses: [RootCause]
        /// One `correlation` finding per root cause, carrying its evidence and explanation.
        public var findings: [Finding]
        /// What the engine could not tie together (a member without host metrics).
        public var dataGaps: [DataGap] = []
        /// Every symptom found, with when it happened.
        public var symptoms: [SymptomReport] = []
    }

    static let rules: [any CauseRule] = [DiskRule(), CPURule(), MemoryRule(), NetworkRule(), DatabaseRule(), LoadRule(), ConsensusRule()]

    public static func diagnose(_ input: Input, thresholdFindings: [Finding] = []) -> Output {
        let c = DiagnosisContext(input)
        let symptoms = SymptomDetector.symptoms(c)
        let facts = Facts(symptoms, c)
        let decisions = Arbitration.decide(symptoms, c, facts, rules: rules)
        let causes = Cause.group(decisions, c)
        var output = render(causes, c, thresholdFindings: thresholdFindings)
        output.symptoms = symptoms.map { SymptomReport($0, c) }
        output.dataGaps = c.members.filter { $0.host == nil }.map { m in
            DataGap(subsystem: "node-usage",
                    reason: "\(m.instance): no node-exporter series for host \(HostMapping.host(of: m.instance)) — its CPU, disk and memory cannot be tied to this member (set members: in perfscope.yaml)")
        }
        return output
    }

    static func rule(for category: Category) -> (any CauseRule)? { rules.first { $0.category == category } }
}
