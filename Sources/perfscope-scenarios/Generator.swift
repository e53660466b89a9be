import Foundation

/// Lays scenarios out in time and writes, per scenario, `<name>.om` (OpenMetrics),
/// `<name>.json` (the label) and, when the deployment needs one, `<name>.perfscope.yaml`.
enum Generator {
    /// The lead-in before each window (so 5-minute rates are defined at its start) and the empty
    /// gap between scenarios (longer than the 15-minute ranges catalog queries use).
    static let leadSeconds = 600
    static let gapSeconds = 1200

    struct Output {
        var label: Label
        var series: Int
        var samples: Int
    }

    /// The windows of `scenarios` laid end to end, oldest first, the last one ending at `end`.
    static func windows(_ scenarios: [Scenario], end: Int) -> [(start: Int, end: Int)] {
        var out: [(start: Int, end: Int)] = []
        var e = end
        for s in scenarios.reversed() {
            out.append((e - s.variant.windowSeconds, e))
            e -= s.variant.windowSeconds + leadSeconds + gapSeconds
        }
        return out.reversed()
    }

    static func generate(_ s: Scenario, slot: Int, window: (start: Int, end: Int), directory: String) throws -> Output {
        var rng = SplitMix64(seed: s.seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(slot))
        let deployment = Deployment(s.variant, slot: slot, rng: &rng)
        let (start, stop) = window
        var model = ClusterModel(s, deployment, rng: SplitMix64(seed: rng.next()))
        var etcd = EtcdSeries(deployment, s.variant, rng: &rng)
        etcd.hasDefrag = s.faults.contains { if case .defrag = $0.fault { true } else { false } }
        let node = NodeSeries(deployment, s.variant)
        let containers = ContainerSeries(deployment: deployment, variant: s.variant)
        let store = SeriesStore()
        store.windowStart = start
        let dt = s.variant.scrapeSeconds
        var samples = 0
        var t = -leadSeconds
        var first = true
        var restarts: [String: [Int]] = [:]
        while t <= s.variant.windowSeconds {
            // Scrapes land a few hundred ms apart in real life; whole seconds keep the files simple.
            store.now = start + t
            let (members, hosts) = model.step(t: Double(t), dt: Double(dt))
            for (i, m) in members.enumerated() where m.restarted { restarts[deployment.members[i].instance, default: []].append(start + t) }
            etcd.emit(store, members, dt: Double(dt), first: first, rng: &rng)
            node.emit(store, hosts, dt: Double(dt), first: first, rng: &rng)
            containers.emit(store, members, dt: Double(dt), first: first, rng: &rng)
            first = false
            samples += store.seriesCount
            t += dt
        }
        let base = (directory as NSString).appendingPathComponent(s.name)
        try store.write(to: base + ".om")

        var config: String?
        if let yaml = deployment.configYAML {
            config = s.name + ".perfscope.yaml"
            try yaml.write(toFile: base + ".perfscope.yaml", atomically: true, encoding: .utf8)
        }
        let expected = s.expected.map { Label.Expected(category: $0.category, instances: $0.culprits.map { deployment.members[$0].instance }) }
        let v = s.variant
        let variant = "\(v.style.rawValue), \(v.colocated ? "members on one host" : (v.clusters > 1 ? "\(v.clusters) clusters on \(deployment.hosts.count) hosts" : "one host per member")), etcd \(v.etcdVersion)\(v.extensive ? " (--metrics extensive)" : ""), \(v.cpus) CPUs, \(v.disk.device), scrape \(v.scrapeSeconds)s, \(v.windowSeconds / 60)m window\(v.psi ? "" : ", no PSI")\(v.cadvisor ? ", cAdvisor" : "")"
        let label = Label(name: s.name, start: start, end: stop,
                          expected: expected.first ?? .init(category: "healthy", instances: []), expectedAll: expected,
                          kind: s.kind, timing: s.timing, split: s.split, seed: s.seed,
                          faultStart: s.onsetInWindow.map { start + Int($0) },
                          description: s.description, variant: variant, config: config, configReason: config == nil ? nil : deployment.mappingReason,
                          restarts: restarts.isEmpty ? nil : restarts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(label).write(to: URL(fileURLWithPath: base + ".json"))
        return Output(label: label, series: store.seriesCount, samples: samples)
    }
}
