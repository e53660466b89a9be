import ArgumentParser
import Foundation
import PerfScopeCore
import PerfScopeStore

extension Dev {
    /// `perfscope dev store-stress`: writes synthetic runs into a history store, for the
    /// concurrency and crash-safety tests (several processes on one file; SIGKILL mid-loop) and
    /// for measuring insert and list times.
    struct StoreStress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store-stress", abstract: "Write synthetic runs into a history store and time it.")

        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: "Runs to write.") var runs = 100
        @Option(name: .long, help: "Metric series per run.") var metrics = 100
        @Option(name: .long, help: "Findings per run.") var findings = 5
        @Option(name: .long, help: "Cluster name.") var cluster = "stress"
        @Option(name: .long, help: "Writers in this process (tasks).") var concurrency = 1
        @Option(name: .long, help: "Spread run times over this many days before now.") var days = 30.0
        @Flag(name: .long, help: "Print `committed N` after each committed run.") var progress = false
        @Option(name: .long, help: "A JSON report (analyze --format json) to store copies of, instead of synthetic ones.") var template: String?

        func validate() throws {
            if runs < 0 || metrics < 0 || findings < 0 || concurrency < 1 { throw ValidationError("counts must be ≥ 0 and --concurrency ≥ 1") }
        }

        func run() async throws {
            let model = try template.map { path -> Report in
                guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
                return try JSONRendering.decoder().decode(Report.self, from: data)
            }
            let store = try await self.store.open()
            let clock = ContinuousClock()
            let now = Date()
            let spacing = runs > 0 ? days * 86_400 / Double(runs) : 0
            let writers = min(concurrency, max(1, runs))
            let started = clock.now
            do {
                let counter = Counter()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for w in 0..<writers {
                        group.addTask {
                            for i in stride(from: w, to: runs, by: writers) {
                                let at = now.addingTimeInterval(-Double(runs - i) * spacing)
                                let report = model.map { SyntheticReport.copy($0, at: at) }
                                    ?? SyntheticReport.make(index: i, at: at, metrics: metrics, findings: findings)
                                try await store.save(report, cluster: cluster)
                                let n = counter.increment()
                                if progress { print("committed \(n)") }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            } catch {
                await store.close()
                throw error
            }
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let total = try await store.count(cluster: nil)
            await store.close()
            print(String(format: "stored %d runs (%d series, %d findings each) in %.2f s: %.2f ms per run, %d writer(s); the store holds %d runs",
                         runs, model?.metrics.count ?? metrics, model?.findings.count ?? findings, seconds,
                         runs > 0 ? seconds * 1000 / Double(runs) : 0, writers, total))
        }
    }
}

/// A thread-safe count of committed runs.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// Reports shaped like `analyze`'s (metrics, findings, root causes, thresholds) with made-up values.
enum SyntheticReport {
    static let shapes: [(name: String, subsystem: String, unit: MetricUnit, base: Double)] = [
        ("wal_fsync_p99", "wal-fsync", .seconds, 0.004), ("backend_commit_p99", "backend-commit", .seconds, 0.012),
        ("peer_rtt_p99", "network", .seconds, 0.002), ("cpu_utilisation", "node", .ratio, 0.35),
        ("disk_utilisation", "disk", .ratio, 0.2), ("db_size_bytes", "db", .bytes, 3e8),
        ("proposals_committed_rate", "general", .perSecond, 120), ("memory_utilisation", "node", .ratio, 0.5),
    ]

    /// `report` with a fresh id, generated at `date` (its window moved along).
    static func copy(_ report: Report, at date: Date) -> Report {
        var r = report
        let shift = date.timeIntervalSince(report.generatedAt)
        r.id = "stress-\(UUID().uuidString.lowercased())"
        r.generatedAt = date
        r.window = .init(start: report.window.start.addingTimeInterval(shift), end: report.window.end.addingTimeInterval(shift))
        return r
    }

    static func make(index: Int, at date: Date, metrics: Int, findings: Int) -> Report {
        var rng = SplitMix(seed: UInt64(index) &+ 0x9E37_79B9)
        let summaries = (0..<metrics).map { i -> MetricSummary in
            let shape = shapes[i % shapes.count]
            let value = shape.base * (0.7 + 0.6 * rng.unit())
            let stats = WindowStatistics(values: (0..<8).map { _ in value * (0.8 + 0.4 * rng.unit()) })!
            return MetricSummary(metric: shape.name, subsystem: shape.subsystem, instance: "10.0.\(i / shapes.count / 250).\(i / shapes.count % 250 + 1):2379",
                                 labels: shape.name == "disk_utilisation" ? ["device": "nvme0n1"] : [:], unit: shape.unit, stats: stats,
                                 query: "synthetic \(shape.name)")
        }
        let severities: [Severity] = [.high, .medium, .low, .info]
        let found = (0..<findings).map { i in
            Finding(id: "synthetic.rule_\(i)", title: "Synthetic finding \(i)", severity: severities[i % severities.count],
                    category: .disk, methodology: .threshold, instances: ["10.0.0.1:2379"], observation: "synthetic",
                    evidence: [Evidence(metric: "wal_fsync_p99", value: 12, threshold: 10, unit: "ms", instance: "10.0.0.1:2379", query: "synthetic")],
                    rootCause: "synthetic", confidence: 0.8, immediateAction: "none", investigationSteps: ["none"],
                    longTermFix: "none", relatedMetrics: [], reference: "none")
        }
        let causes = findings > 0 && index % 3 == 0
            ? [RootCause(category: .disk, instances: ["10.0.0.1:2379"], summary: "synthetic slow disk", likelihood: .medium, confidence: 0.7, findingIds: [found[0].id])]
            : []
        let id = "stress-\(UUID().uuidString.lowercased())"
        return Report(id: id, generatedAt: date, window: .init(start: date.addingTimeInterval(-3600), end: date),
                      grade: causes.isEmpty ? .good : .fair,
                      healthScores: ["disk": 80, "network": 100, "cpu": 95, "memory": 100, "consensus": 100, "database": 100],
                      findings: found, rootCauses: causes, recommendations: [], dataGaps: [], source: "synthetic",
                      metrics: summaries, thresholds: ["wal_fsync_p99": Thresholds(direction: .above, low: 0.01, medium: 0.025, high: 0.05, critical: 0.1)])
    }
}

/// A tiny deterministic generator, so synthetic runs are reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
