import Foundation
import PerfScopeCore
import PerfScopeStore
import Testing

/// Forward-only migrations: a database left at any earlier version migrates to the latest,
/// keeps its rows, and then works like a fresh one.
@Suite struct MigrationTests {
    static var cases: [(Backend, Int)] {
        Backend.available.flatMap { b in (0..<Schema.latestVersion).map { (b, $0) } }
    }

    @Test func versionsAreNumberedOneByOne() {
        #expect(Schema.migrations.map(\.version) == Array(1...Schema.latestVersion))
        #expect(Schema.migrations.allSatisfy { !$0.statements.isEmpty && !$0.name.isEmpty })
    }

    @Test(arguments: cases)
    func migratesFromEveryEarlierVersion(backend: Backend, version: Int) async throws {
        try await TestStore.with(backend, migrateTo: version) { t in
            #expect(try await t.store.schemaVersion() == version)
            let sql = try #require(t.store as? any SQLRunStore)
            if version >= 1 {
                // A run written by a perfscope of that version: the runs row (the report JSON is the same at every version).
                let legacy = Fixture.report(id: "legacy-v\(version)")
                let json = try JSONRendering.encode(legacy)
                _ = try await sql.executeInTransaction([SQLStatement("""
                    INSERT INTO runs (id, cluster, source, window_start, window_end, created_at, stored_at, grade, report_json)
                    VALUES (?, 'old', NULL, ?, ?, ?, ?, 'fair', ?)
                    """, [.text(legacy.id), .double(legacy.window.start.timeIntervalSince1970), .double(legacy.window.end.timeIntervalSince1970),
                          .double(legacy.generatedAt.timeIntervalSince1970), .double(0), .text(json)])])
            }
            let migrated = try await t.reopen()
            #expect(try await migrated.schemaVersion() == Schema.latestVersion)
            let applied = try await sql.fetch(SQLStatement("SELECT version FROM schema_migrations ORDER BY version"))
            #expect(applied.map { $0.first } == Schema.migrations.map { .int($0.version) })
            if version >= 1 {
                #expect(try await migrated.get("legacy-v\(version)") == Fixture.report(id: "legacy-v\(version)"))
                #expect(try await migrated.list(RunQuery(cluster: "old")).map(\.id) == ["legacy-v\(version)"])
                try await migrated.setBaseline("legacy-v\(version)")
            }
            // Everything works after the migration.
            try await migrated.save(Fixture.report(id: "after", offset: 60, wal: 0.03), cluster: "old")
            #expect(try await migrated.metricSummaries(run: "after").count == 4)
            if version >= 1 { #expect(try await migrated.compare("after").regressions == 1) }
            // Opening again applies nothing twice.
            let again = try await t.reopen()
            #expect(try await again.schemaVersion() == Schema.latestVersion)
            await again.close()
            await migrated.close()
        }
    }
}
