import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import PerfScopeCore
import PrometheusAPI

/// One `/metrics` URL to scrape: an etcd member or a node-exporter.
public struct SnapshotTarget: Sendable, Hashable {
    public var kind: SnapshotTargetKind
    /// The URL fetched (`…/metrics` unless the user gave another path).
    public var url: URL
    /// `host:port` of the URL: the `instance` label Prometheus would give this target.
    public var instance: String

    public init(kind: SnapshotTargetKind, url: URL) {
        self.kind = kind
        self.url = url
        self.instance = Self.instance(of: url)
    }

    /// `host:port` of a URL, with the scheme's default port when none is written and IPv6
    /// hosts in brackets, as Prometheus writes `instance`.
    public static func instance(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var host = components?.host ?? url.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.contains(":") { host = "[\(host)]" }
        let port = components?.port ?? url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(host):\(port)"
    }

    /// Parses one target: `http(s)://host:port[/path]` or a bare `host:port` (http). No path or
    /// `/` means `/metrics`. `flag` names the option in the error message.
    public static func parse(_ text: String, kind: SnapshotTargetKind, flag: String? = nil) throws -> SnapshotTarget {
        let flagName = flag ?? (kind == .etcd ? "--endpoints" : "--node")
        let example = kind == .etcd ? "http://10.0.0.1:2379" : "http://10.0.0.1:9100"
        let invalid = PerfScopeError.invalidInput("invalid \(flagName) URL \"\(text)\": use http(s)://host:port, e.g. \(example)")
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("://") { trimmed = "http://" + trimmed }
        guard var components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil, components.fragment == nil
        else { throw invalid }
        if components.path.isEmpty || components.path == "/" { components.path = "/metrics" }
        guard let url = components.url else { throw invalid }
        return SnapshotTarget(kind: kind, url: url)
    }

    /// Parses a comma-separated list; blanks and duplicates are dropped.
    public static func parseList(_ text: String, kind: SnapshotTargetKind, flag: String? = nil) throws -> [SnapshotTarget] {
        var targets: [SnapshotTarget] = []
        for part in text.split(separator: ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
            let target = try parse(String(part), kind: kind, flag: flag)
            if !targets.contains(target) { targets.append(target) }
        }
        guard !targets.isEmpty else {
            throw PerfScopeError.invalidInput("no URL in \(flag ?? (kind == .etcd ? "--endpoints" : "--node")) \"\(text)\": give one or more comma-separated http(s)://host:port")
        }
        return targets
    }
}

/// How to reach the targets: TLS material with the meaning of etcdctl's `--cacert`, `--cert`,
/// `--key` and `--insecure-skip-tls-verify` (etcd serves `/metrics` with the client URLs' TLS),
/// and the per-request timeout. The same settings are used for every target.
public struct SnapshotScraperConfiguration: Sendable, Equatable {
    /// PEM CA file; replaces the system trust roots, like etcdctl's `--cacert`.
    public var caFile: String?
    /// PEM client certificate for mTLS; needs `keyFile`.
    public var certFile: String?
    public var keyFile: String?
    /// Skip server certificate verification. Dangerous.
    public var insecureSkipVerify: Bool
    /// Per-request timeout, connect included.
    public var timeout: Duration

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                insecureSkipVerify: Bool = false, timeout: Duration = .seconds(10)) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
        self.timeout = timeout
    }
}

/// The two scrape rounds of a snapshot, ready for `SnapshotCalculator`.
public struct SnapshotCollection: Sendable {
    public var targets: [SnapshotTarget]
    /// One input per target, in target order.
    public var inputs: [SnapshotCalculator.Input]
    /// When the first and second rounds were taken.
    public var start: Date
    public var end: Date

    public init(targets: [SnapshotTarget], inputs: [SnapshotCalculator.Input], start: Date, end: Date) {
        self.targets = targets
        self.inputs = inputs
        self.start = start
        self.end = end
    }

    /// The window the rates and quantiles cover.
    public func window() throws -> TimeWindow {
        try TimeWindow(start: start, end: max(end, start.addingTimeInterval(0.001)))
    }

