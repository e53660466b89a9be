import Foundation
import PerfScopeCore
import Testing

/// A throwaway history database for one test.
struct ScratchDB {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-history-\(UUID().uuidString)")
    var path: String { dir.appendingPathComponent("history.sqlite").path }
    func remove() { try? FileManager.default.removeItem(at: dir) }
}

/// `perfscope history …` on the built binary, with runs written by `perfscope dev store-stress`.
@Suite(.enabled(if: CLIRunner.available, "needs the built binary"))
struct HistoryCLITests {
    @Test func listShowCompareTrendExportPruneOnStoredRuns() throws {
        let db = ScratchDB()
        defer { db.remove() }
        let stress = try CLIRunner.run(["dev", "store-stress", "--db", db.path, "--runs", "12", "--metrics", "24", "--cluster", "lab"])
        #expect(stress.status == 0, "\(stress.stderr)")
        #expect(stress.stdout.contains("stored 12 runs"))

        let list = try CLIRunner.run(["history", "list", "--db", db.path, "--limit", "5"])
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 6)  // header + 5
        #expect(lines.first?.hasPrefix("run ") == true)

        let json = try CLIRunner.run(["history", "list", "--db", db.path, "--limit", "0", "--cluster", "lab", "--format", "json"])
        let runs = try JSONRendering.decoder().decode([RunSummary].self, from: Data(json.stdout.utf8))
        #expect(runs.count == 12)
        #expect(runs.map(\.createdAt) == runs.map(\.createdAt).sorted(by: >))
        let window = try CLIRunner.run(["history", "list", "--db", db.path, "--duration", "6d", "--format", "json"])
        #expect(try JSONRendering.decoder().decode([RunSummary].self, from: Data(window.stdout.utf8)).count == 2)  // 30 days / 12 runs

        let oldest = try #require(runs.last?.id), newest = try #require(runs.first?.id)
        let show = try CLIRunner.run(["history", "show", "--db", db.path, "latest", "--format", "json"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(try JSONRendering.decoder().decode(Report.self, from: Data(show.stdout.utf8)).id == newest)
        let html = try CLIRunner.run(["history", "show", "--db", db.path, String(newest.prefix(20)), "--format", "html"])
        #expect(html.stdout.hasPrefix("<!doctype html>"))

        let noBaseline = try CLIRunner.run(["history", "compare", "--db", db.path, "latest"])
        #expect(noBaseline.status == 1)
        #expect(noBaseline.stderr.contains("no baseline for cluster lab"))

        let set = try CLIRunner.run(["history", "baseline", "set", "--db", db.path, oldest])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("baseline of cluster lab is now \(oldest)"))
        let shown = try CLIRunner.run(["history", "baseline", "show", "--db", db.path, "--cluster", "lab", "--format", "json"])
        #expect(try JSONRendering.decoder().decode([RunSummary].self, from: Data(shown.stdout.utf8)).map(\.id) == [oldest])

        let compare = try CLIRunner.run(["history", "compare", "--db", db.path, "latest", "--all"])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("vs baseline \(oldest)"))
        #expect(compare.stdout.contains("wal_fsync_p99"))
        let compareJSON = try CLIRunner.run(["history", "compare", "--db", db.path, "latest", "--baseline", oldest, "--format", "json"])
        let comparison = try JSONRendering.decoder().decode(BaselineComparison.self, from: Data(compareJSON.stdout.utf8))
        #expect(comparison.baselineID == oldest && comparison.runID == newest)
        #expect(comparison.regressions + comparison.improvements + comparison.unchanged == 24)

