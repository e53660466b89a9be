import Foundation
import PerfScopeCore

/// A value bound to or read from SQL, in the types both backends share.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int)
    case double(Double)
    case text(String)

    /// Non-finite doubles are stored as NULL (SQLite has no NaN).
    static func number(_ v: Double?) -> SQLValue { v.map { $0.isFinite ? .double($0) : .null } ?? .null }

    var string: String? {
        switch self {
        case .text(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .null: nil
        }
    }

    var double: Double? {
        switch self {
        case .double(let d): d
        case .int(let i): Double(i)
        case .text(let s): Double(s)
        case .null: nil
        }
    }

    var int: Int? {
        switch self {
        case .int(let i): i
        case .double(let d): CheckedNumber.rounded(d)
        case .text(let s): Int(s)
        case .null: nil
        }
    }
}

/// One statement with `?` placeholders (PostgreSQL's `$n` are numbered by its backend).
public struct SQLStatement: Sendable, Equatable {
    public var sql: String
    public var arguments: [SQLValue]

    public init(_ sql: String, _ arguments: [SQLValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }
}

/// The two primitives a backend provides; every store operation is written once on top of them.
public protocol SQLRunStore: RunStore {
    /// Runs the statements in one transaction (all or nothing); returns the rows each changed
    /// (statements whose count is needed end in `RETURNING 1`, which both backends count).
    func executeInTransaction(_ statements: [SQLStatement]) async throws -> [Int]
    /// Runs one query; rows hold the selected columns in order.
    func fetch(_ statement: SQLStatement) async throws -> [[SQLValue]]
}

/// The SQL of the store operations, shared by both backends.
enum StoreSQL {
    static let runColumns = """
        r.id, r.cluster, r.source, r.window_start, r.window_end, r.created_at, r.grade,
        r.score_disk, r.score_network, r.score_cpu, r.score_memory, r.score_consensus, r.score_database,
        r.findings_critical, r.findings_high, r.findings_medium, r.findings_low, r.findings_info, r.top_root_cause,
        CASE WHEN b.run_id IS NULL THEN 0 ELSE 1 END
        """
    static let runFrom = "runs r LEFT JOIN baselines b ON b.run_id = r.id AND b.cluster = r.cluster"
    static let scoreKeys = ["disk", "network", "cpu", "memory", "consensus", "database"]
    static let severityKeys = ["critical", "high", "medium", "low", "info"]
    /// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bind limits.
    static let rowsPerInsert = 400

    static func runSummary(_ row: [SQLValue]) -> RunSummary {
        var scores: [String: Int] = [:]
        for (i, key) in scoreKeys.enumerated() { if let v = row[7 + i].int { scores[key] = v } }
        var counts: [String: Int] = [:]
        for (i, key) in severityKeys.enumerated() { counts[key] = row[13 + i].int ?? 0 }
        return RunSummary(id: row[0].string ?? "", cluster: row[1].string ?? "", source: row[2].string,
                          windowStart: date(row[3]), windowEnd: date(row[4]), createdAt: date(row[5]),
                          grade: row[6].string.flatMap(Grade.init(rawValue:)) ?? .fair,
                          healthScores: scores, findingCounts: counts, topRootCause: row[18].string, isBaseline: row[19].int == 1)
    }

    static func date(_ v: SQLValue) -> Date { Date(timeIntervalSince1970: v.double ?? 0) }

    static func json<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ v: SQLValue, default value: T) -> T {
        guard let s = v.string else { return value }
        return (try? JSONDecoder().decode(T.self, from: Data(s.utf8))) ?? value
    }

