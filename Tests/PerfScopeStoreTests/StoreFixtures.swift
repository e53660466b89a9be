import Foundation
import PerfScopeCore
import PerfScopeStore
import Testing

/// The backends every store test runs against: SQLite always, PostgreSQL when
/// `PERFSCOPE_TEST_POSTGRES_URL` is set (scripts/test starts one on 127.0.0.1:55432).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PERFSCOPE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A fresh, empty store per test: a temp SQLite file, or a PostgreSQL schema of its own so
/// parallel tests never see each other's rows. Removed afterwards.
struct TestStore {
    let backend: Backend
    let store: any RunStore
    let sqlitePath: String?
    let schema: String?

    static func scratchPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-store-\(UUID().uuidString)/history.sqlite").path
    }

    static func postgresURL(schema: String) throws -> PostgresURL {
        var url = try PostgresURL(try #require(Backend.postgresURL))
        url.schema = schema
        return url
    }

    static func open(_ backend: Backend, migrateTo version: Int? = nil) async throws -> TestStore {
        switch backend {
        case .sqlite:
            let path = scratchPath()
            return TestStore(backend: backend, store: try SQLiteRunStore(path: path, migrateTo: version), sqlitePath: path, schema: nil)
        case .postgres:
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            let store = try await PostgresRunStore.open(try postgresURL(schema: String(schema)), migrateTo: version)
            return TestStore(backend: backend, store: store, sqlitePath: nil, schema: String(schema))
        }
    }

    /// Another connection to the same database (a second process would open one like this).
    func reopen(migrateTo version: Int? = nil) async throws -> any RunStore {
        if let sqlitePath { return try SQLiteRunStore(path: sqlitePath, migrateTo: version) }
        return try await PostgresRunStore.open(try Self.postgresURL(schema: try #require(schema)), migrateTo: version)
    }

    func cleanUp() async {
        if let pg = store as? PostgresRunStore { try? await pg.dropSchema() }
        await store.close()
        if let sqlitePath { try? FileManager.default.removeItem(atPath: (sqlitePath as NSString).deletingLastPathComponent) }
    }

    static func with(_ backend: Backend, migrateTo version: Int? = nil, _ body: (TestStore) async throws -> Void) async throws {
        let t = try await open(backend, migrateTo: version)
        do {
            try await body(t)
        } catch {
            await t.cleanUp()
            throw error
        }
        await t.cleanUp()
    }
}

/// Reports with whole-second dates (the JSON report keeps milliseconds) and chosen values.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static let walThresholds = Thresholds(direction: .above, low: 0.01, medium: 0.025, high: 0.05, critical: 0.1)

    static func stats(_ value: Double) -> WindowStatistics {
        guard value.isFinite else {
            var s = WindowStatistics(values: [1])!
            (s.avg, s.max, s.min, s.last, s.p95) = (value, value, value, value, value)
            return s
        }
        return WindowStatistics(values: [value * 0.9, value, value * 1.1, value])!
    }

    static func metric(_ name: String, _ instance: String, _ value: Double, unit: MetricUnit = .seconds,
                       labels: [String: String] = [:], subsystem: String = "wal-fsync") -> MetricSummary {
        MetricSummary(metric: name, subsystem: subsystem, instance: instance, labels: labels, unit: unit, stats: stats(value),
                      query: "histogram_quantile(0.99, sum by (instance, le) (rate(\(name)[5m])))")
    }

    static func finding(_ id: String, _ severity: Severity, instances: [String] = ["127.0.0.1:2379"]) -> Finding {
        Finding(id: id, title: "Title of \(id)", severity: severity, category: .disk, methodology: .threshold,
                instances: instances, observation: "observed", evidence: [
                    Evidence(metric: "wal_fsync_p99", value: 34.2, threshold: 10, unit: "ms", instance: instances.first, query: "q"),
                ], rootCause: "slow disk", confidence: 0.8, immediateAction: "check the disk", investigationSteps: ["iostat -xz 1"],
                longTermFix: "faster disk", relatedMetrics: ["disk_utilisation"], reference: "etcd docs")
    }

    /// A run at `t0 + offset` with WAL fsync `wal` on member 1 and fixed values elsewhere.
    static func report(id: String = "run-\(UUID().uuidString.lowercased().prefix(8))", offset: TimeInterval = 0, wal: Double = 0.004,
                       cpu: Double = 0.3, findings: [Finding]? = nil, rootCauses: [RootCause]? = nil) -> Report {
        let at = t0.addingTimeInterval(offset)
        let found = findings ?? [finding("etcd.wal_fsync.p99_high", .medium), finding("workload.etcd.requests", .info, instances: ["a", "b"])]
        let causes = rootCauses ?? [RootCause(category: .disk, instances: ["127.0.0.1:2379"], summary: "slow disk on member 1",
                                              likelihood: .high, confidence: 0.85, findingIds: ["etcd.wal_fsync.p99_high"])]
        var r = Report(
            id: id, generatedAt: at, window: .init(start: at.addingTimeInterval(-3600), end: at), grade: .fair,
            healthScores: ["disk": 70, "network": 100, "cpu": 95, "memory": 100, "consensus": 100, "database": 90],
            findings: found, rootCauses: causes,
            recommendations: [Recommendation(priority: .high, category: "disk", recommendation: "move the WAL", rationale: "fsync")],
            dataGaps: [DataGap(subsystem: "network", reason: "no NIC series")], source: "http://127.0.0.1:9090",
            metrics: [
                metric("wal_fsync_p99", "127.0.0.1:2379", wal),
                metric("wal_fsync_p99", "127.0.0.1:22379", 0.003),
                metric("cpu_utilisation", "127.0.0.1:9100", cpu, unit: .ratio, subsystem: "node"),
                metric("disk_utilisation", "127.0.0.1:9100", 0.2, unit: .ratio, labels: ["device": "sda,1"], subsystem: "disk"),
            ],
            charts: [], thresholds: ["wal_fsync_p99": walThresholds, "cpu_utilisation": Thresholds(direction: .above, medium: 0.8, high: 0.9)])
        r.hosts = []
        return r
    }
}
