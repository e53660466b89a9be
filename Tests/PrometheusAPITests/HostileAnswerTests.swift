import Foundation
import NIOHTTP1
import PerfScopeCore
@testable import PrometheusAPI
import Testing

/// Redirects, oversized answers and malformed header flags: credentials and custom headers
/// stay with the origin they were meant for, caps hold before decoding, secrets are not echoed.
@Suite struct HostileAnswerTests {
    static let secretHeaders: [(name: String, value: String)] = [("X-Scope-OrgID", "tenant-1"), ("X-Api-Key", "k3y")]

    @Test(arguments: [HTTPResponseStatus.found, .temporaryRedirect, .movedPermanently, .permanentRedirect, .seeOther])
    func aRedirectToAnotherOriginDropsCredentialsAndCustomHeaders(status: HTTPResponseStatus) async throws {
        try await TestHTTPServer.with { other in
            try await TestHTTPServer.with(responder: { _ in .redirect(status, location: "\(other.baseURL)/api/v1/query?query=up") }) { first in
                let configuration = PrometheusConfiguration(url: first.baseURL, authentication: .bearer(token: "s3cr3t"), headers: Self.secretHeaders)
                try await PrometheusClient.withClient(configuration) { client in _ = try await client.query("up") }
                let sent = try #require(other.requests.first)
                #expect(sent.header("Authorization") == nil && sent.header("X-Scope-OrgID") == nil && sent.header("X-Api-Key") == nil)
                #expect(sent.header("User-Agent") == "perfscope")
                #expect(first.requests.first?.header("X-Api-Key") == "k3y")
            }
        }
    }

    @Test func aRedirectOnTheSameOriginKeepsThem() async throws {
        try await TestHTTPServer.with(responder: { r in r.path == "/old/api/v1/query" ? .redirect(.found, location: "/api/v1/query?query=up") : .emptyVector }) { server in
            let configuration = PrometheusConfiguration(url: server.baseURL.appendingPathComponent("old"), authentication: .bearer(token: "s3cr3t"),
                                                        headers: Self.secretHeaders)
            try await PrometheusClient.withClient(configuration) { client in _ = try await client.query("up") }
            let sent = try #require(server.requests.last)
            #expect(server.requests.count == 2 && sent.path == "/api/v1/query")
            #expect(sent.header("Authorization") == "Bearer s3cr3t" && sent.header("X-Api-Key") == "k3y")
        }
    }

    @Test func redirectLoopsEnd() async throws {
        try await TestHTTPServer.with(responder: { r in .redirect(.found, location: r.path == "/a" ? "/b" : "/a") }) { server in
            let configuration = PrometheusConfiguration(url: server.baseURL.appendingPathComponent("a"))
            await #expect(throws: PrometheusError.self) {
                try await PrometheusClient.withClient(configuration) { client in _ = try await client.query("up") }
            }
            #expect(server.requests.count <= 4)
        }
    }

    @Test func anAnswerOverTheCapIsRefusedBeforeDecoding() async throws {
        let big = #"{"status":"success","data":{"resultType":"vector","result":["# + String(repeating: #"{"metric":{"a":"b"},"value":[1,"1"]},"#, count: 40_000)
            + #"{"metric":{},"value":[1,"1"]}]}}"#
        try await TestHTTPServer.with(responder: { _ in .respond(.ok, body: big) }) { server in
            var configuration = PrometheusConfiguration(url: server.baseURL)
            configuration.maxResponseBytes = 1 << 20
            do {
                try await PrometheusClient.withClient(configuration) { client in _ = try await client.query("up") }
                Issue.record("a \(big.utf8.count)-byte answer was read under a 1 MiB cap")
            } catch let error as PrometheusError {
                #expect(error.kind == .invalidInput && error.message.contains("larger than 1 MiB"), "\(error.message)")
            }
        }
    }

    @Test(arguments: ["Authorization Bearer s3cr3t", "X-Key: s3cr3t\u{1B}[2J", "Bad Name: s3cr3t", ": s3cr3t"])
    func malformedHeadersAreNotEchoed(text: String) {
        do {
            _ = try PrometheusConfiguration.parseHeader(text)
            Issue.record("accepted \(text)")
        } catch let error as PrometheusError {
            #expect(!error.message.contains("s3cr3t"), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test(arguments: [#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"a"},"value":[1,"NaN"]},{"metric":{},"value":[1e300,"+Inf"]},{"metric":{},"value":[1,"1e400"]}]}}"#,
                      #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"-Inf"],[2,"9223372036854775808"],[3,"nan"]]}]}}"#,
                      #"{"status":"success","data":{"resultType":"scalar","result":[1e400,"1"]}}"#, #"{"status":1e300}"#, "[[[[[[[[[[", "NaN"])
    func hostileAnswersDecodeOrFailInOneLine(body: String) async throws {
        try await TestHTTPServer.with(responder: { _ in .respond(.ok, body: body) }) { server in
            do {
                let r = try await PrometheusClient.withClient(PrometheusConfiguration(url: server.baseURL)) { client in try await client.query("up") }
                _ = r.result.series.map { $0.value.map(CheckedNumber.text) }
            } catch let error as PrometheusError {
                #expect(!error.message.contains("\n"))
            }
        }
    }
}
