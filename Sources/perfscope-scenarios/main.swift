import Foundation

// perfscope-scenarios: labelled synthetic fault scenarios for scripts/eval (dev tool).
//   generate [--out DIR] [--end UNIX] [--count N] [--sample K] [--only a,b]
//            write <name>.om, <name>.json (+ .perfscope.yaml) for the named scenarios and N
//            procedural ones (default 400); --sample K keeps the first K procedural ones of each
//            class and split (the CI sample)
//   check DIR [--file F.om]                          validate counters, timestamps, histograms; exit 1 on a problem
//   score DIR [--floor F] [--show-holdout]           compare DIR/results/<name>.json with the labels; exit 1 when
//                                                    the hold-out accuracy is below F (0…1)
//   fleet --clusters N [--out DIR] [--end UNIX]      one fleet scenario (cluster label), fleet-000 with a slow disk
//   list [--count N] [--sample K] [--names]         scenario names, splits and descriptions (--names: names only)

func option(_ name: String, in args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("perfscope-scenarios: \(message)\n".utf8))
    exit(code)
}

/// The first `k` procedural scenarios of each class and split: the fixed CI sample (the named
/// ones, hand-written and tuned on long ago, run with --full).
func sampled(_ all: [Scenario], perClassAndSplit k: Int) -> [Scenario] {
    var taken: [String: Int] = [:]
    return all.filter { s in
        guard s.kind != "named" else { return false }
        let key = s.kind + "/" + s.split
        taken[key, default: 0] += 1
        return taken[key, default: 0] <= k
    }
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
    let count = option("--count", in: args).map { Int($0) ?? -1 } ?? 400
    guard (0...5000).contains(count) else { fail("--count takes 0…5000", code: 2) }
    let sample = option("--sample", in: args).map { Int($0) ?? -1 }
    if let sample, sample < 1 { fail("--sample takes a positive number", code: 2) }
    let only = option("--only", in: args).map { Set($0.split(separator: ",").map(String.init)) }
    var all = Scenarios.named + Procedural.scenarios(count: count)
    if let only, let unknown = only.first(where: { name in !all.contains { $0.name == name } }) { fail("unknown scenario \(unknown)", code: 2) }
    if let sample { all = sampled(all, perClassAndSplit: sample) }
    if let split = option("--split", in: args) { all = all.filter { $0.split == split } }
    // Windows are laid out for the whole set, so `--only` (one scenario per call) keeps them.
    let windows = Generator.windows(all, end: end)
    do {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (slot, s) in all.enumerated() where only?.contains(s.name) ?? true {
            let started = Date()
            let o = try Generator.generate(s, slot: slot, window: windows[slot], directory: out)
            print(String(format: "%@  %@  %d series, %d samples, window %d–%d (%.1f s)", s.name, s.split, o.series, o.samples, o.label.start, o.label.end, Date().timeIntervalSince(started)))
        }
    } catch {
        fail("\(error)")
    }
case "check":
    guard args.count >= 2 else { fail("usage: perfscope-scenarios check DIR", code: 2) }
    let dir = args[1]
    let files = option("--file", in: args).map { [$0] } ?? ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".om") }.sorted()
    if files.isEmpty { fail("no .om files in \(dir)") }
    var bad = 0
    for f in files {
        do {
            let labelPath = (dir as NSString).appendingPathComponent(String(f.dropLast(3)) + ".json")
            let restarts = FileManager.default.contents(atPath: labelPath).flatMap { try? JSONDecoder().decode(Label.self, from: $0) }?.restarts ?? [:]
            let (samples, problems) = try Check.file((dir as NSString).appendingPathComponent(f), restarts: restarts)
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
    guard args.count >= 2 else { fail("usage: perfscope-scenarios score DIR [--floor F] [--show-holdout]", code: 2) }
    let floor = option("--floor", in: args).map { Double($0) ?? -1 }
    if let floor, !(0...1).contains(floor) { fail("--floor takes a share between 0 and 1", code: 2) }
    do {
        exit(try Score.run(directory: args[1], floor: floor, showHoldout: args.contains("--show-holdout")))
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
    s.expect("disk", [1]); s.seed = 4242
    s.variant.clusters = n; s.variant.clusterLabel = true; s.variant.disk = .cloud; s.writes = 60; s.reads = 150
    s.add(.slowDisk(member: 1, capacity: 400, latency: 0.012))
    do {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let started = Date()
        let o = try Generator.generate(s, slot: 0, window: Generator.windows([s], end: end)[0], directory: out)
        print(String(format: "%@  %d series, %d samples, window %d–%d (%.1f s)", s.name, o.series, o.samples, o.label.start, o.label.end, Date().timeIntervalSince(started)))
    } catch {
        fail("\(error)")
    }
case "list":
    let count = option("--count", in: args).flatMap { Int($0) } ?? 400
    var all = Scenarios.named + Procedural.scenarios(count: max(0, min(count, 5000)))
    if let k = option("--sample", in: args).flatMap({ Int($0) }), k > 0 { all = sampled(all, perClassAndSplit: k) }
    if let split = option("--split", in: args) { all = all.filter { $0.split == split } }
    if args.contains("--names") { for s in all { print(s.name) }; exit(0) }
    for s in all {
        print("\(s.name)\t\(s.split)\t\(Score.describe(s.expected.map { .init(category: $0.category, instances: $0.culprits.map { "m\($0 + 1)" }) }))\t\(s.description)")
    }
default:
    fail("usage: perfscope-scenarios generate [--out DIR] [--end UNIX] [--count N] [--sample K] [--only a,b] | check DIR | score DIR [--floor F] [--show-holdout] | fleet --clusters N | list", code: 2)
}
