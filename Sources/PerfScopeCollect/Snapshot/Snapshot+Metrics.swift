import Foundation
import PerfScopeCore
import PrometheusAPI

/// How each catalog metric is computed from two scrapes: the same meaning and units as its
/// PromQL in the catalog YAML, evaluated on one target's samples.
extension SnapshotCalculator {
    struct Definition: Sendable {
        let name: String
        let kind: SnapshotTargetKind
        /// How the value was computed, shown as the summary's `query`; `{interval}` is replaced.
        let how: String
        /// Why there is no value when the data exists but no series qualifies.
        let emptyReason: String
        /// Why there is no value when every computed value is NaN (e.g. no observations).
        let nanReason: String
        let evaluate: @Sendable (TargetData, Options) throws -> [Point]
    }

    typealias ScrapeBody = @Sendable (ScrapeIndex, Options) throws -> Groups
    typealias IntervalBody = @Sendable (TargetData, Options) throws -> Groups

    static let noObservations = "no observations in the {interval} interval"

    /// A value read from each scrape (gauges, ratios of gauges).
    static func gauge(_ name: String, _ kind: SnapshotTargetKind, _ how: String,
                      empty: String = "no matching series", _ body: @escaping ScrapeBody) -> Definition {
        Definition(name: name, kind: kind, how: "\(how) at 2 scrapes {interval} apart", emptyReason: empty,
                   nanReason: "the value is not a number at either scrape",
                   evaluate: { target, options in try target.perScrape { try body($0, options) } })
    }

    /// A value over the interval (rates, increases, ratios of rates).
    static func interval(_ name: String, _ kind: SnapshotTargetKind, _ how: String,
                         empty: String = "no matching series", nan: String = noObservations,
                         _ body: @escaping IntervalBody) -> Definition {
        Definition(name: name, kind: kind, how: how, emptyReason: empty, nanReason: nan,
                   evaluate: { target, options in TargetData.points(try body(target, options)) })
    }

    /// `sum(rate(counter))` over the interval.
    static func counterRate(_ name: String, _ kind: SnapshotTargetKind, _ counter: String,
                            _ filter: SnapshotLabelFilter = SnapshotLabelFilter(), newSeriesFromZero: Bool = false) -> Definition {
        interval(name, kind, "Δ\(counter)\(describe(filter)) / {interval}") { t, _ in
            try t.rate(counter, filter, newSeriesFromZero: newSeriesFromZero)
        }
    }

    /// `histogram_quantile(q, sum by (by, le) (rate(base_bucket)))` over the interval.
    static func quantile(_ name: String, _ q: Double, _ base: String, _ filter: SnapshotLabelFilter = SnapshotLabelFilter(),
                         by: [String] = [], scale: Double = 1) -> Definition {
        let percentile = "p" + String(format: "%g", q * 100).replacingOccurrences(of: ".", with: "")
        let per = by.isEmpty ? "" : " by \(by.joined(separator: ", "))"
        let unit = scale == 1 ? "" : " / \(String(format: "%g", 1 / scale))"
        return Definition(name: name, kind: .etcd, how: "Δ\(base)_bucket\(describe(filter)) over {interval}, \(percentile)\(per)\(unit)",
                          emptyReason: "no histogram series", nanReason: noObservations,
                          evaluate: { t, _ in try t.quantile(q, base, filter, by: by, scale: scale) })
    }

    /// Per-device rates of a node-exporter counter through the disk or NIC selector.
    static func deviceRate(_ name: String, _ counter: String, nic: Bool) -> Definition {
        interval(name, .node, "Δ\(counter) / {interval} per device (\(nic ? "selectors.nic" : "selectors.disk"))",
                 empty: nic ? "no interface passes selectors.nic" : "no block device passes selectors.disk") { t, o in
            try t.rate(counter, nic ? o.nic : o.disk, by: ["device"])
        }
    }

    static func describe(_ filter: SnapshotLabelFilter) -> String {
        guard !filter.matchers.isEmpty else { return "" }
        return "{" + filter.matchers.map { "\($0.name)\($0.op.rawValue)\"\($0.value)\"" }.joined(separator: ",") + "}"
    }