    public func summarise(catalog: [CatalogMetric], options: SnapshotCalculator.Options = .init()) -> SnapshotCalculator.Result {
        SnapshotCalculator.summarise(inputs, catalog: catalog, options: options)
    }

    /// `snapshot of 4 endpoints (3 etcd, 1 node-exporter), 30s apart`.
    public var sourceDescription: String {
        let etcd = targets.filter { $0.kind == .etcd }.count
        let node = targets.count - etcd
        // The interval of the targets that answered both rounds (a slow or dead one stretches the rounds).
        let answered = inputs.filter { $0.first.families != nil && $0.second.families != nil }.map(\.elapsed).sorted()
        let seconds = answered.isEmpty ? end.timeIntervalSince(start) : answered[answered.count / 2]
        let apart = SnapshotCalculator.formatInterval(seconds)
        return "snapshot of \(targets.count) endpoint\(targets.count == 1 ? "" : "s") (\(etcd) etcd, \(node) node-exporter), \(apart) apart"
    }
}

/// Fetches `/metrics` from etcd members and node-exporters with AsyncHTTPClient: one GET per
/// target per round, all targets concurrently. A failing target is a `.failed` scrape, never
/// thrown; only `collect` throws, when no target answers the first round.
/// Owns an `HTTPClient`: call `shutdown()` when done, or use `withScraper(_:logger:_:)`.
public final class SnapshotScraper: ClosableClient {
    public let configuration: SnapshotScraperConfiguration
    let http: HTTPClient
    let logger: Logger

