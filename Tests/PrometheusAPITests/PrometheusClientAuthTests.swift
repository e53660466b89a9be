import Foundation
import NIOHTTP1
import PerfScopeCore
@testable import PrometheusAPI
import Testing

/// What the real client puts on the wire (auth, headers, encoding, TLS) and how it reports
/// failures, checked against an in-test HTTP(S) server.
@Suite struct PrometheusClientAuthTests {
    static let needsOpenSSL = Testing.ConditionTrait.enabled(
        if: TestTLSFiles.openssl != nil, "needs the openssl CLI to make a throwaway CA, and none was found on PATH")

    /// Runs one instant query against `configuration` and returns the error it threw, if any.
    func queryError(_ configuration: PrometheusConfiguration, _ promql: String = "up") async throws -> PrometheusError? {
        do {
            try await PrometheusClient.withClient(configuration) { client in _ = try await client.query(promql) }
            return nil
        } catch let error as PrometheusError {
            return error
        }
    }

    /// Runs one instant query and returns the single request the server recorded.
    func sentRequest(_ server: TestHTTPServer, _ configuration: PrometheusConfiguration,
                     _ promql: String = "up") async throws -> RecordedRequest {
        try await PrometheusClient.withClient(configuration) { client in _ = try await client.query(promql) }
        #expect(server.requests.count == 1)
        return try #require(server.requests.first)
    }

    // MARK: Authentication and headers

