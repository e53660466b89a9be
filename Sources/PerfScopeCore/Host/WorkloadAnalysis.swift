import Foundation

/// Workload characterisation (Systems Performance 2nd ed., 2.5.10): *who* causes the load,
/// *what* it is, and *how* it changes over the window — before judging a resource, know what is
/// asked of it. Findings are `info` unless the workload itself explains trouble (load that rose
/// sharply, or clients pinned to one member).
public enum WorkloadAnalysis {
    public static func insights(summaries: [MetricSummary], series: [TimeSeries], reviews: [HostReview]) -> [Finding] {
        var out: [Finding] = []
        let value = { (metric: String, instance: String) -> Double? in
            summaries.first { $0.metric == metric && $0.instance == instance && $0.labels.isEmpty }?.stats.avg
        }
        let query = { (metric: String) -> String? in summaries.first { $0.metric == metric }?.query }
        // What: the request mix per member, and how evenly clients spread over members.
        let members = Set(summaries.filter { $0.metric == "grpc_request_rate" }.map(\.instance)).sorted()
        if !members.isEmpty {
            var parts: [String] = []
            var evidence: [Evidence] = []
            var total = 0.0
            var perMember: [(String, Double)] = []
            for m in members {
                let requests = value("grpc_request_rate", m) ?? 0
                let writes = (value("put_rate", m) ?? 0) + (value("delete_rate", m) ?? 0)
                total += requests
                perMember.append((m, requests))
                var line = "\(m): \(MetricUnit.perSecond.format(requests)) requests"
                if let committed = value("proposals_committed_rate", m) { line += ", \(MetricUnit.perSecond.format(committed)) proposals committed" }
                if writes > 0 { line += ", \(MetricUnit.perSecond.format(writes)) puts+deletes" }
                parts.append(line)
                evidence.append(Evidence(metric: "grpc_request_rate", value: requests, threshold: nil, unit: "1/s", instance: m, query: query("grpc_request_rate")))
            }
            var severity = Severity.info
            var text = "Client requests (unary gRPC, avg over the window) — " + parts.joined(separator: "; ") + "."
            var cause = "Characterises the client load each member serves."
            if members.count >= 3, total > 5, let top = perMember.max(by: { $0.1 < $1.1 }), top.1 / total > 0.6 {
                severity = .low
                text += " \(top.0) serves \(CheckedNumber.percent(top.1 / total)) % of all requests."
                cause = "Clients are pinned to one member (a single endpoint configured, or a load balancer without spreading): that member's CPU, disk and network carry most of the read load."
            }
            if let trend = trendOfSum(series.filter { $0.metric == "grpc_request_rate" }), trend >= 2 {
                severity = max(severity, .low)
                text += String(format: " The request rate rose %.1f× from the first to the last quarter of the window.", trend)
                cause += " Load changed during the window: compare the time the symptoms began with the rise."
            }
            var f = Finding(id: "workload.etcd.requests", title: "etcd client workload", severity: severity, category: .load, methodology: .workload,
                            instances: members, observation: text, evidence: evidence, rootCause: cause, confidence: 0.8,
                            immediateAction: severity == .info ? "None needed; use it to judge whether latency follows load." : "Spread clients over all endpoints and find the client behind the rise (etcd audit of top keys: etcdctl check perf is not enough — look at the API server's request metrics).",
                            investigationSteps: ["etcdctl --endpoints=… endpoint status -w table", "perfscope query 'sum by (instance, grpc_method) (rate(grpc_server_started_total[5m]))' --range"],
                            longTermFix: "", relatedMetrics: ["grpc_request_rate", "put_rate", "delete_rate", "proposals_committed_rate"],
                            reference: "Systems Performance 2nd ed., 2.5.10 (workload characterisation); etcd docs: performance")
            f.component = "etcd"
            f.issueType = "workload"
            out.append(f)
        }
        // Who: etcd's share of the host's busy CPU, and the disk I/O mix.
        for review in reviews {
            var lines: [String] = []
            var evidence: [Evidence] = []
            let cpus = value("cpu_count", review.instance)
            let util = value("cpu_utilisation", review.instance)
            if let cpus, let util, cpus > 0 {
                let busy = util * cpus
                let etcdCores = review.members.compactMap { value("process_cpu", $0) }.reduce(0, +)
                var line = String(format: "CPU: %.2f of %.0f cores busy", busy, cpus)
                if !review.members.isEmpty, busy > 0 {
                    line += String(format: ", etcd uses %.2f (%.0f %% of the busy time; the rest is other processes)", etcdCores, min(100, etcdCores / busy * 100))
                    evidence.append(Evidence(metric: "process_cpu", value: etcdCores, threshold: nil, unit: "cores", instance: review.members.joined(separator: ","), query: query("process_cpu")))
                }
                lines.append(line)
            }
            for device in Set(summaries.filter { $0.metric == "disk_write_iops" && $0.instance == review.instance }.compactMap { $0.labels["device"] }).sorted() {
                func dev(_ m: String) -> Double { summaries.first { $0.metric == m && $0.instance == review.instance && $0.labels["device"] == device }?.stats.avg ?? 0 }
                let (r, w, rb, wb) = (dev("disk_read_iops"), dev("disk_write_iops"), dev("disk_read_bytes"), dev("disk_write_bytes"))
                guard r + w > 0.5 else { continue }
                var line = String(format: "%@: %.0f reads/s + %.0f writes/s (%.0f %% writes)", device, r, w, w / (r + w) * 100)
                if w > 0 { line += ", average write \(MetricUnit.bytes.format(wb / w))" }
                if r > 0 { line += ", average read \(MetricUnit.bytes.format(rb / r))" }
                lines.append(line)
                evidence.append(Evidence(metric: "disk_write_iops", value: w, threshold: nil, unit: "1/s", instance: review.instance, query: query("disk_write_iops"), note: "device=\(device)"))
            }
            guard !lines.isEmpty else { continue }
            var f = Finding(id: "workload.host.resources", title: "Workload on \(review.instance)", severity: .info, category: .load, methodology: .workload,
                            instances: [review.instance], observation: lines.joined(separator: ". ") + ".", evidence: evidence,
                            rootCause: "Characterises who uses the host's CPU and what I/O its disks serve (small synchronous writes are etcd's WAL pattern).",
                            confidence: 0.8, immediateAction: "None needed; when the host is saturated, the processes that are not etcd are the first suspects.",
                            investigationSteps: ["pidstat -u -d 1 10", "iotop -obP", "iostat -xz 1 10"], longTermFix: "",
                            relatedMetrics: ["cpu_utilisation", "process_cpu", "disk_read_iops", "disk_write_iops"],
                            reference: "Systems Performance 2nd ed., 2.5.10 (workload characterisation)")
            f.component = "host"
            f.issueType = "workload"
            out.append(f)
        }
        return out
    }

    /// Trend of the per-timestamp sum of several series (last quarter / first quarter).
    static func trendOfSum(_ list: [TimeSeries]) -> Double? {
        guard let first = list.first else { return nil }
        var sums: [Double: Double] = [:]
        for s in list { for (t, v) in zip(s.times, s.values) where v.isFinite { sums[t, default: 0] += v } }
        let times = sums.keys.sorted()
        return TimeSeries(metric: first.metric, instance: "", times: times, values: times.map { sums[$0]! }).trendRatio
    }
}
