import Foundation
import PerfScopeCore
import Testing

/// Real faults on the lab (scripts/lab fault …) and the diagnosis perfscope gives for them.
/// They change the cluster, so they run alone: `scripts/test` runs them in a second
/// `swift test` pass with PERFSCOPE_TEST_FAULTS=1, serialized, in this order (faults whose
/// effects outlast a short quiet period come last).
@Suite(.serialized, .enabled(if: FaultLab.enabled, "needs PERFSCOPE_TEST_FAULTS=1, the lab and the built binary"))
struct FaultLiveTests {
    /// A 10-minute window, healthy for its first nine minutes, with a slow disk on m2 in its last
    /// 40 seconds: the fault a window's mean averages away (issue 15). The first minutes are also
    /// the healthy-window check: light load alone gets no root cause. The machine's own I/O just
    /// before (the eval and fleet Prometheus, promtool writing blocks) slows every member's fsync
    /// for real, so the window starts after the previous minute's I/O has left the rate window.
    @Test func healthyWindowThenLateSlowDiskIsTheTopCauseWithItsStart() throws {
        FaultLab.quiet()
        let start = Date()
        try FaultLab.lab(["load", "put", "300"])
        Thread.sleep(forTimeInterval: 10)
        let healthy = try FaultLab.analyze(since: start)
        #expect(healthy.rootCauses.isEmpty, "healthy part: \(FaultLab.describe(healthy))")
        // Light load until 40 s before the end of the 10-minute window.
        while Date().timeIntervalSince(start) < 560 {
            try FaultLab.lab(["load", "put", "100"])
            Thread.sleep(forTimeInterval: 20)
        }
        let faultAt = Date()
        try FaultLab.lab(["fault", "slow-disk", "m2", "--delay-ms", "30"])
        defer { try? FaultLab.lab(["fault", "clear", "slow-disk"]) }
        while Date().timeIntervalSince(faultAt) < 40 { try FaultLab.lab(["load", "put", "200"]) }
        let report = try FaultLab.analyze(since: start)
        #expect(report.window.end.timeIntervalSince(report.window.start) >= 590, "a 10-minute window")
        let top = try #require(report.rootCauses.first, "\(FaultLab.describe(report))")
        #expect(top.category == .disk, "\(FaultLab.describe(report))")
        #expect(top.instances == ["127.0.0.1:22379"], "\(FaultLab.describe(report))")
        let began = try #require(top.start, "the cause says when it started")
        #expect(abs(began.timeIntervalSince(faultAt)) <= 45, "started \(began), fault injected at \(faultAt)")
    }

    /// After a quiet period: the previous test's slow disk stays in the 1-minute rate window for
    /// a minute after it is cleared, and perfscope rightly names it (CI, 2026-12-07).
    @Test func leaderChangesAreConsensus() throws {
        FaultLab.quiet()
        let start = Date()
        try FaultLab.lab(["fault", "leader", "--how", "move", "--count", "3"])
        Thread.sleep(forTimeInterval: 10)
        let report = try FaultLab.analyze(since: start)
        let top = try #require(report.rootCauses.first, "\(FaultLab.describe(report))")
        #expect(top.category == .consensus, "\(FaultLab.describe(report))")
        #expect(report.metrics.contains { $0.metric == "leader_changes" && $0.stats.increase >= 2 })
    }

    /// Large puts until the largest DB is at 85 % of the lab's 256 MiB quota, then delete and compact:
    /// the DB stays large on disk. It runs before the network and CPU faults, whose peer-RTT rise
    /// stays in the 5-minute RTT rate window after they end.
    @Test func dbGrowthNearQuotaIsDatabase() throws {
        FaultLab.quiet()
        let start = Date()
        try FaultLab.lab(["fault", "db-growth", "--mb", "240", "--until-pct", "85"])
        defer { try? FaultLab.lab(["fault", "clear", "db-growth"]) }
        Thread.sleep(forTimeInterval: 10)
        let report = try FaultLab.analyze(since: start)
        #expect(report.rootCauses.contains { $0.category == .database && $0.likelihood == .high }, "\(FaultLab.describe(report))")
        #expect(report.findings.contains { $0.id == "etcd.db_quota_usage.threshold" }, "\(FaultLab.describe(report))")
    }

    /// Peer traffic of m2 delayed by 50 ms (NFQUEUE): etcd 3.4 probes RTT a few times a minute,
    /// so the window is about 4.5 minutes.
    @Test func networkDelayAroundOneMemberIsNetworkThere() throws {
        FaultLab.quiet()
        let start = Date()
        try FaultLab.lab(["fault", "net-delay", "m2", "--delay-ms", "50"])
        defer { try? FaultLab.lab(["fault", "clear", "net-delay"]) }
        for _ in 0..<9 {
            try FaultLab.lab(["load", "put", "200"])
            Thread.sleep(forTimeInterval: 30)
        }
        let report = try FaultLab.analyze(since: start)
        let top = try #require(report.rootCauses.first, "\(FaultLab.describe(report))")
        #expect(top.category == .network, "\(FaultLab.describe(report))")
        #expect(top.instances == ["127.0.0.1:22379"], "\(FaultLab.describe(report))")
    }