        let trend = try CLIRunner.run(["history", "trend", "--db", db.path, "wal_fsync_p99", "--instance", "10.0.0.1:2379"])
        #expect(trend.status == 0, "\(trend.stderr)")
        #expect(trend.stdout.contains("10.0.0.1:2379"))
        #expect(trend.stdout.unicodeScalars.contains { (0x2581...0x2588).contains($0.value) }, "a sparkline")
        let trendHTML = try CLIRunner.run(["history", "trend", "--db", db.path, "wal_fsync_p99", "--format", "html"])
        #expect(trendHTML.stdout.contains("<svg"))
        let trendJSON = try CLIRunner.run(["history", "trend", "--db", db.path, "cpu_utilisation", "--format", "json", "--stat", "max", "--duration", "31d"])
        let decoded = try JSONRendering.decoder().decode(Trend.self, from: Data(trendJSON.stdout.utf8))
        #expect(decoded.statistic == .max && decoded.series.first?.points.count == 12)

        let csv = try CLIRunner.run(["history", "export", "--db", db.path, newest, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("run_id,cluster,generated_at,subsystem,metric,instance,labels,unit,avg,max,min,last,p95,points\r\n"))
        #expect(csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 25)
        let exported = try CLIRunner.run(["history", "export", "--db", db.path, newest, "--format", "json"])
        #expect(exported.stdout == show.stdout)

        let prune = try CLIRunner.run(["history", "prune", "--db", db.path, "--older-than", "11d"])
        #expect(prune.status == 0, "\(prune.stderr)")
        #expect(prune.stdout.contains("pruned 7 runs"))  // runs 1…7 of 12 over 30 days; run 0 is the baseline
        let after = try CLIRunner.run(["history", "list", "--db", db.path, "--limit", "0", "--format", "json"])
        let left = try JSONRendering.decoder().decode([RunSummary].self, from: Data(after.stdout.utf8))
        #expect(left.count == 5 && left.contains { $0.id == oldest && $0.isBaseline })
    }

    @Test(arguments: [
        (["history", "list", "--db", "/proc/perfscope-nope/history.sqlite"], Int32(2), "cannot open the history database at /proc/perfscope-nope/history.sqlite"),
        (["history", "list", "--db", "postgres://u:topsecret@127.0.0.1/db?sslmode=nope"], 2, "invalid history database"),
        (["history", "list", "--db", "mysql://u:topsecret@h/db"], 2, "unknown scheme"),
        (["history", "list", "--db", "postgres://u:topsecret@127.0.0.1:1/db?sslmode=disable&connect_timeout=1"], 1, "cannot reach PostgreSQL"),
        (["history", "prune", "--older-than", "10x"], 2, "--older-than"),
        (["history", "list", "--limit", "-1"], 2, "--limit"),
        (["history", "trend", "wal_fsync_p99", "--stat", "p99"], 2, "--stat"),
        (["history", "compare", "x", "--relative", "lots"], 2, "--relative"),
    ] as [([String], Int32, String)])
    func badInputIsOneLine(arguments: [String], status: Int32, text: String) throws {
        let db = ScratchDB()
        defer { db.remove() }
        let r = try CLIRunner.run(arguments, environment: ["PERFSCOPE_DB": db.path])
        #expect(r.status == status, "\(r.stderr)")
        #expect(r.stderr.contains(text), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("topsecret"))
    }

    @Test func anUnknownRunIsNotFound() throws {
        let db = ScratchDB()
        defer { db.remove() }
        let r = try CLIRunner.run(["history", "show", "--db", db.path, "nope"])
        #expect(r.status == 1)
        #expect(r.stderr == "perfscope: error: no stored run nope: perfscope history list shows the stored runs\n")
    }

    @Test func theEnvironmentPicksTheDatabase() throws {
        let db = ScratchDB()
        defer { db.remove() }
        _ = try CLIRunner.run(["dev", "store-stress", "--db", db.path, "--runs", "3", "--metrics", "4"])
        let r = try CLIRunner.run(["history", "list", "--format", "json"], environment: ["PERFSCOPE_DB": db.path])
        #expect(try JSONRendering.decoder().decode([RunSummary].self, from: Data(r.stdout.utf8)).count == 3)
        // With neither, the XDG default is used (and its directory created).
        let xdg = db.dir.appendingPathComponent("xdg").path
        let d = try CLIRunner.run(["history", "list"], environment: ["PERFSCOPE_DB": "", "XDG_DATA_HOME": xdg])
        #expect(d.status == 0, "\(d.stderr)")
        #expect(FileManager.default.fileExists(atPath: xdg + "/perfscope/history.sqlite"))
    }
}

