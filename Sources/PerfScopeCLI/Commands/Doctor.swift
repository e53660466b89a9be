import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// `perfscope doctor`: can perfscope see what it needs? Prometheus reachable and ready, which
/// etcd and node-exporter series the selectors find, how members map to hosts, and which
/// catalog metrics are missing and what that hides. The first stop when labels differ from ours.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the Prometheus connection, selectors, member-to-host mapping and missing metrics.",
        discussion: "Exit 1 when Prometheus cannot be reached or the etcd selector matches nothing.")

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files.", valueName: "dir")) var catalog: String?

    func run() async throws {
        let session = try await Session.make(connection, catalogDirectory: catalog)
        let config = session.config
        print("config      \(config.file ?? "none (defaults)")")
        print("prometheus  \(session.prometheus.redactedURL)" + (session.prometheus.headerNames.isEmpty ? "" : " headers: \(session.prometheus.headerNames.joined(separator: ", "))"))
        let healthy = try await session.withClient { client -> Bool in
            try await Session.probe(client)
            let ready = (try? await client.ready()) ?? false
            let version = (try? await client.buildInfo().version) ?? "unknown (no buildinfo endpoint)"
            print("  reachable yes · ready \(ready ? "yes" : "no (/-/ready not 200 or not served)") · version \(version)")

            if let targets = try? await client.targets() {
                let byJob = Dictionary(grouping: targets.activeTargets) { $0.job ?? "?" }
                print("\ntargets (\(targets.activeTargets.count) active)")
                for job in byJob.keys.sorted() {
                    let list = byJob[job] ?? []
                    let down = list.filter { !$0.isUp }
                    print("  \(job): \(list.count - down.count)/\(list.count) up" + (down.isEmpty ? "" : " — down: " + down.map { "\($0.instance ?? "?") (\($0.lastError ?? "no error text"))" }.joined(separator: "; ")))
                }
            }

            let etcd = try await instances(client, "group by (instance, job) (etcd_server_has_leader{\(config.selectors.etcd)})")
            let nodes = try await instances(client, "count by (instance, job) (node_cpu_seconds_total{\(PromQL.joinMatchers([config.selectors.node, "mode=\"idle\""]))})")
            print("\nselectors")
            print("  etcd {\(config.selectors.etcd)}: \(etcd.isEmpty ? "NO members found — set selectors.etcd in perfscope.yaml (e.g. namespace=\"openshift-etcd\")" : "\(etcd.count) member(s): " + etcd.keys.sorted().joined(separator: ", "))")
            print("  node {\(config.selectors.node)}: \(nodes.isEmpty ? "NO node-exporter found — host analysis will be missing; set selectors.node" : "\(nodes.count) host(s): " + nodes.keys.sorted().map { "\($0) (\(CheckedNumber.text(nodes[$0] ?? 0)) CPUs)" }.joined(separator: ", "))")

            print("\nmember → host")
            for member in etcd.keys.sorted() {
                let host = HostMapping.nodeInstance(forEtcd: member, among: Array(nodes.keys), explicit: config.members)
                print("  \(member) → \(host ?? "no node-exporter series for host \(HostMapping.host(of: member)) (add it under members: in perfscope.yaml)")")
            }

            print("\ncatalog metrics")
            let missing = try await missingMetrics(client, session: session)
            if missing.isEmpty {
                print("  all \(session.catalog.metrics.count) catalog metrics have data")
            }
            for (metric, names) in missing {
                let note = metric.emptyIsHealthy ? " (normal until the first event)" : ""
                print("  missing \(names.joined(separator: ", ")) → \(metric.name): \(metric.hides) cannot be judged\(note)")
            }
            return !etcd.isEmpty
        }
        if !healthy { throw ExitCode(1) }
    }

    /// instance → value for a `by (instance)` query.
    func instances(_ client: PrometheusClient, _ q: String) async throws -> [String: Double] {
        var out: [String: Double] = [:]
        for s in try await client.query(q).result.series { if let i = s.instance { out[i] = s.value ?? 0 } }
        return out
    }

    /// Catalog metrics whose required raw series do not exist under their selector (one query per selector).
    func missingMetrics(_ client: PrometheusClient, session: Session) async throws -> [(CatalogMetric, [String])] {
        var present: [String: Set<String>] = [:]
        for (selectorName, selector) in [("etcd", session.config.selectors.etcd), ("node", session.config.selectors.node)] {
            let names = Set(session.catalog.metrics.filter { selectorName == "etcd" ? $0.usesEtcdSelector : $0.usesNodeSelector }.flatMap(\.requires))
            guard !names.isEmpty else { continue }
            let regex = names.sorted().map { PromQL.escapeRegex($0) }.joined(separator: "|")
            let q = "group by (__name__) ({\(PromQL.joinMatchers(["__name__=~\"\(regex)\"", selector]))})"
            present[selectorName] = Set(try await client.query(q).result.series.compactMap { $0.labels["__name__"] })
        }
        return session.catalog.metrics.compactMap { m in
            let have = present[m.usesEtcdSelector ? "etcd" : "node"] ?? []
            let missing = m.requires.filter { !have.contains($0) }
            return missing.isEmpty ? nil : (m, missing)
        }
    }
}
