/// Cross-subsystem reasoning: explains etcd *symptoms* (slow fsync/commit, leader elections,
/// slow peers, a full or fragmented DB) by the resource behind them, per member.
///
/// Principles: a cause needs an etcd symptom (a busy but healthy cluster gets none); every
/// cause lists its numbers; scores come from the catalog's thresholds (the same ones the
/// threshold findings use); when host metrics are missing the confidence drops, and the
/// reasons say why. Pure: no I/O.
public enum RootCauseEngine {
    public struct Input: Sendable {
        public var summaries: [MetricSummary]
        public var catalog: [CatalogMetric]
        public var series: [TimeSeries]
        public var explicitHosts: [String: String]

        public init(summaries: [MetricSummary], catalog: [CatalogMetric], series: [TimeSeries] = [], explicitHosts: [String: String] = [:]) {
            self.summaries = summaries
            self.catalog = catalog
            self.series = series
            self.explicitHosts = explicitHosts
        }
    }

    public struct Output: Sendable {
        public var rootCauses: [RootCause]
        /// One `correlation` finding per root cause, carrying its evidence and explanation.
        public var findings: [Finding]
        /// What the engine could not tie together (a member without host metrics).
        public var dataGaps: [DataGap] = []
    }

    /// A cause before ranking.
    struct Candidate {
        var category: Category
        var instances: [String]
        var score: Double
        var summary: String
        var evidence: [Evidence]
        var reasons: [String]
        /// 0…1: share of the signals this rule wanted that were measured.
        var completeness: Double
        var action: String
        var fix: String
        var steps: [String]
        var related: [String]
    }

    public static func diagnose(_ input: Input, thresholdFindings: [Finding] = []) -> Output {
        let context = Context(input)
        var candidates = latencyCauses(context) + consensusCauses(context) + networkCauses(context) + databaseCauses(context)
        candidates = merge(candidates).filter { $0.score >= 0.3 }
        candidates.sort { a, b in a.score != b.score ? a.score > b.score : a.category.rawValue < b.category.rawValue }

        var causes: [RootCause] = []
        var findings: [Finding] = []
        for c in candidates {
            let id = "rca.\(c.category.rawValue)" + (c.instances.count == 1 ? ".member" : ".cluster")
            var uniqueID = id
            var n = 2
            while findings.contains(where: { $0.id == uniqueID }) { uniqueID = "\(id).\(n)"; n += 1 }
            let confidence = (c.score * (0.6 + 0.4 * c.completeness) * 100).rounded() / 100
            let linked = thresholdFindings.filter { f in
                c.related.contains { f.id.contains(".\($0).") } && (f.instances.isEmpty || !Set(f.instances).isDisjoint(with: c.instances + context.hostsOf(c.instances)))
            }
            let related = linked.map(\.id)
            // As severe as the worst threshold finding it explains, so --fail-on and the grade agree.
            let severity = linked.map(\.severity).max() ?? .low
            causes.append(RootCause(category: c.category, instances: c.instances, summary: c.summary,
                                    likelihood: c.score >= 0.7 ? .high : (c.score >= 0.45 ? .medium : .low),
                                    confidence: confidence, findingIds: [uniqueID] + related))
            var seen = Set<String>()
            let evidence = c.evidence.filter { seen.insert("\($0.metric)|\($0.instance ?? "")|\($0.note ?? "")").inserted }
            findings.append(Finding(
                id: uniqueID, title: "Root cause: \(c.category.rawValue) — \(c.instances.joined(separator: ", "))",
                severity: severity, category: c.category, methodology: .correlation,
                instances: c.instances, observation: c.summary, evidence: evidence,
                rootCause: c.reasons.joined(separator: " "), confidence: confidence,
                immediateAction: c.action, investigationSteps: c.steps, longTermFix: c.fix,
                relatedMetrics: c.related, reference: reference(c.category)))
        }
        let gaps = context.views.filter { $0.host == nil }.map { v in
            DataGap(subsystem: "node-usage",
                    reason: "\(v.instance): no node-exporter series for host \(HostMapping.host(of: v.instance)) — its CPU, disk and memory cannot be tied to this member (set members: in perfscope.yaml)")
        }
        return Output(rootCauses: causes, findings: findings, dataGaps: gaps)
    }

    /// Same category and instances: keep the strongest, add the others' evidence and reasons.
    static func merge(_ list: [Candidate]) -> [Candidate] {
        var out: [Candidate] = []
        for c in list {
            if let i = out.firstIndex(where: { $0.category == c.category && Set($0.instances) == Set(c.instances) }) {
                var best = out[i].score >= c.score ? out[i] : c
                let other = out[i].score >= c.score ? c : out[i]
                best.score = min(0.97, best.score + 0.05)
                best.evidence += other.evidence.filter { e in !best.evidence.contains(e) }
                best.reasons += other.reasons
                best.related = Array(Set(best.related + other.related)).sorted()
                out[i] = best
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func reference(_ category: Category) -> String {
        switch category {
        case .disk: "etcd docs: hardware (disks), tuning; Systems Performance 2nd ed., ch. 9"
        case .cpu: "etcd FAQ (CPU starvation); Systems Performance 2nd ed., ch. 6"
        case .memory: "Systems Performance 2nd ed., ch. 7"
        case .network: "etcd docs: tuning (heartbeat, election timeout); Systems Performance 2nd ed., ch. 10"
        case .consensus: "etcd docs: tuning (time parameters), FAQ (leader elections)"
        case .database: "etcd docs: maintenance (space quota, compaction, defragmentation)"
        case .load: "etcd docs: performance, benchmarking; Systems Performance 2nd ed., ch. 2 (workload characterisation)"
        }
    }
}
