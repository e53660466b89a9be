import Foundation
import PerfScopeCore
import PerfScopeStore
import Testing

/// The built `perfscope` binary next to the test bundle (`swift build --build-tests`), or `PERFSCOPE_BIN`.
enum Binary {
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["PERFSCOPE_BIN"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("perfscope")
    }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: url.path) }

    /// Starts `perfscope arguments…` with stdout to a pipe (stderr to a pipe too).
    static func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PERFSCOPE_DB")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }
}

/// SQLite-specific integrity: WAL, several processes on one file, SIGKILL mid-write, bad paths.
@Suite struct SQLiteDurabilityTests {
    @Test func usesWALAndCreatesTheDirectory() async throws {
        let path = TestStore.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try SQLiteRunStore(path: path)
        #expect(try await store.journalMode() == "wal")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try await store.integrityCheck() == ["ok"])
        await store.close()
    }

    @Test(arguments: ["/proc/perfscope-nope/history.sqlite", "/dev/null/history.sqlite", "/"])
    func anUnusablePathIsOneLineNamingTheFix(path: String) throws {
        do {
            _ = try SQLiteRunStore(path: path)
            Issue.record("expected an error for \(path)")
        } catch let error as StoreError {
            #expect(error.message.contains("cannot open the history database at \(path)"))
            #expect(error.message.contains("--db or PERFSCOPE_DB"))
            #expect(!error.message.contains("\n"))
            #expect(error.kind == .configuration)
        }
    }

    @Test func notADatabaseIsAClearError() throws {
        let path = TestStore.scratchPath()
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try String(repeating: "this is not sqlite\n", count: 200).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { try SQLiteRunStore(path: path) }
        do { _ = try SQLiteRunStore(path: path) } catch let error as StoreError {
            #expect(error.message.contains("not a SQLite database") || error.message.contains("file is not a database"), "\(error.message)")
        }
    }

    @Test(.enabled(if: Binary.available, "needs the built perfscope binary"))
    func severalProcessesWritingOneFileLoseNothing() async throws {
        let path = TestStore.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let processes = 4, runs = 30
        // All start at once on a file that does not exist yet: creation and migration race too.
        let children = try (0..<processes).map { i in
            try Binary.start(["dev", "store-stress", "--db", path, "--runs", "\(runs)", "--metrics", "40", "--cluster", "p\(i)"])
        }
        for (p, out, err) in children {
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(stdout) \(stderr)")
        }
        let store = try SQLiteRunStore(path: path)
        #expect(try await store.count(cluster: nil) == processes * runs)
        for i in 0..<processes { #expect(try await store.count(cluster: "p\(i)") == runs) }
        #expect(try await store.integrityCheck() == ["ok"])
        let rows = try await store.fetch(SQLStatement("SELECT COUNT(*) FROM metric_summaries"))
        #expect(rows.first?.first == .int(processes * runs * 40))
        await store.close()
    }

    /// kill -9 during a write loop, three times on the same file: after each, the file passes
    /// `PRAGMA integrity_check`, every committed run is there, and no run is half-written.
    @Test(.enabled(if: Binary.available, "needs the built perfscope binary"))
    func aProcessKilledMidWriteLeavesAConsistentDatabase() async throws {
        let path = TestStore.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let metrics = 60
        var committedBefore = 0
        for round in 0..<3 {
            let (p, out, err) = try Binary.start(["dev", "store-stress", "--db", path, "--runs", "100000", "--metrics", "\(metrics)",
                                                  "--findings", "6", "--cluster", "crash", "--progress"])
            // Let it commit a varying number of runs, then SIGKILL it wherever it is.
            let target = 15 + round * 10
            var text = ""
            let reader = out.fileHandleForReading
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
                if text.components(separatedBy: "\n").filter({ $0.hasPrefix("committed ") }).count >= target { break }
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal, "\(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
            text += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
            let reported = text.components(separatedBy: "\n").compactMap { line in
                line.hasPrefix("committed ") ? Int(line.dropFirst("committed ".count)) : nil
            }.max() ?? 0
            #expect(reported >= target)

            let store = try SQLiteRunStore(path: path)
            #expect(try await store.integrityCheck() == ["ok"])
            let count = try await store.count(cluster: "crash") - committedBefore
            // Every run whose commit was reported is there; at most one more committed just before the kill.
            #expect(count == reported || count == reported + 1, "round \(round): \(count) stored, \(reported) reported")
            // All or nothing per run: every stored run has all its rows.
            let partial = try await store.fetch(SQLStatement("""
                SELECT COUNT(*) FROM runs r WHERE (SELECT COUNT(*) FROM metric_summaries m WHERE m.run_id = r.id) <> ?
                   OR (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id) <> 6
                """, [.int(metrics)]))
            #expect(partial.first?.first == .int(0))
            committedBefore += count
            await store.close()
        }
    }
}
