/// Health scores and the overall grade, derived only from findings so every view agrees.
public enum Scoring {
    /// The health-score categories of the report contract.
    public static let scoredCategories: [Category] = [.disk, .network, .cpu, .memory, .consensus, .database]

    /// 100 minus a penalty per finding in the category (critical 60, high 35, medium 15, low 5), floored at 0.
    public static func healthScores(_ findings: [Finding]) -> [String: Int] {
        var scores: [String: Int] = [:]
        for category in scoredCategories {
            let total = findings.filter { $0.category == category }.map { Self.penalty(for: $0.severity) }.reduce(0, +)
            scores[category.rawValue] = max(0, 100 - total)
        }
        return scores
    }

    public static func penalty(for severity: Severity) -> Int {
        switch severity {
        case .critical: 60
        case .high: 35
        case .medium: 15
        case .low: 5
        case .info: 0
        }
    }

    /// The grade follows the worst finding: none or info → excellent, low → good, medium → fair,
    /// high → poor, critical → critical.
    public static func grade(_ findings: [Finding]) -> Grade {
        switch findings.map(\.severity).max() {
        case nil, .info?: .excellent
        case .low?: .good
        case .medium?: .fair
        case .high?: .poor
        case .critical?: .critical
        }
    }
}
