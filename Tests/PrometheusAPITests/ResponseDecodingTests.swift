import Foundation
import PerfScopeCore
@testable import PrometheusAPI
import Testing

@Suite struct ResponseDecodingTests {
    func decode(_ json: String) throws -> Envelope<RawQueryData> {
        try JSONDecoder().decode(Envelope<RawQueryData>.self, from: Data(json.utf8))
    }

    @Test func vectorWithSpecialValuesAndWarnings() throws {
        let env = try decode(#"""
        {"status":"success","warnings":["partial response"],"data":{"resultType":"vector","result":[
          {"metric":{"instance":"a"},"value":[1700000000.5,"NaN"]},
          {"metric":{"instance":"b"},"value":[1700000000.5,"+Inf"]},
          {"metric":{"instance":"c"},"value":[1700000000.5,"-Inf"]},
          {"metric":{"instance":"d"},"value":[1700000000.5,"1.5e-3"]}]}}
        """#)
        #expect(env.warnings == ["partial response"])
        let series = try #require(env.data).result.series
        #expect(series.count == 4)
        #expect(series[0].value?.isNaN == true)
        #expect(series[1].value == .infinity)
        #expect(series[2].value == -.infinity)
        #expect(series[3].value == 0.0015)
        #expect(series[3].points[0].time == 1_700_000_000.5)
    }

    @Test func matrixScalarString() throws {
        let m = try decode(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[2,"2"]]}]}}"#)
        #expect(m.data?.result == .matrix([Series(labels: [:], points: [SamplePoint(time: 1, value: 1), SamplePoint(time: 2, value: 2)])]))
        let s = try decode(#"{"status":"success","data":{"resultType":"scalar","result":[5,"42"]}}"#)
        #expect(s.data?.result == .scalar(SamplePoint(time: 5, value: 42)))
        let t = try decode(#"{"status":"success","data":{"resultType":"string","result":[5,"hello"]}}"#)
        #expect(t.data?.result == .string(time: 5, value: "hello"))
    }

    @Test func nativeHistogramFieldsAreTolerated() throws {
        let env = try decode(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"b"},"histogram":[1,{"count":"3","sum":"1","buckets":[]}]}]}}"#)
        #expect(env.data?.result.series.first?.points.isEmpty == true)
    }

    @Test func badValueIsADecodingError() {
        #expect(throws: DecodingError.self) {
            try decode(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}"#)
        }
    }

    @Test(arguments: [
        ("bad_data", "bad_data", ErrorKind.invalidInput),
        ("execution", "execution", .upstreamFailed),
        ("timeout", "timeout", .upstreamUnavailable),
        ("canceled", "canceled", .upstreamUnavailable),
        ("unavailable", "unavailable", .upstreamUnavailable),
        ("not_found", "not_found", .notFound),
        ("internal", "internal", .upstreamFailed),
        ("something_new", "api_error", .upstreamFailed),
    ])
    func errorEnvelopeMapping(errorType: String, label: String, kind: ErrorKind) {
        let e = PrometheusError.api(errorType: errorType, error: "line one\nline two", status: 422, url: "http://p:9090")
        #expect(e.label == label)
        #expect(e.kind == kind)
        #expect(e.errorType == errorType)
        #expect(!e.message.contains("\n"))
        #expect(e.message.contains("line one line two"))
    }

    @Test(arguments: ["127.0.0.1:9090", "ftp://x", "http://", "not a url", ""])
    func invalidURLs(text: String) {
        #expect(throws: PrometheusError.self) { try PrometheusConfiguration.parseURL(text) }
    }

    @Test func credentialsAreRedacted() throws {
        let c = PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("https://user:secret@thanos.example:10902/prefix"))
        #expect(c.redactedURL == "https://thanos.example:10902/prefix")
        #expect(!PrometheusClient.formEncode([("query", "a\"b c&d")]).contains("&d"))
    }

    @Test(arguments: [("X-Scope-OrgID: tenant-1", "X-Scope-OrgID", "tenant-1"), ("A:b:c", "A", "b:c"), ("Name:   v  ", "Name", "v")])
    func headers(text: String, name: String, value: String) throws {
        let h = try PrometheusConfiguration.parseHeader(text)
        #expect(h.name == name)
        #expect(h.value == value)
    }

    @Test(arguments: ["no colon", ": value", "bad name: v"])
    func badHeaders(text: String) {
        #expect(throws: PrometheusError.self) { try PrometheusConfiguration.parseHeader(text) }
    }
}
