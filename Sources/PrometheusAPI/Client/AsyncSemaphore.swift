/// Bounds how many requests are in flight at once, so a batch of catalog queries never floods
/// a shared Prometheus or Thanos. FIFO, cancellation-safe enough for request gating. Public so a
/// server can share one across every client it makes (`PrometheusConfiguration.sharedLimiter`).
public actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(_ permits: Int) { available = max(1, permits) }

    func wait() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func signal() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    public func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await wait()
        do {
            let value = try await body()
            signal()
            return value
        } catch {
            signal()
            throw error
        }
    }
}
