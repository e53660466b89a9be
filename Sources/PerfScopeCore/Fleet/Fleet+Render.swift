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
        let rows = table(reports)
        let header = ["cluster", "grade", "members", "top root cause", "worst finding"]
        let cells = rows.map { [$0.cluster, $0.grade.rawValue, String($0.members), $0.topRootCause ?? "-", $0.worstFinding ?? "-"] }
        let counts = Dictionary(rows.map { ($0.grade.rawValue, 1) }, uniquingKeysWith: +)
        let tally = [Grade.critical, .poor, .fair, .good, .excellent].compactMap { g in counts[g.rawValue].map { "\($0) \(g.rawValue)" } }.joined(separator: ", ")
        let title = "perfscope fleet: \(rows.count) cluster\(rows.count == 1 ? "" : "s") by \(label) — \(tally); \(queries) queries"
        switch format {
        case .text:
            return title + "\n\n" + Table.render([header] + cells, rightAligned: [2])
                + "\nEach cluster's report: perfscope history show RUN (stored under its cluster), or --format json.\n"
        case .markdown:
            func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
            return "# \(title)\n\n| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
                + cells.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
        case .html:
            func e(_ s: String) -> String {
                s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            }
            return "<!doctype html><html><head><meta charset=\"utf-8\"><title>perfscope fleet</title></head><body><h1>\(e(title))</h1><table><tr>"
                + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
                + cells.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined() + "</table></body></html>\n"
        case .json:
            let output = Output(label: label, queries: queries, fleet: rows,
                                reports: rows.compactMap { row in reports.first { $0.cluster == row.cluster }?.report })
            return String(decoding: try JSONRendering.encoder().encode(output), as: UTF8.self) + "\n"
        }
    }
}
