import Foundation

/// Scenarios generated from seeds: fault class × culprit × onset and duration × magnitude ×
/// deployment variant, with two-fault windows and healthy windows that look alarming.
///
/// Scenario `i` takes class `i mod classes` (so every class is covered evenly) and everything
/// else from its own seed. Its split (`tuning` or `holdout`) is a function of the seed alone:
/// rules are changed only while looking at the tuning split, and the hold-out split says
/// whether the change generalises.
enum Procedural {
    static let firstSeed: UInt64 = 100_000

    static func split(of seed: UInt64) -> String {
        var r = SplitMix64(seed: seed ^ 0x5EED_5EED)
        return r.next() & 1 == 0 ? "tuning" : "holdout"
    }

    static func scenarios(count: Int) -> [Scenario] {
        (0..<count).map { i in
            let seed = firstSeed + UInt64(i)
            let kind = Classes.all[i % Classes.all.count]
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
            var s = Scenario(name: String(format: "p%03d-%@", i, kind.name), description: "")
            s.kind = kind.name
            s.seed = seed
            s.split = split(of: seed)
            s.variant = randomVariant(&rng)
            randomWorkload(&s, &rng)
            kind.make(&s, &rng)
            // Something that looks alarming but is not the problem, on any member: the expected
            // answer must not change.
            if !s.expected.isEmpty, rng.uniform() < confounderShare { addConfounder(&s, &rng) }
            return s
        }
    }

    /// Share of fault scenarios that also carry a harmless but alarming condition.
    static let confounderShare = 0.35

    /// On a member that is not to blame (cluster-wide faults get none), so the physics of the
    /// fault itself stays what the label says.
    static func addConfounder(_ s: inout Scenario, _ rng: inout SplitMix64) {
        let blamed = Set(s.expected.flatMap(\.culprits))
        let free = (0..<s.variant.members).filter { !blamed.contains($0) }
        guard !free.isEmpty else { return }
        let m = free[Int(rng.next() % UInt64(free.count))]
        switch rng.next() % 3 {
        case 0 where s.variant.cpus >= 4:
            s.faults.append(FaultSpec(fault: .cpuSaturation(member: m, demand: uniform(0.5, 0.62, &rng)), start: -600))
            s.description += " Confounder: another process keeps member \(m + 1)'s host CPUs 65–80 % busy."
        case 0, 1:
            if s.variant.swapGiB == 0 { s.variant.swapGiB = 4 }
            s.faults.append(FaultSpec(fault: .swapResident(member: m), start: -600))
            s.description += " Confounder: half of member \(m + 1)'s host swap is in use from long ago, nothing pages."
        default:
            s.faults.append(FaultSpec(fault: .noisyNeighbour(member: m, iops: s.variant.disk.capacity * uniform(0.15, 0.3, &rng), bytesPerSecond: 20e6), start: -600))
            s.description += " Confounder: a backup job keeps member \(m + 1)'s disk moderately busy."
        }
    }

    static func pick<T>(_ xs: [T], _ rng: inout SplitMix64) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
    static func uniform(_ lo: Double, _ hi: Double, _ rng: inout SplitMix64) -> Double { lo + (hi - lo) * rng.uniform() }

    static func randomVariant(_ rng: inout SplitMix64) -> Variant {
        var v = Variant()
        v.style = pick([.plain, .openshift, .kubePrometheus, .hostnames], &rng)
        v.etcdVersion = pick(["3.4.23", "3.5.9", "3.5.15"], &rng)
        v.extensive = rng.uniform() < 0.4
        v.scrapeSeconds = pick([10, 15, 15, 30], &rng)
        v.cpus = pick([2, 4, 4, 8], &rng)
        v.disk = pick([.nvme, .ssd, .ssd, .cloud], &rng)
        v.memoryGiB = pick([8, 16, 16, 32], &rng)
        v.swapGiB = rng.uniform() < 0.2 ? pick([2, 4], &rng) : 0
        v.psi = rng.uniform() < 0.7
        v.cadvisor = (v.style == .openshift || v.style == .kubePrometheus) && rng.uniform() < 0.6
        v.windowSeconds = pick([1800, 2700, 3600, 3600], &rng)
        v.baseRTT = uniform(0.0004, 0.002, &rng)
        v.nicSpeed = rng.uniform() < 0.2 ? nil : 1.25e9
        return v
    }

    static func randomWorkload(_ s: inout Scenario, _ rng: inout SplitMix64) {
        s.writes = (uniform(20, 250, &rng)).rounded()
        s.reads = (uniform(50, 900, &rng)).rounded()
        s.keys = (uniform(5_000, 200_000, &rng)).rounded()
        s.dbBytes = uniform(40, 900, &rng) * 1_048_576
        s.leader = Int(rng.next() % 3)
    }

    /// When a fault acts, relative to the window `w` (seconds).
    enum Timing: String, CaseIterable {
        /// From before the window to its end.
        case whole
        /// From somewhere in the middle to the end.
        case middle
        /// From the start, ending in the first third (then recovery).
        case early
        /// Starting in the last minutes.
        case late
        /// A stretch in the middle, then recovery.
        case burst

        func span(_ w: Double, _ rng: inout SplitMix64) -> (start: Double, end: Double) {
            switch self {
            case .whole: return (-Procedural.uniform(200, 600, &rng), Double.infinity)
            case .middle: return (w * Procedural.uniform(0.25, 0.6, &rng), Double.infinity)
            case .early: return (-Procedural.uniform(0, 300, &rng), w * Procedural.uniform(0.2, 0.33, &rng))
            case .late: return (w - Procedural.uniform(150, 420, &rng), Double.infinity)
            case .burst:
                let start = w * Procedural.uniform(0.2, 0.5, &rng)
                return (start, start + Procedural.uniform(600, 1200, &rng))
            }
        }
    }

    /// A timing for `s`, recorded on it.
    static func timing(_ s: inout Scenario, _ rng: inout SplitMix64, allowed: [Timing] = Timing.allCases) -> (start: Double, end: Double) {
        let t = pick(allowed, &rng)
        s.timing = t.rawValue
        return t.span(Double(s.variant.windowSeconds), &rng)
    }

    static func member(_ rng: inout SplitMix64) -> Int { Int(rng.next() % 3) }

    static func window(_ s: Scenario) -> Double { Double(s.variant.windowSeconds) }

    /// "from 12 min to 24 min", "from 5 min before the window", "in the last 4 min".
    static func when(_ span: (start: Double, end: Double), window: Double) -> String {
        let from = span.start < 0 ? "from before the window" : "from minute \(Int(span.start / 60))"
        let to = span.end.isFinite ? " to minute \(Int(span.end / 60)), then recovery" : " to the end"
        if span.start > window - 600 { return "in the last \(Int((window - span.start) / 60 + 0.5)) minutes" }
        return from + to
    }
}
