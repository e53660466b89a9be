import Foundation
import PerfScopeCore

/// A report cut to what a model needs first — grade, scores, ranked causes, the top findings
/// with their numbers, data gaps — so one tool call never floods a context window. `detail:
/// full` returns the whole report instead.
public enum ReportDigest {
    public static func structured(_ report: Report, topK: Int, full: Bool) throws -> JSONValue {
        if full { return try JSONValue(encoding: report) }
        let findings = report.findings.prefix(topK).map { f -> JSONValue in
            .object([
                "id": .string(f.id), "title": .string(f.title), "severity": .string(f.severity.rawValue),
                "category": .string(f.category.rawValue), "methodology": .string(f.methodology.rawValue),
                "instances": .array(f.instances.map(JSONValue.string)), "observation": .string(f.observation),
                "immediateAction": .string(f.immediateAction), "confidence": .number(f.confidence),
                "evidence": .array(f.evidence.prefix(5).map { e in
                    .object(["metric": .string(e.metric), "value": .number(e.value), "threshold": e.threshold.map(JSONValue.number) ?? .null,
                             "unit": .string(e.unit), "instance": e.instance.map(JSONValue.string) ?? .null])
                }),
            ])
        }
        var object: [String: JSONValue] = [
            "id": .string(report.id),
            "window": .object(["start": .string(TimeWindow.format(report.window.start)), "end": .string(TimeWindow.format(report.window.end))]),
            "grade": .string(report.grade.rawValue),
            "healthScores": .object(report.healthScores.mapValues { .number(Double($0)) }),
            "rootCauses": try JSONValue(encoding: report.rootCauses),
            "findings": .array(Array(findings)),
            "findingCount": .number(Double(report.findings.count)),
            "dataGaps": .array(report.dataGaps.prefix(topK).map { .string("[\($0.subsystem)] \($0.reason)") }),
        ]
        if report.findings.count > topK { object["truncated"] = .string("\(report.findings.count - topK) more findings: raise top_k or use detail=full") }
        if !report.hosts.isEmpty {
            object["hosts"] = .array(report.hosts.map { host in
                .object(["instance": .string(host.instance), "members": .array(host.members.map(JSONValue.string)),
                         "use": .object(Dictionary(uniqueKeysWithValues: USETableView.rows(host).map {
                             ("\($0.resource.lowercased())/\($0.dimension)", JSONValue.string($0.verdict))
                         }))])
            })
        }
        return .object(object)
    }

    /// Two or three lines: grade, the top cause, the count of findings by severity.
    public static func summary(_ report: Report, what: String) -> String {
        let counts = Severity.allCases.reversed().compactMap { s -> String? in
            let n = report.findings.filter { $0.severity == s }.count
            return n == 0 ? nil : "\(n) \(s.rawValue)"
        }
        var text = "\(what) for \(TimeWindow.format(report.window.start)) → \(TimeWindow.format(report.window.end)): grade \(report.grade.rawValue); "
        text += counts.isEmpty ? "no findings." : "findings: \(counts.joined(separator: ", "))."
        if let top = report.rootCauses.first {
            text += " Most likely cause: \(top.category.rawValue) on \(top.instances.joined(separator: ", ")) (\(top.likelihood.rawValue)) — \(top.summary)"
        } else if report.findings.contains(where: { $0.severity >= .medium }) {
            text += " Top finding: \(report.findings[0].title) — \(report.findings[0].observation)"
        }
        if !report.dataGaps.isEmpty { text += " \(report.dataGaps.count) data gaps (not judged)." }
        return text
    }

    /// Per metric, the member or host with the highest p95 and its numbers: what a
    /// thresholds-only tool (one subsystem, no cause ranking) measured, for an answer that says
    /// what was seen rather than only that nothing crossed a line.
    public static func measured(_ report: Report, limit: Int = 10) -> JSONValue {
        var order: [String] = []
        var worst: [String: MetricSummary] = [:]
        for m in report.metrics {
            let key = m.metric
            if worst[key] == nil { order.append(key) }
            if let current = worst[key], !(m.stats.p95 > current.stats.p95) { continue }
            worst[key] = m
        }
        return .array(order.prefix(limit).compactMap { worst[$0] }.map { m in
            var o: [String: JSONValue] = ["metric": .string(m.metric), "unit": .string(m.unit.rawValue),
                                          "instance": .string(m.instance), "members": .number(Double(report.metrics.filter { $0.metric == m.metric }.count))]
            for (name, value) in [("avg", m.stats.avg), ("p95", m.stats.p95), ("max", m.stats.max)] {
                if value.isFinite { o[name] = .string(m.unit.format(value)) }
            }
            if !m.labels.isEmpty { o["labels"] = .string(m.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")) }
            return .object(o)
        })
    }

    public static func output(_ report: Report, what: String, arguments: ToolArguments) throws -> ToolOutput {
        ToolOutput(summary: summary(report, what: what), structured: try structured(report, topK: arguments.topK, full: arguments.full))
    }
}
