import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore

/// `perfscope connect`: reads a kubeconfig, talks to the Kubernetes or OpenShift API read-only,
/// and prints what it found: version, platform, nodes, etcd members → nodes, and the Prometheus
/// (OpenShift's Thanos Querier, or an in-cluster service) it would use.
struct Connect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Discover a Kubernetes/OpenShift cluster from a kubeconfig: nodes, etcd members, Prometheus.",
        discussion: """
        Read-only: only GET/list calls. exec and auth-provider users are not run: pass a token with \
        --kube-token or PERFSCOPE_KUBE_TOKEN (e.g. `oc whoami -t`). \
        Exit 1 when there is no kubeconfig or the API server cannot be used.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: ArgumentHelp("Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).", valueName: "path"))
    var kubeconfig: String?
    @Option(name: .long, help: ArgumentHelp("Kubeconfig context (default: current-context).", valueName: "name"))
    var context: String?
    @Option(name: .long, help: ArgumentHelp("Bearer token, overriding the kubeconfig user (default: $PERFSCOPE_KUBE_TOKEN).", valueName: "token"))
    var kubeToken: String?
    @Flag(name: .long, help: "Show each discovery step and how each answer was found.")
    var explain = false
    @Option(name: .long, help: "Output format: text or json.") var format: Format = .text
    @Option(name: .long, help: ArgumentHelp("Per-request timeout, e.g. 15s.", valueName: "duration")) var timeout: String = "15s"

    func run() async throws {
        let seconds = try DurationParser.seconds(timeout)
        let connection = try KubeConnection.resolve(kubeconfig: kubeconfig, context: context, token: kubeToken)
        let info = try await ClusterDiscovery.discover(connection, timeout: .milliseconds(Int64(max(seconds, 0.1) * 1000)))
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(info), as: UTF8.self))
        case .text:
            print(Self.text(info, explain: explain), terminator: "")
        }
    }

    static func text(_ info: ClusterInfo, explain: Bool) -> String {
        var out = "cluster     \(info.context) (\(info.server))\n"
        out += "version     \(info.kubernetesVersion ?? "unknown")"
        if let os = info.openShift {
            out += " · OpenShift \(os.version ?? "?")" + (os.channel.map { " (channel \($0))" } ?? "")
        }
        out += "\nplatform    \(info.platform.map { "\($0) (from \(info.platformSource ?? "?"))" } ?? "unknown")\n"

        out += "\nnodes (\(info.nodes.count))\n"
        let width = info.nodes.map(\.name.count).max() ?? 0
        for node in info.nodes {
            let roles = node.roles.isEmpty ? "-" : node.roles.joined(separator: ",")
            out += "  \(node.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(roles.padding(toLength: 21, withPad: " ", startingAt: 0))"
                + " \(node.internalIP ?? "-")  cpu \(cores(node.capacity)) (alloc \(cores(node.allocatable)))"
                + "  mem \(memory(node.capacity)) (alloc \(memory(node.allocatable)))\n"
        }

        out += "\netcd members (\(info.etcdMembers.count))\n"
        for member in info.etcdMembers {
            out += "  \(member.namespace)/\(member.pod) → \(member.node ?? "?") (\(member.podIP ?? "no IP")\(member.phase.map { ", \($0)" } ?? ""))\n"
        }
        if info.etcdMembers.isEmpty { out += "  none found (openshift-etcd app=etcd, kube-system component=etcd)\n" }

        out += "\nprometheus  "
        if let p = info.prometheus {
            out += "\(p.url) (from \(p.source)\(p.usesKubeToken ? ", with the kubeconfig token" : ""))\n"
            if let note = p.note { out += "            \(note)\n" }
        } else {
            out += "none discovered — pass --prometheus\n"
        }
        if !info.notes.isEmpty {
            out += "\nnot read\n" + info.notes.map { "  \($0)\n" }.joined()
        }
        if explain {
            out += "\nhow it was found\n" + info.explanation.map { "  \($0)\n" }.joined()
        }
        return out
    }

    private static func cores(_ r: ClusterInfo.Resources) -> String {
        guard let c = r.cpuCores else { return r.cpu ?? "?" }
        return CheckedNumber.int(c).map(String.init) ?? String(format: "%.2f", c)
    }

    private static func memory(_ r: ClusterInfo.Resources) -> String {
        guard let b = r.memoryBytes else { return r.memory ?? "?" }
        return String(format: "%.1f GiB", b / 1_073_741_824)
    }
}
