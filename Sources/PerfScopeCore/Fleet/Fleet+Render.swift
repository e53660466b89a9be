import Foundation

/// The fleet table in every report format; JSON also carries every cluster's full report.
extension Fleet {
    public struct Output: Sendable, Codable {
        public var label: String
        public var queries: Int
        public var fleet: [Row]
        public var reports: [Report]
    }

    public static func render(_ reports: [(cluster: String, report: Report)], label: String, queries: Int, format: ReportFormat) throws -> String {
        guard format == .json else { return render(rows: table(reports), label: label, queries: queries, format: format) }
        var out = try JSONStream.head(label: label, queries: queries)
        for (i, r) in reports.enumerated() { out += try JSONStream.report(r.report, first: i == 0) }
        return out + (try JSONStream.tail(rows: table(reports)))
    }

    /// The table in text, Markdown or HTML (JSON goes through `JSONStream`, with the reports).
    public static func render(rows: [Row], label: String, queries: Int, format: ReportFormat) -> String {
        let header = ["cluster", "grade", "members", "top root cause", "worst finding"]
        let cells = rows.map { [$0.cluster, $0.grade.rawValue, String($0.members), $0.topRootCause ?? "-", $0.worstFinding ?? "-"] }
        let counts = Dictionary(rows.map { ($0.grade.rawValue, 1) }, uniquingKeysWith: +)
        let tally = [Grade.critical, .poor, .fair, .good, .excellent].compactMap { g in counts[g.rawValue].map { "\($0) \(g.rawValue)" } }.joined(separator: ", ")
        let title = "perfscope fleet: \(rows.count) cluster\(rows.count == 1 ? "" : "s") by \(label) — \(tally); \(queries) queries"
        switch format {
        case .text, .json:
            return title + "\n\n" + Table.render([header] + cells, rightAligned: [2])
                + "\nEach cluster's report: perfscope history show RUN (stored under its cluster), or --format json.\n"
        case .markdown:
            func cell(_ s: String) -> String { Markup.markdown(s) }
            return "# \(cell(title))\n\n| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
                + cells.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
        case .html:
            func e(_ s: String) -> String { Markup.html(s) }
            return "<!doctype html><html><head><meta charset=\"utf-8\"><title>perfscope fleet</title></head><body><h1>\(e(title))</h1><table><tr>"
                + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
                + cells.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined() + "</table></body></html>\n"
        }
    }

    /// The fleet JSON (`Output`) written in pieces: the head, each report as it is built, then
    /// the table — so a hundred clusters' reports never sit in memory, or in one string, at once.
    public enum JSONStream {
        public static func head(label: String, queries: Int) throws -> String {
            "{\n  \"label\" : \(try string(label)),\n  \"queries\" : \(queries),\n  \"reports\" : [\n"
        }

        public static func report(_ report: Report, first: Bool) throws -> String {
            (first ? "" : ",\n") + String(decoding: try JSONRendering.encoder().encode(report), as: UTF8.self)
        }

        public static func tail(rows: [Row]) throws -> String {
            "\n  ],\n  \"fleet\" : " + String(decoding: try JSONRendering.encoder().encode(rows), as: UTF8.self) + "\n}\n"
        }

        static func string(_ s: String) throws -> String { String(decoding: try JSONEncoder().encode(s), as: UTF8.self) }
    }
}
