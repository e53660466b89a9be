import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PerfScopeCollect
import PerfScopeCore
import Testing

/// A webhook receiver on 127.0.0.1 (ephemeral port) recording each POST body and answering with
/// the status `responder` picks for the n-th request (nil: never answer, to test timeouts).
final class WebhookTestServer: Sendable {
    struct Received: Sendable {
        var uri: String
        var contentType: String?
        var body: Data
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    private final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Received] = []
        func append(_ r: Received) -> Int { lock.withLock { items.append(r); return items.count } }
        var all: [Received] { lock.withLock { items } }
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let log: Log
    let port: Int
    var received: [Received] { log.all }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, log: Log, port: Int) {
        self.group = group
        self.channel = channel
        self.log = log
        self.port = port
    }

    static func with<T: Sendable>(responder: @escaping @Sendable (Int) -> HTTPResponseStatus?,
                                  _ body: (WebhookTestServer) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = Log()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.configureHTTPServerPipeline()
                    try sync.addHandler(Handler(log: log, responder: responder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = WebhookTestServer(group: group, channel: channel, log: log, port: channel.localAddress?.port ?? 0)
        do {
            let result = try await body(server)
            try? await channel.close()
            try? await group.shutdownGracefully()
            return result
        } catch {
            try? await channel.close()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private let log: Log
        private let responder: @Sendable (Int) -> HTTPResponseStatus?
        private var head: HTTPRequestHead?
        private var body = Data()

        init(log: Log, responder: @escaping @Sendable (Int) -> HTTPResponseStatus?) {
            self.log = log
            self.responder = responder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = Data()
            case .body(var buffer): body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
                guard let head else { return }
                let n = log.append(Received(uri: head.uri, contentType: head.headers["Content-Type"].first, body: body))
                guard let status = responder(n) else { return }
                let text = "{\"error\": \"bad token at \(head.uri)\"}"
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: String(text.utf8.count))
                context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }
}

@Suite struct NotifierTests {
    static let secret = "/services/T000/B000/XXXXsecretXXXX"

    static func message() -> NotificationMessage {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let finding = Finding(id: "f1", title: "WAL fsync slow", severity: .critical, category: .disk, methodology: .latency,
                              instances: ["10.0.0.1:2379"], observation: "", evidence: [], rootCause: "", confidence: 0.9,
                              immediateAction: "", investigationSteps: [], longTermFix: "", relatedMetrics: [], reference: "")
        let cause = RootCause(category: .disk, instances: ["10.0.0.1:2379"], summary: "Slow disk <sda> on the leader", likelihood: .high,
                              confidence: 0.9, findingIds: ["f1"])
        let report = Report(id: "20261130T010000Z-ab12", generatedAt: t, window: .init(start: t.addingTimeInterval(-3600), end: t),
                            grade: .poor, healthScores: [:], findings: [finding, finding], rootCauses: [cause], recommendations: [], dataGaps: [])
        let previous = Report(id: "20261129T010000Z-cd34", generatedAt: t.addingTimeInterval(-86400),
                              window: .init(start: t.addingTimeInterval(-90000), end: t.addingTimeInterval(-86400)),
                              grade: .good, healthScores: [:], findings: [], rootCauses: [], recommendations: [], dataGaps: [])
        return NotificationMessage(cluster: "prod-3", report: report, previous: previous, reason: "grade worsened from good to poor",
                                   reportURL: NotificationMessage.reportURL(base: "https://reports.example/perfscope/", id: report.id))
    }

    static let fast = Notifier(timeout: .milliseconds(500), retryDelay: .milliseconds(10))

    @Test(arguments: [
        ("slack+https://hooks.slack.com/services/T/B/x", NotifyTarget.Kind.slack, "slack webhook https://hooks.slack.com"),
        ("https://example.com/hook?token=abc", .json, "json webhook https://example.com"),
        ("json+http://127.0.0.1:9000/x", .json, "json webhook http://127.0.0.1:9000"),
    ] as [(String, NotifyTarget.Kind, String)])
    func parsesTargets(text: String, kind: NotifyTarget.Kind, redacted: String) throws {
        let t = try NotifyTarget.parse(text)
        #expect(t.kind == kind)
        #expect(t.redacted == redacted)
    }

    @Test(arguments: ["teams+https://x.example/a", "ftp://x.example/secret", "slack+hooks.slack.com/services/secret", "not a url"])
    func rejectsBadTargetsWithoutEchoingThem(text: String) {
        #expect { try NotifyTarget.parse(text) } throws: { error in
            let m = (error as? NotifyError)?.message ?? ""
            return !m.contains("secret") && !m.contains("\n") && m.hasPrefix("--notify:")
        }
    }

    @Test func slackBodyIsMrkdwnText() async throws {
        try await WebhookTestServer.with(responder: { _ in .ok }) { server in
            let target = try NotifyTarget.parse("slack+http://127.0.0.1:\(server.port)\(Self.secret)")
            try await Self.fast.send(Self.message(), to: target)
            let got = try #require(server.received.first)
            #expect(server.received.count == 1)
            #expect(got.uri == Self.secret)
            #expect(got.contentType == "application/json")
            let json = try #require(got.json)
            #expect(json.keys.sorted() == ["text"])
            let text = try #require(json["text"] as? String)
            #expect(text.hasPrefix("*perfscope: prod-3 is poor* (was good) — grade worsened from good to poor"))
            #expect(text.contains("• *disk* (high) on `10.0.0.1:2379`: Slow disk &lt;sda&gt; on the leader"))
            #expect(text.contains("Findings: 2 critical"))
            #expect(text.contains("<https://reports.example/perfscope/20261130T010000Z-ab12.html|Full report 20261130T010000Z-ab12>"))
        }
    }

    @Test func genericBodyCarriesReportAndPrevious() async throws {
        try await WebhookTestServer.with(responder: { _ in .noContent }) { server in
            try await Self.fast.send(Self.message(), to: try NotifyTarget.parse("http://127.0.0.1:\(server.port)/hook"))
            let json = try #require(server.received.first?.json)
            #expect(json["event"] as? String == "perfscope.regression")
            #expect(json["cluster"] as? String == "prod-3")
            let report = try #require(json["report"] as? [String: Any])
            #expect(report["id"] as? String == "20261130T010000Z-ab12")
            #expect(report["grade"] as? String == "poor")
            #expect((report["window"] as? [String: String])?["start"] != nil)
            #expect(report["findingCounts"] as? [String: Int] == ["critical": 2])
            let causes = try #require(report["rootCauses"] as? [[String: Any]])
            #expect(causes.first?["category"] as? String == "disk")
            #expect(causes.first?["instances"] as? [String] == ["10.0.0.1:2379"])
            #expect(report["url"] as? String == "https://reports.example/perfscope/20261130T010000Z-ab12.html")
            let previous = try #require(json["previous"] as? [String: Any])
            #expect(previous["grade"] as? String == "good")
            #expect(previous["findingCounts"] as? [String: Int] == [:])
        }
    }

    @Test func serverErrorIsRetriedOnce() async throws {
        try await WebhookTestServer.with(responder: { n in n == 1 ? .serviceUnavailable : .ok }) { server in
            try await Self.fast.send(Self.message(), to: try NotifyTarget.parse("http://127.0.0.1:\(server.port)/hook"))
            #expect(server.received.count == 2)
        }
    }

    @Test func persistentServerErrorFailsAfterOneRetry() async throws {
        try await WebhookTestServer.with(responder: { _ in .badGateway }) { server in
            let target = try NotifyTarget.parse("slack+http://127.0.0.1:\(server.port)\(Self.secret)")
            await #expect { try await Self.fast.send(Self.message(), to: target) } throws: { error in
                let m = "\(error)"
                return m.contains("HTTP 502") && m.contains("after a retry") && !m.contains("secret")
            }
            #expect(server.received.count == 2)
        }
    }

    @Test func clientErrorIsOneLineWithoutTheSecretPath() async throws {
        try await WebhookTestServer.with(responder: { _ in .forbidden }) { server in
            let target = try NotifyTarget.parse("slack+http://127.0.0.1:\(server.port)\(Self.secret)")
            do {
                try await Self.fast.send(Self.message(), to: target)
                Issue.record("expected a failure")
            } catch {
                let m = "\(error)"
                #expect(m == "notification to slack webhook http://127.0.0.1:\(server.port) failed: HTTP 403 Forbidden: check the webhook URL and its token")
                #expect(!m.contains("XXXX") && !m.contains("services") && !m.contains("\n"))
            }
            #expect(server.received.count == 1, "4xx is not retried")
        }
    }

    @Test func timeoutIsReportedAndNotRetried() async throws {
        try await WebhookTestServer.with(responder: { _ in nil }) { server in
            let target = try NotifyTarget.parse("http://127.0.0.1:\(server.port)/hook/secret-token")
            let start = ContinuousClock.now
            await #expect { try await Notifier(timeout: .milliseconds(300), retryDelay: .milliseconds(10)).send(Self.message(), to: target) } throws: { error in
                let m = "\(error)"
                return m.contains("timed out after 300ms") && !m.contains("secret-token")
            }
            #expect(ContinuousClock.now - start < .seconds(3))
            #expect(server.received.count == 1)
        }
    }

    @Test func unreachableIsRetriedAndRedacted() async throws {
        // A port nothing listens on: bind one and close it.
        let port = try await WebhookTestServer.with(responder: { _ in .ok }) { $0.port }
        let target = try NotifyTarget.parse("slack+http://127.0.0.1:\(port)\(Self.secret)")
        await #expect { try await Self.fast.send(Self.message(), to: target) } throws: { error in
            let m = "\(error)"
            return m.contains("cannot connect") && m.contains("after a retry") && !m.contains("XXXX") && !m.contains("\n")
        }
    }

    @Test(arguments: [
        ("https://r.example/reports", "https://r.example/reports/ID.html"),
        ("https://r.example/reports/", "https://r.example/reports/ID.html"),
        ("https://r.example/view?run={id}", "https://r.example/view?run=ID"),
    ])
    func reportLinks(base: String, expected: String) {
        #expect(NotificationMessage.reportURL(base: base, id: "ID") == expected)
        #expect(NotificationMessage.reportURL(base: nil, id: "ID") == nil)
    }
}
