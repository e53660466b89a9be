import Foundation
import PerfScopeCore
import PrometheusAPI

/// What one caller may make the server do, so no request (or a thousand of them) can take it
/// down: tool calls running at once and waiting, Prometheus queries in flight across all of
/// them, a deadline per call, the longest window and rate window, the finest step, the largest
/// Prometheus answer a raw query may bring back, and the longest tool name worth matching.
///
/// One value per server, shared by HTTP, MCP (stdio and streamable HTTP) and the chat agent;
/// `perfscope serve` and `perfscope mcp` set it from their flags (`ToolLimitOptions`).
public struct ToolLimits: Sendable {
    /// Tool calls (analyses, queries) running at once, server-wide.
    public var concurrentCalls: Int
    /// Calls allowed to wait for a slot; one more is refused at once as busy (HTTP 503).
    public var queuedCalls: Int
    /// Prometheus requests in flight at once, server-wide (one limiter for every call).
    public var concurrentQueries: Int
    /// A call (waiting included) that takes longer is stopped and reported as busy.
    public var callDeadline: Double
    /// Longest analysis window a tool call may ask for, in seconds.
    public var maxWindow: Double
    /// Longest `rate_window` a tool call may ask for, in seconds.
    public var maxRateWindow: Double
    /// Range queries may return at most this many points per series (Prometheus' own cap): the
    /// step must be at least window / maxPoints.
    public var maxPoints: Double
    /// Largest Prometheus answer `query_prometheus` and `query_prometheus_range` read, in bytes,
    /// enforced while the body streams in, before anything is decoded.
    public var rawQueryBytes: Int
    /// Unknown tool names longer than this are refused without an edit-distance suggestion.
    public var maxToolNameLength: Int
    /// Chat conversations a server keeps; starting one more deletes the least recently updated.
    public var maxConversations: Int

    let gate: CallGate
    let queries: AsyncSemaphore

    public static let defaultConcurrentCalls = 4
    public static let defaultQueuedCalls = 16
    public static let defaultConcurrentQueries = 6
    public static let defaultCallDeadline = 120.0
    public static let defaultMaxWindow = 31 * 86_400.0
    public static let defaultMaxRateWindow = 3_600.0
    public static let defaultRawQueryBytes = 8 << 20
    public static let defaultMaxConversations = 1_000

    public init(concurrentCalls: Int = defaultConcurrentCalls, queuedCalls: Int = defaultQueuedCalls,
                concurrentQueries: Int = defaultConcurrentQueries, callDeadline: Double = defaultCallDeadline,
                maxWindow: Double = defaultMaxWindow, maxRateWindow: Double = defaultMaxRateWindow,
                maxPoints: Double = 11_000, rawQueryBytes: Int = defaultRawQueryBytes, maxToolNameLength: Int = 64,
                maxConversations: Int = defaultMaxConversations) {
        self.concurrentCalls = max(1, concurrentCalls)
        self.queuedCalls = max(0, queuedCalls)
        self.concurrentQueries = max(1, concurrentQueries)
        self.callDeadline = callDeadline
        self.maxWindow = maxWindow
        self.maxRateWindow = maxRateWindow
        self.maxPoints = maxPoints
        self.rawQueryBytes = rawQueryBytes
        self.maxToolNameLength = maxToolNameLength
        self.maxConversations = max(1, maxConversations)
        self.gate = CallGate(permits: self.concurrentCalls, maxWaiting: self.queuedCalls)
        self.queries = AsyncSemaphore(self.concurrentQueries)
    }

    /// A one-shot command run by the operator (`perfscope tools call`, `perfscope chat`): the
    /// windows the CLI's own flags allow (10 years) and no practical deadline; numbers are still
    /// checked and steps still bounded.
    public static let command = ToolLimits(callDeadline: DurationParser.maxSeconds, maxWindow: DurationParser.maxSeconds,
                                           maxRateWindow: DurationParser.maxSeconds)

    /// The Prometheus connection with the server-wide query limiter in place of its own.
    public func shared(_ prometheus: PrometheusConfiguration) -> PrometheusConfiguration {
        var p = prometheus
        p.sharedLimiter = queries
        return p
    }

    /// Runs one call within a slot and the deadline.
    func run<T: Sendable>(_ tool: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await gate.acquire(tool)
        do {
            let value = try await Self.withDeadline(callDeadline, tool, body)
            await gate.release()
            return value
        } catch {
            await gate.release()
            throw error
        }
    }

    static func withDeadline<T: Sendable>(_ seconds: Double, _ tool: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(CheckedNumber.rounded(seconds * 1000) ?? 0))
                return nil
            }
            defer { group.cancelAll() }
            if let first = try await group.next(), let value = first { return value }
            throw PerfScopeError.busy("\(tool) did not finish within the server's per-call deadline of \(DurationParser.format(seconds)): ask for a shorter window, or raise --call-deadline")
        }
    }

    /// Refuses windows longer than `maxWindow` and rate windows longer than `maxRateWindow`.
    public func check(_ window: TimeWindow) throws {
        guard window.duration <= maxWindow else {
            throw PerfScopeError.invalidInput("a window of \(DurationParser.format(window.duration)) is longer than this server allows (\(DurationParser.format(maxWindow))): ask for a shorter duration, or raise --max-window")
        }
        if let rate = window.rateWindow, rate > maxRateWindow {
            throw PerfScopeError.invalidInput("rate_window \(DurationParser.format(rate)) is longer than this server allows (\(DurationParser.format(maxRateWindow))): use a shorter one, or raise --max-rate-window")
        }
    }

    /// Refuses a range-query step finer than window / `maxPoints`.
    public func check(step: Double, over window: TimeWindow) throws {
        let finest = window.duration / maxPoints
        guard step >= finest else {
            throw PerfScopeError.invalidInput("step \(DurationParser.format(step)) would return more than \(CheckedNumber.text(maxPoints)) points over \(DurationParser.format(window.duration)): use a step of at least \(DurationParser.format(finest.rounded(.up)))")
        }
    }
}

/// Slots for tool calls: at most `permits` run, at most `maxWaiting` wait (in order), the rest
/// are refused at once. A waiter whose task is cancelled (its client left, its deadline passed)
/// leaves the queue.
actor CallGate {
    let permits: Int
    let maxWaiting: Int
    var running = 0
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    var nextID: UInt64 = 0

    init(permits: Int, maxWaiting: Int) {
        self.permits = permits
        self.maxWaiting = maxWaiting
    }

    func acquire(_ tool: String) async throws {
        if running < permits {
            running += 1
            return
        }
        guard waiters.count < maxWaiting else {
            throw PerfScopeError.busy("the server is busy (\(running) tool calls running, \(waiters.count) waiting): retry \(tool) in a moment")
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiters.append((id, $0)) }
        } onCancel: {
            Task { await self.leave(id) }
        }
    }

    func leave(_ id: UInt64) {
        guard let i = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: i).continuation.resume(throwing: CancellationError())
    }

    func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }
}
