import Foundation
import PerfScopeCore
import Testing

@Suite struct NotificationPolicyTests {
    static func cause(_ category: Category, _ instances: [String]) -> RootCause {
        RootCause(category: category, instances: instances, summary: "\(category) on \(instances)", likelihood: .high, confidence: 0.8, findingIds: [])
    }

    static func report(_ grade: Grade, _ causes: [RootCause] = [], findings: [Severity] = []) -> Report {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        return Report(id: "run-\(grade)", generatedAt: t, window: .init(start: t.addingTimeInterval(-3600), end: t), grade: grade,
                      healthScores: [:], findings: findings.enumerated().map { i, s in
                          Finding(id: "f\(i)", title: "t", severity: s, category: .disk, methodology: .threshold, instances: [],
                                  observation: "", evidence: [], rootCause: "", confidence: 1, immediateAction: "",
                                  investigationSteps: [], longTermFix: "", relatedMetrics: [], reference: "")
                      }, rootCauses: causes, recommendations: [], dataGaps: [])
    }

    static let disk = cause(.disk, ["a:2379"])

    @Test(arguments: [
        // no previous run
        (report(.excellent), nil, false),
        (report(.fair), nil, false),
        (report(.poor), nil, true),
        (report(.critical), nil, true),
        (report(.good, [disk]), nil, true),
        // grade
        (report(.fair), report(.good), true),
        (report(.good), report(.fair), false),
        (report(.poor, [disk]), report(.poor, [disk]), false),
        (report(.critical, [disk]), report(.poor, [disk]), true),
        // root causes: identity is category + instances (order-insensitive)
        (report(.fair, [disk]), report(.fair), true),
        (report(.fair, [disk]), report(.fair, [cause(.disk, ["b:2379"])]), true),
        (report(.fair, [cause(.network, ["a:2379"])]), report(.fair, [disk]), true),
        (report(.fair, [cause(.disk, ["b", "a"])]), report(.fair, [cause(.disk, ["a", "b"])]), false),
        (report(.good), report(.fair, [disk]), false),
    ] as [(Report, Report?, Bool)])
    func decides(current: Report, previous: Report?, expected: Bool) {
        #expect(NotificationPolicy.decide(current: current, previous: previous).notify == expected)
    }

    @Test func reasonsNameWhatChanged() {
        let d = NotificationPolicy.decide(current: Self.report(.poor, [Self.disk, Self.cause(.cpu, ["b"])]), previous: Self.report(.fair, [Self.disk]))
        #expect(d.reasons == [.gradeWorsened(from: .fair, to: .poor), .newRootCauses([Self.cause(.cpu, ["b"])])])
        #expect(d.newRootCauses.map(\.category) == [.cpu])
        #expect(NotificationPolicy.describe(d.reasons) == "grade worsened from fair to poor; 1 new root cause")
    }

    @Test func countsFindingsBySeverity() {
        let counts = NotificationPolicy.findingCounts(Self.report(.poor, findings: [.low, .critical, .high, .high]))
        #expect(counts.map(\.0) == [.critical, .high, .low])
        #expect(counts.map(\.1) == [1, 2, 1])
    }
}