    /// The report as stored: compact JSON in the report encoding (RFC 3339 dates, NaN as strings).
    static func reportJSON(_ report: Report) throws -> String {
        let e = JSONRendering.encoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(report), as: UTF8.self)
    }

    /// The statements that store one run: the run row, then its findings, root causes and metric summaries.
    static func insertStatements(_ report: Report, cluster: String, storedAt: Date) throws -> [SQLStatement] {
        let summary = RunSummary(report: report, cluster: cluster)
        var run: [SQLValue] = [.text(report.id), .text(cluster), report.source.map { .text($0) } ?? .null,
                               .double(report.window.start.timeIntervalSince1970), .double(report.window.end.timeIntervalSince1970),
                               .double(report.generatedAt.timeIntervalSince1970), .double(storedAt.timeIntervalSince1970),
                               .text(report.grade.rawValue)]
        run += scoreKeys.map { report.healthScores[$0].map { .int($0) } ?? .null }
        run += severityKeys.map { .int(summary.findingCounts[$0] ?? 0) }
        run += [summary.topRootCause.map { .text($0) } ?? .null, .text(try reportJSON(report))]
        var statements = [SQLStatement("""
            INSERT INTO runs (id, cluster, source, window_start, window_end, created_at, stored_at, grade,
                score_disk, score_network, score_cpu, score_memory, score_consensus, score_database,
                findings_critical, findings_high, findings_medium, findings_low, findings_info, top_root_cause, report_json)
            VALUES (\(placeholders(run.count)))
            """, run)]
        let id = SQLValue.text(report.id)
        statements += multiRowInsert(
            "findings (run_id, ordinal, id, severity, category, methodology, title, instances)",
            rows: report.findings.enumerated().map { i, f in
                [id, .int(i), .text(f.id), .text(f.severity.rawValue), .text(f.category.rawValue), .text(f.methodology.rawValue),
                 .text(f.title), .text(json(f.instances))]
            })
        statements += multiRowInsert(
            "root_causes (run_id, rank, category, instances, likelihood, confidence, summary, finding_ids)",
            rows: report.rootCauses.enumerated().map { i, c in
                [id, .int(i + 1), .text(c.category.rawValue), .text(json(c.instances)), .text(c.likelihood.rawValue),
                 .number(c.confidence), .text(c.summary), .text(json(c.findingIds))]
            })
        statements += multiRowInsert(
            "metric_summaries (run_id, ordinal, subsystem, metric, instance, labels, unit, avg, max, min, last, p95, points)",
            rows: report.metrics.enumerated().map { i, m in
                [id, .int(i), .text(m.subsystem), .text(m.metric), .text(m.instance), .text(json(m.labels)), .text(m.unit.rawValue),
                 .number(m.stats.avg), .number(m.stats.max), .number(m.stats.min), .number(m.stats.last), .number(m.stats.p95),
                 .int(m.stats.points)]
            })
        return statements
    }

    static func multiRowInsert(_ target: String, rows: [[SQLValue]]) -> [SQLStatement] {
        guard let width = rows.first?.count else { return [] }
        return stride(from: 0, to: rows.count, by: rowsPerInsert).map { start in
            let chunk = rows[start..<min(start + rowsPerInsert, rows.count)]
            let values = Array(repeating: "(\(placeholders(width)))", count: chunk.count).joined(separator: ", ")
            return SQLStatement("INSERT INTO \(target) VALUES \(values)", chunk.flatMap { $0 })
        }
    }

    static func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

    /// `LIKE` pattern matching `prefix` literally (with `ESCAPE '\'`).
    static func likePrefix(_ prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}

extension SQLRunStore {
    public func save(_ report: Report, cluster: String) async throws {
        let statements = try StoreSQL.insertStatements(report, cluster: cluster, storedAt: Date())
        do {
            _ = try await executeInTransaction(statements)
        } catch let error as StoreError where error.isUniqueViolation {
            throw StoreError.duplicateRun(report.id)
        }
    }

