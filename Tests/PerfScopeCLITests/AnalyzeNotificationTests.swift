import Foundation
@testable import PerfScopeCLI
import PerfScopeCollect
import PerfScopeCore
import Testing

/// The `analyze --notify` glue: decide first, then send; failures are one redacted line.
@Suite struct AnalyzeNotificationTests {
    static func report(_ grade: Grade, causes: [RootCause] = []) -> Report {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        return Report(id: "r-\(grade)", generatedAt: t, window: .init(start: t.addingTimeInterval(-3600), end: t), grade: grade,
                      healthScores: [:], findings: [], rootCauses: causes, recommendations: [], dataGaps: [])
    }

    /// A port nothing listens on would be contacted if the policy said "notify": it must not.
    @Test func noNewsSendsNothing() async {
        let warning = await notifyIfNeeded(report: Self.report(.good), previous: Self.report(.fair),
                                           targets: ["slack+http://127.0.0.1:9/services/T/B/secret"], cluster: "c", reportURLBase: nil)
        #expect(warning == nil)
    }

    @Test func failureIsOneRedactedLine() async {
        let warning = await notifyIfNeeded(report: Self.report(.critical), previous: Self.report(.good),
                                           targets: ["slack+http://127.0.0.1:9/services/T/B/secret", "http://127.0.0.1:9/hook?token=secret"],
                                           cluster: "c", reportURLBase: nil,
                                           notifier: Notifier(timeout: .seconds(2), retryDelay: .milliseconds(10)))
        let w = warning ?? ""
        #expect(w.contains("slack webhook http://127.0.0.1:9") && w.contains("json webhook http://127.0.0.1:9"), "\(w)")
        #expect(!w.contains("secret") && !w.contains("services") && !w.contains("\n"), "\(w)")
    }

    @Test(arguments: [
        ([String](), ["PERFSCOPE_NOTIFY_URL": "slack+https://a.example/x, https://b.example/y"], ["slack+https://a.example/x", "https://b.example/y"]),
        (["https://flag.example/z"], ["PERFSCOPE_NOTIFY_URL": "https://env.example/y"], ["https://flag.example/z"]),
        ([], [:], []),
    ] as [([String], [String: String], [String])])
    func targetsComeFromFlagsElseEnvironment(flags: [String], environment: [String: String], expected: [String]) {
        #expect(NotifyOptions.targets(flags: flags, environment: environment) == expected)
    }
}
