import Foundation
import Logging
import PerfScopeCore
import PostgresNIO

/// Run history in PostgreSQL (PostgresNIO `PostgresClient`), for teams sharing history across
/// analysers and clusters. Same schema and operations as `SQLiteRunStore`; migrations run under a
/// transaction-scoped advisory lock so concurrent first starts do not race.
public final class PostgresRunStore: SQLRunStore {
    public let location: StoreLocation
    let url: PostgresURL
    let client: PostgresClient
    let runTask: Task<Void, Never>
    let logger: Logger

    /// Advisory lock key held while migrating ("perfscop" in ASCII).
    static let migrationLockKey = 0x7065_7266_7363_6f70

    init(url: PostgresURL, logger: Logger) {
        self.url = url
        self.location = .postgres(url)
        self.logger = logger
        var config = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: Self.tls(url.sslMode))
        config.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
        config.options.maximumConnections = 8
        config.options.keepAliveBehavior = nil
        if let schema = url.schema { config.options.additionalStartupParameters = [("search_path", schema)] }
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        self.runTask = Task { await client.run() }
    }

    static func tls(_ mode: PostgresURL.SSLMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    /// Connects (failing within the connect timeout when the server is unreachable) and migrates
    /// to `target` (latest when nil).
    public static func open(_ url: PostgresURL, migrateTo target: Int? = nil,
                            logger: Logger = Logger(label: "perfscope.store", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> PostgresRunStore {
        // One direct connection first: the pool retries a failing connect silently (a wrong
        // password would look like a timeout), a single connection reports why.
        do {
            try await probe(url, logger: logger)
        } catch {
            throw PostgresRunStore.mapError(error, url: url, connecting: true)
        }
        let store = PostgresRunStore(url: url, logger: logger)
        do {
            try await store.withTimeout(url.connectTimeout + 2) {
                _ = try await store.client.query("SELECT 1").collect()
            }
            try await store.migrate(to: target)
        } catch {
            await store.close()
            throw store.mapped(error, connecting: true)
        }
        return store
    }

    static func probe(_ url: PostgresURL, logger: Logger) async throws {
        let tls: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var config = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.username,
                                                      password: url.password, database: url.database, tls: tls)
        config.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
        let connection = try await PostgresConnection.connect(configuration: config, id: 0, logger: logger)
        try? await connection.close()
    }

    /// Applies pending migrations in one transaction under an advisory lock.
    public func migrate(to target: Int? = nil) async throws {
        let location = url.redacted
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: logger)
                if let schema = url.schema {
                    try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
                }
                try await connection.query(PostgresQuery(unsafeSQL: Schema.createVersionTable), logger: logger)
                var current = 0
                for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations", logger: logger).decode(Int.self) {
                    current = version
                }
                if current > Schema.latestVersion { throw StoreError.newerSchema(location, version: current) }
                for migration in Schema.pending(after: current, upTo: target) {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(Date().timeIntervalSince1970))",
                        logger: logger)
                }
            }
        } catch {
            throw mapped(error, connecting: false)
        }
    }

    public func executeInTransaction(_ statements: [SQLStatement]) async throws -> [Int] {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var changed: [Int] = []
                for s in statements {
                    // The async API has no affected-row count: statements whose count matters say `RETURNING 1`.
                    changed.append(try await connection.query(Self.query(s), logger: logger).collect().count)
                }
                return changed
            }
        } catch {
            throw mapped(error, connecting: false)
        }
    }

    public func fetch(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        do {
            var out: [[SQLValue]] = []
            for try await row in try await client.query(Self.query(statement), logger: logger) {
                out.append(row.map(Self.value))
            }
            return out
        } catch {
            throw mapped(error, connecting: false)
        }
    }

    public func close() async {
        runTask.cancel()
        await runTask.value
    }

    /// Drops the store's schema (tests: each test works in its own schema).
    public func dropSchema() async throws {
        guard let schema = url.schema else { return }
        _ = try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE")).collect()
    }

    /// `?` placeholders → `$1…$n`, with the arguments bound in order.
    static func query(_ s: SQLStatement) -> PostgresQuery {
        var sql = ""
        sql.reserveCapacity(s.sql.count + s.arguments.count * 2)
        var n = 0
        for ch in s.sql {
            if ch == "?" {
                n += 1
                sql += "$\(n)"
            } else {
                sql.append(ch)
            }
        }
        var binds = PostgresBindings(capacity: s.arguments.count)
        for v in s.arguments {
            switch v {
            case .null: binds.appendNull()
            case .int(let i): binds.append(i)
            case .double(let d): binds.append(d)
            case .text(let t): binds.append(t)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int.self)).map(SQLValue.int) ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.double) ?? .null
        case .numeric:
            return (try? cell.decode(String.self)).flatMap(Double.init).map(SQLValue.double) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }

    /// Runs `body`, failing after `seconds` (the pool waits for a connection indefinitely otherwise).
    func withTimeout(_ seconds: Double, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await body(); return true }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                return false
            }
            let finished = try await group.next() ?? false
            group.cancelAll()
            if !finished { throw StoreError.unreachable(url.redacted, reason: "no connection within \(Int(seconds)) s") }
        }
    }

    /// One line naming the problem; never the password (PSQLError's description can carry the query, not credentials).
    func mapped(_ error: any Error, connecting: Bool) -> any Error {
        Self.mapError(error, url: url, connecting: connecting)
    }

    static func mapError(_ error: any Error, url: PostgresURL, connecting: Bool) -> any Error {
        if let e = error as? StoreError { return e }
        if error is CancellationError { return error }
        if let tx = error as? PostgresTransactionError {
            if let inner = tx.closureError ?? tx.beginError ?? tx.commitError { return mapError(inner, url: url, connecting: connecting) }
        }
        let location = url.redacted
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                let state = info[.sqlState] ?? ""
                let message = (info[.message] ?? "server error").replacingOccurrences(of: "\n", with: " ")
                if state == "23505" { return StoreError.uniqueViolation(location, reason: message) }
                // 28xxx: authentication; 3D000: no such database; 42501: permission denied.
                if state.hasPrefix("28") || state == "3D000" || state == "42501" || state.hasPrefix("08") {
                    return StoreError.cannotOpen(location, reason: "\(message) (SQLSTATE \(state))")
                }
                return StoreError.failed(location, reason: "\(message) (SQLSTATE \(state))")
            }
            let reason = psql.underlying.map { "\($0)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(psql.code)" } ?? "\(psql.code)"
            return connecting ? StoreError.unreachable(location, reason: reason) : StoreError.failed(location, reason: reason)
        }
        let reason = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown error"
        return connecting ? StoreError.unreachable(location, reason: reason) : StoreError.failed(location, reason: reason)
    }
}
