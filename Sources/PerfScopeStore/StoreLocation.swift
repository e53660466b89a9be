import Foundation
import Logging

/// Where run history lives: a SQLite file (the default) or a PostgreSQL database.
///
/// Resolution: `--db` flag > `PERFSCOPE_DB` > `$XDG_DATA_HOME/perfscope/history.sqlite`
/// (else `~/.local/share/perfscope/history.sqlite`).
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    public static let environmentVariable = "PERFSCOPE_DB"

    /// The flag, else the environment, else the XDG default.
    public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        if let flag, !flag.isEmpty { return try parse(flag, environment: environment) }
        if let env = environment[environmentVariable], !env.isEmpty { return try parse(env, environment: environment) }
        return .sqlite(path: defaultPath(environment: environment))
    }

    /// `postgres://…` / `postgresql://…` is PostgreSQL; anything else is a file path (`~` expanded).
    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        let t = text.trimmingCharacters(in: .whitespaces)
        let lower = t.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return .postgres(try PostgresURL(t)) }
        if lower.contains("://") {
            throw StoreError.invalidLocation(redact(t), reason: "unknown scheme")
        }
        if lower.hasPrefix("file:") { return .sqlite(path: expand(String(t.dropFirst(5)), environment: environment)) }
        guard !t.isEmpty else { throw StoreError.invalidLocation("''", reason: "empty path") }
        return .sqlite(path: expand(t, environment: environment))
    }

    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        // XDG: a relative XDG_DATA_HOME is invalid and ignored.
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return (xdg as NSString).appendingPathComponent("perfscope/history.sqlite")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/perfscope/history.sqlite")
    }

    static func expand(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + path.dropFirst()
    }

    /// Never includes a password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.redacted
        }
    }

    /// Any `scheme://user:password@` in `text` with the password replaced by `***`.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let userinfo = text[scheme.upperBound..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require&schema=name`.
public struct PostgresURL: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable { case disable, prefer, require }

    public var username: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// Tables go in this schema (created when missing) instead of the user's default search path.
    public var schema: String?
    public var connectTimeout: Double

    public init(username: String, password: String?, host: String, port: Int = 5432, database: String,
                sslMode: SSLMode = .prefer, schema: String? = nil, connectTimeout: Double = 10) {
        self.username = username
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
        self.schema = schema
        self.connectTimeout = connectTimeout
    }

    public init(_ text: String) throws {
        let shown = StoreLocation.redact(text)
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw StoreError.invalidLocation(shown, reason: "not a URL with a host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.invalidLocation(shown, reason: "no user name (postgres://USER:PASSWORD@host/db)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidLocation(shown, reason: "no database name (postgres://user@host:5432/DATABASE)")
        }
        self.init(username: components.percentEncodedUser?.removingPercentEncoding ?? user,
                  password: components.percentEncodedPassword?.removingPercentEncoding,
                  host: host, port: components.port ?? 5432,
                  database: database.removingPercentEncoding ?? database)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "disable", "allow": sslMode = .disable
                case "prefer": sslMode = .prefer
                case "require", "verify-ca", "verify-full": sslMode = .require
                default: throw StoreError.invalidLocation(shown, reason: "sslmode \(value) (use disable, prefer or require)")
                }
            case "schema", "search_path":
                guard value.range(of: #"^[A-Za-z_][A-Za-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
                    throw StoreError.invalidLocation(shown, reason: "schema \(value) (letters, digits and _ only)")
                }
                schema = value.lowercased()
            case "connect_timeout":
                guard let seconds = Double(value), seconds.isFinite, seconds > 0, seconds <= 3_600 else {
                    throw StoreError.invalidLocation(shown, reason: "connect_timeout \(value.prefix(40)) (seconds, more than 0 and at most 3600)")
                }
                connectTimeout = seconds
            case "application_name":
                continue
            default:
                throw StoreError.invalidLocation(shown, reason: "unknown parameter \(item.name) (sslmode, schema, connect_timeout)")
            }
        }
    }

    /// The URL without the password.
    public var redacted: String {
        var s = "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        var query = ["sslmode=\(sslMode.rawValue)"]
        if let schema { query.append("schema=\(schema)") }
        s += "?" + query.joined(separator: "&")
        return s
    }
}

/// Opens the store at a location, creating the SQLite file's directory and migrating the schema.
public enum RunStoreFactory {
    public static func open(_ location: StoreLocation, logger: Logger = Logger(label: "perfscope.store", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> any RunStore {
        switch location {
        case .sqlite(let path): try await SQLiteRunStore.open(path: path)
        case .postgres(let url): try await PostgresRunStore.open(url, logger: logger)
        }
    }

    /// Opens the store, runs `body`, and closes the store whether `body` succeeds or throws.
    public static func with<T: Sendable>(_ location: StoreLocation,
                                         logger: Logger = Logger(label: "perfscope.store", factory: { _ in SwiftLogNoOpLogHandler() }),
                                         _ body: (any RunStore) async throws -> T) async throws -> T {
        let store = try await open(location, logger: logger)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }

    /// Resolves `--db` / `PERFSCOPE_DB` / the default and opens it.
    public static func open(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            logger: Logger = Logger(label: "perfscope.store", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> any RunStore {
        try await open(StoreLocation.resolve(flag: flag, environment: environment), logger: logger)
    }
}
