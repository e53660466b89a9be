extension RootCauseEngine {
    /// Lookups shared by the rules.
    struct Context {
        let views: [MemberView]
        let signals: [Signals]
        let levels: Levels
        let catalog: [String: CatalogMetric]
        let summaries: [String: [MetricSummary]]
        let series: [String: [TimeSeries]]
        let rtt: [String: [String: Double]]
        /// Member ID (peer RTT's `To` label) → instance.
        let instanceOf: [String: String]
        let pairs: PeerPairs
        /// Per view: how stalled its etcd process looks (`RootCauseEngine.stalls`).
        let stalls: [Stall]

        init(_ input: Input) {
            levels = Levels(catalog: input.catalog)
            views = MemberView.build(summaries: input.summaries, catalog: input.catalog, explicitHosts: input.explicitHosts)
            let levels = self.levels
            signals = views.map { Signals(view: $0, levels: levels) }
            catalog = Dictionary(input.catalog.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            summaries = Dictionary(grouping: input.summaries, by: \.metric)
            series = Dictionary(grouping: input.series, by: \.metric)
            rtt = MemberView.peerRTT(summaries: input.summaries)
            instanceOf = Dictionary(views.compactMap { v in v.memberID.map { ($0, v.instance) } }, uniquingKeysWith: { a, _ in a })
            pairs = PeerPairs(rtt: rtt, instanceOf: instanceOf)
            let catalog = self.catalog
            stalls = RootCauseEngine.stalls(views: views, signals: signals, pairs: pairs, levels: levels) { metric, value in
                Context.format(catalog, metric, value)
            }
        }

        /// Stalled enough that what it answers late (fsync, peers, scrapes) is explained by it.
        func isStalled(_ i: Int) -> Bool { stalls[i].strength >= 0.5 }

        var instances: [String] { views.map(\.instance) }

        func hostsOf(_ members: [String]) -> [String] {
            views.filter { members.contains($0.instance) }.compactMap(\.host)
        }

        /// Evidence for `metric` on `instance` (an etcd member or its host), in evidence units,
        /// held against the metric's lowest configured level.
        func evidence(_ metric: String, _ instance: String, value: Double? = nil, note: String? = nil) -> Evidence? {
            guard let m = catalog[metric] else { return nil }
            let candidates = summaries[metric]?.filter { $0.instance == instance } ?? []
            let worst = candidates.max { a, b in
                let va = a.stats.value(m.statistic), vb = b.stats.value(m.statistic)
                return m.thresholds?.direction == .below ? va > vb : va < vb
            }
            guard let s = worst ?? nil else { return nil }
            return evidence(s, value: value, note: note)
        }

        /// Evidence for one specific series.
        func evidence(_ s: MetricSummary, value: Double? = nil, note: String? = nil) -> Evidence? {
            guard let m = catalog[s.metric] else { return nil }
            let v = value ?? s.stats.value(m.statistic)
            // The level the value crossed, else the first level (what "healthy" means).
            let threshold = m.thresholds?.evaluate(v)?.threshold ?? m.thresholds?.levels.last?.1
            let label = s.labels.isEmpty ? s.instance : s.instance + " " + s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return Evidence(metric: s.metric, value: m.unit.evidenceValue(v),
                            threshold: threshold.map(m.unit.evidenceValue), unit: m.unit.evidenceUnit,
                            instance: label, query: s.query, note: note)
        }

        /// Evidence for several metrics on a member and its host, skipping the unmeasured.
        func evidence(member: MemberView, etcd: [String], host: [String]) -> [Evidence] {
            etcd.compactMap { evidence($0, member.instance) } + host.compactMap { name in member.host.flatMap { evidence(name, $0) } }
        }

        /// Peer RTT evidence for the (from, to) pairs `keep` accepts that are at or above the target, slowest first.
        func peerEvidence(_ keep: (_ from: String, _ to: String) -> Bool) -> [Evidence] {
            (summaries["peer_rtt_p99"] ?? []).compactMap { s -> (MetricSummary, String)? in
                let to = instanceOf[s.labels["To"] ?? ""] ?? s.labels["To"] ?? "?"
                return s.stats.avg >= levels.rttTarget && keep(s.instance, to) ? (s, to) : nil
            }
            .sorted { $0.0.stats.avg > $1.0.stats.avg }
            .compactMap { evidence($0.0, note: "to \($0.1)") }
        }

        func series(_ metric: String, _ instance: String) -> TimeSeries? {
            series[metric]?.first { $0.instance == instance }
        }

        func format(_ metric: String, _ value: Double?) -> String {
            Self.format(catalog, metric, value)
        }

        static func format(_ catalog: [String: CatalogMetric], _ metric: String, _ value: Double?) -> String {
            guard let value else { return "n/a" }
            return catalog[metric]?.unit.format(value) ?? String(value)
        }

        /// Share of the named host signals that were measured for the member's host.
        func completeness(_ view: MemberView, host: [String]) -> Double {
            guard !host.isEmpty else { return 1 }
            return Double(host.filter { view[$0] != nil }.count) / Double(host.count)
        }
    }
}

func median(_ values: [Double]) -> Double? {
    let s = values.filter(\.isFinite).sorted()
    guard !s.isEmpty else { return nil }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
