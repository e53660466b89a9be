/// Builds the USE table of every host in the data and turns its problem cells into insights.
///
/// The cells come from catalog metrics tagged with a `use:` placement, judged by the catalog's
/// own thresholds — the same ones the threshold findings and the root-cause engine use, so a
/// metric never means two things in two views. A dimension no metric covers is shown as "not
/// observable" with the command that checks it by hand, rather than silently passing.
public enum USEAnalysis {
    /// One review per node-exporter instance seen in `summaries`, sorted by instance.
    public static func review(catalog: [CatalogMetric], summaries: [MetricSummary],
                              explicitHosts: [String: String] = [:]) -> [HostReview] {
        let useMetrics = catalog.filter { $0.use != nil }
        let nodeNames = Set(catalog.filter(\.usesNodeSelector).map(\.name))
        let etcdNames = Set(catalog.filter(\.usesEtcdSelector).map(\.name))
        let hosts = Set(summaries.filter { nodeNames.contains($0.metric) && !$0.instance.isEmpty }.map(\.instance)).sorted()
        let etcd = Set(summaries.filter { etcdNames.contains($0.metric) && !$0.instance.isEmpty }.map(\.instance)).sorted()
        let byKey = Dictionary(grouping: summaries) { Key(metric: $0.metric, instance: $0.instance) }

        return hosts.map { host in
            let members = etcd.filter { HostMapping.nodeInstance(forEtcd: $0, among: hosts, explicit: explicitHosts) == host }
            var checks: [USECheck] = []
            for resource in USEResource.allCases {
                for dimension in USEDimension.allCases {
                    let placed = useMetrics.filter { $0.use == USEPlacement(resource, dimension) }
                    if placed.isEmpty {
                        checks.append(USECheck(resource: resource, dimension: dimension, metric: "", title: "",
                                               status: .unobservable, note: USEPlaybook.unobservable(resource, dimension)))
                        continue
                    }
                    for metric in placed {
                        checks += cells(metric, series: byKey[Key(metric: metric.name, instance: host)] ?? [], resource: resource, dimension: dimension)
                    }
                }
            }
            return HostReview(instance: host, members: members, checks: checks)
        }
    }

    struct Key: Hashable {
        var metric: String
        var instance: String
    }

    static func cells(_ metric: CatalogMetric, series: [MetricSummary], resource: USEResource, dimension: USEDimension) -> [USECheck] {
        guard !series.isEmpty else {
            return [USECheck(resource: resource, dimension: dimension, metric: metric.name, title: metric.title,
                             status: metric.emptyIsHealthy ? .none : .unavailable,
                             note: metric.emptyIsHealthy ? nil : "no data: \(metric.hides)")]
        }
        return series.sorted { ThresholdRules.describe($0) < ThresholdRules.describe($1) }.map { s in
            let value = s.stats.value(metric.statistic)
            let verdict = metric.thresholds?.evaluate(value)
            let detail = s.labels.filter { $0.key != "instance" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return USECheck(resource: resource, dimension: dimension, metric: metric.name, title: metric.title, detail: detail,
                            value: value, display: metric.unit.format(value), unit: metric.unit,
                            threshold: verdict?.threshold ?? metric.thresholds?.levels.last?.1,
                            severity: verdict?.severity, status: verdict == nil ? .ok : .problem,
                            note: metric.thresholds == nil ? "context (no threshold)" : nil, query: s.query)
        }
    }

    /// One `use` finding per resource dimension with a problem on any host (all hosts in one
    /// finding, worst first), written the way a performance engineer would brief it.
    public static func insights(_ reviews: [HostReview], catalog: [CatalogMetric]) -> [Finding] {
        let byName = Dictionary(catalog.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Finding] = []
        for resource in USEResource.allCases {
            for dimension in USEDimension.allCases {
                var hits: [(host: HostReview, check: USECheck)] = []
                for review in reviews {
                    for check in review.checks(resource, dimension) where check.status == .problem { hits.append((review, check)) }
                }
                guard let worst = hits.compactMap(\.check.severity).max() else { continue }
                hits.sort { a, b in (a.check.severity ?? .info) != (b.check.severity ?? .info) ? (a.check.severity ?? .info) > (b.check.severity ?? .info) : a.host.instance < b.host.instance }
                let hosts = ThresholdRules.orderedUnique(hits.map(\.host.instance))
                let play = USEPlaybook.entry(resource, dimension)
                let evidence = hits.map { h in
                    Evidence(metric: h.check.metric, value: (h.check.unit ?? .count).evidenceValue(h.check.value ?? .nan),
                             threshold: h.check.threshold.map { (h.check.unit ?? .count).evidenceValue($0) },
                             unit: (h.check.unit ?? .count).evidenceUnit, instance: h.host.instance, query: h.check.query,
                             note: h.check.detail.isEmpty ? nil : h.check.detail)
                }
                let metrics = ThresholdRules.orderedUnique(hits.map(\.check.metric))
                let causes = metrics.compactMap { byName[$0]?.cause }
                let points = metrics.isEmpty ? 0 : 60
                var finding = Finding(
                    id: "use.\(resource.rawValue).\(dimension.rawValue)",
                    title: "\(resource.title) \(dimension.rawValue) on \(hosts.count == 1 ? hosts[0] : "\(hosts.count) hosts")",
                    severity: worst, category: resource.category, methodology: .use, instances: hosts,
                    observation: observation(resource, dimension, hits: hits, reviews: reviews),
                    evidence: evidence,
                    rootCause: ([play.meaning] + causes.prefix(2)).joined(separator: " "),
                    confidence: ThresholdRules.confidence(points: points),
                    immediateAction: play.action, investigationSteps: play.steps, longTermFix: play.fix,
                    relatedMetrics: metrics, reference: resource.reference)
                finding.component = resource.rawValue
                finding.issueType = dimension.rawValue
                out.append(finding)
            }
        }
        return out
    }

    static func observation(_ resource: USEResource, _ dimension: USEDimension,
                            hits: [(host: HostReview, check: USECheck)], reviews: [HostReview]) -> String {
        var perHost: [String: [String]] = [:]
        var order: [String] = []
        for (host, check) in hits {
            if perHost[host.instance] == nil { order.append(host.instance) }
            let at = check.detail.isEmpty ? "" : " [\(check.detail)]"
            let limit = check.threshold.map { " ≥ " + (check.unit ?? .count).format($0) } ?? ""
            perHost[host.instance, default: []].append("\(check.title)\(at) \(check.display)\(limit)")
        }
        var text = order.prefix(5).map { host in
            let members = reviews.first { $0.instance == host }?.members ?? []
            let carrying = members.isEmpty ? "" : " (etcd \(members.joined(separator: ", ")))"
            return "\(host)\(carrying): " + (perHost[host] ?? []).joined(separator: "; ")
        }.joined(separator: ". ")
        if order.count > 5 { text += ". And \(order.count - 5) more hosts" }
        // Utilisation next to saturation tells "busy" from "overloaded".
        if dimension == .saturation, let host = reviews.first(where: { $0.instance == order.first }) {
            let util = host.checks(resource, .utilisation).filter { $0.value != nil && $0.note == nil }
            if let u = util.max(by: { ($0.value ?? 0) < ($1.value ?? 0) }) {
                text += ". \(u.title) on \(host.instance) is \(u.display)"
                if resource == .cpu, (u.value ?? 1) < 0.5 {
                    text += " — load without CPU busy time usually means tasks blocked on I/O (Linux counts D-state tasks in the load)"
                }
            }
        }
        return text + "."
    }
}
