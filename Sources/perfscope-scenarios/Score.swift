import Foundation

/// `perfscope-scenarios score DIR`: compares each `DIR/results/<name>.json` (perfscope analyze
/// --format json) with `DIR/<name>.json` (the label) and prints the table and the accuracy.
enum Score {
    struct Report: Decodable {
        struct Cause: Decodable {
            var category: String
            var instances: [String]
            var likelihood: String?
            var confidence: Double?
        }

        struct Finding: Decodable {
            var id: String
            var severity: String
            var instances: [String]
        }

        var rootCauses: [Cause]
        var findings: [Finding]
    }

    struct Row {
        var label: Label
        var got: Report?
        var error: String?
        var seconds: Double?
        var categoryOK = false
        var pass = false
    }

    static func labels(in directory: String) throws -> [Label] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try JSONDecoder().decode(Label.self, from: Data(contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent($0)))) }
            .sorted { $0.start < $1.start }
    }

    static func run(directory: String, baseline: String?) throws -> Int32 {
        let results = (directory as NSString).appendingPathComponent("results")
        var rows: [Row] = []
        for label in try labels(in: directory) {
            var row = Row(label: label)
            let base = (results as NSString).appendingPathComponent(label.name)
            row.seconds = (try? String(contentsOfFile: base + ".seconds", encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let data = FileManager.default.contents(atPath: base + ".json"), let report = try? JSONDecoder().decode(Report.self, from: data) {
                row.got = report
                let top = report.rootCauses.first
                if label.expected.category == "healthy" {
                    row.categoryOK = top == nil
                    row.pass = row.categoryOK
                } else if let top {
                    row.categoryOK = top.category == label.expected.category
                    row.pass = row.categoryOK && Set(label.expected.instances).isSubset(of: Set(top.instances))
                }
            } else {
                row.error = (try? String(contentsOfFile: base + ".err", encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "no report"
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { print("eval: no scenarios in \(directory)"); return 1 }

        let width = rows.map(\.label.name.count).max() ?? 10
        func list(_ xs: [String]) -> String { xs.isEmpty ? "*" : xs.joined(separator: ",") }
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        let expectedTexts = rows.map { "\($0.label.expected.category) \(list($0.label.expected.instances))" }
        let expectedWidth = expectedTexts.map(\.count).max() ?? 10
        let gotTexts = rows.map { r -> String in
            if let e = r.error { return "error (\(e.prefix(60)))" }
            guard let top = r.got?.rootCauses.first else { return "healthy -" }
            return "\(top.category) \(list(top.instances))"
        }
        let gotWidth = gotTexts.map(\.count).max() ?? 10
        for (i, r) in rows.enumerated() {
            print("\(pad(r.label.name, width))  expected \(pad(expectedTexts[i], expectedWidth))  got \(pad(gotTexts[i], gotWidth))  \(r.pass ? "PASS" : "FAIL")")
            if !r.pass, let got = r.got {
                let causes = got.rootCauses.map { "\($0.category) [\($0.instances.joined(separator: ","))] \($0.likelihood ?? "") \($0.confidence.map { String(format: "%.2f", $0) } ?? "")" }
                print("    causes: \(causes.isEmpty ? "none" : causes.joined(separator: "; "))")
                let findings = got.findings.filter { ["critical", "high", "medium"].contains($0.severity) && !$0.id.hasPrefix("rca.") }
                    .map { "\($0.id) \($0.severity) [\($0.instances.joined(separator: ","))]" }
                print("    findings ≥ medium: \(findings.isEmpty ? "none" : findings.prefix(8).joined(separator: "; "))\(findings.count > 8 ? " …" : "")")
            }
        }

        let n = Double(rows.count)
        let categoryHits = rows.filter(\.categoryOK).count
        let passed = rows.filter(\.pass).count
        let healthy = rows.filter { $0.label.expected.category == "healthy" }
        let falseAlarms = healthy.filter { !($0.got?.rootCauses.isEmpty ?? false) }.count
        let times = rows.compactMap(\.seconds)
        print("")
        print(String(format: "top-1 accuracy: category %d/%d (%.0f %%), category + culprit %d/%d (%.0f %%)",
                     categoryHits, rows.count, 100 * Double(categoryHits) / n, passed, rows.count, 100 * Double(passed) / n))
        print("false alarms on healthy windows: \(falseAlarms) of \(healthy.count)")
        if !times.isEmpty {
            print(String(format: "mean analysis time: %.2f s (max %.2f s)", times.reduce(0, +) / Double(times.count), times.max() ?? 0))
        }

        var status: Int32 = 0
        if let baseline {
            let names = try String(contentsOfFile: baseline, encoding: .utf8).split(separator: "\n")
                .map { $0.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let regressions = names.filter { name in !(rows.first { $0.label.name == name }?.pass ?? false) }
            if !regressions.isEmpty {
                print("regressions (listed in \(baseline), now failing or missing): \(regressions.joined(separator: ", "))")
                status = 1
            }
        }
        print("eval: \(passed) passed, \(rows.count - passed) failed")
        return status
    }
}