    public func list(_ query: RunQuery) async throws -> [RunSummary] {
        var conditions: [String] = [], args: [SQLValue] = []
        if let since = query.since { conditions.append("r.created_at >= ?"); args.append(.double(since.timeIntervalSince1970)) }
        if let until = query.until { conditions.append("r.created_at <= ?"); args.append(.double(until.timeIntervalSince1970)) }
        if let cluster = query.cluster { conditions.append("r.cluster = ?"); args.append(.text(cluster)) }
        var sql = "SELECT \(StoreSQL.runColumns) FROM \(StoreSQL.runFrom)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY r.created_at DESC, r.id DESC"
        if let limit = query.limit { sql += " LIMIT ?"; args.append(.int(max(0, limit))) }
        return try await fetch(SQLStatement(sql, args)).map(StoreSQL.runSummary)
    }

    public func summary(_ runID: String) async throws -> RunSummary {
        let rows = try await fetch(SQLStatement("SELECT \(StoreSQL.runColumns) FROM \(StoreSQL.runFrom) WHERE r.id = ?", [.text(runID)]))
        guard let row = rows.first else { throw StoreError.runNotFound(runID) }
        return StoreSQL.runSummary(row)
    }

    public func get(_ runID: String) async throws -> Report {
        let rows = try await fetch(SQLStatement("SELECT report_json FROM runs WHERE id = ?", [.text(runID)]))
        guard let json = rows.first?.first?.string else { throw StoreError.runNotFound(runID) }
        do {
            return try JSONRendering.decoder().decode(Report.self, from: Data(json.utf8))
        } catch {
            throw StoreError.corruptReport(runID, reason: "\(error)")
        }
    }