/// `analyze` stores its runs and compares them with the baseline (against the lab Prometheus).
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil,
                "needs the built binary and the lab Prometheus"))
struct HistoryLiveTests {
    let url = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""

    @Test func analyzeStoresEachRunAndComparesWithTheBaseline() throws {
        let db = ScratchDB()
        defer { db.remove() }
        let first = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "5m", "--format", "json", "--db", db.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.isEmpty, "\(first.stderr)")
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(first.stdout.utf8))
        #expect(report.baseline == nil)

        // What is stored is exactly what analyze printed.
        let show = try CLIRunner.run(["history", "show", "--db", db.path, report.id, "--format", "json"])
        #expect(show.stdout == first.stdout)
        let list = try CLIRunner.run(["history", "list", "--db", db.path, "--cluster", "default", "--format", "json"])
        let runs = try JSONRendering.decoder().decode([RunSummary].self, from: Data(list.stdout.utf8))
        #expect(runs.map(\.id) == [report.id])
        #expect(runs.first?.source == report.source && runs.first?.grade == report.grade)

        #expect(try CLIRunner.run(["history", "baseline", "set", "--db", db.path, report.id]).status == 0)
        let second = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "5m", "--db", db.path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("Baseline\n  vs baseline \(report.id)"))
        let secondJSON = try CLIRunner.run(["history", "show", "--db", db.path, "latest", "--format", "json"])
        let stored = try JSONRendering.decoder().decode(Report.self, from: Data(secondJSON.stdout.utf8))
        #expect(stored.baseline?.baselineID == report.id)

        let compare = try CLIRunner.run(["history", "compare", "--db", db.path, "latest", "--all"])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("wal_fsync_p99"))
        let trend = try CLIRunner.run(["history", "trend", "--db", db.path, "wal_fsync_p99", "--instance", "127.0.0.1:2379"])
        #expect(trend.status == 0, "\(trend.stderr)")
        #expect(trend.stdout.contains("127.0.0.1:2379"))
        let csv = try CLIRunner.run(["history", "export", "--db", db.path, "latest", "--format", "csv"])
        #expect(csv.stdout.contains(",wal_fsync_p99,127.0.0.1:2379,"))
    }

    @Test func noStoreStoresNothing() throws {
        let db = ScratchDB()
        defer { db.remove() }
        let r = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "5m", "--format", "json", "--no-store", "--db", db.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db.path))
    }

    @Test func aStoreFailureIsAWarningNotALostReport() throws {
        let r = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "5m", "--format", "json", "--db", "/proc/perfscope-nope/h.sqlite"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8)).schemaVersion == 1)
        #expect(r.stderr.hasPrefix("perfscope: warning: run history not available: cannot open the history database at /proc/perfscope-nope/h.sqlite"))
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test func theConfigsClusterNamesTheRuns() throws {
        let db = ScratchDB()
        defer { db.remove() }
        try FileManager.default.createDirectory(at: db.dir, withIntermediateDirectories: true)
        let config = db.dir.appendingPathComponent("perfscope.yaml").path
        try "cluster: lab-3\n".write(toFile: config, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "5m", "--format", "json", "--config", config, "--db", db.path])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try CLIRunner.run(["history", "list", "--db", db.path, "--cluster", "lab-3", "--format", "json"])
        #expect(try JSONRendering.decoder().decode([RunSummary].self, from: Data(list.stdout.utf8)).count == 1)
    }
}
