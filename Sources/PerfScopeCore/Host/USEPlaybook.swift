/// What a performance engineer says and does for each USE cell: what a problem there means,
/// the first action, the Linux commands that drill down to the thread, device or interface
/// behind it, and the durable fix. Systems Performance 2nd ed. is the source of the method and
/// the tools; the etcd notes come from etcd's tuning and hardware guides.
public enum USEPlaybook {
    public struct Entry: Sendable {
        public var meaning: String
        public var action: String
        public var steps: [String]
        public var fix: String
    }

    public static func entry(_ resource: USEResource, _ dimension: USEDimension) -> Entry {
        switch (resource, dimension) {
        case (.cpu, .utilisation):
            Entry(meaning: "The CPUs are busy most of the time; a busy CPU alone is not a problem until work queues (saturation).",
                  action: "Find who uses the CPU: per-CPU balance first (one hot CPU means a single-threaded bottleneck), then per process.",
                  steps: ["mpstat -P ALL 1 10", "pidstat -u 1 10", "perf top -g", "perf record -F 99 -a -g -- sleep 30 && perf report"],
                  fix: "Reserve CPUs for etcd (Kubernetes static CPU manager or a dedicated node); move CPU-heavy neighbours away.")
        case (.cpu, .saturation):
            Entry(meaning: "Runnable tasks wait for a CPU: scheduler latency is added to every request, and etcd's heartbeats and fsyncs are delayed behind other work.",
                  action: "Measure run-queue latency and find what is runnable; check for CPU quotas (cgroup throttling) and steal.",
                  steps: ["vmstat 1 10", "runqlat-bpfcc 10 1", "pidstat -w 1 10", "cat /sys/fs/cgroup/cpu.stat", "mpstat -P ALL 1 10"],
                  fix: "More or dedicated CPUs for etcd's host; raise or remove etcd's CPU limit; set the CPU governor to performance.")
        case (.cpu, .errors):
            Entry(meaning: "The CPU reported hardware errors.", action: "Check machine-check events.",
                  steps: ["dmesg -T | grep -i -E 'mce|machine check'", "ras-mc-ctl --errors"], fix: "Replace the failing hardware.")
        case (.memory, .utilisation):
            Entry(meaning: "Little memory is available for new work (MemAvailable counts reclaimable page cache as free, so this is real shortage).",
                  action: "Find the largest processes and whether etcd's RSS grows with its database.",
                  steps: ["free -m", "ps aux --sort=-rss | head", "slabtop -o | head -20", "grep -E 'VmRSS|VmSwap' /proc/$(pgrep -o etcd)/status"],
                  fix: "Size memory for the DB plus headroom (etcd mmaps its whole DB); move memory-heavy neighbours away.")
        case (.memory, .saturation):
            Entry(meaning: "The kernel is reclaiming, swapping or reading mapped pages back from disk: memory latency becomes disk latency.",
                  action: "Confirm paging (vmstat si/so, major faults) and whether etcd's own pages are affected.",
                  steps: ["vmstat 1 10", "sar -B 1 10", "sar -W 1 10", "cat /proc/pressure/memory", "perf record -e major-faults -a -g -- sleep 10"],
                  fix: "Add memory or reduce the working set; disable swap on etcd hosts; keep the etcd DB well below RAM.")
        case (.memory, .errors):
            Entry(meaning: "Memory ran out (OOM kills) or the hardware reported memory errors.",
                  action: "Find the OOM victims and the memory state at the time; check EDAC counters.",
                  steps: ["dmesg -T | grep -i -A10 'out of memory'", "journalctl -k | grep -i oom", "edac-util -v"],
                  fix: "Set memory requests/limits so etcd is never the victim; replace DIMMs with uncorrectable errors.")
        case (.disk, .utilisation):
            Entry(meaning: "The device is busy most of the time. On SSD/NVMe with parallel queues 100 % busy is not saturation by itself; queue length and await decide.",
                  action: "Identify the processes doing I/O and whether etcd shares the device with them.",
                  steps: ["iostat -xz 1 10", "iotop -obP", "biotop-bpfcc", "lsblk -o NAME,MOUNTPOINT,ROTA,SCHED"],
                  fix: "Give etcd a dedicated low-latency device (its WAL fsyncs are on the write path of every request).")
        case (.disk, .saturation):
            Entry(meaning: "I/O queues at the device or is throttled above it: every etcd WAL fsync waits behind it.",
                  action: "Look at queue size and await per device, the latency distribution, and cgroup I/O limits.",
                  steps: ["iostat -xz 1 10", "biolatency-bpfcc -D 10 1", "biosnoop-bpfcc", "cat /proc/pressure/io", "cat /sys/fs/cgroup/io.max"],
                  fix: "Faster storage, less competing I/O, ionice -c2 -n0 for etcd, or a separate device for the WAL.")
        case (.disk, .errors):
            Entry(meaning: "The device reported I/O errors.", action: "Check the kernel log and SMART data.",
                  steps: ["dmesg -T | grep -i -E 'i/o error|blk_update_request'", "smartctl -a /dev/<device>"],
                  fix: "Replace the device; restore the member from a snapshot if its data is damaged.")
        case (.network, .utilisation):
            Entry(meaning: "An interface carries traffic near its link speed: peer messages queue behind bulk transfers.",
                  action: "Find the heavy flows and whether etcd's peer traffic (port 2380) competes with them.",
                  steps: ["sar -n DEV 1 10", "iftop -i <device>", "nicstat 1 10", "ss -tin '( sport = :2380 or dport = :2380 )'"],
                  fix: "Faster or separate links for peer traffic; prioritise port 2380 with tc; rate-limit backups and snapshots.")
        case (.network, .saturation):
            Entry(meaning: "Packets are dropped or retransmitted, or the kernel cannot keep up with receive processing: each loss costs a TCP retransmission timeout on peer and client messages.",
                  action: "Find where packets are lost: interface drops, socket retransmits, softnet backlog.",
                  steps: ["nstat -az | grep -i -E 'retrans|drop'", "sar -n EDEV,ETCP 1 10", "cat /proc/net/softnet_stat", "tcpretrans-bpfcc", "ethtool -S <device> | grep -i -E 'drop|discard'"],
                  fix: "Fix the lossy path or the overloaded NIC queues (ring sizes, RPS/RSS); keep etcd members close (low RTT, no loss).")
        case (.network, .errors):
            Entry(meaning: "The interface reports receive or transmit errors (bad frames, CRC, carrier).",
                  action: "Check the interface counters, cabling and driver.",
                  steps: ["ip -s link show <device>", "ethtool -S <device>", "dmesg -T | grep -i <device>"],
                  fix: "Replace the cable/transceiver or NIC; update the driver or firmware.")
        }
    }

    /// How to check a dimension that no metric in the data covers.
    public static func unobservable(_ resource: USEResource, _ dimension: USEDimension) -> String {
        let entry = entry(resource, dimension)
        return "not exported by node-exporter; check by hand: " + entry.steps.prefix(2).joined(separator: "; ")
    }
}
