import Foundation
@testable import PrometheusAPI
import Testing

/// The captured exposition fixtures (a copied resource folder).
enum ExpositionFixtures {
    static let etcd = "etcd-3.4-metrics.txt"
    static let nodeExporter = "node-exporter-1.5-metrics.txt"
    static let openMetrics = "python-client-0.26-openmetrics.txt"

    static func url(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name)
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }

    static func exists(_ name: String) -> Bool {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return false }
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
    }
}

/// Values equal, or both NaN.
func sameValue(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (x?, y?): x == y || (x.isNaN && y.isNaN)
    default: false
    }
}

@Suite struct ExpositionParserTests {
    // MARK: Basics

    @Test func textFormatFamiliesHelpTypeAndLabels() throws {
        let families = try ExpositionParser.parse("""
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # A plain comment.
        # TYPE temperature gauge
        temperature -3.5
        """)
        #expect(families.count == 2)
        let requests = try #require(families.family(named: "http_requests_total"))
        #expect(requests.type == .counter)
        #expect(requests.help == "The total number of HTTP requests.")
        #expect(requests.samples == [
            Sample(name: "http_requests_total", labels: ["method": "post", "code": "200"], value: 1027, timestamp: 1_395_066_363),
            Sample(name: "http_requests_total", labels: ["method": "post", "code": "400"], value: 3, timestamp: 1_395_066_363),
        ])
        #expect(requests.value(labels: ["method": "post", "code": "400"]) == 3)
        let temperature = try #require(families.family(named: "temperature"))
        #expect(temperature.type == .gauge)
        #expect(temperature.help == nil)
        #expect(temperature.samples == [Sample(name: "temperature", value: -3.5)])
    }

    @Test func emptyInputHasNoFamilies() throws {
        #expect(try ExpositionParser.parse("").isEmpty)
        #expect(try ExpositionParser.parse("\n\n  \r\n# just a comment\n").isEmpty)
    }

    @Test(arguments: [
        ("1", 1.0), ("-2.5e-3", -0.0025), ("+Inf", .infinity), ("Inf", .infinity), ("-Inf", -.infinity),
        ("inf", .infinity), ("NaN", .nan), ("nan", .nan), ("1e3", 1000), ("1E+3", 1000), ("2.5E-05", 0.000025),
        ("0.000123", 0.000123), (".5", 0.5), ("5.", 5), ("-0", -0.0), ("007", 7), ("1.6773e+09", 1.6773e9),
        ("12345678901234567890", 1.2345678901234567e19), ("1.7976931348623157e308", .greatestFiniteMagnitude),
        ("4.9e-324", .leastNonzeroMagnitude), ("0.008937823000000001", 0.008937823000000001),
        ("123456789012345678901234567890e-10", 1.2345678901234567e19), ("1e400", .infinity),
    ] as [(String, Double)])
    func values(text: String, expected: Double) throws {
        let families = try ExpositionParser.parse("x \(text)\n")
        let value = try #require(families.first?.samples.first?.value)
        #expect(sameValue(value, expected), "\(text) parsed as \(value)")
        #expect(value.sign == expected.sign || expected.isNaN)
    }

    @Test func fastPathAgreesWithStandardLibraryOnRandomDecimals() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let digits = String((0..<Int.random(in: 1...18, using: &rng)).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            let point = Int.random(in: 0...digits.count, using: &rng)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if Bool.random(using: &rng) { text += "e\(Int.random(in: -30...30, using: &rng))" }
            if Bool.random(using: &rng) { text = "-" + text }
            let expected = try #require(Double(text))
            let parsed = ExpositionNumber.parseDouble(text)
            #expect(parsed == expected, "\(text)")
            if parsed != expected { return }
        }
    }

    // MARK: Labels and escapes

    @Test(arguments: [
        (#"a="x\\y""#, #"x\y"#),
        (#"a="say \"hi\"""#, #"say "hi""#),
        (#"a="line1\nline2""#, "line1\nline2"),
        (#"a="C:\\dir\\""#, #"C:\dir\"#),
        (#"a="tab\there""#, #"tab\there"#),
        (#"a="""#, ""),
        (#"a="{},=# } \"""#, #"{},=# } ""#),
        (#"a="héllo ✓""#, "héllo ✓"),
        (#" a = "spaced" , "#, "spaced"),
    ])
    func labelValueEscapes(labels: String, expected: String) throws {
        let families = try ExpositionParser.parse("x{\(labels)} 1\n")
        #expect(families.first?.samples.first?.labels == ["a": expected])
    }

    @Test func labelSetsTolerateTrailingCommaSpacesAndEmptyBraces() throws {
        let families = try ExpositionParser.parse("""
        a{x="1",} 1
        b {x="1", y="2"} 2
        c{} 3
        d{__name__x="1",_y="2",Z9="3"} 4
        """)
        #expect(families.map(\.name) == ["a", "b", "c", "d"])
        #expect(families[0].samples[0].labels == ["x": "1"])
        #expect(families[1].samples[0].labels == ["x": "1", "y": "2"])
        #expect(families[2].samples[0].labels == [:])
        #expect(families[3].samples[0].labels == ["__name__x": "1", "_y": "2", "Z9": "3"])
    }

    @Test(arguments: [
        (ExpositionFormat.text, #"a \\ b \n c \" d \t"#, "a \\ b \n c \\\" d \\t"),
        (ExpositionFormat.openMetrics, #"a \\ b \n c \" d \t"#, "a \\ b \n c \" d \\t"),
        (ExpositionFormat.text, "", ""),
        (ExpositionFormat.text, "trailing backslash \\", "trailing backslash \\"),
    ])
    func helpEscapes(format: ExpositionFormat, help: String, expected: String) throws {
        let eof = format == .openMetrics ? "# EOF\n" : ""
        let families = try ExpositionParser.parse("# HELP x \(help)\n# TYPE x gauge\nx 1\n\(eof)", format: format)
        #expect(families.first?.help == expected)
    }

    // MARK: Timestamps

    @Test(arguments: [
        (ExpositionFormat.text, "1395066363000", 1_395_066_363.0),
        (ExpositionFormat.text, "-1000", -1.0),
        (ExpositionFormat.text, "1", 0.001),
        (ExpositionFormat.text, "9223372036854775807", 9_223_372_036_854_775.807),
        (ExpositionFormat.openMetrics, "1520879607.789", 1_520_879_607.789),
        (ExpositionFormat.openMetrics, "1520879607", 1_520_879_607),
        (ExpositionFormat.openMetrics, "1.5e9", 1.5e9),
    ])
    func timestamps(format: ExpositionFormat, text: String, seconds: Double) throws {
        let eof = format == .openMetrics ? "# EOF\n" : ""
        let families = try ExpositionParser.parse("x 1 \(text)\n\(eof)", format: format)
        #expect(families.first?.samples.first?.timestamp == seconds)
    }

    @Test(arguments: [
        (ExpositionFormat.text, "12.5", "invalid timestamp \"12.5\" (expected integer milliseconds)"),
        (ExpositionFormat.text, "99999999999999999999", "timestamp \"99999999999999999999\" out of range"),
        (ExpositionFormat.text, "-9223372036854775809", "timestamp \"-9223372036854775809\" out of range"),
        (ExpositionFormat.text, "1e3", "invalid timestamp \"1e3\" (expected integer milliseconds)"),
        (ExpositionFormat.openMetrics, "NaN", "invalid timestamp \"NaN\" (expected seconds)"),
        (ExpositionFormat.openMetrics, "+Inf", "invalid timestamp \"+Inf\" (expected seconds)"),
        (ExpositionFormat.openMetrics, "soon", "invalid timestamp \"soon\" (expected seconds)"),
    ])
    func badTimestamps(format: ExpositionFormat, text: String, message: String) throws {
        let eof = format == .openMetrics ? "# EOF\n" : ""
        let error = #expect(throws: ExpositionError.self) {
            try ExpositionParser.parse("x 1\nx{a=\"b\"} 1 \(text)\n\(eof)", format: format)
        }
        #expect(error?.kind == .invalidTimestamp)
        #expect(error?.description == "line 2: \(message)")
    }

    // MARK: Exemplars

    @Test(arguments: [
        #"foo_bucket{le="0.5"} 3 # {trace_id="KOO5S4vxi0o"} 0.67"#,
        #"foo_bucket{le="0.5"} 3 # {trace_id="KOO5S4vxi0o"} 0.67 1520879607.789"#,
        #"foo_bucket{le="0.5"} 3 1520879607.789 # {trace_id="x"} 0.67 1520879607.789"#,
        #"foo_bucket{le="0.5"} 3 # {a="} # {"} 1 junk { \"#,
        #"foo_bucket{le="0.5"} 3 #"#,
    ])
    func exemplarsAreSkipped(line: String) throws {
        let text = "# TYPE foo histogram\n\(line)\nfoo_count 3\n# EOF\n"
        let families = try ExpositionParser.parse(text, format: .openMetrics)
        #expect(families.count == 1)
        #expect(families[0].samples.map(\.name) == ["foo_bucket", "foo_count"])
        #expect(families[0].samples[0].value == 3)
        #expect(families[0].samples[0].labels == ["le": "0.5"])
    }

    // MARK: Grouping

    @Test func histogramGroupingAndAccessors() throws {
        let families = try ExpositionParser.parse("""
        # HELP rpc_duration_seconds RPC latency.
        # TYPE rpc_duration_seconds histogram
        rpc_duration_seconds_bucket{method="get",le="1"} 4
        rpc_duration_seconds_bucket{method="get",le="0.1"} 1
        rpc_duration_seconds_bucket{method="get",le="+Inf"} 5
        rpc_duration_seconds_sum{method="get"} 7.5
        rpc_duration_seconds_count{method="get"} 5
        rpc_duration_seconds_bucket{method="put",le="0.1"} 0
        rpc_duration_seconds_bucket{method="put",le="+Inf"} 2
        rpc_duration_seconds_sum{method="put"} 0.5
        rpc_duration_seconds_count{method="put"} 2
        other 1
        """)
        #expect(families.map(\.name) == ["rpc_duration_seconds", "other"])
        let family = families[0]
        #expect(family.type == .histogram)
        #expect(family.samples.count == 9)
        let series = family.histograms()
        #expect(series.map(\.labels) == [["method": "get"], ["method": "put"]])
        let get = try #require(family.histogram(labels: ["method": "get"]))
        #expect(get.buckets == [.init(le: 0.1, count: 1), .init(le: 1, count: 4), .init(le: .infinity, count: 5)])
        #expect(get.sum == 7.5)
        #expect(get.count == 5)
        #expect(get.infinityBucketCount == get.count)
        #expect(family.histogram(labels: ["method": "delete"]) == nil)
        #expect(family.mainSamples.isEmpty)
    }

    @Test func summaryGroupingAndQuantiles() throws {
        let families = try ExpositionParser.parse("""
        # TYPE go_gc_duration_seconds summary
        go_gc_duration_seconds{quantile="0"} 1.1e-05
        go_gc_duration_seconds{quantile="0.5"} 3.2e-05
        go_gc_duration_seconds{quantile="1"} NaN
        go_gc_duration_seconds_sum 0.0042
        go_gc_duration_seconds_count 17
        """)
        #expect(families.count == 1)
        let summary = try #require(families[0].summary())
        #expect(families[0].type == .summary)
        #expect(summary.quantiles == [.init(quantile: 0, value: 1.1e-05), .init(quantile: 0.5, value: 3.2e-05), .init(quantile: 1, value: .nan)])
        #expect(summary.sum == 0.0042)
        #expect(summary.count == 17)
        #expect(families[0].summaries().count == 1)
    }

    @Test func openMetricsCounterGaugeHistogramStateSetInfoAndUnit() throws {
        let families = try ExpositionParser.parse("""
        # TYPE process_cpu_seconds counter
        # UNIT process_cpu_seconds seconds
        # HELP process_cpu_seconds Total user and system CPU time spent in seconds.
        process_cpu_seconds_total 4.2
        process_cpu_seconds_created 1.7e9
        # TYPE queue_size gaugehistogram
        queue_size_bucket{le="10"} 3
        queue_size_bucket{le="+Inf"} 4
        queue_size_gcount 4
        queue_size_gsum 21
        # TYPE feature stateset
        feature{feature="a"} 1
        feature{feature="b"} 0
        # TYPE build info
        build_info{version="1.2"} 1
        # TYPE mystery unknown
        mystery 7
        # EOF
        """)
        #expect(families.map(\.name) == ["process_cpu_seconds", "queue_size", "feature", "build", "mystery"])
        #expect(families.map(\.type) == [.counter, .gaugehistogram, .stateset, .info, .untyped])
        let counter = families[0]
        #expect(counter.unit == "seconds")
        #expect(counter.help == "Total user and system CPU time spent in seconds.")
        #expect(counter.samples.map(\.name) == ["process_cpu_seconds_total", "process_cpu_seconds_created"])
        #expect(counter.value() == 4.2)
        let gauge = try #require(families[1].histogram())
        #expect(gauge.count == 4)
        #expect(gauge.sum == 21)
        #expect(gauge.buckets.map(\.le) == [10, .infinity])
        #expect(families[2].samples.count == 2)
        #expect(families[3].value(labels: ["version": "1.2"]) == 1)
    }

    @Test func samplesWithoutTypeAreUntypedFamiliesOfTheirOwnName() throws {
        let families = try ExpositionParser.parse("""
        plain 1
        rpc_sum 2
        rpc_count 3
        # TYPE declared untyped
        declared 4
        plain{a="b"} 5
        # TYPE g gauge
        g 1
        g_sum 2
        """)
        #expect(families.map(\.name) == ["plain", "rpc_sum", "rpc_count", "declared", "g", "g_sum"])
        #expect(families.allSatisfy { $0.type == .untyped || $0.name == "g" })
        #expect(families[0].samples.count == 2, "non-adjacent samples of one name join their family")
    }

    @Test func textCounterWithTotalNameAndSuffixLookupAcrossFamilies() throws {
        let families = try ExpositionParser.parse("""
        # TYPE a counter
        # TYPE b histogram
        a_total 1
        b_bucket{le="+Inf"} 2
        a_created 3
        b_count 2
        """)
        #expect(families.map(\.name) == ["a", "b"])
        #expect(families[0].samples.map(\.name) == ["a_total", "a_created"])
        #expect(families[1].samples.map(\.name) == ["b_bucket", "b_count"])
    }

    // MARK: Line endings and whitespace

    @Test func crlfTrailingAndLeadingWhitespace() throws {
        let text = "# HELP x Help.  \r\n# TYPE x gauge\t\r\n  x{a=\"b\"}  1.5  \t\r\n\r\n   \r\n\tx 2 1000 \r\n"
        let families = try ExpositionParser.parse(text)
        #expect(families.count == 1)
        #expect(families[0].help == "Help.")
        #expect(families[0].samples == [Sample(name: "x", labels: ["a": "b"], value: 1.5), Sample(name: "x", value: 2, timestamp: 1)])
    }

    @Test func noTrailingNewline() throws {
        #expect(try ExpositionParser.parse("x 1").first?.samples.first?.value == 1)
        #expect(try ExpositionParser.parse("x 1\n# EOF").first?.samples.count == 1)
    }

    // MARK: OpenMetrics framing and format detection

    @Test func openMetricsWithoutEOFFailsStrictly() throws {
        let error = #expect(throws: ExpositionError.self) {
            try ExpositionParser.parse("# TYPE x gauge\nx 1\n", format: .openMetrics)
        }
        #expect(error?.kind == .missingEOF)
        #expect(error?.label == "missing_eof")
        #expect(error?.description == "line 2: missing '# EOF' at the end of OpenMetrics input (truncated?)")

        let lenient = try ExpositionParser.parse("# TYPE x gauge\nx 1\n", format: .openMetrics, lenient: true)
        #expect(lenient.families.first?.samples.count == 1)
        #expect(lenient.diagnostics.map(\.kind) == [.missingEOF])
    }

    @Test func contentAfterEOFFails() throws {
        let error = #expect(throws: ExpositionError.self) {
            try ExpositionParser.parse("x 1\n# EOF\n\nx 2\n", format: .openMetrics)
        }
        #expect(error?.kind == .contentAfterEOF)
        #expect(error?.line == 4)
        #expect(try ExpositionParser.parse("x 1\n# EOF\n\n  \n", format: .openMetrics).count == 1)
    }

    @Test func autoDetectsOpenMetricsByEOF() throws {
        let om = try ExpositionParser.parse("x 1 1.5\n# EOF\n\n", lenient: false)
        #expect(om.format == .openMetrics)
        #expect(om.families.first?.samples.first?.timestamp == 1.5)
        let text = try ExpositionParser.parse("x 1 1500\n", lenient: false)
        #expect(text.format == .text)
        #expect(text.families.first?.samples.first?.timestamp == 1.5)
        #expect(ExpositionParser.detectFormat(bytes: Array("a 1\n# EOF".utf8)) == .openMetrics)
        #expect(ExpositionParser.detectFormat(bytes: Array("a 1\nb# EOF\n".utf8)) == .text)
        #expect(ExpositionParser.detectFormat(bytes: Array("# EOF".utf8)) == .openMetrics)
        // In 0.0.4 text a '# EOF' is only a comment.
        #expect(try ExpositionParser.parse("# EOF\nx 1\n", format: .text).count == 1)
    }

    @Test(arguments: [
        ("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormat.openMetrics),
        ("Application/OpenMetrics-Text", .openMetrics),
        ("text/plain; version=0.0.4; charset=utf-8", .text),
        (" text/plain ", .text),
        ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", .auto),
        ("application/json", .auto),
        ("", .auto),
    ] as [(String, ExpositionFormat)])
    func contentTypes(header: String, expected: ExpositionFormat) {
        #expect(ExpositionFormat(contentType: header) == expected)
    }

    @Test func nilContentTypeIsAuto() {
        #expect(ExpositionFormat(contentType: nil) == .auto)
    }

    // MARK: Input kinds

    @Test func bytesDataAndNonContiguousCollectionsAgree() throws {
        let text = "# TYPE x counter\nx_total{a=\"b\"} 1\ny 2 3000\n"
        let fromString = try ExpositionParser.parse(text)
        #expect(try ExpositionParser.parse(bytes: Array(text.utf8)) == fromString)
        #expect(try ExpositionParser.parse(data: Data(text.utf8)) == fromString)
        #expect(try ExpositionParser.parse(bytes: text.utf8.lazy.map { $0 }) == fromString)
        #expect(try ExpositionParser.parse(bytes: ArraySlice(Array(("junk\n" + text).utf8).dropFirst(5))) == fromString)
    }

    // MARK: Errors

    struct BadInput: Sendable, CustomTestStringConvertible {
        var text: String
        var description: String
        var kind: ExpositionError.Kind
        var format: ExpositionFormat = .text
        var testDescription: String { description }
    }

    @Test(arguments: [
        BadInput(text: "a 1\nfoo{job 1\n", description: #"line 2: expected '=' after label name "job""#, kind: .invalidLabels),
        BadInput(text: "foo{job=\"x} 1\n", description: #"line 1: unterminated value of label "job""#, kind: .invalidLabels),
        BadInput(text: "foo{job=\"x\" 1\n", description: #"line 1: expected ',' or '}' after the value of label "job", found '1'"#, kind: .invalidLabels),
        BadInput(text: "foo{=\"x\"} 1", description: "line 1: expected a label name or '}', found '='", kind: .invalidLabels),
        BadInput(text: "foo{a=x} 1", description: #"line 1: expected '"' to open the value of label "a""#, kind: .invalidLabels),
        BadInput(text: "foo{a=\"1\",a=\"2\"} 1", description: #"line 1: duplicate label "a""#, kind: .invalidLabels),
        BadInput(text: "foo{a=\"b\"", description: "line 1: unterminated label set, expected '}'", kind: .invalidLabels),
        BadInput(text: "foo{a=\"b\\", description: #"line 1: unterminated value of label "a""#, kind: .invalidLabels),
        BadInput(text: "foo{a:b=\"1\"} 1", description: #"line 1: expected '=' after label name "a""#, kind: .invalidLabels),
        BadInput(text: "\n\nfoo\n", description: #"line 3: missing value for "foo""#, kind: .invalidValue),
        BadInput(text: "foo{} ", description: #"line 1: missing value for "foo""#, kind: .invalidValue),
        BadInput(text: "foo abc", description: #"line 1: invalid value "abc" for "foo""#, kind: .invalidValue),
        BadInput(text: "foo 1e", description: #"line 1: invalid value "1e" for "foo""#, kind: .invalidValue),
        BadInput(text: "foo 1 2 3", description: #"line 1: unexpected text "3" after the timestamp of "foo""#, kind: .unexpectedText),
        BadInput(text: "1foo 1", description: "line 1: expected a metric name, found '1'", kind: .invalidMetricName),
        BadInput(text: "{a=\"b\"} 1", description: "line 1: expected a metric name, found '{'", kind: .invalidMetricName),
        BadInput(text: "foo-bar 1", description: #"line 1: unexpected '-' in metric name "foo-bar""#, kind: .invalidMetricName),
        BadInput(text: "foo\u{1}\r 1", description: #"line 1: unexpected byte 0x1 in metric name "foo\u{1}\r""#, kind: .invalidMetricName),
        BadInput(text: "# TYPE foo blah", description: #"line 1: unknown metric type "blah" for "foo""#, kind: .invalidMetadata),
        BadInput(text: "# TYPE foo counter extra", description: #"line 1: unknown metric type "counter extra" for "foo""#, kind: .invalidMetadata),
        BadInput(text: "# TYPE foo", description: #"line 1: TYPE line for "foo" without a type"#, kind: .invalidMetadata),
        BadInput(text: "# TYPE", description: "line 1: TYPE line without a metric name", kind: .invalidMetadata),
        BadInput(text: "# HELP 9lives x", description: #"line 1: invalid metric name "9lives" in HELP line"#, kind: .invalidMetadata),
        BadInput(text: "# UNIT a-b s", description: #"line 1: invalid metric name "a-b" in UNIT line"#, kind: .invalidMetadata),
        BadInput(text: "# TYPE foo counter\n# TYPE foo gauge", description: #"line 2: second TYPE line for "foo""#, kind: .duplicateMetadata),
        BadInput(text: "foo 1\n# TYPE foo counter", description: #"line 2: TYPE line for "foo" after its samples"#, kind: .duplicateMetadata),
        BadInput(text: "# HELP foo a\n# HELP foo b", description: #"line 2: second HELP line for "foo""#, kind: .duplicateMetadata),
        BadInput(text: "# UNIT foo s\n# UNIT foo s", description: #"line 2: second UNIT line for "foo""#, kind: .duplicateMetadata),
        BadInput(text: "x 1\n", description: "line 1: missing '# EOF' at the end of OpenMetrics input (truncated?)", kind: .missingEOF, format: .openMetrics),
        BadInput(text: "", description: "line 1: missing '# EOF' at the end of OpenMetrics input (truncated?)", kind: .missingEOF, format: .openMetrics),
        BadInput(text: "# EOF\n# EOF\n", description: "line 2: unexpected content after '# EOF' (line 1)", kind: .contentAfterEOF, format: .openMetrics),
    ])
    func malformedInputsReportLineAndReason(input: BadInput) throws {
        let error = #expect(throws: ExpositionError.self) {
            try ExpositionParser.parse(input.text, format: input.format)
        }
        #expect(error?.description == input.description)
        #expect(error?.kind == input.kind)
        // Lenient parsing reports the same error instead of throwing.
        let lenient = try ExpositionParser.parse(input.text, format: input.format, lenient: true)
        #expect(lenient.diagnostics.first == error)
    }

    @Test func errorMessagesStayOnOneLineAndShort() throws {
        let long = String(repeating: "\u{7}\"\\x", count: 100)
        let error = #expect(throws: ExpositionError.self) { try ExpositionParser.parse("foo \(long)\n") }
        let description = try #require(error?.description)
        #expect(!description.contains("\n") && !description.contains("\r"))
        #expect(description.count < 200)
        #expect(description.hasPrefix(#"line 1: invalid value "\u{7}\"\\x"#))
        #expect(description.contains("…"))
    }

    @Test func invalidUTF8IsRepairedNotFatal() throws {
        var bytes = Array("x{a=\"".utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array("\"} 1\n".utf8)
        let families = try ExpositionParser.parse(bytes: bytes)
        #expect(families.first?.samples.first?.labels["a"] == "\u{FFFD}\u{FFFD}")
    }

    @Test func lenientModeSkipsBadLinesAndKeepsTheRest() throws {
        let result = try ExpositionParser.parse("""
        # TYPE a gauge
        a 1
        a{x="1" 2
        a{x="2"} 3
        b not-a-number
        # TYPE a counter
        c 4
        """, lenient: true)
        #expect(result.families.map(\.name) == ["a", "c"])
        #expect(result.families[0].samples.map(\.value) == [1, 3])
        #expect(result.diagnostics.map(\.line) == [3, 5, 6])
        #expect(result.diagnostics.map(\.kind) == [.invalidLabels, .invalidValue, .duplicateMetadata])
        #expect(result.sampleCount == 3)
    }

    // MARK: Real fixtures

    @Test(arguments: [ExpositionFixtures.etcd, ExpositionFixtures.nodeExporter])
    func textFixturesParseStrictlyAndLeniently(name: String) throws {
        let data = try ExpositionFixtures.data(name)
        let strict = try ExpositionParser.parse(data: data)
        #expect(strict.count > 50)
        let lenient = try ExpositionParser.parse(bytes: data, lenient: true)
        #expect(lenient.diagnostics.isEmpty)
        #expect(lenient.format == .text)
        #expect(lenient.families == strict)
        // Every histogram's +Inf bucket equals its count; every sample has a family of a known type.
        for family in strict where family.type == .histogram {
            for series in family.histograms() {
                #expect(series.buckets.last?.le == .infinity, "\(family.name) \(series.labels)")
                #expect(series.infinityBucketCount == series.count, "\(family.name) \(series.labels)")
            }
        }
    }

    @Test func etcdWALFsyncHistogram() throws {
        let families = try ExpositionParser.parse(data: ExpositionFixtures.data(ExpositionFixtures.etcd))
        let fsync = try #require(families.family(named: "etcd_disk_wal_fsync_duration_seconds"))
        #expect(fsync.type == .histogram)
        #expect(fsync.help?.isEmpty == false)
        let series = try #require(fsync.histogram())
        #expect(series.buckets.count > 5)
        #expect(series.buckets.last?.le == .infinity)
        #expect(series.buckets.map(\.le) == series.buckets.map(\.le).sorted())
        #expect(zip(series.buckets, series.buckets.dropFirst()).allSatisfy { $0.count <= $1.count }, "cumulative")
        #expect(series.count == series.buckets.last?.count)
        #expect((series.sum ?? -1) >= 0)
    }

    @Test func nodeExporterCPUSecondsCounter() throws {
        let families = try ExpositionParser.parse(data: ExpositionFixtures.data(ExpositionFixtures.nodeExporter))
        let cpu = try #require(families.family(named: "node_cpu_seconds_total"))
        #expect(cpu.type == .counter)
        #expect(!cpu.samples.isEmpty)
        #expect(cpu.samples.allSatisfy { $0.name == "node_cpu_seconds_total" && $0.labels["cpu"] != nil && $0.labels["mode"] != nil })
        #expect(Set(cpu.samples.compactMap { $0.labels["mode"] }).isSuperset(of: ["idle", "user", "system"]))
        #expect(cpu.value(labels: ["cpu": "0", "mode": "idle"]) != nil)
    }

    @Test(.enabled(if: ExpositionFixtures.exists(ExpositionFixtures.openMetrics), "OpenMetrics fixture not captured yet"))
    func openMetricsFixtureParsesStrictly() throws {
        let data = try ExpositionFixtures.data(ExpositionFixtures.openMetrics)
        #expect(ExpositionParser.detectFormat(bytes: data) == .openMetrics)
        let result = try ExpositionParser.parse(bytes: data, format: .openMetrics, lenient: false)
        #expect(result.families.count > 20)
        #expect(result.families.contains { $0.type == .counter && $0.samples.contains { $0.name.hasSuffix("_total") } })
        let lenient = try ExpositionParser.parse(bytes: data, format: .openMetrics, lenient: true)
        #expect(lenient.diagnostics.isEmpty)
        // OpenMetrics counters are named without _total; their samples keep it.
        for family in result.families where family.type == .counter {
            #expect(!family.name.hasSuffix("_total"), "\(family.name)")
        }
    }
}
