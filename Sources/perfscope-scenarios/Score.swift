import Foundation

/// `perfscope-scenarios score DIR`: compares each `DIR/results/<name>.json` (perfscope analyze
/// --format json) with `DIR/<name>.json` (the label) and prints accuracy per class and split.
///
/// A scenario passes when the top root cause has the expected category and blames exactly the
/// expected instances (a superset is a miss: "disk on all members" is not "disk on member 2");
/// with two expected causes, both must be among the top two; a healthy window must have none.
/// Hold-out failures are counted, not listed (`--show-holdout` lists them): rules are tuned
/// only on the tuning split.
enum Score {
    struct Report: Decodable {
        struct Cause: Decodable {
            var category: String
            var instances: [String]
            var likelihood: String?
            var confidence: Double?
            var start: String?
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
        var pass = false
        /// The matched cause started within 5 minutes of the fault (fault starting inside the window).
        var located: Bool?
        var split: String { label.split ?? "tuning" }
        var kind: String { label.kind ?? "named" }
        var expected: [Label.Expected] { label.expectedAll ?? (label.expected.category == "healthy" ? [] : [label.expected]) }
    }

    static func labels(in directory: String) throws -> [Label] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try JSONDecoder().decode(Label.self, from: Data(contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent($0)))) }
            .sorted { $0.start < $1.start }
    }

    static func matches(_ c: Report.Cause, _ e: Label.Expected) -> Bool {
        c.category == e.category && Set(c.instances) == Set(e.instances)
    }

    static func judge(_ row: inout Row) {
        guard let report = row.got else { return }
        let expected = row.expected
        if expected.isEmpty { row.pass = report.rootCauses.isEmpty; return }
        let top = Array(report.rootCauses.prefix(expected.count))
        var used = Set<Int>()
        var matched: [Report.Cause] = []
        for e in expected {
            guard let i = top.indices.first(where: { !used.contains($0) && matches(top[$0], e) }) else { row.pass = false; return }
            used.insert(i)
            matched.append(top[i])
        }
        row.pass = true
        if let faultStart = row.label.faultStart, faultStart > row.label.start {
            let starts = matched.compactMap { $0.start.flatMap(parseTime) }
            row.located = starts.contains { abs($0 - Double(faultStart)) <= 300 }
        }
    }

    static func parseTime(_ s: String) -> Double? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d.timeIntervalSince1970 }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)?.timeIntervalSince1970
    }

    static func run(directory: String, floor: Double?, showHoldout: Bool) throws -> Int32 {
        let results = (directory as NSString).appendingPathComponent("results")
        var rows: [Row] = []
        for label in try labels(in: directory) {
            var row = Row(label: label)
            let base = (results as NSString).appendingPathComponent(label.name)
            row.seconds = (try? String(contentsOfFile: base + ".seconds", encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let data = FileManager.default.contents(atPath: base + ".json"), let report = try? JSONDecoder().decode(Report.self, from: data) {
                row.got = report
                judge(&row)
            } else {
                row.error = (try? String(contentsOfFile: base + ".err", encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "no report"
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { print("eval: no scenarios in \(directory)"); return 1 }
        printRows(rows.filter { $0.split == "tuning" || showHoldout })
        let splits = ["tuning", "holdout"].filter { s in rows.contains { $0.split == s } }
        print("")
        printClassTable(rows, splits: splits)
        print("")
        for split in splits { printSummary(rows.filter { $0.split == split }, name: split) }
        let times = rows.compactMap(\.seconds)
        if !times.isEmpty {
            print(String(format: "mean analysis time: %.2f s (max %.2f s)", times.reduce(0, +) / Double(times.count), times.max() ?? 0))
        }
        // The hold-out split is the number that counts: printed last, and held against the floor.
        let gate = rows.filter { $0.split == (splits.last ?? "tuning") }
        let passed = gate.filter(\.pass).count
        var status: Int32 = 0
        if let floor {
            let accuracy = Double(passed) / Double(max(1, gate.count))
            if accuracy < floor {
                print(String(format: "FLOOR: %@ accuracy %.1f %% is below the floor %.1f %%", splits.last ?? "tuning", 100 * accuracy, 100 * floor))
                status = 1
            }
        }
        print("eval: \(passed) passed, \(gate.count - passed) failed")
        return status
    }

    static func describe(_ e: [Label.Expected]) -> String {
        e.isEmpty ? "healthy" : e.map { "\($0.category) \($0.instances.joined(separator: ","))" }.joined(separator: " + ")
    }

    static func printRows(_ rows: [Row]) {
        let width = rows.map(\.label.name.count).max() ?? 10
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        for r in rows {
            let got: String
            if let e = r.error { got = "error (\(e.prefix(60)))" } else if let c = r.got?.rootCauses.first {
                got = "\(c.category) \(c.instances.joined(separator: ","))" + ((r.got?.rootCauses.count ?? 0) > 1 ? " (+\((r.got?.rootCauses.count ?? 1) - 1))" : "")
            } else { got = "healthy" }
            print("\(pad(r.label.name, width))  \(pad(r.split, 7))  expected \(pad(describe(r.expected), 44))  got \(pad(got, 40))  \(r.pass ? "PASS" : "FAIL")")
            if !r.pass, let report = r.got {
                let causes = report.rootCauses.map { "\($0.category) [\($0.instances.joined(separator: ","))] \($0.likelihood ?? "") \($0.confidence.map { String(format: "%.2f", $0) } ?? "")" }
                print("    causes: \(causes.isEmpty ? "none" : causes.joined(separator: "; "))")
                let findings = report.findings.filter { ["critical", "high", "medium"].contains($0.severity) && !$0.id.hasPrefix("rca.") }
                    .map { "\($0.id) \($0.severity) [\($0.instances.joined(separator: ","))]" }
                print("    findings ≥ medium: \(findings.isEmpty ? "none" : findings.prefix(8).joined(separator: "; "))\(findings.count > 8 ? " …" : "")")
                print("    \(r.label.description)")
            }
        }
    }

    /// Accuracy per class, one column per split.
    static func printClassTable(_ rows: [Row], splits: [String]) {
        let kinds = Array(Set(rows.map(\.kind))).sorted()
        let width = max(24, kinds.map(\.count).max() ?? 10)
        print("class".padding(toLength: width, withPad: " ", startingAt: 0) + splits.map { "  " + $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        for kind in kinds {
            var line = kind.padding(toLength: width, withPad: " ", startingAt: 0)
            for split in splits {
                let xs = rows.filter { $0.kind == kind && $0.split == split }
                line += "  " + (xs.isEmpty ? "-" : "\(xs.filter(\.pass).count)/\(xs.count)").padding(toLength: 12, withPad: " ", startingAt: 0)
            }
            print(line)
        }
    }

    static func printSummary(_ rows: [Row], name: String) {
        let passed = rows.filter(\.pass).count
        let healthy = rows.filter { $0.expected.isEmpty }
        let falseAlarms = healthy.filter { !($0.got?.rootCauses.isEmpty ?? false) }.count
        let two = rows.filter { $0.expected.count == 2 }
        let timed = rows.compactMap(\.located)
        print(String(format: "%@: top-1 (category + exact culprit) %d/%d (%.1f %%); false alarms on healthy windows %d of %d; two-fault %d/%d; fault start located within 5 min %d/%d",
                     name, passed, rows.count, 100 * Double(passed) / Double(max(1, rows.count)), falseAlarms, healthy.count,
                     two.filter(\.pass).count, two.count, timed.filter { $0 }.count, timed.count))
    }
}
