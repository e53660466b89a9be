import Foundation

/// Turns each host's state into node-exporter 1.5 series (per-CPU mode counters, per-device
/// disk and NIC counters, PSI, vmstat and netstat as untyped values, memory gauges).
struct NodeSeries {
    let deployment: Deployment
    let variant: Variant

    init(_ d: Deployment, _ v: Variant) {
        deployment = d
        variant = v
    }

    func emit(_ store: SeriesStore, _ states: [HostState], dt: Double, first: Bool, rng: inout SplitMix64) {
        let base = first ? 86_400.0 : 0 // about a day of uptime before the data starts
        for (h, host) in deployment.hosts.enumerated() {
            let s = states[h]
            let L = host.labels
            store.gauge("up", L, 1, help: "1 if the target was scraped.")
            // The modes perfscope reads (busy = everything but idle, iowait and steal); irq, softirq and
            // nice are folded into user/system to keep the files small.
            let modes: [(String, Double)] = [("user", 0.7), ("system", 0.3)]
            for c in 0..<variant.cpus {
                let busy = min(0.995, s.cpuBusy * rng.jitter(0.04))
                let iowait = min(max(0, 1 - busy - s.steal), s.iowait * rng.jitter(0.1))
                let idle = max(0, 1 - busy - iowait - s.steal)
                let cpu: Labels = L + [("cpu", String(c))]
                for (mode, share) in modes {
                    store.counter("node_cpu_seconds", cpu + [("mode", mode)], add: (base * 0.1 + busy * dt) * share, help: "Seconds the CPUs spent in each mode.")
                }
                store.counter("node_cpu_seconds", cpu + [("mode", "iowait")], add: base * 0.01 + iowait * dt, help: "Seconds the CPUs spent in each mode.")
                store.counter("node_cpu_seconds", cpu + [("mode", "steal")], add: base * 0.002 + s.steal * dt, help: "Seconds the CPUs spent in each mode.")
                store.counter("node_cpu_seconds", cpu + [("mode", "idle")], add: base * 0.888 + idle * dt, help: "Seconds the CPUs spent in each mode.")
                if c < 2 { // per CPU in node-exporter; two are enough for the sums perfscope takes
                    store.counter("node_softnet_dropped", cpu, add: rng.count(s.dropRate * 20 * dt), help: "Number of dropped packets")
                    store.counter("node_softnet_times_squeezed", cpu, add: rng.count(0.05 * dt), help: "Number of times processing packets ran out of quota")
                }
            }
            store.gauge("node_load1", L, (s.load1 * 100).rounded() / 100, help: "1m load average.")
            store.gauge("node_load5", L, (s.load1 * 0.95 * 100).rounded() / 100, help: "5m load average.")
            store.gauge("node_load15", L, (s.load1 * 0.9 * 100).rounded() / 100, help: "15m load average.")
            store.gauge("node_procs_running", L, max(1, rng.count(min(s.demand, Double(variant.cpus) * 3))), help: "Number of processes in runnable state.")
            store.gauge("node_procs_blocked", L, s.blocked, help: "Number of processes blocked waiting for I/O to complete.")
            store.counter("node_context_switches", L, add: base * 3000 + s.contextSwitches * dt, help: "Total number of context switches.")
            if variant.psi {
                store.counter("node_pressure_cpu_waiting_seconds", L, add: base * 0.005 + s.psiCPU * dt, help: "Total time in seconds that processes have waited for CPU time")
                store.counter("node_pressure_io_waiting_seconds", L, add: base * 0.003 + s.psiIO * dt, help: "Total time in seconds that processes have waited due to IO congestion")
                store.counter("node_pressure_io_stalled_seconds", L, add: base * 0.002 + s.psiIO * 0.6 * dt, help: "Total time in seconds no process could make progress due to IO congestion")
                store.counter("node_pressure_memory_waiting_seconds", L, add: base * 0.0001 + s.psiMemory * dt, help: "Total time in seconds that processes have waited for memory")
                store.counter("node_pressure_memory_stalled_seconds", L, add: base * 0.00005 + s.psiMemory * 0.4 * dt, help: "Total time in seconds no process could make progress due to memory congestion")
            }

            let total = variant.memoryGiB * 1_073_741_824
            let swap = variant.swapGiB * 1_073_741_824
            store.gauge("node_memory_MemTotal_bytes", L, total, help: "Memory information field MemTotal_bytes.")
            store.gauge("node_memory_MemAvailable_bytes", L, s.memAvailable.rounded(), help: "Memory information field MemAvailable_bytes.")
            store.gauge("node_memory_MemFree_bytes", L, (s.memAvailable * 0.25).rounded(), help: "Memory information field MemFree_bytes.")
            store.gauge("node_memory_Cached_bytes", L, (s.memAvailable * 0.65).rounded(), help: "Memory information field Cached_bytes.")
            store.gauge("node_memory_Buffers_bytes", L, (s.memAvailable * 0.03).rounded(), help: "Memory information field Buffers_bytes.")
            store.gauge("node_memory_SwapTotal_bytes", L, swap, help: "Memory information field SwapTotal_bytes.")
            store.gauge("node_memory_SwapFree_bytes", L, (swap * (1 - s.swapUsed)).rounded(), help: "Memory information field SwapFree_bytes.")
            store.untypedCounter("node_vmstat_pswpin", L, add: rng.round(s.swapIn * dt), help: "/proc/vmstat information field pswpin.")
            store.untypedCounter("node_vmstat_pswpout", L, add: rng.round(s.swapOut * dt), help: "/proc/vmstat information field pswpout.")
            store.untypedCounter("node_vmstat_pgmajfault", L, add: rng.round(base * 0.3 + s.majorFaults * dt), help: "/proc/vmstat information field pgmajfault.")
            store.untypedCounter("node_vmstat_oom_kill", L, add: s.oomKills, help: "/proc/vmstat information field oom_kill.")
            store.gauge("node_filefd_allocated", L, (3000 + 400 * rng.uniform()).rounded(), help: "File descriptor statistics: allocated.")
            store.gauge("node_filefd_maximum", L, 9.223372036854776e18, help: "File descriptor statistics: maximum.")
            store.gauge("node_nf_conntrack_entries", L, (1200 + 300 * rng.uniform()).rounded(), help: "Number of currently allocated flow entries for connection tracking.")
            store.gauge("node_nf_conntrack_entries_limit", L, 262_144, help: "Maximum size of connection tracking table.")

            // The etcd data device, and the device-mapper volume on top of it (same I/O; perfscope must not count it twice).
            for (device, scale) in [(variant.disk.device, 1.0), ("dm-0", 0.98)] {
                let D = L + [("device", device)]
                let reads = rng.round(s.readIOPS * scale * dt), writes = rng.round(s.writeIOPS * scale * dt)
                store.counter("node_disk_io_time_seconds", D, add: base * 0.01 + s.utilisation * dt, help: "Total seconds spent doing I/Os.")
                store.counter("node_disk_io_time_weighted_seconds", D, add: base * 0.02 + s.queue * dt, help: "The weighted # of seconds spent doing I/Os.")
                store.counter("node_disk_reads_completed", D, add: base * 2 + reads, help: "The total number of reads completed successfully.")
                store.counter("node_disk_writes_completed", D, add: base * 20 + writes, help: "The total number of writes completed successfully.")
                store.counter("node_disk_read_time_seconds", D, add: base * 2 * variant.disk.readLatency + reads * s.readLatency, help: "The total number of seconds spent by all reads.")
                store.counter("node_disk_write_time_seconds", D, add: base * 20 * variant.disk.writeLatency + writes * s.writeLatency, help: "This is the total number of seconds spent by all writes.")
                store.counter("node_disk_read_bytes", D, add: base * 30_000 + s.readBytes * scale * dt, help: "The total number of bytes read successfully.")
                store.counter("node_disk_written_bytes", D, add: base * 400_000 + s.writeBytes * scale * dt, help: "The total number of bytes written successfully.")
                store.gauge("node_disk_io_now", D, rng.count(s.queue), help: "The number of I/Os currently in progress.")
            }
            for (mount, fstype, device, size, free) in [("/", "ext4", "/dev/\(variant.disk.device)1", 100e9, 0.62), ("/run", "tmpfs", "tmpfs", 1.6e9, 0.99)] {
                let F = L + [("device", device), ("fstype", fstype), ("mountpoint", mount)]
                store.gauge("node_filesystem_size_bytes", F, size, help: "Filesystem size in bytes.")
                store.gauge("node_filesystem_avail_bytes", F, (size * free).rounded(), help: "Filesystem space available to non-root users in bytes.")
            }

            let nics: [(String, Double, Double, Double?)] = [("eth0", s.rxBytes, s.txBytes, variant.nicSpeed), ("lo", 40_000, 40_000, nil)]
            for (device, rx, tx, speed) in nics {
                let N = L + [("device", device)]
                let rxBytes = rx * dt * rng.jitter(0.03), txBytes = tx * dt * rng.jitter(0.03)
                let rxPackets = rng.round(rxBytes / 900 + 40 * dt), txPackets = rng.round(txBytes / 900 + 40 * dt)
                let drop = device == "eth0" ? s.dropRate : 0
                store.counter("node_network_receive_bytes", N, add: base * 2e5 + rxBytes, help: "Network device statistic receive_bytes.")
                store.counter("node_network_transmit_bytes", N, add: base * 2e5 + txBytes, help: "Network device statistic transmit_bytes.")
                store.counter("node_network_receive_packets", N, add: base * 250 + rxPackets, help: "Network device statistic receive_packets.")
                store.counter("node_network_transmit_packets", N, add: base * 250 + txPackets, help: "Network device statistic transmit_packets.")
                store.counter("node_network_receive_drop", N, add: rng.round(rxPackets * drop), help: "Network device statistic receive_drop.")
                store.counter("node_network_transmit_drop", N, add: rng.round(txPackets * drop * 0.2), help: "Network device statistic transmit_drop.")
                store.counter("node_network_receive_errs", N, add: 0, help: "Network device statistic receive_errs.")
                store.counter("node_network_transmit_errs", N, add: 0, help: "Network device statistic transmit_errs.")
                if device == "eth0" { store.gauge("node_network_speed_bytes", N, speed ?? -1, help: "Network device property: speed_bytes") }
                if device == "eth0" {
                    let out = txPackets * 0.97
                    store.untypedCounter("node_netstat_Tcp_OutSegs", L, add: base * 300 + out, help: "Statistic TcpOutSegs.")
                    store.untypedCounter("node_netstat_Tcp_InSegs", L, add: base * 300 + rxPackets * 0.97, help: "Statistic TcpInSegs.")
                    store.untypedCounter("node_netstat_Tcp_RetransSegs", L, add: rng.round(base * 0.3 + out * s.retransmitRatio), help: "Statistic TcpRetransSegs.")
                }
            }
        }
    }
}
