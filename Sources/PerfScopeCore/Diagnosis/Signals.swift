/// Normalised evidence strengths (0 = nothing, 1 = unmistakable) for one member and its host,
/// computed from the catalog's thresholds so the root-cause rules and the threshold findings
/// use the same numbers.
struct Signals {
    let view: MemberView
    let levels: Levels

    /// `(v - lo) / (hi - lo)` clamped to 0…1; nil when the value was not measured.
    static func norm(_ v: Double?, _ lo: Double, _ hi: Double) -> Double? {
        guard let v, v.isFinite, hi > lo else { return nil }
        return min(1, max(0, (v - lo) / (hi - lo)))
    }

    static func maxKnown(_ values: [Double?]) -> Double? {
        let known = values.compactMap { $0 }
        return known.max()
    }

    /// How far above the healthy targets the member's fsync/commit p99 sits (1 = at target).
    var latencyExcess: Double? {
        Self.maxKnown([view["wal_fsync_p99"].map { $0 / levels.walTarget },
                       view["backend_commit_p99"].map { $0 / levels.commitTarget }])
    }

    /// Host CPU saturation: utilisation, run queue per CPU, CPU pressure.
    var cpu: Double? {
        // The run queue counts tasks blocked on disk too: use it only where CPU pressure (PSI) is not measured.
        // Steal is CPU this VM was promised and did not get: starvation, though not "busy" time.
        Self.maxKnown([Self.norm(view["cpu_utilisation"], levels.cpuUtilisation, levels.cpuUtilisationHigh),
                       Self.norm(view["cpu_steal"], levels.cpuSteal, levels.cpuStealHigh * 2),
                       view["psi_cpu"] == nil ? Self.norm(view["load_per_cpu"], levels.loadPerCPU, levels.loadPerCPU * 2) : nil,
                       Self.norm(view["psi_cpu"], levels.psiCPU, levels.psiCPU * 4)])
    }

    /// The etcd process itself being starved (throttled or descheduled): long GC pauses.
    /// The window's mean pause decides when it was measured. The summary's max is the longest of
    /// the last 256 pauses, which can be older than the window (a throttle that ended an hour
    /// ago), so it only counts alone when there is no mean, or beside a mean that is long too.
    var starvation: Double? {
        guard let mean = gcMean else { return gcLongest }
        return longestCounts ? max(mean, gcLongest ?? 0) : mean
    }

    var gcMean: Double? { Self.norm(view["gc_pause_avg"], levels.gcPauseAvg * 0.5, levels.gcPauseAvg * 4) }
    var gcLongest: Double? { Self.norm(view["gc_pause_max"], levels.gcPause * 0.4, levels.gcPause * 2) }
    /// Whether the longest recent pause is evidence: no window mean to check it against, or a long mean too.
    var longestCounts: Bool { gcMean.map { $0 >= 0.3 } ?? true }

    /// Host disk saturation or slowness: busy time, queue, write latency, I/O pressure.
    var disk: Double? {
        Self.maxKnown([Self.norm(view["disk_utilisation"], levels.diskUtilisation, levels.diskUtilisationHigh),
                       Self.norm(view["disk_queue"], 2, levels.diskQueue),
                       Self.norm(view["disk_write_latency"], levels.walTarget, levels.diskLatencyHigh),
                       Self.norm(view["psi_io"], levels.psiIO, levels.psiIO * 4)])
    }

    /// Host memory pressure: swapping, major faults, memory stalls, near-full memory.
    var memory: Double? {
        Self.maxKnown([Self.norm(view["swap_io_rate"], 1, 100),
                       Self.norm(view["major_faults_rate"], levels.majorFaults / 2, levels.majorFaults * 5),
                       Self.norm(view["psi_memory"], levels.psiMemory, levels.psiMemory * 4),
                       Self.norm(view["memory_utilisation"], 0.9, 0.98),
                       (view["oom_kills"] ?? 0) >= 1 ? 1 : nil])
    }

    /// Host network trouble seen by TCP and the NIC.
    var hostNetwork: Double? {
        Self.maxKnown([Self.norm(view["tcp_retransmit_ratio"], levels.retransmit / 2, levels.retransmit * 5),
                       Self.norm(view["nic_drop_ratio"], 0.0005, 0.01),
                       Self.norm(view["nic_error_ratio"], 0.0005, 0.01)])
    }
}

/// The levels the rules use, read from the catalog (config overrides included), with the
/// documented defaults when a custom catalog lacks an entry.
struct Levels {
    var cpuUtilisation = 0.8
    var cpuUtilisationHigh = 0.95
    var cpuSteal = 0.05
    var cpuStealHigh = 0.1
    var diskUtilisation = 0.7
    var diskUtilisationHigh = 0.9
    var walTarget = 0.01
    var commitTarget = 0.025
    var rttTarget = 0.05
    var rttHigh = 0.15
    var loadPerCPU = 1.0
    var psiCPU = 0.1
    var psiIO = 0.1
    var psiMemory = 0.05
    var gcPause = 0.05
    var gcPauseAvg = 0.01
    var diskQueue = 10.0
    var diskLatencyHigh = 0.05
    var majorFaults = 100.0
    var retransmit = 0.01
    var quotaWarning = 0.8
    var quotaCritical = 0.95
    var fragmentation = 0.5

    init(catalog: [CatalogMetric]) {
        func level(_ name: String, _ s: Severity) -> Double? {
            catalog.first { $0.name == name }?.thresholds?.levels.first { $0.0 == s }?.1
        }
        cpuUtilisation = level("cpu_utilisation", .medium) ?? cpuUtilisation
        cpuUtilisationHigh = level("cpu_utilisation", .high) ?? cpuUtilisationHigh
        cpuSteal = level("cpu_steal", .medium) ?? cpuSteal
        cpuStealHigh = level("cpu_steal", .high) ?? cpuStealHigh
        diskUtilisation = level("disk_utilisation", .medium) ?? diskUtilisation
        diskUtilisationHigh = level("disk_utilisation", .high) ?? diskUtilisationHigh
        walTarget = level("wal_fsync_p99", .medium) ?? walTarget
        commitTarget = level("backend_commit_p99", .medium) ?? commitTarget
        rttTarget = level("peer_rtt_p99", .medium) ?? rttTarget
        rttHigh = level("peer_rtt_p99", .high) ?? rttHigh
        loadPerCPU = level("load_per_cpu", .medium) ?? loadPerCPU
        psiCPU = level("psi_cpu", .medium) ?? psiCPU
        psiIO = level("psi_io", .medium) ?? psiIO
        psiMemory = level("psi_memory", .medium) ?? psiMemory
        gcPause = level("gc_pause_max", .medium) ?? gcPause
        gcPauseAvg = level("gc_pause_avg", .medium) ?? gcPauseAvg
        diskQueue = level("disk_queue", .high) ?? diskQueue
        diskLatencyHigh = level("disk_write_latency", .high) ?? diskLatencyHigh
        majorFaults = level("major_faults_rate", .medium) ?? majorFaults
        retransmit = level("tcp_retransmit_ratio", .medium) ?? retransmit
        quotaWarning = level("db_quota_usage", .medium) ?? quotaWarning
        quotaCritical = level("db_quota_usage", .critical) ?? quotaCritical
        fragmentation = level("db_in_use_ratio", .medium) ?? fragmentation
    }
}
