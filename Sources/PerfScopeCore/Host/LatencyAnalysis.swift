import Foundation

/// Latency analysis (Systems Performance 2nd ed., 2.6 and 2.8): a latency distribution over
/// time, not one average — percentiles from a histogram, points that stand out from their own
/// series (median absolute deviation, robust to the outliers it looks for), and step changes
/// (the moment a level shifted, which dates the cause).
public enum LatencyAnalysis {
    /// A level shift in a series: mean before vs after the split that separates them best.
    public struct StepChange: Sendable, Equatable {
        public var at: Double
        public var before: Double
        public var after: Double
        public var ratio: Double { before > 0 ? after / before : .infinity }
    }

    /// Indices of points further than `k` robust standard deviations (1.4826 × MAD) from the
    /// median. Needs 8 finite points; a flat series (MAD 0) flags nothing, so a constant
    /// series with one blip does not call every point an outlier.
    /// `minRatio` also demands the point be that many times the median: histogram quantiles are
    /// quantised by the bucket layout, so on a steady series the MAD is tiny and a 1.3× wobble
    /// would otherwise count as a spike.
    public static func outliers(_ values: [Double], k: Double = 3.5, minRatio: Double = 1) -> [Int] {
        let finite = values.filter(\.isFinite)
        guard finite.count >= 8 else { return [] }
        let median = WindowStatistics.quantile(finite.sorted(), 0.5)
        let mad = WindowStatistics.quantile(finite.map { abs($0 - median) }.sorted(), 0.5) * 1.4826
        guard mad > 0 else { return [] }
        return values.indices.filter { i in
            values[i].isFinite && abs(values[i] - median) / mad > k && (median <= 0 || values[i] >= median * minRatio)
        }
    }

    /// The split that best separates two levels, when the shift is large (≥ 2× or ≤ 0.5×) and
    /// clear (Welch t ≥ 5 with at least `minSide` points each side); nil otherwise.
    public static func stepChange(times: [Double], values: [Double], minSide: Int = 6) -> StepChange? {
        let points = zip(times, values).filter { $0.1.isFinite }
        guard points.count >= 2 * minSide else { return nil }
        let v = points.map(\.1)
        var prefix = [0.0], prefixSq = [0.0]
        for x in v { prefix.append(prefix.last! + x); prefixSq.append(prefixSq.last! + x * x) }
        var best: (t: Double, index: Int)?
        for i in minSide...(v.count - minSide) {
            let n1 = Double(i), n2 = Double(v.count - i)
            let m1 = prefix[i] / n1, m2 = (prefix[v.count] - prefix[i]) / n2
            let var1 = max(0, prefixSq[i] / n1 - m1 * m1), var2 = max(0, (prefixSq[v.count] - prefixSq[i]) / n2 - m2 * m2)
            let se = (var1 / n1 + var2 / n2).squareRoot()
            let t = se > 0 ? abs(m2 - m1) / se : (m1 == m2 ? 0 : .infinity)
            if t > (best?.t ?? 0) { best = (t, i) }
        }
        guard let best, best.t >= 5 else { return nil }
        let i = best.index
        let before = prefix[i] / Double(i), after = (prefix[v.count] - prefix[i]) / Double(v.count - i)
        let ratio = before > 0 ? after / before : .infinity
        guard ratio >= 2 || ratio <= 0.5 else { return nil }
        return StepChange(at: points[i].0, before: before, after: after)
    }

