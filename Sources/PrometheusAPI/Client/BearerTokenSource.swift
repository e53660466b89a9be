import Foundation

/// A bearer token read again while perfscope runs, so a token that rotates under a long-running
/// `serve --schedule` — a projected service-account token the kubelet renews, a kubeconfig that
/// `oc login` rewrites — is picked up without a restart. A read is reused for `maxAge`, so a
/// file is not reread for each of an analysis's queries.
///
/// Two sources are equal when they read from the same place (`description`, which never holds
/// the token itself).
public struct BearerTokenSource: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    let maxAge: Duration
    let read: @Sendable () throws -> String
    let cache = Cache()

    /// `initial`: a token already read (it is used until `maxAge` has passed).
    public init(description: String, maxAge: Duration = .seconds(30), initial: String? = nil, read: @escaping @Sendable () throws -> String) {
        self.description = description
        self.maxAge = maxAge
        self.read = read
        if let initial { cache.set(initial, at: .now) }
    }

    /// The token in `path` (trimmed), reread at most every `maxAge`.
    public static func file(_ path: String, maxAge: Duration = .seconds(30)) -> BearerTokenSource {
        BearerTokenSource(description: "token file \(path)", maxAge: maxAge) {
            let token = try PrometheusConfiguration.readSecretFile(path)
            guard !token.isEmpty else { throw PrometheusError.configuration("token file \(path) is empty: write the bearer token into it") }
            return token
        }
    }

    /// The current token: the cached one while it is fresh, else a new read. A failed read
    /// falls back to the last good token (the file may be mid-rotation) and throws only when
    /// there is none.
    public func token(now: ContinuousClock.Instant = .now) throws -> String {
        if let cached = cache.get(fresherThan: now - maxAge) { return cached }
        do {
            let token = try read()
            cache.set(token, at: now)
            return token
        } catch {
            // Keep the last good token for another `maxAge` rather than rereading on every request.
            if let last = cache.last {
                cache.set(last, at: now)
                return last
            }
            throw error
        }
    }

    public static func == (a: BearerTokenSource, b: BearerTokenSource) -> Bool { a.description == b.description }

    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (token: String, at: ContinuousClock.Instant)?

        func get(fresherThan limit: ContinuousClock.Instant) -> String? {
            lock.withLock { value.flatMap { $0.at > limit ? $0.token : nil } }
        }

        var last: String? { lock.withLock { value?.token } }

        func set(_ token: String, at instant: ContinuousClock.Instant) {
            lock.withLock { value = (token, instant) }
        }
    }
}