    /// Two independent faults at once: a slow disk on m2 and a CPU quota on m3 (the confounder:
    /// a starved member's fsync histogram rises too, but its cause is CPU). Both are named, each
    /// on its own member, as the top two causes. Steady puts, not `load s`: etcdctl's check perf
    /// ramps the write rate (a load cause of its own) and defragments at its end (a real
    /// maintenance stall), which perfscope rightly names too.
    @Test func slowDiskAndCPUQuotaAtOnceAreBothNamed() throws {
        FaultLab.quiet()
        let start = Date()
        try FaultLab.lab(["fault", "slow-disk", "m2", "--delay-ms", "30"])
        defer { try? FaultLab.lab(["fault", "clear", "slow-disk"]) }
        try FaultLab.lab(["fault", "cpu", "m3", "--quota-pct", "3"])
        defer { try? FaultLab.lab(["fault", "clear", "cpu"]) }
        while Date().timeIntervalSince(start) < 75 { try FaultLab.lab(["load", "put", "200"]) }
        let report = try FaultLab.analyze(since: start)
        let top2 = report.rootCauses.prefix(2)
        #expect(top2.contains { $0.category == .disk && $0.instances == ["127.0.0.1:22379"] }, "\(FaultLab.describe(report))")
        #expect(top2.contains { $0.category == .cpu && $0.instances == ["127.0.0.1:32379"] }, "\(FaultLab.describe(report))")
        let wal = report.metrics.first { $0.metric == "wal_fsync_p99" && $0.instance == "127.0.0.1:32379" }
        #expect((wal?.stats.max ?? 0) > 0.01, "the starved member's fsync histogram rises too")
    }

    /// stress-ng on every CPU (twice over): the USE review shows CPU saturation, not just a busy CPU.
    /// The window starts a minute into the load, so the 1-minute rates cover only loaded time.
    /// No quiet period first: the USE table judges the host's CPU, which the previous fault's
    /// peer round-trips or fsyncs do not touch, and the window starts a minute into the load.
    @Test func cpuLoadIsCPUSaturationInTheUSETable() throws {
        let start = Date()
        // Children of the test runner inherit its blocked signal mask (SIGALRM, SIGTERM blocked):
        // stress-ng would then ignore its own --timeout and terminate(). Clear the mask before exec.
        let stress = Process()
        stress.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        stress.arguments = ["python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])",
                            "/usr/bin/stress-ng", "--cpu", String(cpus * 2), "--timeout", "120s", "--quiet"]
        try stress.run()
        defer { if stress.isRunning { stress.terminate() } }
        Thread.sleep(forTimeInterval: 105)
        let r = try CLIRunner.run(["use", "--prometheus", FaultLab.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? "",
                                   "--start", String(Int(start.timeIntervalSince1970) + 60), "--end", String(Int(Date().timeIntervalSince1970)),
                                   "--rate-window", "1m", "--format", "json"])
        stress.terminate()
        stress.waitUntilExit()
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8))
        let saturation = try #require(report.findings.first { $0.id == "use.cpu.saturation" }, "\(FaultLab.describe(report))")
        #expect(saturation.severity >= .medium && saturation.instances == ["127.0.0.1:9100"])
        #expect(saturation.evidence.contains { $0.metric == "load_per_cpu" || $0.metric == "psi_cpu" })
        let host = try #require(report.hosts.first)
        let utilisation = host.checks(.cpu, .utilisation).first { $0.metric == "cpu_utilisation" }?.value ?? 0
        // Busy time excludes steal and iowait, which a loaded VM also shows: "high", not "100 %".
        #expect(utilisation >= 0.7, "\(host.checks(.cpu, .utilisation))")
    }
}

enum FaultLab {
    static let environment = ProcessInfo.processInfo.environment
    static var enabled: Bool { environment["PERFSCOPE_TEST_FAULTS"] == "1" && environment["PERFSCOPE_TEST_PROMETHEUS"] != nil && CLIRunner.available }
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `scripts/lab ARGS`, failing the test with its output when it fails.
    static func lab(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = root.appendingPathComponent("scripts/lab")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Issue.record("scripts/lab \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text.suffix(1500))")
        }
    }

    /// `perfscope analyze` over [since, now] with a 1m rate window (the lab scrapes every 5 s).
    static func analyze(since start: Date) throws -> Report {
        let r = try CLIRunner.run(["analyze", "--prometheus", environment["PERFSCOPE_TEST_PROMETHEUS"] ?? "",
                                   "--start", String(Int(start.timeIntervalSince1970)), "--end", String(Int(Date().timeIntervalSince1970)),
                                   "--rate-window", "1m", "--format", "json"])
        guard r.status == 0 else {
            Issue.record("analyze exited \(r.status): \(r.stderr)")
            throw CancellationError()
        }
        return try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8))
    }

    /// Waits until the previous fault is out of the 1-minute rate window.
    static func quiet() { Thread.sleep(forTimeInterval: 65) }

    static func describe(_ r: Report) -> String {
        "causes: " + r.rootCauses.map { "\($0.category.rawValue) \($0.instances) \($0.likelihood.rawValue) \($0.confidence) from \($0.start.map(TimeWindow.format) ?? "-") (\($0.summary.prefix(300)))" }.joined(separator: "; ")
            + " | symptoms: " + (r.symptoms ?? []).map { "\($0.kind) \($0.instance ?? "-") \($0.start.map(TimeWindow.format) ?? "-")" }.joined(separator: "; ")
            + " | findings: " + r.findings.map { "\($0.id) \($0.severity.rawValue) \($0.instances)" }.joined(separator: "; ")
    }
}
