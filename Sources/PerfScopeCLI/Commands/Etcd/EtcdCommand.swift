import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore

/// `perfscope etcd …`: one etcd subsystem at a time, or the deep dive, bottleneck analysis
/// and performance report over the whole cluster.
struct EtcdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etcd",
        abstract: "etcd subsystems one at a time, deep dive, bottleneck analysis and performance report.",
        subcommands: [EtcdStatus.self, General.self, WALFsync.self, BackendCommit.self, Disk.self, Network.self,
                      CompactDefrag.self, NodeUsage.self, DeepDive.self, Bottlenecks.self, PerformanceReport.self])

    /// Options every Prometheus-backed etcd subcommand shares.
    struct Common: ParsableArguments {
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var window: WindowOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files.", valueName: "dir")) var catalog: String?

        /// Runs the subsystem's catalog metrics (or all) and prints the view.
        func run(_ view: ReportView, subsystems: Set<String>? = nil) async throws {
            let session = try await Session.make(connection, catalogDirectory: catalog)
            let window = try self.window.window()
            let metrics = subsystems.map { set in session.catalog.metrics.filter { set.contains($0.subsystem) } }
            let report = try await session.analyze(window: window, metrics: metrics, diagnose: subsystems == nil)
            let text = try view.render(report, format: output.format, color: output.output == nil && Terminal.useColor)
            try Terminal.write(text, to: output.output)
        }
    }

    struct General: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Members up, leader, proposals, slow applies, DB size and quota, keys, request rates, CPU and RSS.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.subsystem("general", title: "etcd general"), subsystems: ["general", "status"]) }
    }

    struct WALFsync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "wal-fsync", abstract: "WAL fsync latency p50/p99/p99.9 per member and fsync rate.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.subsystem("wal-fsync", title: "etcd WAL fsync"), subsystems: ["wal-fsync"]) }
    }

    struct BackendCommit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "backend-commit", abstract: "Backend commit latency p50/p99/p99.9 per member and commit rate.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.subsystem("backend-commit", title: "etcd backend commit"), subsystems: ["backend-commit"]) }
    }

    struct Disk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Host disk I/O: utilisation, queue, latency, IOPS, throughput, free space (dm/loop excluded).")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.subsystem("disk", title: "Host disk I/O"), subsystems: ["disk"]) }
    }

    struct Network: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Peer RTT, peer failures, client gRPC traffic, streams, NIC utilisation, drops, errors, retransmits.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.subsystem("network", title: "etcd and host network"), subsystems: ["network"]) }
    }

    struct CompactDefrag: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "compact-defrag", abstract: "Compaction and defrag durations, snapshot saves.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.subsystem("compact-defrag", title: "etcd compaction and defragmentation"), subsystems: ["compact-defrag"]) }
    }

    struct NodeUsage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "node-usage", abstract: "Host CPU by mode, load, PSI, memory from MemAvailable, swap, faults, OOM kills.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.subsystem("node-usage", title: "Host usage"), subsystems: ["node-usage"]) }
    }

    struct DeepDive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deep-dive", abstract: "Every subsystem, correlations, health score per category.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.deepDive) }
    }

    struct Bottlenecks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ranked root causes with evidence and likelihood, findings per category, prioritised recommendations.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.bottlenecks) }
    }

    struct PerformanceReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Performance report: summary, critical alerts, metrics against targets, node usage, grade, recommendations.")
        @OptionGroup var common: Common
        func run() async throws { try await common.run(.performanceReport) }
    }
}
