import Foundation

// perfscope-scenarios: labelled synthetic fault scenarios for scripts/eval (dev tool).
//   generate [--out DIR] [--end UNIX] [--only a,b]   write <name>.om, <name>.json (+ .perfscope.yaml)
//   check DIR                                        validate counters, timestamps, histograms; exit 1 on a problem
//   score DIR [--baseline FILE]                      compare DIR/results/<name>.json with the labels
//   fleet --clusters N [--out DIR] [--end UNIX]      one fleet scenario (cluster label), fleet-000 with a slow disk
//   list                                             scenario names and descriptions

func option(_ name: String, in args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("perfscope-scenarios: \(message)\n".utf8))
    exit(code)
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "generate":
    let out = option("--out", in: args) ?? ".build/scenarios"
    var end = (Int(Date().timeIntervalSince1970) - 3600) / 60 * 60
    if let text = option("--end", in: args) {
        guard let value = Int(text) else { fail("--end takes Unix seconds", code: 2) }
        end = value
    }
    let only = option("--only", in: args).map { Set($0.split(separator: ",").map(String.init)) }
    let all = Scenarios.all
    if let only, let unknown = only.first(where: { name in !all.contains { $0.name == name } }) { fail("unknown scenario \(unknown)", code: 2) }
    do {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (slot, s) in all.enumerated() where only?.contains(s.name) ?? true {
            let started = Date()
            let o = try Generator.generate(s, slot: slot, count: all.count, end: end, directory: out)
            print(String(format: "%@  %d series, %d samples, window %d–%d (%.1f s)", s.name, o.series, o.samples, o.label.start, o.label.end, Date().timeIntervalSince(started)))
        }
    } catch {
        fail("\(error)")
    }
case "check":
    guard args.count >= 2 else { fail("usage: perfscope-scenarios check DIR", code: 2) }
    let dir = args[1]
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".om") }.sorted()
    if files.isEmpty { fail("no .om files in \(dir)") }
    var bad = 0
    for f in files {
        do {
            let (samples, problems) = try Check.file((dir as NSString).appendingPathComponent(f))
            if problems.isEmpty {
                print("check: \(f) ok (\(samples) samples)")
            } else {
                bad += 1
                print("check: \(f) FAILED")
                for p in problems { print("  \(p)") }
            }
        } catch {
            bad += 1
            print("check: \(f): \(error)")
        }
    }
    if bad > 0 { fail("\(bad) scenario file(s) break the physical invariants") }
case "score":
    guard args.count >= 2 else { fail("usage: perfscope-scenarios score DIR [--baseline FILE]", code: 2) }
    do {
        exit(try Score.run(directory: args[1], baseline: option("--baseline", in: args)))
    } catch {
        fail("\(error)")
    }
case "fleet":
    // One scenario of N clusters told apart by a cluster label; fleet-000 has a slow disk on its
    // second member, the rest are healthy (scripts/bench-fleet).
    guard let n = option("--clusters", in: args).flatMap(Int.init), (1...1000).contains(n) else { fail("usage: perfscope-scenarios fleet --clusters N [--out DIR] [--end UNIX]", code: 2) }
    let out = option("--out", in: args) ?? ".build/fleet"
    let end = option("--end", in: args).flatMap(Int.init) ?? (Int(Date().timeIntervalSince1970) - 600) / 60 * 60
    var s = Scenario(name: "fleet-\(n)", description: "\(n) clusters behind one Prometheus (cluster label); fleet-000 has a slow disk on its second member.")
    s.category = "disk"; s.culprits = [1]; s.seed = 4242
    s.variant.clusters = n; s.variant.clusterLabel = true; s.variant.disk = .cloud; s.writes = 60; s.reads = 150
    s.faults = [.slowDisk(member: 1, capacity: 400, latency: 0.012)]
    do {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let started = Date()
        let o = try Generator.generate(s, slot: 0, count: 1, end: end, directory: out)
        print(String(format: "%@  %d series, %d samples, window %d–%d (%.1f s)", s.name, o.series, o.samples, o.label.start, o.label.end, Date().timeIntervalSince(started)))
    } catch {
        fail("\(error)")
    }
case "list":
    for s in Scenarios.all { print("\(s.name)\t\(s.category)\t\(s.description)") }
default:
    fail("usage: perfscope-scenarios generate [--out DIR] [--end UNIX] [--only a,b] | check DIR | score DIR [--baseline FILE] | list", code: 2)
}
