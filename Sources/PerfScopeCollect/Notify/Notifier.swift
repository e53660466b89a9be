import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PerfScopeCore

/// Where a notification goes.
///
/// Syntax (flag `--notify`, repeatable, or `PERFSCOPE_NOTIFY_URL`, comma-separated):
/// - `slack+https://hooks.slack.com/services/T…/B…/…` — a Slack-compatible incoming webhook
///   (Slack, Mattermost, Rocket.Chat): `{"text": "…"}` with mrkdwn.
/// - `https://host/path` (or `json+https://…`) — a generic JSON webhook:
///   `{"event": "perfscope.regression", "cluster", "reason", "report": {…}, "previous": {…}}`.
///
/// Webhook paths and query strings are secrets (Slack's is the credential): only the scheme
/// and host ever appear in messages (`redacted`).
public struct NotifyTarget: Sendable, Equatable {
    public enum Kind: String, Sendable { case slack, json }

    public var kind: Kind
    public var url: URL

    public init(kind: Kind, url: URL) {
        self.kind = kind
        self.url = url
    }

    /// Parses `slack+https://…`, `json+https://…` or a plain `http(s)://…`.
    public static func parse(_ text: String) throws -> NotifyTarget {
        let t = text.trimmingCharacters(in: .whitespaces)
        var kind = Kind.json
        var rest = Substring(t)
        if let plus = t.firstIndex(of: "+"), let colon = t.firstIndex(of: ":"), plus < colon {
            switch t[..<plus].lowercased() {
            case "slack": kind = .slack
            case "json": kind = .json
            default: throw NotifyError("--notify: unknown kind \"\(t[..<plus])\": use slack+https://… or https://… (generic JSON)")
            }
            rest = t[t.index(after: plus)...]
        }
        guard let url = URL(string: String(rest)), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw NotifyError("--notify: expected slack+https://… or https://…, got \(Self.redact(String(rest)))")
        }
        return NotifyTarget(kind: kind, url: url)
    }

    /// `slack webhook https://hooks.slack.com` — never the path, query or user info.
    public var redacted: String {
        "\(kind == .slack ? "slack" : "json") webhook \(Self.redact(url.absoluteString))"
    }

    static func redact(_ text: String) -> String {
        guard let url = URL(string: text), let scheme = url.scheme, let host = url.host else { return "(invalid URL)" }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }
}

public struct NotifyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a notification says: the current run, the previous one and why it is sent.
public struct NotificationMessage: Sendable {
    public var cluster: String
    public var report: Report
    public var previous: Report?
    public var reason: String
    public var reportURL: String?

    public init(cluster: String, report: Report, previous: Report?, reason: String, reportURL: String?) {
        self.cluster = cluster
        self.report = report
        self.previous = previous
        self.reason = reason
        self.reportURL = reportURL
    }

    /// `base` with `{id}` replaced, or `base/<id>.html`.
    public static func reportURL(base: String?, id: String) -> String? {
        guard let base, !base.isEmpty else { return nil }
        if base.contains("{id}") { return base.replacingOccurrences(of: "{id}", with: id) }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/\(id).html"
    }
}

/// The request bodies (pure, tested without a server).
public enum NotificationPayload {
    /// Root causes shown in a message.
    public static let maxCauses = 3

    public static func slackText(_ m: NotificationMessage) -> String {
        let r = m.report
        var lines = ["*perfscope: \(escape(m.cluster)) is \(r.grade.rawValue)*"
            + (m.previous.map { $0.grade != r.grade ? " (was \($0.grade.rawValue))" : "" } ?? "") + " — \(escape(m.reason))"]
        for cause in r.rootCauses.prefix(maxCauses) {
            let instances = cause.instances.isEmpty ? "" : " on `\(escape(cause.instances.joined(separator: ", ")))`"
            lines.append("• *\(cause.category.rawValue)* (\(cause.likelihood.rawValue))\(instances): \(escape(cause.summary))")
        }
        if r.rootCauses.count > maxCauses { lines.append("• … and \(r.rootCauses.count - maxCauses) more") }
        let counts = NotificationPolicy.findingCounts(r).map { "\($0.1) \($0.0.rawValue)" }
        lines.append("Findings: \(counts.isEmpty ? "none" : counts.joined(separator: ", ")) · window \(iso(r.window.start)) – \(iso(r.window.end))")
        if let link = m.reportURL { lines.append("<\(link)|Full report \(escape(r.id))>") }
        return lines.joined(separator: "\n")
    }

