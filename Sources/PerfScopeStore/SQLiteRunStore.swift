import Foundation
import GRDB
import PerfScopeCore

/// Run history in one SQLite file (GRDB `DatabasePool`): WAL mode, so readers never block the
/// writer; a busy timeout, so several `perfscope analyze` processes writing the same file wait
/// their turn instead of failing; each run one IMMEDIATE transaction, so a process killed
/// mid-write leaves the previous committed state.
public final class SQLiteRunStore: SQLRunStore {
    public let location: StoreLocation
    public let path: String
    let pool: DatabasePool

    /// How long a write waits for another process holding the write lock.
    public static let busyTimeout: TimeInterval = 60

    /// Opens (creating the file and its directory when missing) and migrates to `migrateTo`
    /// (latest when nil; tests build older versions with it).
    public init(path: String, migrateTo target: Int? = nil) throws {
        self.path = path
        self.location = .sqlite(path: path)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotOpen(path, reason: "cannot create directory \(directory) (\(Self.reason(error)))")
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StoreError.cannotOpen(path, reason: "it is a directory")
        }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "perfscope.history"
        pool = try Self.openPool(path: path, configuration: config, migrateTo: target, retries: 8)
    }

    /// Opens on a thread of its own: opening may wait for another process's write lock (the
    /// busy timeout, the retries below), which must not hold a thread of Swift's cooperative pool.
    public static func open(path: String, migrateTo target: Int? = nil) async throws -> SQLiteRunStore {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try SQLiteRunStore(path: path, migrateTo: target) })
            }
        }
    }

    /// Opening a brand-new file switches it to WAL, which takes the file's lock outside the busy
    /// handler: several processes creating the same file at once can get SQLITE_BUSY there. That
    /// one case is retried a few times (with a growing pause, 1.8 s at most — only ever under that
    /// contention); any other error is final.
    static func openPool(path: String, configuration: Configuration, migrateTo target: Int?, retries: Int) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrate(pool, location: path, to: target)
                return pool
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) && attempt < retries {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.cannotOpen(path, reason: reason(error))
            }
        }
    }

    /// Applies pending migrations in one IMMEDIATE transaction: concurrent processes opening a
    /// fresh file serialise on the write lock, and the second finds nothing left to do.
    static func migrate(_ pool: DatabasePool, location: String, to target: Int?) throws {
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: Schema.createVersionTable)
                    let current = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0
                    if current > Schema.latestVersion { throw StoreError.newerSchema(location, version: current) }
                    for migration in Schema.pending(after: current, upTo: target) {
                        for statement in migration.statements { try db.execute(sql: statement) }
                        try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                       arguments: [migration.version, migration.name, Date().timeIntervalSince1970])
                    }
                    return .commit
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            throw error  // `openPool` retries these
        } catch {
            throw StoreError.cannotOpen(location, reason: reason(error))
        }
    }

    /// Migrates an open store further (tests: from an older version to the latest).
    public func migrate(to target: Int? = nil) throws {
        try Self.migrate(pool, location: path, to: target)
    }

    public func executeInTransaction(_ statements: [SQLStatement]) async throws -> [Int] {
        do {
            return try await pool.write { db in
                try statements.map { s in
                    try db.cachedStatement(sql: s.sql).execute(arguments: Self.arguments(s.arguments))
                    return db.changesCount
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    public func fetch(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        do {
            return try await pool.read { db in
                let rows = try Row.fetchCursor(db.cachedStatement(sql: statement.sql), arguments: Self.arguments(statement.arguments))
                var out: [[SQLValue]] = []
                while let row = try rows.next() {
                    out.append(row.databaseValues.map(Self.value))
                }
                return out
            }
        } catch {
            throw mapped(error)
        }
    }

    /// `PRAGMA integrity_check` → `["ok"]` when the file is sound.
    public func integrityCheck() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The journal mode in effect (`wal`).
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    public func close() async {
        try? pool.close()
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .null: nil
            case .int(let i): i
            case .double(let d): d
            case .text(let s): s
            }
        })
    }

    static func value(_ v: DatabaseValue) -> SQLValue {
        switch v.storage {
        case .null: .null
        case .int64(let i): .int(Int(i))
        case .double(let d): .double(d)
        case .string(let s): .text(s)
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }

    func mapped(_ error: any Error) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        if let db = error as? DatabaseError {
            if db.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || db.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                return StoreError.uniqueViolation(path, reason: db.message ?? "constraint")
            }
            switch db.resultCode {
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FULL, .SQLITE_IOERR:
                return StoreError.cannotOpen(path, reason: Self.reason(error))
            default:
                return StoreError.failed(path, reason: Self.reason(error))
            }
        }
        return StoreError.failed(path, reason: Self.reason(error))
    }

    /// A short, one-line reason: SQLite's own words, e.g. "unable to open database file".
    static func reason(_ error: any Error) -> String {
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_CANTOPEN: return "cannot open the file (missing directory or permission denied)"
            case .SQLITE_READONLY: return "the file is read-only"
            case .SQLITE_PERM: return "permission denied"
            case .SQLITE_NOTADB: return "not a SQLite database"
            case .SQLITE_BUSY: return "database is locked by another process for longer than \(Int(busyTimeout)) s"
            default: return (db.message ?? "\(db.resultCode)").replacingOccurrences(of: "\n", with: " ")
            }
        }
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue)).lowercased()
        }
        return "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown error"
    }
}
