import Foundation

/// Whether a run is worth a message, compared with the previous run of the same cluster.
///
/// Notify when the grade worsens, or a root cause appears that the previous run did not have
/// (same category and same instances). Without a previous run: notify when there is any root
/// cause or the grade is poor or critical. Improvements and unchanged runs stay quiet.
public enum NotificationPolicy {
    public enum Reason: Sendable, Equatable {
        case gradeWorsened(from: Grade, to: Grade)
        case newRootCauses([RootCause])
        /// First run seen for the cluster, with something to say.
        case firstRun
    }

    public struct Decision: Sendable, Equatable {
        public var notify: Bool
        public var reasons: [Reason]
        public var newRootCauses: [RootCause]
    }

    /// 0 excellent … 4 critical.
    public static func rank(_ grade: Grade) -> Int {
        switch grade {
        case .excellent: 0
        case .good: 1
        case .fair: 2
        case .poor: 3
        case .critical: 4
        }
    }

    /// A root cause's identity across runs: category + sorted instances.
    public struct CauseKey: Hashable, Sendable {
        public var category: Category
        public var instances: [String]

        public init(_ cause: RootCause) {
            category = cause.category
            instances = cause.instances.sorted()
        }
    }

    public static func decide(current: Report, previous: Report?) -> Decision {
        guard let previous else {
            let notify = !current.rootCauses.isEmpty || rank(current.grade) >= rank(.poor)
            return Decision(notify: notify, reasons: notify ? [.firstRun] : [], newRootCauses: notify ? current.rootCauses : [])
        }
        var reasons: [Reason] = []
        if rank(current.grade) > rank(previous.grade) { reasons.append(.gradeWorsened(from: previous.grade, to: current.grade)) }
        let known = Set(previous.rootCauses.map(CauseKey.init))
        let fresh = current.rootCauses.filter { !known.contains(CauseKey($0)) }
        if !fresh.isEmpty { reasons.append(.newRootCauses(fresh)) }
        return Decision(notify: !reasons.isEmpty, reasons: reasons, newRootCauses: fresh)
    }

    /// Findings per severity, most severe first, zero counts left out (`critical: 1, high: 2`).
    public static func findingCounts(_ report: Report) -> [(Severity, Int)] {
        Severity.allCases.reversed().compactMap { s in
            let n = report.findings.filter { $0.severity == s }.count
            return n > 0 ? (s, n) : nil
        }
    }

    /// A one-line reason for the message.
    public static func describe(_ reasons: [Reason]) -> String {
        reasons.map { reason in
            switch reason {
            case let .gradeWorsened(from, to): "grade worsened from \(from.rawValue) to \(to.rawValue)"
            case let .newRootCauses(causes): "\(causes.count) new root cause\(causes.count == 1 ? "" : "s")"
            case .firstRun: "first stored run for this cluster"
            }
        }.joined(separator: "; ")
    }
}