    /// Latency findings for the series of one metric: a rise that crossed the metric's threshold
    /// (step change) and repeated spikes (outliers). `threshold` is the metric's lowest level.
    public static func insights(metric: String, title: String, unit: MetricUnit, threshold: Double?,
                                series: [TimeSeries], category: Category, query: String? = nil) -> [Finding] {
        var out: [Finding] = []
        var steps: [(TimeSeries, StepChange)] = []
        var spikes: [(TimeSeries, [Int])] = []
        for s in series {
            if let step = stepChange(times: s.times, values: s.values), step.after > step.before,
               threshold.map({ step.after >= $0 }) ?? (step.ratio >= 3) {
                steps.append((s, step))
            }
            let idx = outliers(s.values, minRatio: 2).filter { s.values[$0] > (threshold ?? 0) }
            // A quarter of the points or more is a second mode, not spikes.
            if idx.count >= 2, idx.count * 4 < s.values.filter(\.isFinite).count { spikes.append((s, idx)) }
        }
        let name = { (s: TimeSeries) in ([s.instance] + s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).filter { !$0.isEmpty }.joined(separator: " ") }
        if !steps.isEmpty {
            let text = steps.map { s, step in
                "\(name(s)): \(unit.format(step.before)) → \(unit.format(step.after)) from \(TimeWindow.format(Date(timeIntervalSince1970: step.at)))"
            }.joined(separator: "; ")
            var f = Finding(id: "latency.\(metric).step_change", title: "\(title) stepped up", severity: threshold == nil ? .low : .medium,
                            category: category, methodology: .latency, instances: ThresholdRules.orderedUnique(steps.map(\.0.instance)),
                            observation: "\(title) moved to a higher level during the window and stayed there — \(text).",
                            evidence: steps.map { s, step in Evidence(metric: metric, value: unit.evidenceValue(step.after), threshold: threshold.map(unit.evidenceValue),
                                                                     unit: unit.evidenceUnit, instance: s.instance, query: query,
                                                                     note: "before \(unit.format(step.before)), from \(TimeWindow.format(Date(timeIntervalSince1970: step.at)))") },
                            rootCause: "A step (not a drift) means something changed at that moment: a deployment, a neighbour starting I/O or CPU work, a throttle, a failover, a network change.",
                            confidence: 0.75, immediateAction: "Look at what changed at that time: deploys, cron jobs, backups, node events, other metrics stepping at the same moment.",
                            investigationSteps: ["journalctl --since '<time - 5m>' --until '<time + 5m>'", "kubectl get events -A --sort-by=.lastTimestamp", "perfscope analyze --start <time - 30m> --end <time + 30m>"],
                            longTermFix: "", relatedMetrics: [metric], reference: "Systems Performance 2nd ed., 2.6 (latency analysis), 2.8 (monitoring: time-based patterns)")
            f.component = metric
            f.issueType = "step_change"
            out.append(f)
        }
        if !spikes.isEmpty {
            let text = spikes.map { s, idx in
                let worst = idx.map { s.values[$0] }.max() ?? .nan
                return "\(name(s)): \(idx.count) spikes, worst \(unit.format(worst)) (median \(unit.format(WindowStatistics.quantile(s.values.filter(\.isFinite).sorted(), 0.5))))"
            }.joined(separator: "; ")
            var f = Finding(id: "latency.\(metric).outliers", title: "\(title) spikes", severity: .low, category: category, methodology: .latency,
                            instances: ThresholdRules.orderedUnique(spikes.map(\.0.instance)),
                            observation: "\(title) has points far outside its own usual range (more than 3.5 robust deviations from the median) — \(text).",
                            evidence: spikes.map { s, idx in Evidence(metric: metric, value: unit.evidenceValue(idx.map { s.values[$0] }.max() ?? .nan), threshold: threshold.map(unit.evidenceValue),
                                                                     unit: unit.evidenceUnit, instance: s.instance, query: query, note: "\(idx.count) outlier points") },
                            rootCause: "Intermittent spikes point to periodic work competing for the same resource (compaction, snapshots, backups, GC, log rotation) rather than a constant shortage.",
                            confidence: 0.6, immediateAction: "Line the spike times up with periodic jobs and with the other metrics' spikes.",
                            investigationSteps: drillSteps(category),
                            longTermFix: "", relatedMetrics: [metric], reference: "Systems Performance 2nd ed., 2.6 (latency analysis), 2.8.2 (outliers)")
            f.component = metric
            f.issueType = "outliers"
            out.append(f)
        }
        return out
    }

    /// Where to look next for a spike, by what the latency is of.
    static func drillSteps(_ category: Category) -> [String] {
        switch category {
        case .disk: ["biolatency-bpfcc -D 10 1", "iostat -xz 1 10", "journalctl --since '-1h' | grep -i -E 'compact|defrag|snapshot'"]
        case .network: ["mtr -rwc 100 <peer>", "ss -tin", "nstat -az | grep -i retrans"]
        case .cpu: ["perf sched timehist", "runqlat-bpfcc 10 1", "pidstat -u 1 10"]
        default: ["perfscope analyze --start <spike - 10m> --end <spike + 10m>", "pidstat -u -d 1 10"]
        }
    }
}
