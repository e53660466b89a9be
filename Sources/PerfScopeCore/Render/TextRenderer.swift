import Foundation

/// Terminal report: aligned tables, colour only when asked (the CLI asks only on a TTY).
public struct TextRenderer: Sendable {
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    public func render(_ r: Report) -> String {
        var out = ""
        out += bold("perfscope report \(r.id)") + "\n"
        out += "window  \(TimeWindow.format(r.window.start)) → \(TimeWindow.format(r.window.end))"
        if let source = r.source { out += "   source \(source)" }
        out += "\n"
        if let cluster = r.cluster { out += "cluster \(cluster.headline)\n" }
        let counts = Severity.allCases.reversed().map { s in "\(s.rawValue) \(r.findings.filter { $0.severity == s }.count)" }
        out += "grade   \(paint(r.grade.rawValue.uppercased(), grade: r.grade))   findings: \(counts.joined(separator: ", "))\n"
        out += "health  " + Scoring.scoredCategories.map { "\($0.rawValue) \(r.healthScores[$0.rawValue] ?? 100)" }.joined(separator: "  ") + "\n\n"

        out += bold("Root causes") + "\n"
        if r.rootCauses.isEmpty {
            out += r.findings.contains { $0.severity >= .medium }
                ? "  none — no etcd symptom (client latency, slow fsync/commit/applies, elections, slow peers, restarts, DB space) needs explaining; the findings below are out of range but nothing etcd's users feel\n\n"
                : "  none — nothing points to a cause of slowness in this window\n\n"
        } else {
            for (i, c) in r.rootCauses.enumerated() {
                out += "  \(i + 1). \(c.category.rawValue.uppercased()) on \(c.instances.joined(separator: ", ")) — likelihood \(c.likelihood.rawValue), confidence \(String(format: "%.2f", c.confidence))\(RootCauseView.when(c).map { ", \($0)" } ?? "")\n"
                out += wrap(c.summary, indent: "     ")
                for alt in c.alternatives ?? [] { out += wrap("weighed against: " + RootCauseView.alternative(alt), indent: "     ") }
            }
            out += "\n"
        }

        if let opinion = r.secondOpinion {
            out += bold(opinion.heading) + "\n"
                + opinion.text.split(separator: "\n").map { wrap(String($0), indent: "  ") }.joined() + "\n"
        }

        if let baseline = r.baseline {
            out += bold("Baseline") + "\n" + ComparisonView.lines(baseline).map { "  " + $0 + "\n" }.joined() + "\n"
        }

        out += bold("Findings") + "\n"
        if r.findings.isEmpty { out += "  none\n" }
        // Critical first, down to info; each insight complete above info, one line of context at info.
        for severity in Severity.allCases.reversed() {
            let group = r.findings.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            out += "  " + paint("\(severity.rawValue.uppercased()) (\(group.count))", severity: severity) + "\n"
            for f in group {
                out += "  - \(f.title)  [\(f.id) · \(f.methodology.rawValue)]\n"
                out += wrap(f.observation, indent: "      ")
                guard severity > .info else { continue }
                if !f.rootCause.isEmpty { out += wrap("why: " + f.rootCause, indent: "      ") }
                if !f.immediateAction.isEmpty { out += wrap("action: " + f.immediateAction, indent: "      ") }
                if !f.investigationSteps.isEmpty { out += wrap("investigate: " + f.investigationSteps.joined(separator: " · "), indent: "      ") }
                if !f.longTermFix.isEmpty { out += wrap("long term: " + f.longTermFix, indent: "      ") }
                if !f.reference.isEmpty { out += wrap("ref: " + f.reference, indent: "      ") }
            }
        }
        if !r.hosts.isEmpty {
            out += "\n" + bold("Hosts (USE method: utilisation, saturation, errors)") + "\n"
            for host in r.hosts {
                out += "  " + USETableView.heading(host) + "\n"
                let rows = USETableView.rows(host).map { [$0.resource, $0.dimension, $0.verdict, $0.details] }
                out += Table.render([["resource", "dimension", "verdict", "measured"]] + rows, indent: "    ")
            }
        }
        out += "\n" + bold("Metrics") + "\n"
        out += metricsTable(r.metrics)

        if !r.dataGaps.isEmpty {
            out += "\n" + bold("Data gaps (not judged)") + "\n"
            for g in r.dataGaps { out += "  - [\(g.subsystem)] \(g.reason)\n" }
        }
        return out
    }

    func metricsTable(_ metrics: [MetricSummary]) -> String {
        guard !metrics.isEmpty else { return "  none collected\n" }
        var rows: [[String]] = [["metric", "instance", "avg", "max", "last"]]
        for m in metrics {
            let labels = m.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            rows.append([m.metric, labels.isEmpty ? m.instance : "\(m.instance) \(labels)",
                         m.unit.format(m.stats.avg), m.unit.format(m.stats.max), m.unit.format(m.stats.last)])
        }
        return Table.render(rows, indent: "  ", rightAligned: [2, 3, 4])
    }

    func wrap(_ text: String, indent: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + word.count + 1 > width - indent.count {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { indent + $0 + "\n" }.joined()
    }

    /// The SGR codes this renderer writes: `TerminalText.sanitize` keeps these and drops any
    /// other escape sequence (from a label or a title) on the way to the terminal.
    public static let sgrCodes: Set<String> = ["0", "1", "1;31", "31", "33", "36", "37", "32"]

    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }

    func paint(_ s: String, severity: Severity) -> String {
        guard color else { return s }
        let code = switch severity {
        case .critical: "1;31"
        case .high: "31"
        case .medium: "33"
        case .low: "36"
        case .info: "37"
        }
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }

    func paint(_ s: String, grade: Grade) -> String {
        guard color else { return s }
        let code = switch grade {
        case .excellent, .good: "32"
        case .fair: "33"
        case .poor: "31"
        case .critical: "1;31"
        }
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }
}

/// Aligned plain-text tables.
public enum Table {
    public static func render(_ rows: [[String]], indent: String = "", rightAligned: Set<Int> = []) -> String {
        guard let header = rows.first else { return "" }
        var widths = Array(repeating: 0, count: header.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            indent + row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[min(i, widths.count - 1)] - cell.count))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
