/// A client that owns an `HTTPClient` and must shut it down when done (Prometheus, the etcd
/// gateway, the snapshot scraper). `using` runs work and always shuts the client down.
public protocol ClosableClient: Sendable {
    func shutdown() async
}

extension ClosableClient {
    /// Runs `body` with this client, then shuts it down whether `body` succeeded or threw.
    public func using<T: Sendable>(_ body: (Self) async throws -> T) async throws -> T {
        do {
            let value = try await body(self)
            await shutdown()
            return value
        } catch {
            await shutdown()
            throw error
        }
    }
}
