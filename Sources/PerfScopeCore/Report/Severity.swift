/// How bad a finding is. Ordered: `info < low < medium < high < critical`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// The subsystem a finding or root cause belongs to (DESIGN.md contract).
public enum Category: String, Sendable, Codable, CaseIterable {
    case disk, network, cpu, memory, consensus, database, load
}

/// How a finding was reached (DESIGN.md contract).
public enum Methodology: String, Sendable, Codable, CaseIterable {
    case use, latency, workload, drilldown, threshold, trend, correlation
}

/// Overall verdict of a run, worst first in `allCases` order reversed.
public enum Grade: String, Sendable, Codable, CaseIterable {
    case excellent, good, fair, poor, critical
}

/// Likelihood of a ranked root cause.
public enum Likelihood: String, Sendable, Codable {
    case high, medium, low
}