    public static func slack(_ m: NotificationMessage) throws -> Data {
        try encoder.encode(["text": slackText(m)])
    }

    public static func json(_ m: NotificationMessage) throws -> Data {
        try encoder.encode(GenericBody(event: "perfscope.regression", cluster: m.cluster, reason: m.reason,
                                       report: Summary(m.report, url: m.reportURL), previous: m.previous.map { Summary($0, url: nil) }))
    }

    struct GenericBody: Encodable {
        var event: String
        var cluster: String
        var reason: String
        var report: Summary
        var previous: Summary?
    }

    struct Summary: Encodable {
        struct Window: Encodable { var start: String; var end: String }
        struct Cause: Encodable { var category: String; var instances: [String]; var summary: String; var likelihood: String }
        var id: String
        var grade: String
        var window: Window
        var rootCauses: [Cause]
        var findingCounts: [String: Int]
        var url: String?

        init(_ r: Report, url: String?) {
            id = r.id
            grade = r.grade.rawValue
            window = Window(start: iso(r.window.start), end: iso(r.window.end))
            rootCauses = r.rootCauses.map { Cause(category: $0.category.rawValue, instances: $0.instances, summary: $0.summary, likelihood: $0.likelihood.rawValue) }
            findingCounts = Dictionary(uniqueKeysWithValues: NotificationPolicy.findingCounts(r).map { ($0.0.rawValue, $0.1) })
            self.url = url
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func iso(_ d: Date) -> String {
        d.formatted(.iso8601)
    }

    /// Slack mrkdwn control characters, per Unicode scalar (a combining mark must not hide a `<`).
    static func escape(_ s: String) -> String {
        Markup.escape(s) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            default: nil
            }
        }
    }
}

/// Posts notifications: one request per target, a per-request timeout, one retry on a 5xx or
/// a failed connection (not on a timeout: the message may have arrived). Errors are one line naming the target by scheme and host only.
public struct Notifier: Sendable {
    public var timeout: Duration
    public var retryDelay: Duration

    public init(timeout: Duration = .seconds(10), retryDelay: Duration = .milliseconds(500)) {
        self.timeout = timeout
        self.retryDelay = retryDelay
    }

    public func send(_ message: NotificationMessage, to target: NotifyTarget) async throws {
        let body = try target.kind == .slack ? NotificationPayload.slack(message) : NotificationPayload.json(message)
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                              configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: nil)))
        do {
            try await post(body, to: target, http: http)
            try? await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func post(_ body: Data, to target: NotifyTarget, http: HTTPClient) async throws {
        var attempt = 1
        while true {
            let outcome = await once(body, to: target, http: http)
            switch outcome {
            case .ok: return
            case .retryable where attempt == 1:
                attempt += 1
                try? await Task.sleep(for: retryDelay)
            case let .retryable(problem), let .fatal(problem):
                throw NotifyError("notification to \(target.redacted) failed: \(problem)\(attempt > 1 ? " (after a retry)" : "")")
            }
        }
    }

    private enum Outcome { case ok, retryable(String), fatal(String) }

    private func once(_ body: Data, to target: NotifyTarget, http: HTTPClient) async -> Outcome {
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "perfscope")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: TimeAmount(timeout))
            let status = response.status.code
            _ = try? await response.body.collect(upTo: 64 * 1024) // drain; a webhook's error body may echo the URL, so it is not shown
            if (200..<300).contains(status) { return .ok }
            let text = "HTTP \(status) \(response.status.reasonPhrase)"
            if status >= 500 { return .retryable(text) }
            return .fatal(status == 404 || status == 403 || status == 401 ? text + ": check the webhook URL and its token" : text)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            // Not retried: the webhook may have received it, and a second post would duplicate the message.
            return .fatal("timed out after \(DurationParser.format(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18))")
        } catch {
            return .retryable("cannot connect (\(Self.scrub(String(describing: error), target.url)))")
        }
    }

    /// Removes anything of the URL beyond scheme and host from an underlying error text.
    static func scrub(_ text: String, _ url: URL) -> String {
        var s = text.replacingOccurrences(of: url.absoluteString, with: NotifyTarget.redact(url.absoluteString))
        if url.path.count > 1 { s = s.replacingOccurrences(of: url.path, with: "/…") }
        if let q = url.query, !q.isEmpty { s = s.replacingOccurrences(of: q, with: "…") }
        if let user = url.user { s = s.replacingOccurrences(of: user, with: "…") }
        if let password = url.password { s = s.replacingOccurrences(of: password, with: "…") }
        return s.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
