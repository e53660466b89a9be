import PerfScopeCore

/// History store failures: one line, what went wrong and what to do. PostgreSQL URLs in
/// messages are always redacted (no password).
public struct StoreError: UserFacingError, Equatable {
    public let kind: ErrorKind
    public let message: String
    /// A backend's unique-constraint violation, turned into `duplicateRun` by `save`.
    let isUniqueViolation: Bool

    init(_ kind: ErrorKind, _ message: String, uniqueViolation: Bool = false) {
        self.kind = kind
        self.message = message
        self.isUniqueViolation = uniqueViolation
    }

    static let fix = "set --db or PERFSCOPE_DB to a writable file or a postgres:// URL"

    public static func cannotOpen(_ location: String, reason: String) -> StoreError {
        .init(.configuration, "cannot open the history database at \(location): \(reason) — \(fix)")
    }

    public static func invalidLocation(_ text: String, reason: String) -> StoreError {
        .init(.invalidInput, "invalid history database \(text): \(reason) — use a file path or postgres://user:password@host:5432/db?sslmode=disable")
    }

    public static func unreachable(_ location: String, reason: String) -> StoreError {
        .init(.upstreamUnavailable, "cannot reach PostgreSQL at \(location): \(reason) — check the server is running and the URL in --db or PERFSCOPE_DB")
    }

    public static func failed(_ location: String, reason: String) -> StoreError {
        .init(.upstreamFailed, "history database \(location) failed: \(reason)")
    }

    public static func newerSchema(_ location: String, version: Int) -> StoreError {
        .init(.configuration, "the history database at \(location) has schema version \(version), newer than this perfscope knows (\(Schema.latestVersion)): upgrade perfscope or use another --db")
    }

    public static func runNotFound(_ id: String) -> StoreError {
        .init(.notFound, "no stored run \(id): perfscope history list shows the stored runs")
    }

    public static func ambiguousRun(_ prefix: String) -> StoreError {
        .init(.invalidInput, "run id prefix \(prefix) matches several runs: give more of the id (perfscope history list)")
    }

    public static func duplicateRun(_ id: String) -> StoreError {
        .init(.invalidInput, "run \(id) is already stored: a run is stored once")
    }

    public static func noBaseline(cluster: String) -> StoreError {
        .init(.notFound, "no baseline for cluster \(cluster): set one with perfscope history baseline set RUN, or pass --baseline RUN")
    }

    public static func empty(location: String) -> StoreError {
        .init(.notFound, "no runs stored in \(location): perfscope analyze stores one per run")
    }

    public static func corruptReport(_ id: String, reason: String) -> StoreError {
        let reason = reason.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(200)
        return .init(.internal, "stored report of run \(id) cannot be decoded (\(reason)): it was written by an incompatible perfscope; its rows are still listed and trended")
    }

    static func uniqueViolation(_ location: String, reason: String) -> StoreError {
        .init(.invalidInput, "history database \(location) refused a duplicate: \(reason)", uniqueViolation: true)
    }
}

extension StoreError {
    public static func conversationNotFound(_ id: String) -> StoreError {
        .init(.notFound, "no conversation \(id): GET /api/conversations lists them, or start a new one without conversation_id")
    }

    public static func duplicateConversation(_ id: String) -> StoreError {
        .init(.invalidInput, "conversation \(id) already exists: use another id or omit it")
    }
}