    public func resolveRunID(_ reference: String) async throws -> String {
        let ref = reference.trimmingCharacters(in: .whitespaces)
        guard !ref.isEmpty else { throw StoreError.runNotFound(reference) }
        if ref == "latest" {
            guard let newest = try await list(RunQuery(limit: 1)).first else { throw StoreError.empty(location: location.description) }
            return newest.id
        }
        if try await !fetch(SQLStatement("SELECT id FROM runs WHERE id = ?", [.text(ref)])).isEmpty { return ref }
        let matches = try await fetch(SQLStatement("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2",
                                                   [.text(StoreSQL.likePrefix(ref))])).compactMap { $0.first?.string }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw StoreError.runNotFound(ref)
        default: throw StoreError.ambiguousRun(ref)
        }
    }

    public func findings(run runID: String) async throws -> [StoredFinding] {
        try await fetch(SQLStatement("""
            SELECT run_id, id, severity, category, methodology, title, instances FROM findings WHERE run_id = ? ORDER BY ordinal
            """, [.text(runID)])).map { r in
            StoredFinding(runID: r[0].string ?? "", id: r[1].string ?? "", severity: r[2].string.flatMap(Severity.init(rawValue:)) ?? .info,
                          category: r[3].string.flatMap(Category.init(rawValue:)) ?? .load,
                          methodology: r[4].string.flatMap(Methodology.init(rawValue:)) ?? .threshold,
                          title: r[5].string ?? "", instances: StoreSQL.decodeJSON([String].self, r[6], default: []))
        }
    }

    public func rootCauses(run runID: String) async throws -> [StoredRootCause] {
        try await fetch(SQLStatement("""
            SELECT run_id, rank, category, instances, likelihood, confidence, summary, finding_ids FROM root_causes WHERE run_id = ? ORDER BY rank
            """, [.text(runID)])).map { r in
            StoredRootCause(runID: r[0].string ?? "", rank: r[1].int ?? 0, category: r[2].string.flatMap(Category.init(rawValue:)) ?? .load,
                            instances: StoreSQL.decodeJSON([String].self, r[3], default: []),
                            likelihood: r[4].string.flatMap(Likelihood.init(rawValue:)) ?? .low, confidence: r[5].double ?? 0,
                            summary: r[6].string ?? "", findingIDs: StoreSQL.decodeJSON([String].self, r[7], default: []))
        }
    }

    static var trendColumns: String {
        "m.run_id, r.cluster, r.created_at, m.metric, m.subsystem, m.instance, m.labels, m.unit, m.avg, m.max, m.min, m.last, m.p95"
    }

    static func trendPoint(_ r: [SQLValue]) -> TrendPoint {
        TrendPoint(runID: r[0].string ?? "", cluster: r[1].string ?? "", createdAt: StoreSQL.date(r[2]), metric: r[3].string ?? "",
                   subsystem: r[4].string ?? "", instance: r[5].string ?? "", labels: StoreSQL.decodeJSON([String: String].self, r[6], default: [:]),
                   unit: r[7].string.flatMap(MetricUnit.init(rawValue:)) ?? .count,
                   avg: r[8].double, max: r[9].double, min: r[10].double, last: r[11].double, p95: r[12].double)
    }

    public func metricSummaries(run runID: String) async throws -> [TrendPoint] {
        try await fetch(SQLStatement("""
            SELECT \(Self.trendColumns) FROM metric_summaries m JOIN runs r ON r.id = m.run_id WHERE m.run_id = ? ORDER BY m.ordinal
            """, [.text(runID)])).map(Self.trendPoint)
    }

    @discardableResult
    public func setBaseline(_ runID: String) async throws -> RunSummary {
        let changed = try await executeInTransaction([SQLStatement("""
            INSERT INTO baselines (cluster, run_id, set_at) SELECT cluster, id, ? FROM runs WHERE id = ?
            ON CONFLICT (cluster) DO UPDATE SET run_id = excluded.run_id, set_at = excluded.set_at RETURNING 1
            """, [.double(Date().timeIntervalSince1970), .text(runID)])])
        guard changed.first ?? 0 > 0 else { throw StoreError.runNotFound(runID) }
        return try await summary(runID)
    }

    public func baseline(cluster: String) async throws -> RunSummary? {
        try await fetch(SQLStatement("SELECT \(StoreSQL.runColumns) FROM \(StoreSQL.runFrom) WHERE b.cluster = ?", [.text(cluster)]))
            .first.map(StoreSQL.runSummary)
    }

    public func baselines() async throws -> [RunSummary] {
        try await fetch(SQLStatement("SELECT \(StoreSQL.runColumns) FROM \(StoreSQL.runFrom) WHERE b.run_id IS NOT NULL ORDER BY r.cluster"))
            .map(StoreSQL.runSummary)
    }

    public func trend(_ query: TrendQuery) async throws -> [TrendPoint] {
        var sql = "SELECT \(Self.trendColumns) FROM metric_summaries m JOIN runs r ON r.id = m.run_id WHERE m.metric = ?"
        var args: [SQLValue] = [.text(query.metric)]
        if let instance = query.instance { sql += " AND m.instance = ?"; args.append(.text(instance)) }
        if let cluster = query.cluster { sql += " AND r.cluster = ?"; args.append(.text(cluster)) }
        if let since = query.since { sql += " AND r.created_at >= ?"; args.append(.double(since.timeIntervalSince1970)) }
        if let until = query.until { sql += " AND r.created_at <= ?"; args.append(.double(until.timeIntervalSince1970)) }
        sql += " ORDER BY r.created_at, m.run_id, m.ordinal"
        return try await fetch(SQLStatement(sql, args)).map(Self.trendPoint)
    }

    /// One statement: the runs' findings, root causes, metric summaries (and nothing a
    /// baseline points to) go with them through `ON DELETE CASCADE`.
    public func prune(olderThan date: Date) async throws -> Int {
        try await executeInTransaction([SQLStatement(
            "DELETE FROM runs WHERE created_at < ? AND id NOT IN (SELECT run_id FROM baselines) RETURNING 1",
            [.double(date.timeIntervalSince1970)])]).first ?? 0
    }

    public func count(cluster: String?) async throws -> Int {
        let statement = cluster.map { SQLStatement("SELECT COUNT(*) FROM runs WHERE cluster = ?", [.text($0)]) }
            ?? SQLStatement("SELECT COUNT(*) FROM runs")
        return try await fetch(statement).first?.first?.int ?? 0
    }

    public func schemaVersion() async throws -> Int {
        try await fetch(SQLStatement("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")).first?.first?.int ?? 0
    }
}
