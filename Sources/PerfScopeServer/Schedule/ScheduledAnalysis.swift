import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCore

/// `perfscope serve --schedule`: runs the analysis on a schedule inside the server and stores
/// every run, so a nightly (or hourly) history builds up with no cron job or sidecar. A failed
/// run is logged and counted, never fatal: the next one is tried on time.
public struct ScheduledAnalysis: Sendable {
    public let schedule: Schedule
    /// Runs one analysis ending at the given time, stores it, and returns the stored run ids.
    public let run: @Sendable (Date) async throws -> [String]

    public init(schedule: Schedule, run: @escaping @Sendable (Date) async throws -> [String]) {
        self.schedule = schedule
        self.run = run
    }

    /// Loops until cancelled (the server's shutdown). `now` and `sleep` are injectable for tests.
    public func loop(metrics: ServerMetrics, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
              sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .milliseconds(Int64($0 * 1000))) }) async {
        var next = schedule.next(after: now())
        metrics.scheduleNext(next)
        logger.info("schedule armed", metadata: ["schedule": "\(schedule.description)", "next": "\(next)"])
        while !Task.isCancelled {
            let wait = next.timeIntervalSince(now())
            if wait > 0 {
                do { try await sleep(wait) } catch { return }
            }
            let started = ContinuousClock.now
            do {
                let ids = try await run(next)
                metrics.scheduledRun(outcome: "ok", duration: ContinuousClock.now - started)
                logger.info("scheduled run stored", metadata: ["runs": "\(ids.joined(separator: ","))"])
            } catch {
                metrics.scheduledRun(outcome: "error", duration: ContinuousClock.now - started)
                logger.error("scheduled run failed", metadata: ["error": "\(ToolErrors.message(error))"])
            }
            // A run that took longer than the interval skips the missed slots instead of piling up.
            next = schedule.next(after: max(next, now()))
            metrics.scheduleNext(next)
        }
    }
}
