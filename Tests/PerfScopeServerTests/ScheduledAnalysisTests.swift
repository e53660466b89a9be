import Foundation
import Logging
import PerfScopeCore
import PerfScopeServer
import Testing

/// The schedule loop with a fake clock: runs on time, a failed run is counted and the next one
/// still happens, a slow run skips missed slots instead of piling up.
@Suite struct ScheduledAnalysisTests {
    actor Runs {
        var runs: [Date] = []
        func record(_ end: Date) -> Int { runs.append(end); return runs.count }
    }

    @Test func runsOnTimeCountsFailuresAndSkipsMissedSlots() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = Runs()
        let box = NowBox(start)
        let metrics = ServerMetrics()
        let job = ScheduledAnalysis(schedule: .every(seconds: 3600)) { end in
            let n = await clock.record(end)
            if n == 1 { throw PerfScopeError.upstreamUnavailable("Prometheus down") }
            if n == 2 { box.advance(3 * 3600 + 60) }  // a run that outlasts three slots
            return ["run-\(n)"]
        }
        let task = Task {
            await job.loop(metrics: metrics, logger: Logger(label: "test"), now: { box.now }) { seconds in
                if await clock.runs.count >= 3 { throw CancellationError() }
                box.advance(seconds)
            }
        }
        await task.value
        let runs = await clock.runs
        #expect(runs == [start.addingTimeInterval(3600), start.addingTimeInterval(7200), start.addingTimeInterval(7200 + 3 * 3600 + 60 + 3600)])
        let text = metrics.registry.emitToString()
        #expect(text.contains(#"perfscope_scheduled_runs_total{outcome="error"} 1"#), "\(text)")
        #expect(text.contains(#"perfscope_scheduled_runs_total{outcome="ok"} 2"#))
        #expect(text.contains("perfscope_scheduled_next_run_timestamp_seconds"))
    }
}

/// A clock the run closure and the loop share (sync reads for `now`).
final class NowBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ date: Date) { value = date }
    var now: Date { lock.withLock { value } }
    func advance(_ seconds: Double) { lock.withLock { value = value.addingTimeInterval(seconds) } }
}
