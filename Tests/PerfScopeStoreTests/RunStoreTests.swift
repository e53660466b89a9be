import Foundation
import PerfScopeCore
import PerfScopeStore
import Testing

/// The same behaviour from both backends: every test runs on SQLite and, when a server is
/// available, on PostgreSQL.
@Suite struct RunStoreTests {
    @Test(arguments: Backend.available)
    func saveThenGetReturnsTheSameReport(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            var report = Fixture.report(id: "20261129T100000Z-abc123")
            report.metrics.append(Fixture.metric("odd", "i", .nan))  // NaN survives as in the JSON report
            try await t.store.save(report, cluster: "prod")
            let back = try await t.store.get(report.id)
            #expect(back.id == report.id)
            #expect(back.findings == report.findings)
            #expect(back.metrics.count == report.metrics.count)
            #expect(back.metrics.last?.stats.avg.isNaN == true)
            report.metrics.removeLast()
            try await t.store.save(Fixture.report(id: "exact"), cluster: "prod")
            #expect(try await t.store.get("exact") == Fixture.report(id: "exact"))

            let summary = try await t.store.summary(report.id)
            #expect(summary.cluster == "prod")
            #expect(summary.grade == .fair)
            #expect(summary.createdAt == Fixture.t0)
            #expect(summary.windowStart == Fixture.t0.addingTimeInterval(-3600))
            #expect(summary.healthScores["disk"] == 70)
            #expect(summary.findingCounts["medium"] == 1 && summary.findingCounts["info"] == 1)
            #expect(summary.topRootCause == "disk")
            #expect(summary.source == "http://127.0.0.1:9090")

            // A run is stored once; the failed second save leaves nothing half-written.
            await #expect(throws: StoreError.duplicateRun(report.id)) { try await t.store.save(Fixture.report(id: report.id), cluster: "prod") }
            #expect(try await t.store.count(cluster: nil) == 2)
            #expect(try await t.store.metricSummaries(run: report.id).count == 5)
            await #expect(throws: StoreError.runNotFound("nope")) { try await t.store.get("nope") }
        }
    }

    @Test(arguments: Backend.available)
    func listFiltersByWindowAndClusterNewestFirst(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for i in 0..<6 {
                try await t.store.save(Fixture.report(id: "r\(i)", offset: Double(i) * 3600), cluster: i % 2 == 0 ? "a" : "b")
            }
            #expect(try await t.store.list(RunQuery()).map(\.id) == ["r5", "r4", "r3", "r2", "r1", "r0"])
            #expect(try await t.store.list(RunQuery(cluster: "a")).map(\.id) == ["r4", "r2", "r0"])
            #expect(try await t.store.list(RunQuery(limit: 2)).map(\.id) == ["r5", "r4"])
            let window = RunQuery(since: Fixture.t0.addingTimeInterval(3600), until: Fixture.t0.addingTimeInterval(3 * 3600))
            #expect(try await t.store.list(window).map(\.id) == ["r3", "r2", "r1"])
            var both = window
            both.cluster = "b"
            both.limit = 1
            #expect(try await t.store.list(both).map(\.id) == ["r3"])
            #expect(try await t.store.count(cluster: "b") == 3)
            #expect(try await t.store.list(RunQuery(cluster: "none")).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func findingsRootCausesAndMetricsAreRowsNotJustJSON(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let report = Fixture.report(id: "rows")
            try await t.store.save(report, cluster: "prod")
            let findings = try await t.store.findings(run: "rows")
            #expect(findings.map(\.id) == ["etcd.wal_fsync.p99_high", "workload.etcd.requests"])
            #expect(findings[0].severity == .medium && findings[0].category == .disk && findings[0].methodology == .threshold)
            #expect(findings[1].instances == ["a", "b"])
            #expect(findings[0].title == "Title of etcd.wal_fsync.p99_high")
            let causes = try await t.store.rootCauses(run: "rows")
            #expect(causes == [StoredRootCause(runID: "rows", rank: 1, category: .disk, instances: ["127.0.0.1:2379"], likelihood: .high,
                                               confidence: 0.85, summary: "slow disk on member 1", findingIDs: ["etcd.wal_fsync.p99_high"])])
            let metrics = try await t.store.metricSummaries(run: "rows")
            #expect(metrics.count == 4)
            let disk = try #require(metrics.first { $0.metric == "disk_utilisation" })
            #expect(disk.labels == ["device": "sda,1"] && disk.unit == .ratio && disk.subsystem == "disk")
            let wal = try #require(metrics.first { $0.metric == "wal_fsync_p99" && $0.instance == "127.0.0.1:2379" })
            let stats = Fixture.stats(0.004)
            #expect(wal.avg == stats.avg && wal.max == stats.max && wal.last == stats.last && wal.p95 == stats.p95 && wal.min == stats.min)
        }
    }

    @Test(arguments: Backend.available)
    func baselineAndCompareFlagRegressions(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            try await t.store.save(Fixture.report(id: "base", offset: 0, wal: 0.004, cpu: 0.3), cluster: "prod")
            try await t.store.save(Fixture.report(id: "slow", offset: 3600, wal: 0.03, cpu: 0.31,
                                                  findings: [Fixture.finding("etcd.wal_fsync.p99_high", .high), Fixture.finding("new.one", .low)]),
                                   cluster: "prod")
            await #expect(throws: StoreError.noBaseline(cluster: "prod")) { try await t.store.compare("slow") }
            #expect(try await t.store.baseline(cluster: "prod") == nil)

            let set = try await t.store.setBaseline("base")
            #expect(set.isBaseline && set.cluster == "prod")
            #expect(try await t.store.baseline(cluster: "prod")?.id == "base")
            #expect(try await t.store.list(RunQuery()).first { $0.id == "base" }?.isBaseline == true)

            let c = try await t.store.compare("slow")
            #expect(c.baselineID == "base" && c.runID == "slow")
            #expect(c.regressions == 1)
            let wal = try #require(c.deltas.first)
            #expect(wal.metric == "wal_fsync_p99" && wal.instance == "127.0.0.1:2379" && wal.verdict == .regression)
            #expect(wal.severityBefore == nil && wal.severityAfter == .medium)
            #expect(abs(wal.absolute - 0.026) < 1e-9 && abs((wal.relative ?? 0) - 6.5) < 1e-9)
            #expect(c.unchanged == 3)
            #expect(c.newFindings == ["new.one"])
            #expect(c.resolvedFindings.isEmpty)

            // An explicit --baseline wins over the cluster's.
            let reverse = try await t.store.compare("base", baseline: "slow")
            #expect(reverse.improvements == 1 && reverse.regressions == 0)

            // The automatic comparison of analyze: flagged deltas only.
            let auto = try #require(try await t.store.compareWithBaseline(Fixture.report(id: "next", wal: 0.2), cluster: "prod"))
            #expect(auto.deltas.count == 1 && auto.deltas[0].severityAfter == .critical && auto.unchanged == 3)
            #expect(try await t.store.compareWithBaseline(Fixture.report(id: "x"), cluster: "other") == nil)

            // Setting another run replaces the cluster's baseline; each cluster has its own.
            try await t.store.save(Fixture.report(id: "staging-1"), cluster: "staging")
            try await t.store.setBaseline("slow")
            try await t.store.setBaseline("staging-1")
            #expect(try await t.store.baselines().map(\.id) == ["slow", "staging-1"])
            await #expect(throws: StoreError.runNotFound("ghost")) { try await t.store.setBaseline("ghost") }
        }
    }

    @Test(arguments: Backend.available)
    func trendReturnsValuesAcrossRunsOldestFirst(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for (i, wal) in [0.004, 0.006, 0.009, 0.012].enumerated() {
                try await t.store.save(Fixture.report(id: "t\(i)", offset: Double(i) * 86_400, wal: wal), cluster: i == 3 ? "other" : "prod")
            }
            let one = try await t.store.trend(TrendQuery(metric: "wal_fsync_p99", instance: "127.0.0.1:2379"))
            #expect(one.map(\.runID) == ["t0", "t1", "t2", "t3"])
            #expect(one.map(\.avg) == [0.004, 0.006, 0.009, 0.012].map { Fixture.stats($0).avg })
            let all = try await t.store.trend(TrendQuery(metric: "wal_fsync_p99"))
            #expect(all.count == 8)
            let trend = Trend(metric: "wal_fsync_p99", statistic: .avg, points: all)
            #expect(trend.series.map(\.name) == ["127.0.0.1:22379", "127.0.0.1:2379"])
            #expect(trend.series[1].points.map(\.runID) == ["t0", "t1", "t2", "t3"])
            let prod = try await t.store.trend(TrendQuery(metric: "wal_fsync_p99", instance: "127.0.0.1:2379", cluster: "prod"))
            #expect(prod.map(\.runID) == ["t0", "t1", "t2"])
            let window = try await t.store.trend(TrendQuery(metric: "wal_fsync_p99", instance: "127.0.0.1:2379",
                                                            since: Fixture.t0.addingTimeInterval(86_400), until: Fixture.t0.addingTimeInterval(2 * 86_400)))
            #expect(window.map(\.runID) == ["t1", "t2"])
            #expect(try await t.store.trend(TrendQuery(metric: "no_such_metric")).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func pruneDeletesOldRunsWithTheirRowsButKeepsBaselines(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for i in 0..<5 { try await t.store.save(Fixture.report(id: "p\(i)", offset: Double(i) * 86_400), cluster: "prod") }
            try await t.store.setBaseline("p0")
            let pruned = try await t.store.prune(olderThan: Fixture.t0.addingTimeInterval(3 * 86_400))
            #expect(pruned == 2)  // p1, p2 (p0 is the baseline)
            #expect(try await t.store.list(RunQuery()).map(\.id) == ["p4", "p3", "p0"])
            #expect(try await t.store.findings(run: "p1").isEmpty)
            #expect(try await t.store.metricSummaries(run: "p2").isEmpty)
            #expect(try await t.store.rootCauses(run: "p1").isEmpty)
            #expect(try await t.store.trend(TrendQuery(metric: "cpu_utilisation")).map(\.runID) == ["p0", "p3", "p4"])
            #expect(try await t.store.prune(olderThan: Fixture.t0) == 0)
        }
    }

    @Test(arguments: Backend.available)
    func exportJSONIsTheReportAndCSVHasOneRowPerSeries(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let report = Fixture.report(id: "exp-1")
            try await t.store.save(report, cluster: "prod")
            let json = try await t.store.export("exp-1", format: .json)
            #expect(try JSONRendering.decoder().decode(Report.self, from: Data(json.utf8)) == report)
            #expect(json == (try ReportFormat.json.render(report)))
            let csv = try await t.store.export("exp", format: .csv)
            let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "run_id,cluster,generated_at,subsystem,metric,instance,labels,unit,avg,max,min,last,p95,points")
            #expect(lines.count == 1 + report.metrics.count)
            #expect(lines[1].hasPrefix("exp-1,prod,2026-09-21T"))
            #expect(lines.contains { $0.contains(#","device=sda,1","#) })  // a comma in a label value is quoted
        }
    }

    @Test(arguments: Backend.available)
    func runReferencesResolveExactPrefixAndLatest(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            await #expect(throws: StoreError.self) { try await t.store.resolveRunID("latest") }
            try await t.store.save(Fixture.report(id: "20261129T100000Z-aaaaaa", offset: 0), cluster: "c")
            try await t.store.save(Fixture.report(id: "20261129T110000Z-bbbbbb", offset: 60), cluster: "c")
            try await t.store.save(Fixture.report(id: "x_%", offset: 120), cluster: "c")
            #expect(try await t.store.resolveRunID("latest") == "x_%")
            #expect(try await t.store.resolveRunID("20261129T10") == "20261129T100000Z-aaaaaa")
            #expect(try await t.store.resolveRunID("20261129T110000Z-bbbbbb") == "20261129T110000Z-bbbbbb")
            await #expect(throws: StoreError.ambiguousRun("20261129T1")) { try await t.store.resolveRunID("20261129T1") }
            await #expect(throws: StoreError.runNotFound("2025")) { try await t.store.resolveRunID("2025") }
            // LIKE wildcards in a prefix are literal.
            await #expect(throws: StoreError.runNotFound("%")) { try await t.store.resolveRunID("%") }
            #expect(try await t.store.resolveRunID("x_") == "x_%")
        }
    }

    @Test(arguments: Backend.available)
    func concurrentWritersLoseNothing(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            // Separate stores = separate connection pools, as separate processes would have.
            let writers = 4, perWriter = 15
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        let store = try await t.reopen()
                        for i in 0..<perWriter {
                            try await store.save(Fixture.report(id: "w\(w)-\(i)", offset: Double(i)), cluster: "w\(w)")
                        }
                        await store.close()
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await t.store.count(cluster: nil) == writers * perWriter)
            for w in 0..<writers { #expect(try await t.store.count(cluster: "w\(w)") == perWriter) }
            #expect(try await t.store.trend(TrendQuery(metric: "cpu_utilisation")).count == writers * perWriter)
        }
    }

    @Test(arguments: Backend.available)
    func aNewerSchemaIsRefusedWithAClearMessage(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let sql = try #require(t.store as? any SQLRunStore)
            _ = try await sql.executeInTransaction([SQLStatement("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)")])
            do {
                _ = try await t.reopen()
                Issue.record("expected newerSchema")
            } catch let error as StoreError {
                #expect(error.message.contains("schema version 99"))
                #expect(error.message.contains("upgrade perfscope"))
            }
        }
    }
}
