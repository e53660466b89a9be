import Foundation

/// Lays scenarios out in time and writes, per scenario, `<name>.om` (OpenMetrics),
/// `<name>.json` (the label) and, when the deployment needs one, `<name>.perfscope.yaml`.
enum Generator {
    /// The analysed window, the lead-in before it (so 5-minute rates are defined at its start) and
    /// the empty gap between scenarios (longer than the 15-minute ranges catalog queries use).
    static let windowSeconds = 2400
    static let leadSeconds = 600
    static let gapSeconds = 1200
    static var slotSeconds: Int { windowSeconds + leadSeconds + gapSeconds }

    struct Output {
        var label: Label
        var series: Int
        var samples: Int
    }

    /// Window of the scenario in `slot` (0 = oldest) of `count`, the last one ending at `end`.
    static func window(slot: Int, count: Int, end: Int) -> (start: Int, end: Int) {
        let e = end - (count - 1 - slot) * slotSeconds
        return (e - windowSeconds, e)
    }

    static func generate(_ s: Scenario, slot: Int, count: Int, end: Int, directory: String) throws -> Output {
        var rng = SplitMix64(seed: s.seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(slot))
        let deployment = Deployment(s.variant, slot: slot, rng: &rng)
        let (start, stop) = window(slot: slot, count: count, end: end)
        var model = ClusterModel(s, deployment, rng: SplitMix64(seed: rng.next()))
        var etcd = EtcdSeries(deployment, s.variant, rng: &rng)
        let node = NodeSeries(deployment, s.variant)
        let store = SeriesStore()
        let dt = s.variant.scrapeSeconds
        var samples = 0
        var t = -leadSeconds
        var first = true
        while t <= windowSeconds {
            // Scrapes land a few hundred ms apart in real life; whole seconds keep the files simple.
            store.now = start + t
            let (members, hosts) = model.step(t: Double(t), dt: Double(dt))
            etcd.emit(store, members, dt: Double(dt), first: first, rng: &rng)
            node.emit(store, hosts, dt: Double(dt), first: first, rng: &rng)
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
        let culprits = s.culprits.map { deployment.members[$0].instance }
        let v = s.variant
        let variant = "\(v.style.rawValue), \(v.colocated ? "members on one host" : (v.clusters > 1 ? "\(v.clusters) clusters on \(deployment.hosts.count) hosts" : "one host per member")), etcd \(v.etcdVersion)\(v.extensive ? " (--metrics extensive)" : ""), \(v.cpus) CPUs, \(v.disk.device), scrape \(v.scrapeSeconds)s"
        let label = Label(name: s.name, start: start, end: stop,
                          expected: .init(category: s.category, instances: culprits),
                          description: s.description, variant: variant, config: config, configReason: config == nil ? nil : deployment.mappingReason)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(label).write(to: URL(fileURLWithPath: base + ".json"))
        return Output(label: label, series: store.seriesCount, samples: samples)
    }
}
