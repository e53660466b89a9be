/// Drill-down (Systems Performance 2nd ed., 2.5.12): from a system-wide number to the CPU,
/// device or interface behind it. The USE findings already name the device and interface of
/// each problem cell; this adds what an average hides — one CPU pegged while the others idle.
public enum HostDrillDown {
    public static func insights(_ reviews: [HostReview], summaries: [MetricSummary]) -> [Finding] {
        var hits: [(host: String, busiest: Double, average: Double, cpus: Double)] = []
        for review in reviews {
            func avg(_ metric: String) -> Double? {
                summaries.first { $0.metric == metric && $0.instance == review.instance }?.stats.avg
            }
            guard let busiest = avg("cpu_busiest_core"), let average = avg("cpu_utilisation"), let cpus = avg("cpu_count"),
                  cpus >= 2, busiest >= 0.9, average <= 0.6 else { continue }
            hits.append((review.instance, busiest, average, cpus))
        }
        guard !hits.isEmpty else { return [] }
        let text = hits.map { h in
            "\(h.host): busiest CPU \(MetricUnit.ratio.format(h.busiest)) while all \(CheckedNumber.text(h.cpus)) CPUs average \(MetricUnit.ratio.format(h.average))"
        }.joined(separator: "; ")
        var f = Finding(
            id: "drilldown.cpu.hot_cpu", title: "One CPU saturated while the others have room", severity: .low, category: .cpu,
            methodology: .drilldown, instances: hits.map(\.host),
            observation: text + ". The host average hides it.",
            evidence: hits.map { Evidence(metric: "cpu_busiest_core", value: MetricUnit.ratio.evidenceValue($0.busiest), threshold: 90, unit: "%", instance: $0.host, query: summaries.first { $0.metric == "cpu_busiest_core" }?.query,
                                          note: "average \(MetricUnit.ratio.format($0.average))") },
            rootCause: "A single-threaded hot spot (one busy thread, e.g. etcd's raft loop under load or a neighbour's busy loop) or all network interrupts landing on one CPU.",
            confidence: 0.7, immediateAction: "Find the thread on that CPU and the interrupt distribution.",
            investigationSteps: ["mpstat -P ALL 1 10", "pidstat -t -u 1 10", "cat /proc/interrupts", "perf top -C <cpu>"],
            longTermFix: "Spread interrupts (irqbalance, RSS/RPS); pin the hot thread's neighbours elsewhere.",
            relatedMetrics: ["cpu_busiest_core", "cpu_utilisation"], reference: "Systems Performance 2nd ed., 2.5.12 (drill-down), 6.6.5 (mpstat)")
        f.component = "cpu"
        f.issueType = "imbalance"
        return [f]
    }
}
