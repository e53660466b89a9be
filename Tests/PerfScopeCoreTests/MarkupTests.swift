import Foundation
import PerfScopeCore
import Testing

/// Escaping per Unicode scalar: a combining mark, a prepended concatenation mark (U+0600), a ZWJ
/// or a BOM glued to `<` must not let a tag through HTML, SVG or Markdown.
@Suite struct MarkupTests {
    static let hostile = [
        "\u{0600}<img src=x onerror=alert(1)>", "a\u{0301}<script>alert(1)</script>", "\u{200D}<b>zwj</b>", "\u{FEFF}<svg onload=alert(1)>",
        "\u{0610}\u{0600}<iframe>", "e\u{FE0F}<a href=javascript:alert(1)>", "\u{1F1FA}<i>", "\"'><img src=x>",
    ]

    /// Whether the label's own tag (from its `<` on) is in the markup as written: a live tag.
    static func live(_ markup: String, _ label: String) -> Bool {
        guard let open = label.unicodeScalars.firstIndex(of: "<") else { return false }
        return markup.contains(String(label.unicodeScalars[open...]))
    }

    static let wal = CatalogMetric(
        name: "wal_fsync_p99", group: "etcd", subsystem: "wal-fsync", title: "WAL fsync p99", description: "d",
        query: "q", unit: .seconds, statistic: .avg, thresholds: Thresholds(direction: .above, medium: 0.01, high: 0.5, critical: 1),
        category: .disk, requires: ["etcd_disk_wal_fsync_duration_seconds_bucket"], hides: "h", reference: "etcd docs")

    /// A report whose instance, labels, source and data gap all carry `label`: a finding, its
    /// evidence, a chart line and the metrics table show it.
    static func report(_ label: String) throws -> Report {
        let window = try TimeWindow(duration: 600, endingAt: Date(timeIntervalSince1970: 1_800_000_000))
        let summary = MetricSummary(metric: "wal_fsync_p99", subsystem: "wal-fsync", instance: label, labels: ["device": label], unit: .seconds,
                                    stats: WindowStatistics(values: [0.8, 0.9])!, query: "q")
        let series = TimeSeries(metric: "wal_fsync_p99", instance: label, labels: ["device": label],
                                times: (0..<10).map { window.start.timeIntervalSince1970 + Double($0) * 60 }, values: Array(repeating: 0.9, count: 10))
        return ReportBuilder.build(id: "run-1", generatedAt: window.end, window: window, catalog: [wal], summaries: [summary],
                                   dataGaps: [DataGap(subsystem: label, reason: label)], source: label, series: [series], diagnose: false)
    }

    @Test(arguments: hostile)
    func htmlSVGAndMarkdownHaveNoLiveTag(label: String) throws {
        #expect(!Self.live(Markup.html(label), label))
        let report = try Self.report(label)
        let html = HTMLRenderer().render(report)
        #expect(!Self.live(html, label), "\(html)")
        #expect(!Self.live(MarkdownRenderer().render(report), label))
        #expect(!report.charts.isEmpty && report.charts.allSatisfy { !Self.live(SVGChart.render($0), label) })
        #expect(!report.findings.isEmpty && html.contains("&lt;"))
    }

    @Test func markdownCellsCannotBreakTheTable() {
        #expect(Markup.markdown("a|b\nc\\") == "a\\|b c\\\\")
        #expect(Markup.markdown("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))")
        #expect(Markup.markdown("`code` \u{1B}[2J") == "\\`code\\` \\[2J")
        #expect(Markup.markdownCode("a`b\nc") == "a'b c")
    }

    @Test(arguments: [
        ("plain", "plain"), ("\u{1B}[2Jclear", "clear"), ("\u{1B}]0;title\u{07}text", "text"), ("\u{1B}]8;;http://x\u{1B}\\link", "link"),
        ("a\u{9B}31mb", "a31mb"), ("bell\u{07}", "bell"), ("cr\rover", "crover"), ("csv\r\nrow\r\n", "csv\r\nrow\r\n"), ("osc\u{1B}]0;t", "osc"), ("tab\tand\nline", "tab\tand\nline"),
        ("rtl\u{202E}txt", "rtltxt"), ("\u{1B}[31mred\u{1B}[0m", "red"), ("end\u{1B}", "end"),
    ])
    func terminalTextDropsEscapes(input: String, expected: String) {
        #expect(TerminalText.sanitize(input) == expected)
    }

    @Test func terminalTextKeepsOnlyTheRenderersColours() {
        let text = "\u{1B}[1;31mcritical\u{1B}[0m \u{1B}[8mhidden\u{1B}[0m"
        #expect(TerminalText.sanitize(text, keepingSGR: TextRenderer.sgrCodes) == "\u{1B}[1;31mcritical\u{1B}[0m hidden\u{1B}[0m")
    }
}