    @Test func bearerTokenIsSent() async throws {
        try await TestHTTPServer.with { server in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL, authentication: .bearer(token: "s3cr3t")))
            #expect(request.header("Authorization") == "Bearer s3cr3t")
        }
    }

    @Test func aRotatedTokenFileIsPickedUp() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("token").path
        try "first-token\n".write(toFile: file, atomically: true, encoding: .utf8)
        let source = BearerTokenSource.file(file, maxAge: .zero)
        try await TestHTTPServer.with { server in
            let configuration = PrometheusConfiguration(url: server.baseURL, authentication: .bearerSource(source))
            try await PrometheusClient.withClient(configuration) { client in
                _ = try await client.query("up")
                try "second-token".write(toFile: file, atomically: true, encoding: .utf8)  // the kubelet rotates it
                _ = try await client.query("up")
                try FileManager.default.removeItem(atPath: file)  // mid-rotation: the last good token is kept
                _ = try await client.query("up")
            }
            #expect(server.requests.map { $0.header("Authorization") } == ["Bearer first-token", "Bearer second-token", "Bearer second-token"])
        }
        // Within maxAge the file is not read again.
        let counter = Counter()
        let cached = BearerTokenSource(description: "test", maxAge: .seconds(60)) { counter.next() }
        let now = ContinuousClock.now
        #expect(try cached.token(now: now) == "t1" && cached.token(now: now + .seconds(59)) == "t1" && cached.token(now: now + .seconds(61)) == "t2")
        // A reread that fails keeps the last good token for another maxAge (no reread per request).
        let failing = Counter()
        let flaky = BearerTokenSource(description: "flaky", maxAge: .seconds(60)) {
            let t = failing.next()
            if t != "t1" { throw PrometheusError.configuration("unreadable") }
            return t
        }
        #expect(try flaky.token(now: now) == "t1" && flaky.token(now: now + .seconds(61)) == "t1" && flaky.token(now: now + .seconds(100)) == "t1")
        #expect(failing.next() == "t3", "one failed reread at 61 s, none at 100 s")
        // Never read: the error is the reader's, one line, without a token.
        let missing = BearerTokenSource.file(dir.appendingPathComponent("none").path)
        #expect(throws: PrometheusError.self) { try missing.token() }
        #expect(BearerTokenSource.file("/a") == BearerTokenSource.file("/a") && BearerTokenSource.file("/a") != BearerTokenSource.file("/b"))
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> String { lock.withLock { n += 1; return "t\(n)" } }
    }

    @Test func basicAuthIsSent() async throws {
        try await TestHTTPServer.with { server in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL,
                                                                                authentication: .basic(username: "u", password: "p w")))
            #expect(request.header("Authorization") == "Basic dTpwIHc=")
        }
    }

    @Test func credentialsInURLBecomeBasicAuthAndAreRedacted() async throws {
        try await TestHTTPServer.with { server in
            let configuration = PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("http://u:p@127.0.0.1:\(server.port)"))
            let request = try await sentRequest(server, configuration)
            #expect(request.header("Authorization") == "Basic " + Data("u:p".utf8).base64EncodedString())
            #expect(configuration.redactedURL == "http://127.0.0.1:\(server.port)")
            #expect(!configuration.redactedURL.contains("@"))
        }
    }

    @Test func percentEncodedURLPasswordIsDecoded() async throws {
        try await TestHTTPServer.with { server in
            // `p%40ss` in a URL is the password `p@ss`.
            let configuration = PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("http://u:p%40ss@127.0.0.1:\(server.port)"))
            let request = try await sentRequest(server, configuration)
            #expect(request.header("Authorization") == "Basic " + Data("u:p@ss".utf8).base64EncodedString())
            #expect(!configuration.redactedURL.contains("ss@"))
        }
    }

    @Test func extraAndStandardHeadersAreSent() async throws {
        try await TestHTTPServer.with { server in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL, headers: [("X-Scope-OrgID", "tenant-1")]))
            #expect(request.header("X-Scope-OrgID") == "tenant-1")
            #expect(request.header("Accept") == "application/json")
            #expect(request.header("User-Agent") == "perfscope")
            #expect(request.header("Authorization") == nil)
        }
    }

    // MARK: Encoding, method and path

    static let trickyPromQL = #"sum by (job) (rate(http_requests_total{job=~"api|web.*",path!="/a&b=c d"}[5m])) + 1 % 2"#

    @Test func shortQueryIsGETWithEncodedQuery() async throws {
        try await TestHTTPServer.with { server in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL), Self.trickyPromQL)
            #expect(request.method == .GET)
            #expect(request.path == "/api/v1/query")
            #expect(request.body.isEmpty)
            let parameters = request.queryParameters
            #expect(parameters.count == 1)
            #expect(parameters.first?.0 == "query")
            #expect(parameters.first?.1 == Self.trickyPromQL)
        }
    }

    @Test func nonASCIIQueryIsPercentEncoded() async throws {
        let promql = #"up{instance="café-µ-東京"}"#
        try await TestHTTPServer.with { server in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL), promql)
            #expect(request.uri.allSatisfy { $0.isASCII }, "\(request.uri)")
            #expect(request.queryParameters.first?.1 == promql)
        }
    }

    @Test func longQueryIsPOSTWithFormBody() async throws {
        try await TestHTTPServer.with { server in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL, postThreshold: 16), Self.trickyPromQL)
            #expect(request.method == .POST)
            #expect(request.uri == "/api/v1/query")
            #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
            let form = request.formParameters
            #expect(form.count == 1)
            #expect(form.first?.0 == "query")
            #expect(form.first?.1 == Self.trickyPromQL)
        }
    }

    @Test(arguments: ["/prom/", "/prom"])
    func pathPrefixIsKept(prefix: String) async throws {
        try await TestHTTPServer.with { server in
            let url = try PrometheusConfiguration.parseURL("http://127.0.0.1:\(server.port)\(prefix)")
            let request = try await sentRequest(server, PrometheusConfiguration(url: url))
            #expect(request.path == "/prom/api/v1/query")
        }
    }

    // MARK: Failures

    @Test func unauthorizedIsReportedWithoutTheSecret() async throws {
        try await TestHTTPServer.with(responder: { _ in .respond(.unauthorized, contentType: "text/plain", body: "Unauthorized\n") }) { server in
            let error = try #require(try await queryError(PrometheusConfiguration(url: server.baseURL, authentication: .bearer(token: "s3cr3t"))))
            #expect(error.label == "unauthorized")
            #expect(error.status == 401)
            #expect(error.message.contains("--token"))
            #expect(!error.message.contains("\n"))
            #expect(!error.message.contains("s3cr3t"))
            #expect(server.requests.first?.header("Authorization") == "Bearer s3cr3t")
        }
    }

    @Test func unavailableEnvelopeMapsToUnavailable() async throws {
        let envelope = #"{"status":"error","errorType":"unavailable","error":"x"}"#
        try await TestHTTPServer.with(responder: { _ in .respond(.serviceUnavailable, body: envelope) }) { server in
            let error = try #require(try await queryError(PrometheusConfiguration(url: server.baseURL)))
            #expect(error.label == "unavailable")
            #expect(error.errorType == "unavailable")
            #expect(error.status == 503)
            #expect(error.kind == .upstreamUnavailable)
        }
    }

    @Test func htmlBadGatewayMapsToHTTPStatus() async throws {
        let html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>\n"
        try await TestHTTPServer.with(responder: { _ in .respond(.badGateway, contentType: "text/html", body: html) }) { server in
            let error = try #require(try await queryError(PrometheusConfiguration(url: server.baseURL)))
            #expect(error.label == "http_status")
            #expect(error.status == 502)
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func silentServerTimesOut() async throws {
        try await TestHTTPServer.with(responder: { _ in .noAnswer }) { server in
            let started = ContinuousClock.now
            let error = try #require(try await queryError(PrometheusConfiguration(url: server.baseURL, timeout: .seconds(1))))
            let elapsed = ContinuousClock.now - started
            #expect(error.label == "request_timeout")
            #expect(error.kind == .upstreamUnavailable)
            #expect(!error.message.contains("\n"))
            // Only a bound against hanging: the suite runs in parallel on a small machine.
            #expect(elapsed < .seconds(60), "took \(elapsed)")
        }
    }

    @Test func credentialsInURLStayOutOfTransportErrors() async throws {
        // A port that was just bound and released: nothing listens there.
        let server = try await TestHTTPServer.start()
        let port = server.port
        await server.stop()
        let url = try PrometheusConfiguration.parseURL("http://admin:hunter2@127.0.0.1:\(port)")
        let error = try #require(try await queryError(PrometheusConfiguration(url: url, timeout: .seconds(1))))
        #expect(error.label == "unreachable")
        #expect(!error.message.contains("hunter2"))
        #expect(!error.message.contains("admin"))
        #expect(!error.message.contains("\n"))
    }

    // MARK: TLS

    func withTLSServer(_ body: (TestHTTPServer, TestTLSFiles) async throws -> Void) async throws {
        let files = try TestTLSFiles.make()
        defer { files.remove() }
        let context = try files.serverContext()
        try await TestHTTPServer.with(tls: context) { server in try await body(server, files) }
    }

    @Test(needsOpenSSL) func tlsWithUntrustedCertificateFails() async throws {
        try await withTLSServer { server, _ in
            // The timeout bounds how long the client retries a failed handshake (otherwise the 5 s connect timeout).
            let error = try #require(try await queryError(PrometheusConfiguration(url: server.baseURL, timeout: .seconds(2))))
            #expect(error.label == "unreachable")
            #expect(error.message.contains("TLS handshake failed"), "\(error.message)")
            #expect(!error.message.contains("\n"))
            #expect(server.requests.isEmpty)
        }
    }

    @Test(needsOpenSSL) func tlsWithCAFileSucceeds() async throws {
        try await withTLSServer { server, files in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL, authentication: .bearer(token: "s3cr3t"),
                                                                                caFile: files.caFile))
            #expect(request.path == "/api/v1/query")
            #expect(request.header("Authorization") == "Bearer s3cr3t")
        }
    }

    @Test(needsOpenSSL) func tlsInsecureSkipVerifySucceeds() async throws {
        try await withTLSServer { server, _ in
            let request = try await sentRequest(server, PrometheusConfiguration(url: server.baseURL, insecureSkipVerify: true))
            #expect(request.path == "/api/v1/query")
        }
    }

    @Test func caFileThatIsNotPEMIsAConfigurationError() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-not-a-ca-\(UUID().uuidString).pem").path
        try "this is not a certificate\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = PrometheusConfiguration(url: URL(string: "https://127.0.0.1:1")!, caFile: path)
        do {
            let client = try PrometheusClient(configuration: configuration)
            Issue.record("expected a configuration error, got a client")
            await client.shutdown()
        } catch let error as PrometheusError {
            #expect(error.label == "configuration")
            #expect(error.kind == .configuration)
            #expect(error.message.contains(path))
        }
    }
}