    static func eq(_ labels: [String: String]) -> SnapshotLabelFilter { SnapshotLabelFilter(labels) }

    // swiftlint:disable:next force_try
    static let failedGRPCCodes = try! SnapshotLabelFilter(
        matchers: #"grpc_code=~"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded""#)
    // swiftlint:disable:next force_try
    static let realFilesystems = try! SnapshotLabelFilter(matchers: #"fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs|fuse.*""#)

    static let definitions: [Definition] = etcdDefinitions + nodeDefinitions

    // MARK: etcd

    static let etcdDefinitions: [Definition] = [
        gauge("has_leader", .etcd, "max(etcd_server_has_leader)") { s, _ in try s.aggregate("etcd_server_has_leader", .init(), by: [], .max) },
        gauge("is_leader", .etcd, "max(etcd_server_is_leader)") { s, _ in try s.aggregate("etcd_server_is_leader", .init(), by: [], .max) },
        // A scrape of /metrics carries no pod label (Prometheus adds it from service discovery).
        gauge("member_pod", .etcd, "max by (pod) (etcd_server_has_leader)") { s, _ in
            try s.aggregate("etcd_server_has_leader", .init(), by: ["pod"], .max)
        },
        gauge("member_id", .etcd, "max by (server_id) (etcd_server_id)") { s, _ in
            try s.aggregate("etcd_server_id", .init(), by: ["server_id"], .max)
        },
        // The raw counter at both scrapes: the catalog's `increase` statistic is its rise over the interval.
        Definition(name: "leader_changes", kind: .etcd,
                   how: "rise of etcd_server_leader_changes_seen_total between 2 scrapes {interval} apart (resets handled)",
                   emptyReason: "no matching series", nanReason: "the value is not a number at either scrape",
                   evaluate: { t, _ in try t.perScrape { try $0.aggregate("etcd_server_leader_changes_seen_total", .init(), by: [], .max) } }),
        interval("leader_changes_15m", .etcd, "Δetcd_server_leader_changes_seen_total over {interval} (the snapshot interval, not 15m)") { t, _ in
            try t.increase("etcd_server_leader_changes_seen_total")
        },
        counterRate("proposals_failed_rate", .etcd, "etcd_server_proposals_failed_total"),
        gauge("proposals_pending", .etcd, "sum(etcd_server_proposals_pending)") { s, _ in try s.aggregate("etcd_server_proposals_pending") },
        counterRate("proposals_committed_rate", .etcd, "etcd_server_proposals_committed_total"),
        gauge("apply_backlog", .etcd, "max(0, etcd_server_proposals_committed_total - etcd_server_proposals_applied_total)") { s, _ in
            let committed = try s.aggregate("etcd_server_proposals_committed_total")
            let applied = try s.aggregate("etcd_server_proposals_applied_total")
            return combine(committed, applied) { Swift.max(0, $0 - $1) }
        },
        counterRate("slow_applies_rate", .etcd, "etcd_server_slow_apply_total"),
        counterRate("slow_read_indexes_rate", .etcd, "etcd_server_slow_read_indexes_total"),
        counterRate("heartbeat_send_failures_rate", .etcd, "etcd_server_heartbeat_send_failures_total"),
        gauge("db_total_size", .etcd, "max(etcd_mvcc_db_total_size_in_bytes)") { s, _ in
            try s.aggregate("etcd_mvcc_db_total_size_in_bytes", .init(), by: [], .max)
        },
        gauge("db_in_use_size", .etcd, "max(etcd_mvcc_db_total_size_in_use_in_bytes)") { s, _ in
            try s.aggregate("etcd_mvcc_db_total_size_in_use_in_bytes", .init(), by: [], .max)
        },
        gauge("db_quota_usage", .etcd, "etcd_mvcc_db_total_size_in_bytes / etcd_server_quota_backend_bytes") { s, _ in
            let total = try s.aggregate("etcd_mvcc_db_total_size_in_bytes", .init(), by: [], .max)
            let quota = try s.aggregate("etcd_server_quota_backend_bytes", .init(), by: [], .max)
            return combine(total, quota.filter { $0.value > 0 }, /)
        },
        gauge("db_in_use_ratio", .etcd, "etcd_mvcc_db_total_size_in_use_in_bytes / etcd_mvcc_db_total_size_in_bytes when in use > 100 MiB",
              empty: "in-use size is at most 100 MiB") { s, _ in
            let inUse = try s.aggregate("etcd_mvcc_db_total_size_in_use_in_bytes", .init(), by: [], .max)
            let total = try s.aggregate("etcd_mvcc_db_total_size_in_bytes", .init(), by: [], .max)
            return combine(inUse.filter { $0.value > 104_857_600 }, total, /)
        },
        gauge("keys", .etcd, "max(etcd_debugging_mvcc_keys_total)") { s, _ in
            try s.aggregate("etcd_debugging_mvcc_keys_total", .init(), by: [], .max)
        },
        counterRate("put_rate", .etcd, "etcd_debugging_mvcc_put_total"),
        counterRate("delete_rate", .etcd, "etcd_debugging_mvcc_delete_total"),
        counterRate("process_cpu", .etcd, "process_cpu_seconds_total"),
        gauge("process_rss", .etcd, "max(process_resident_memory_bytes)") { s, _ in
            try s.aggregate("process_resident_memory_bytes", .init(), by: [], .max)
        },
        interval("gc_pause_avg", .etcd, "Δgo_gc_duration_seconds_sum / Δgo_gc_duration_seconds_count over {interval}",
                 nan: "no garbage collection in the {interval} interval") { t, _ in
            combine(try t.increase("go_gc_duration_seconds_sum"), try t.increase("go_gc_duration_seconds_count"), /)
        },
        gauge("gc_pause_max", .etcd, #"max(go_gc_duration_seconds{quantile="1"})"#) { s, _ in
            try s.aggregate("go_gc_duration_seconds", eq(["quantile": "1"]), by: [], .max)
        },
        quantile("wal_fsync_p50", 0.5, "etcd_disk_wal_fsync_duration_seconds"),
        quantile("wal_fsync_p99", 0.99, "etcd_disk_wal_fsync_duration_seconds"),
        quantile("grpc_request_p99", 0.99, "grpc_server_handling_seconds"),
        quantile("grpc_read_p99", 0.99, "grpc_server_handling_seconds", eq(["grpc_type": "unary", "grpc_method": "Range"])),
        quantile("grpc_write_p99", 0.99, "grpc_server_handling_seconds",
                 (try? SnapshotLabelFilter(matchers: #"grpc_type="unary", grpc_method=~"Put|Txn|DeleteRange|LeaseGrant|LeaseRevoke""#)) ?? SnapshotLabelFilter()),
        interval("proposal_backlog", .etcd, "etcd_server_proposals_pending at the second scrape / (Δetcd_server_proposals_committed_total / {interval})",
                 nan: "no proposal committed in the {interval} interval") { t, _ in
            let (_, second) = try t.pair()
            return combine(try second.aggregate("etcd_server_proposals_pending"), try t.rate("etcd_server_proposals_committed_total").filter { $0.value > 0 }, /)
        },
        counterRate("read_rate", .etcd, "etcd_mvcc_range_total"),
        counterRate("wal_write_bytes_rate", .etcd, "etcd_disk_wal_write_bytes_total"),
        interval("wal_bytes_per_proposal", .etcd, "Δetcd_disk_wal_write_bytes_total / Δetcd_server_proposals_committed_total over {interval}",
                 nan: "no proposal committed in the {interval} interval") { t, _ in
            combine(try t.increase("etcd_disk_wal_write_bytes_total"), try t.increase("etcd_server_proposals_committed_total").filter { $0.value > 0 }, /)
        },
        // The start time at both scrapes: the catalog's `changes` statistic counts a restart between them.
        gauge("process_restarts", .etcd, "max(process_start_time_seconds)") { s, _ in
            try s.aggregate("process_start_time_seconds", .init(), by: [], .max)
        },
        gauge("defrag_inflight", .etcd, "max(etcd_disk_defrag_inflight)") { s, _ in
            try s.aggregate("etcd_disk_defrag_inflight", .init(), by: [], .max)
        },
        gauge("members_up_share", .etcd, "cluster-wide share of members up",
              empty: "cluster-wide; in snapshot mode see member_up per member") { _, _ in Groups() },
        gauge("db_growth_forecast", .etcd, "predict_linear over 4 h",
              empty: "needs 4 hours of history, which a snapshot does not have") { _, _ in Groups() },
        quantile("wal_fsync_p999", 0.999, "etcd_disk_wal_fsync_duration_seconds"),
        counterRate("wal_fsync_rate", .etcd, "etcd_disk_wal_fsync_duration_seconds_count"),
        quantile("backend_commit_p50", 0.5, "etcd_disk_backend_commit_duration_seconds"),
        quantile("backend_commit_p99", 0.99, "etcd_disk_backend_commit_duration_seconds"),
        quantile("backend_commit_p999", 0.999, "etcd_disk_backend_commit_duration_seconds"),
        counterRate("backend_commit_rate", .etcd, "etcd_disk_backend_commit_duration_seconds_count"),
        Definition(name: "peer_rtt_p99", kind: .etcd, how: "Δetcd_network_peer_round_trip_time_seconds_bucket over {interval}, p99 by To",
                   emptyReason: "no peer round-trip series (a single-member cluster?)",
                   nanReason: "no peer round-trip probe in the {interval} interval (etcd 3.4 probes each peer about every 30 s: use a longer --interval)",
                   evaluate: { t, _ in try t.quantile(0.99, "etcd_network_peer_round_trip_time_seconds", by: ["To"]) }),
        interval("peer_sent_failures_rate", .etcd, "Δetcd_network_peer_sent_failures_total / {interval} by To") { t, _ in
            try t.rate("etcd_network_peer_sent_failures_total", by: ["To"], newSeriesFromZero: true)
        },
        counterRate("peer_sent_bytes_rate", .etcd, "etcd_network_peer_sent_bytes_total"),
        counterRate("client_grpc_received_rate", .etcd, "etcd_network_client_grpc_received_bytes_total"),
        counterRate("client_grpc_sent_rate", .etcd, "etcd_network_client_grpc_sent_bytes_total"),
        counterRate("grpc_request_rate", .etcd, "grpc_server_started_total", eq(["grpc_type": "unary"])),
        interval("grpc_failed_ratio", .etcd,
                 "Δgrpc_server_handled_total{grpc_code=~\"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded\"} / Δgrpc_server_handled_total over {interval} (0 when no request was handled)") { t, _ in
            let failed = try t.increase("grpc_server_handled_total", failedGRPCCodes)
            let all = try t.increase("grpc_server_handled_total")
            return all.reduce(into: Groups()) { out, entry in
                out[entry.key] = entry.value > 0 ? (failed[entry.key] ?? 0) / entry.value : 0
            }
        },
        gauge("watch_streams", .etcd,
              #"sum(grpc_server_started_total{grpc_service="etcdserverpb.Watch",grpc_type="bidi_stream"}) - sum(grpc_server_handled_total{…})"#) { s, _ in
            try streams(s, service: "etcdserverpb.Watch")
        },
        gauge("lease_streams", .etcd,
              #"sum(grpc_server_started_total{grpc_service="etcdserverpb.Lease",grpc_type="bidi_stream"}) - sum(grpc_server_handled_total{…})"#) { s, _ in
            try streams(s, service: "etcdserverpb.Lease")
        },
        quantile("snapshot_save_p99", 0.99, "etcd_debugging_snap_save_total_duration_seconds"),
        quantile("compaction_duration_p99", 0.99, "etcd_debugging_mvcc_db_compaction_total_duration_milliseconds", scale: 0.001),
        quantile("compaction_pause_p99", 0.99, "etcd_debugging_mvcc_db_compaction_pause_duration_milliseconds", scale: 0.001),
        quantile("defrag_duration_p99", 0.99, "etcd_disk_backend_defrag_duration_seconds"),
        // cAdvisor's series come from the kubelet, which a snapshot of etcd and node-exporter does not scrape.
        gauge("container_cpu_throttled_ratio", .etcd, "cAdvisor (kubelet)", empty: "cAdvisor (the kubelet) is not scraped in snapshot mode") { _, _ in Groups() },
        gauge("container_memory_limit_usage", .etcd, "cAdvisor (kubelet)", empty: "cAdvisor (the kubelet) is not scraped in snapshot mode") { _, _ in Groups() },
    ]

    /// Open streams: started minus handled, for one bidi-stream service.
    static func streams(_ s: ScrapeIndex, service: String) throws -> Groups {
        let filter = eq(["grpc_service": service, "grpc_type": "bidi_stream"])
        let started = try s.select("grpc_server_started_total", filter)
        let handled = try s.select("grpc_server_handled_total", filter)
        guard !started.isEmpty || !handled.isEmpty else { return [:] }
        return [[:]: started.reduce(0) { $0 + $1.value } - handled.reduce(0) { $0 + $1.value }]
    }

    // MARK: node-exporter

    static let idle = eq(["mode": "idle"])

    static let nodeDefinitions: [Definition] = [
        gauge("cpu_count", .node, #"count(node_cpu_seconds_total{mode="idle"})"#) { s, _ in
            try s.aggregate("node_cpu_seconds_total", idle, by: [], .count)
        },
        interval("cpu_utilisation", .node, #"1 - avg over CPUs of Δnode_cpu_seconds_total{mode=~"idle|iowait|steal"} / {interval}"#) { t, _ in
            // Waiting for I/O and time stolen by the hypervisor are not work this host did.
            let notBusy = try ["iowait", "steal"].map { try t.rate("node_cpu_seconds_total", eq(["mode": $0]), by: [], .avg) }
            return try t.rate("node_cpu_seconds_total", idle, by: [], .avg).reduce(into: Groups()) { out, entry in
                out[entry.key] = 1 - entry.value - notBusy.reduce(0) { $0 + ($1[entry.key] ?? 0) }
            }
        },
        interval("cpu_iowait", .node, #"avg over CPUs of Δnode_cpu_seconds_total{mode="iowait"} / {interval}"#) { t, _ in
            try t.rate("node_cpu_seconds_total", eq(["mode": "iowait"]), by: [], .avg)
        },
        interval("cpu_steal", .node, #"avg over CPUs of Δnode_cpu_seconds_total{mode="steal"} / {interval}"#) { t, _ in
            try t.rate("node_cpu_seconds_total", eq(["mode": "steal"]), by: [], .avg)
        },
        interval("cpu_busiest_core", .node, #"max over CPUs of 1 - Δnode_cpu_seconds_total{mode=~"idle|iowait|steal"} / {interval}"#) { t, _ in
            var notBusy: Groups = [:]
            for mode in ["idle", "iowait", "steal"] {
                for (cpu, value) in try t.rate("node_cpu_seconds_total", eq(["mode": mode]), by: ["cpu"], .sum) { notBusy[cpu, default: 0] += value }
            }
            return notBusy.values.map { 1 - $0 }.max().map { [[:]: $0] } ?? [:]
        },
        gauge("load_per_cpu", .node, #"node_load1 / count(node_cpu_seconds_total{mode="idle"})"#) { s, _ in
            let load = try s.aggregate("node_load1")
            let cpus = try s.aggregate("node_cpu_seconds_total", idle, by: [], .count)
            return combine(load, cpus.filter { $0.value > 0 }, /)
        },
        counterRate("psi_cpu", .node, "node_pressure_cpu_waiting_seconds_total"),
        counterRate("psi_io", .node, "node_pressure_io_waiting_seconds_total"),
        counterRate("psi_memory", .node, "node_pressure_memory_waiting_seconds_total"),
        gauge("memory_utilisation", .node, "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes") { s, _ in
            let available = try s.aggregate("node_memory_MemAvailable_bytes")
            let total = try s.aggregate("node_memory_MemTotal_bytes")
            return combine(available, total.filter { $0.value > 0 }) { 1 - $0 / $1 }
        },
        gauge("memory_available", .node, "node_memory_MemAvailable_bytes") { s, _ in try s.aggregate("node_memory_MemAvailable_bytes") },
        gauge("swap_usage", .node, "1 - node_memory_SwapFree_bytes / node_memory_SwapTotal_bytes (hosts with swap)",
              empty: "the host has no swap") { s, _ in
            let free = try s.aggregate("node_memory_SwapFree_bytes")
            let total = try s.aggregate("node_memory_SwapTotal_bytes")
            return combine(free, total.filter { $0.value > 0 }) { 1 - $0 / $1 }
        },
        interval("swap_io_rate", .node, "(Δnode_vmstat_pswpin + Δnode_vmstat_pswpout) / {interval}") { t, _ in
            combine(try t.rate("node_vmstat_pswpin"), try t.rate("node_vmstat_pswpout"), +)
        },
        counterRate("major_faults_rate", .node, "node_vmstat_pgmajfault"),
        interval("oom_kills", .node, "Δnode_vmstat_oom_kill over {interval}") { t, _ in try t.increase("node_vmstat_oom_kill") },
        interval("memory_edac_errors", .node, "Δnode_edac_correctable_errors_total + Δnode_edac_uncorrectable_errors_total over {interval}") { t, _ in
            let names = ["node_edac_correctable_errors_total", "node_edac_uncorrectable_errors_total"]
            let parts = names.compactMap { try? t.increase($0) }
            if parts.isEmpty { _ = try t.increase(names[0]) } // rethrows why it is missing
            return parts.reduce(into: Groups()) { out, g in for (k, v) in g { out[k, default: 0] += v } }
        },
        gauge("procs_blocked", .node, "node_procs_blocked") { s, _ in try s.aggregate("node_procs_blocked") },
        counterRate("context_switches_rate", .node, "node_context_switches_total"),
        gauge("fd_usage", .node, "node_filefd_allocated / node_filefd_maximum") { s, _ in
            combine(try s.aggregate("node_filefd_allocated"), try s.aggregate("node_filefd_maximum").filter { $0.value > 0 }, /)
        },

        // Disks (selectors.disk leaves out dm-, loop, ram, sr, fd, nbd, zram by default).
        deviceRate("disk_utilisation", "node_disk_io_time_seconds_total", nic: false),
        deviceRate("disk_queue", "node_disk_io_time_weighted_seconds_total", nic: false),
        interval("disk_read_latency", .node, "Δnode_disk_read_time_seconds_total / Δnode_disk_reads_completed_total over {interval} per device",
                 empty: "no block device passes selectors.disk", nan: "no read completed in the {interval} interval") { t, o in
            combine(try t.increase("node_disk_read_time_seconds_total", o.disk, by: ["device"]),
                    try t.increase("node_disk_reads_completed_total", o.disk, by: ["device"]), /)
        },
        interval("disk_write_latency", .node, "Δnode_disk_write_time_seconds_total / Δnode_disk_writes_completed_total over {interval} per device",
                 empty: "no block device passes selectors.disk", nan: "no write completed in the {interval} interval") { t, o in
            combine(try t.increase("node_disk_write_time_seconds_total", o.disk, by: ["device"]),
                    try t.increase("node_disk_writes_completed_total", o.disk, by: ["device"]), /)
        },
        deviceRate("disk_read_iops", "node_disk_reads_completed_total", nic: false),
        deviceRate("disk_write_iops", "node_disk_writes_completed_total", nic: false),
        deviceRate("disk_read_bytes", "node_disk_read_bytes_total", nic: false),
        deviceRate("disk_write_bytes", "node_disk_written_bytes_total", nic: false),
        gauge("filesystem_free_ratio", .node, "node_filesystem_avail_bytes / node_filesystem_size_bytes (real filesystems)",
              empty: "no real filesystem (only tmpfs, overlay …)") { s, _ in
            let by = ["device", "fstype", "mountpoint"]
            let avail = try s.aggregate("node_filesystem_avail_bytes", realFilesystems, by: by, .sum)
            let size = try s.aggregate("node_filesystem_size_bytes", realFilesystems, by: by, .sum)
            return combine(avail, size.filter { $0.value > 0 }, /)
        },

        // NICs (selectors.nic leaves out lo and virtual interfaces by default).
        interval("nic_rx_utilisation", .node, "Δnode_network_receive_bytes_total / {interval} / node_network_speed_bytes (> 0) per device",
                 empty: "no interface passes selectors.nic with a link speed (virtual NICs report none)") { t, o in
            try nicUtilisation(t, o, "node_network_receive_bytes_total")
        },
        interval("nic_tx_utilisation", .node, "Δnode_network_transmit_bytes_total / {interval} / node_network_speed_bytes (> 0) per device",
                 empty: "no interface passes selectors.nic with a link speed (virtual NICs report none)") { t, o in
            try nicUtilisation(t, o, "node_network_transmit_bytes_total")
        },
        deviceRate("nic_rx_bytes", "node_network_receive_bytes_total", nic: true),
        deviceRate("nic_tx_bytes", "node_network_transmit_bytes_total", nic: true),
        interval("nic_drop_ratio", .node, "(Δrx + Δtx drops) / (Δrx + Δtx packets) over {interval} per device",
                 empty: "no packets on any interface passing selectors.nic in the interval") { t, o in
            try nicRatio(t, o, "node_network_receive_drop_total", "node_network_transmit_drop_total")
        },
        interval("nic_error_ratio", .node, "(Δrx + Δtx errors) / (Δrx + Δtx packets) over {interval} per device",
                 empty: "no packets on any interface passing selectors.nic in the interval") { t, o in
            try nicRatio(t, o, "node_network_receive_errs_total", "node_network_transmit_errs_total")
        },
        interval("tcp_retransmit_ratio", .node, "Δnode_netstat_Tcp_RetransSegs / Δnode_netstat_Tcp_OutSegs over {interval}",
                 empty: "no TCP segment was sent in the interval") { t, _ in
            combine(try t.increase("node_netstat_Tcp_RetransSegs"), try t.increase("node_netstat_Tcp_OutSegs").filter { $0.value > 0 }, /)
        },
        counterRate("softnet_dropped_rate", .node, "node_softnet_dropped_total"),
        counterRate("softnet_squeezed_rate", .node, "node_softnet_times_squeezed_total"),
        gauge("conntrack_usage", .node, "node_nf_conntrack_entries / node_nf_conntrack_entries_limit") { s, _ in
            combine(try s.aggregate("node_nf_conntrack_entries"), try s.aggregate("node_nf_conntrack_entries_limit").filter { $0.value > 0 }, /)
        },
    ]

    /// Rate of a NIC byte counter over the interface's link speed (interfaces with a speed only).
    static func nicUtilisation(_ t: TargetData, _ o: Options, _ counter: String) throws -> Groups {
        let bytes = try t.rate(counter, o.nic, by: ["device"])
        // The link speed is a gauge: read from the second scrape.
        let speed = try t.pair().1.aggregate("node_network_speed_bytes", o.nic, by: ["device"], .max)
        return combine(bytes, speed.filter { $0.value > 0 }, /)
    }

    /// (Δrx + Δtx of a fault counter) / (Δrx + Δtx packets), per device with packets.
    static func nicRatio(_ t: TargetData, _ o: Options, _ rx: String, _ tx: String) throws -> Groups {
        let faults = combine(try t.increase(rx, o.nic, by: ["device"]), try t.increase(tx, o.nic, by: ["device"]), +)
        let packets = combine(try t.increase("node_network_receive_packets_total", o.nic, by: ["device"]),
                              try t.increase("node_network_transmit_packets_total", o.nic, by: ["device"]), +)
        return combine(faults, packets.filter { $0.value > 0 }, /)
    }
}