    public init(configuration: SnapshotScraperConfiguration = .init(), logger: Logger = Logger(label: "perfscope.snapshot")) throws {
        switch (configuration.certFile, configuration.keyFile) {
        case (.some, nil): throw PerfScopeError.configuration("a client certificate needs its key: set --key too")
        case (nil, .some): throw PerfScopeError.configuration("a client key needs its certificate: set --cert too")
        default: break
        }
        guard configuration.timeout > .zero else { throw PerfScopeError.configuration("the scrape timeout must be positive") }
        self.configuration = configuration
        self.logger = logger
        let tls = try EtcdGatewayClient.tlsConfiguration(EtcdGatewayConfiguration(
            endpoints: [], caFile: configuration.caFile, certFile: configuration.certFile, keyFile: configuration.keyFile,
            insecureSkipVerify: configuration.insecureSkipVerify, timeout: configuration.timeout))
        var http = HTTPClient.Configuration(tlsConfiguration: tls)
        let timeout = TimeAmount(configuration.timeout)
        http.timeout = .init(connect: timeout, read: timeout)
        http.redirectConfiguration = .follow(max: 3, allowCycles: false)
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a scraper and always shuts it down.
    public static func withScraper<T: Sendable>(_ configuration: SnapshotScraperConfiguration = .init(),
                                                logger: Logger = Logger(label: "perfscope.snapshot"),
                                                _ body: (SnapshotScraper) async throws -> T) async throws -> T {
        try await SnapshotScraper(configuration: configuration, logger: logger).using(body)
    }

    /// One timed scrape: the result and the moment it represents (midway through the request).
    public struct TimedScrape: Sendable {
        public var scrape: SnapshotCalculator.Scrape
        public var at: ContinuousClock.Instant
        public var date: Date
    }

    /// GETs the target's URL and parses the exposition (lenient: a bad line is skipped, not fatal).
    /// The scrape's moment is midway between sending the request and receiving the response head
    /// (when the target gathered its metrics), so body transfer and parsing do not skew rates.
    public func scrape(_ target: SnapshotTarget) async -> TimedScrape {
        let started = ContinuousClock.now
        let startedDate = Date()
        let (result, answered) = await fetch(target)
        let half = ((answered ?? ContinuousClock.now) - started) / 2
        return TimedScrape(scrape: result, at: started + half, date: startedDate.addingTimeInterval(half.seconds))
    }

    /// Scrapes every target concurrently; results in target order.
    public func scrapeAll(_ targets: [SnapshotTarget]) async -> [TimedScrape] {
        await withTaskGroup(of: (Int, TimedScrape).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await self.scrape(target)) }
            }
            var results = [TimedScrape?](repeating: nil, count: targets.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    /// Two rounds at least `interval` apart for every target that answered: the second round starts
    /// `interval` after the latest first-round answer, so a slow first round (a loaded host) cannot
    /// shrink the window the rates are computed over.
    /// - Throws: `PerfScopeError.upstreamUnavailable` when no target answers the first round.
    public func collect(_ targets: [SnapshotTarget], interval: Duration,
                        waiting: (@Sendable (Duration) -> Void)? = nil) async throws -> SnapshotCollection {
        let roundStart = ContinuousClock.now
        let first = await scrapeAll(targets)
        guard first.contains(where: { $0.scrape.families != nil }) else {
            let reasons = zip(targets, first).map { target, scrape in "\(target.url.absoluteString) (\(scrape.scrape.failure ?? "no answer"))" }
            throw PerfScopeError.upstreamUnavailable(
                "no target answered: \(reasons.joined(separator: ", ")) — check --endpoints and --node, that the URLs serve /metrics, and the TLS flags (--cacert, --cert, --key, https://)")
        }
        let latestAnswer = first.filter { $0.scrape.families != nil }.map(\.at).max() ?? roundStart
        let deadline = max(roundStart, latestAnswer) + interval
        let remaining = deadline - ContinuousClock.now
        waiting?(remaining)
        if remaining > .zero { try await Task.sleep(until: deadline, clock: .continuous) }
        let second = await scrapeAll(targets)
        let inputs = targets.indices.map { i in
            SnapshotCalculator.Input(kind: targets[i].kind, instance: targets[i].instance, first: first[i].scrape,
                                     second: second[i].scrape, elapsed: (second[i].at - first[i].at).seconds)
        }
        let start = first.map(\.date).min() ?? Date()
        let end = second.map(\.date).max() ?? Date()
        return SnapshotCollection(targets: targets, inputs: inputs, start: start, end: end)
    }

    // MARK: Transport

    /// The scrape and when the response head arrived (nil when none did).
    func fetch(_ target: SnapshotTarget) async -> (SnapshotCalculator.Scrape, ContinuousClock.Instant?) {
        let url = target.url.absoluteString
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: ExpositionFormat.acceptHeader)
        request.headers.add(name: "User-Agent", value: "perfscope")
        let timeout = configuration.timeout
        let started = ContinuousClock.now
        let status: Int
        let contentType: String?
        let body: ByteBuffer
        let answered: ContinuousClock.Instant
        do {
            let response = try await http.execute(request, timeout: TimeAmount(timeout), logger: logger)
            answered = ContinuousClock.now
            status = Int(response.status.code)
            contentType = response.headers.first(name: "Content-Type")
            body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return (.failed("no answer within \(SnapshotCalculator.formatInterval(timeout.seconds)) from \(url)"), nil)
        } catch {
            let reason = EtcdGatewayError.reason(error, tls: url.lowercased().hasPrefix("https:"))
            return (.failed("cannot reach \(url): \(reason)"), nil)
        }
        logger.debug("scrape", metadata: [
            "url": "\(url)", "status": "\(status)", "bytes": "\(body.readableBytes)", "elapsed": "\(ContinuousClock.now - started)",
        ])
        guard (200..<300).contains(status) else {
            let hint = status == 401 || status == 403 ? " (needs a client certificate: --cert and --key)" : (status == 404 ? " (no /metrics at this path)" : "")
            return (.failed("\(url) answered HTTP \(status)\(hint)"), answered)
        }
        do {
            let parsed = try ExpositionParser.parse(bytes: body.readableBytesView, format: ExpositionFormat(contentType: contentType), lenient: true)
            if parsed.families.isEmpty {
                let first = parsed.diagnostics.first.map { ": \($0)" } ?? " (empty body)"
                return (.failed("\(url) did not answer Prometheus metrics\(first)"), answered)
            }
            if !parsed.diagnostics.isEmpty {
                logger.warning("skipped unreadable exposition lines", metadata: [
                    "url": "\(url)", "count": "\(parsed.diagnostics.count)", "first": "\(parsed.diagnostics[0])",
                ])
            }
            return (.families(parsed.families), answered)
        } catch {
            return (.failed("\(url) answered unreadable metrics: \(error)"), answered)
        }
    }
}
