import Foundation
import PerfScopeCore
import Testing

/// `perfscope analyze --kubeconfig` end to end: a stand-in API server (Tests/kube/fake_api.py, the
/// lab's shape: one node, three etcd static pods) plus the lab Prometheus. The discovered cluster
/// reaches the report header and the JSON, and the member → node map ties members to the node.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil
                && PythonServer.available, "needs the built binary, the lab Prometheus and python3"))
struct KubeAnalyzeLiveTests {
    @Test func discoveredClusterInTheReport() throws {
        let api = try PythonServer.start("kube/fake_api.py", ["lab-token"])
        defer { api.stop() }
        let port = api.port

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-kube-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubeconfig = dir.appendingPathComponent("config").path
        try """
        current-context: lab
        clusters: [{name: lab-cluster, cluster: {server: "http://127.0.0.1:\(port)"}}]
        contexts: [{name: lab, context: {cluster: lab-cluster, user: reader}}]
        users: [{name: reader, user: {token: lab-token}}]
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)

        let prometheus = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""
        let json = try CLIRunner.run(["analyze", "--kubeconfig", kubeconfig, "--prometheus", prometheus, "--duration", "5m", "--no-store", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(json.stdout.utf8))
        let cluster = try #require(report.cluster, "no cluster in the report")
        #expect(cluster.name == "lab-cluster" && cluster.distribution == "Kubernetes v1.30.2" && cluster.platform == "kind")
        #expect(cluster.nodes == 1 && cluster.controlPlaneNodes == 1)
        #expect(cluster.etcdMembers == ["kube-system/etcd-m1": "lab-node", "kube-system/etcd-m2": "lab-node", "kube-system/etcd-m3": "lab-node"])
        #expect(cluster.prometheusSource == nil, "--prometheus was given, so nothing discovered was used")
        #expect(report.hosts.first?.instance == "127.0.0.1:9100", "the node's node-exporter")
        #expect(!json.stderr.contains("warning"), "\(json.stderr)")

        let text = try CLIRunner.run(["analyze", "--kubeconfig", kubeconfig, "--prometheus", prometheus, "--duration", "5m", "--no-store"])
        #expect(text.stdout.contains("cluster lab-cluster — Kubernetes v1.30.2 on kind, 1 node (1 control plane); etcd on lab-node\n"), "\(text.stdout.prefix(600))")

        // No Prometheus given and none discoverable: stop, rather than analyse some other Prometheus under this cluster's name.
        let bare = try CLIRunner.run(["query", "--kubeconfig", kubeconfig, "up"], environment: ["PERFSCOPE_PROMETHEUS_URL": ""])
        #expect(bare.status != 0 && bare.stderr.contains("no Prometheus discovered in the cluster: pass --prometheus"), "\(bare.stderr)")
        #expect(bare.stdout.isEmpty)
    }
}
