/// What one rule says about one symptom: a category, who is to blame, how strongly (0…1) and
/// from which numbers.
struct Explanation: Sendable {
    var category: Category
    /// Blamed members (indices into the context's members).
    var culprits: [Int]
    /// Causes are grouped by category and scope: `member` causes per culprit set, `cluster`
    /// ones (shared storage, workload, maintenance, configuration) once for the cluster.
    var scope: Scope
    var strength: Double
    /// True when nothing measured speaks for it: the rule's default for the symptom kind (a slow
    /// fsync is a slow disk until something else explains it, etcd FAQ). Evidence beats a prior.
    var prior: Bool
    /// Short clauses for the cause's summary ("its host's disk 97 % busy").
    var clues: [String]
    var evidence: [Evidence]
    /// 0…1: share of the signals the rule wanted that were measured.
    var completeness: Double
    /// What the symptom's explanation rests on when it is another symptom's cause (elections
    /// explained by the leader's slow disk): filled by arbitration.
    var via: String?
    /// What kind of evidence carried it, for arbitration (a process stall, reads driven by
    /// memory pressure, a defragmentation, etcd's own CPU…).
    var marks: Set<Mark> = []

    enum Mark: Hashable, Sendable {
        /// The member's own process was starved (GC pauses, throttling, late answers), not its host.
        case stall
        /// The host's disk is busy with reads more than writes.
        case readDriven
        /// The member's host pages (major faults, swap): its device reads are memory's doing.
        case paging
        /// A defragmentation held the member's backend.
        case defrag
        /// Measured workload evidence (rate rising with latency, etcd's own CPU, large values).
        case workload
        /// Failed sends to one member: it was unreachable, for whatever reason.
        case failures
    }

    enum Scope: Hashable, Sendable {
        case member
        case cluster(String)
    }

    var key: String {
        switch scope {
        case .member: "\(category.rawValue)|m|\(culprits.sorted().map(String.init).joined(separator: ","))"
        case .cluster(let name): "\(category.rawValue)|c|\(name)"
        }
    }
}

/// One cause category's reasoning, in its own file (`Rules/<Cause>.swift`). Rules read the
/// context and the facts; they never look at each other's explanations — every cross-cause
/// adjustment and tie-break lives in `Arbitration`.
protocol CauseRule: Sendable {
    var category: Category { get }
    /// Explanations for one symptom (none when the rule has nothing to say about it).
    func explain(_ symptom: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation]
    /// What to do about a cause of this category.
    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice
}

/// The advice part of a cause's finding.
struct Advice: Sendable {
    var action: String
    var fix: String
    var steps: [String]
    var related: [DiagnosisMetric]
    var reference: String
}

/// Readings of several signals over one episode: the strongest aligned one wins.
struct SignalSet {
    var readings: [(metric: DiagnosisMetric, reading: Reading)] = []

    var best: Double { readings.map(\.reading.aligned).max() ?? 0 }
    var measured: Int { readings.count }

    init(_ metrics: [DiagnosisMetric], _ member: Int, over episode: Episode, _ c: DiagnosisContext) {
        for m in metrics { if let r = c.read(m, member, over: episode) { readings.append((m, r)) } }
    }

    init() {}

    /// "utilisation 97 %, queue 12.3" for the readings that count (strength ≥ 0.2).
    func describe(_ c: DiagnosisContext, names: [DiagnosisMetric: String]) -> String {
        readings.filter { $0.reading.inside >= 0.2 }.sorted { $0.reading.aligned > $1.reading.aligned }
            .map { "\(names[$0.metric] ?? $0.metric.rawValue) \(c.format($0.metric, $0.reading.value))" }.joined(separator: ", ")
    }

    func evidence(_ member: Int, _ c: DiagnosisContext, note: String? = nil) -> [Evidence] {
        readings.compactMap { c.evidence($0.metric, member, value: $0.reading.value, note: note) }
    }
}
