import ArgumentParser
import Foundation
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeCore
import PerfScopeStore

/// `--notify` and `--report-url` for `perfscope analyze`.
///
/// Targets: `slack+https://…` (Slack-compatible incoming webhook) or `https://…` (generic JSON
/// webhook), repeatable; or `PERFSCOPE_NOTIFY_URL` (comma-separated) when no flag is given.
/// A message is sent only when the grade worsened or a new root cause appeared versus the
/// cluster's previous stored run (see `NotificationPolicy`).
struct NotifyOptions: ParsableArguments {
    @Option(name: .customLong("notify"), help: ArgumentHelp(
        "Post a summary when the grade worsens or a new root cause appears: slack+https://… (Slack-compatible webhook) or https://… (generic JSON). Repeatable; env PERFSCOPE_NOTIFY_URL (comma-separated).",
        valueName: "url"))
    var targets: [String] = []

    @Option(name: .customLong("report-url"), help: ArgumentHelp(
        "Base URL where HTML reports are published, linked in notifications as <base>/<run id>.html, or with {id} replaced (env PERFSCOPE_REPORT_URL).",
        valueName: "url"))
    var reportURLBase: String?

    func validate() throws {
        for t in targets { _ = try NotifyTarget.parse(t) }
    }

    /// Looks up the cluster's previous stored run (before `history.save`), decides and sends;
    /// a failure is one warning on stderr, never a failed analysis.
    func send(_ report: Report, history: HistoryRecorder?, cluster: String?) async {
        let name = history?.cluster ?? cluster.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        for warning in await send(report, store: history?.store, cluster: name) { Terminal.warning(warning) }
    }

    /// The same for any run and store (one cluster of a fleet, a scheduled run): returns the
    /// warnings, one line each, for the caller to print or log.
    func send(_ report: Report, store: (any RunStore)?, cluster: String) async -> [String] {
        let environment = ProcessInfo.processInfo.environment
        let targets = Self.targets(flags: self.targets, environment: environment)
        if targets.isEmpty { return [] }
        var warnings: [String] = []
        var previous: Report?
        if let store {
            do {
                if let last = try await store.list(RunQuery(cluster: cluster, limit: 2)).first(where: { $0.id != report.id }) {
                    previous = try await store.get(last.id)
                }
            } catch {
                warnings.append("previous run of \(cluster) not available for --notify: \(ToolErrors.message(error))")
            }
        }
        if let warning = await notifyIfNeeded(report: report, previous: previous, targets: targets, cluster: cluster,
                                              reportURLBase: reportURLBase ?? environment["PERFSCOPE_REPORT_URL"]) {
            warnings.append(warning)
        }
        return warnings
    }

    static func targets(flags: [String], environment: [String: String]) -> [String] {
        if !flags.isEmpty { return flags }
        return (environment["PERFSCOPE_NOTIFY_URL"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Sends the run's summary to every target when `NotificationPolicy` says it is news.
/// Returns one line describing the failures (target named by scheme and host only), or nil.
func notifyIfNeeded(report: Report, previous: Report?, targets: [String], cluster: String, reportURLBase: String?,
                    notifier: Notifier) async -> String? {
    let decision = NotificationPolicy.decide(current: report, previous: previous)
    guard decision.notify, !targets.isEmpty else { return nil }
    let message = NotificationMessage(cluster: cluster, report: report, previous: previous,
                                      reason: NotificationPolicy.describe(decision.reasons),
                                      reportURL: NotificationMessage.reportURL(base: reportURLBase, id: report.id))
    let failures = await withTaskGroup(of: String?.self) { group in
        for text in targets {
            group.addTask {
                do {
                    try await notifier.send(message, to: try NotifyTarget.parse(text))
                    return nil
                } catch let error as NotifyError {
                    return error.message
                } catch {
                    return "notification failed: \(String(describing: type(of: error)))"
                }
            }
        }
        var out: [String] = []
        for await failure in group { if let failure { out.append(failure) } }
        return out.sorted()
    }
    return failures.isEmpty ? nil : failures.joined(separator: "; ")
}

/// `notifyIfNeeded` with the default notifier (10 s timeout, one retry on 5xx).
func notifyIfNeeded(report: Report, previous: Report?, targets: [String], cluster: String, reportURLBase: String?) async -> String? {
    await notifyIfNeeded(report: report, previous: previous, targets: targets, cluster: cluster, reportURLBase: reportURLBase, notifier: Notifier())
}
