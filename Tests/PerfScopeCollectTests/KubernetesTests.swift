import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import Testing

/// Kubeconfig parsing: contexts, inline data, files, tokens, unsupported credential plugins.
@Suite struct KubeconfigTests {
    static let yaml = """
    apiVersion: v1
    kind: Config
    current-context: admin
    clusters:
    - name: prod
      cluster:
        server: https://api.prod.example.com:6443
        certificate-authority-data: \(Data("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8).base64EncodedString())
    - name: lab
      cluster:
        server: https://127.0.0.1:6443
        insecure-skip-tls-verify: true
    - name: files
      cluster:
        server: https://10.0.0.1:6443
        certificate-authority: ca.crt
    contexts:
    - name: admin
      context: {cluster: prod, user: admin, namespace: openshift-etcd}
    - name: lab
      context: {cluster: lab, user: lab-token}
    - name: sso
      context: {cluster: prod, user: oidc}
    - name: legacy
      context: {cluster: prod, user: gcp}
    - name: filed
      context: {cluster: files, user: from-file}
    - name: dangling
      context: {cluster: nowhere, user: admin}
    users:
    - name: admin
      user:
        client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
        client-key-data: \(Data("KEY".utf8).base64EncodedString())
    - name: lab-token
      user:
        token: sha256~inline-token
    - name: oidc
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: /usr/local/bin/kubectl-oidc_login
          args: [get-token]
    - name: gcp
      user:
        auth-provider:
          name: gcp
    - name: from-file
      user:
        tokenFile: token.txt
    """

    struct Case: Sendable, CustomTestStringConvertible {
        var context: String?
        var token: String?
        var server: String?
        var auth: String?
        var caPEM: String?
        var insecure = false
        var error: String?
        var testDescription: String { context ?? "current-context" }
    }

    static let cases: [Case] = [
        Case(context: nil, server: "https://api.prod.example.com:6443", auth: "client certificate",
             caPEM: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
        Case(context: "lab", server: "https://127.0.0.1:6443", auth: "bearer token from kubeconfig user lab-token (token)", insecure: true),
        Case(context: "filed", server: "https://10.0.0.1:6443", auth: "bearer token from kubeconfig user from-file (tokenFile)", caPEM: "FILE-CA\n"),
        Case(context: "sso", error: "kubeconfig user oidc uses exec (kubectl-oidc_login), which perfscope does not run — pass a token with --kube-token or PERFSCOPE_KUBE_TOKEN (e.g. from `oc whoami -t`)"),
        Case(context: "legacy", error: "auth-provider (gcp)"),
        Case(context: "sso", token: "sha256~from-flag", server: "https://api.prod.example.com:6443", auth: "bearer token from --kube-token / PERFSCOPE_KUBE_TOKEN",
             caPEM: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
        Case(context: "missing", error: "context missing is not in the kubeconfig — use one of: admin, lab, sso, legacy, filed, dangling"),
        Case(context: "dangling", error: "names cluster nowhere, which the kubeconfig does not define"),
    ]

    @Test(arguments: cases)
    func resolvesContexts(_ c: Case) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-kubeconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("config").path
        try Self.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        try "FILE-CA\n".write(to: dir.appendingPathComponent("ca.crt"), atomically: true, encoding: .utf8)
        try "sha256~file-token\n".write(to: dir.appendingPathComponent("token.txt"), atomically: true, encoding: .utf8)

        let config = try Kubeconfig.load(path: path)
        do {
            let connection = try config.connection(context: c.context, token: c.token)
            #expect(c.error == nil, "expected an error")
            #expect(connection.server.absoluteString == c.server)
            #expect(connection.authentication == c.auth)
            #expect(connection.caPEM.map { String(decoding: $0, as: UTF8.self) } == c.caPEM)
            #expect(connection.insecureSkipTLSVerify == c.insecure)
            if c.context == "filed" { #expect(connection.token == "sha256~file-token") }
            if c.context == nil { #expect(connection.clientKeyPEM == Array("KEY".utf8)) }
        } catch let error as KubernetesError {
            let expected = try #require(c.error, "unexpected error \(error.message)")
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func environmentPickPath() {
        #expect(Kubeconfig.defaultPath(explicit: "/x", environment: ["KUBECONFIG": "/a"]) == "/x")
        #expect(Kubeconfig.defaultPath(environment: ["KUBECONFIG": "/a:/b", "HOME": "/h"]) == "/a")
        #expect(Kubeconfig.defaultPath(environment: ["HOME": "/h"]) == "/h/.kube/config")
    }

    /// KUBECONFIG=a:b:c as kubectl merges it: missing files skipped, first definition and first
    /// current-context win, relative file paths kept relative to the file that names them.
    @Test func kubeconfigListsMerge() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-kc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b/config").path
        try """
        clusters: [{name: prod, cluster: {server: "https://prod.example:6443"}}]
        contexts: [{name: prod, context: {cluster: prod, user: ops}}]
        users: [{name: ops, user: {token: from-a}}]
        """.write(toFile: a, atomically: true, encoding: .utf8)
        try """
        current-context: prod
        clusters: [{name: prod, cluster: {server: "https://shadowed.example:6443"}}, {name: lab, cluster: {server: "https://lab.example:6443", certificate-authority: ca.pem}}]
        contexts: [{name: lab, context: {cluster: lab, user: ops}}]
        users: [{name: ops, user: {token: from-b}}]
        """.write(toFile: b, atomically: true, encoding: .utf8)
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: dir.appendingPathComponent("b/ca.pem").path, atomically: true, encoding: .utf8)

        let paths = Kubeconfig.defaultPaths(environment: ["KUBECONFIG": "\(dir.path)/missing:\(a)::\(b)"])
        #expect(paths == ["\(dir.path)/missing", a, b])
        let merged = try Kubeconfig.load(paths: paths)
        #expect(merged.currentContext == "prod", "the first file to set current-context wins (b here: a sets none)")
        #expect(merged.clusters.map(\.name) == ["prod", "lab"])
        let prod = try merged.connection(token: nil)
        #expect(prod.server.absoluteString == "https://prod.example:6443" && prod.token == "from-a")
        let lab = try merged.connection(context: "lab", token: nil)
        #expect(lab.caPEM.map { String(decoding: $0, as: UTF8.self) } == "-----BEGIN CERTIFICATE-----\n", "ca.pem read next to b/config")
        #expect(throws: KubernetesError.noKubeconfig("/nope/1")) { try Kubeconfig.load(paths: ["/nope/1", "/nope/2"]) }
        #expect(Kubeconfig.defaultPaths(explicit: "/x", environment: ["KUBECONFIG": "/a:/b"]) == ["/x"])
    }

    /// `--kubeconfig kube/config` naming `ca.crt`: the file is kube/ca.crt from where perfscope runs, once.
    @Test func relativeKubeconfigPathsResolveOnce() throws {
        let config = try Kubeconfig.parse("""
        clusters: [{name: c, cluster: {server: "https://k:6443", certificate-authority: ca.crt}}]
        users: [{name: u, user: {tokenFile: ../token}}]
        """, path: "kube/config")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(config.clusters.first?.certificateAuthority == "\(cwd)/kube/ca.crt")
        #expect(config.users.first?.tokenFile == "\(cwd)/kube/../token")
    }

    @Test func missingAndBrokenFiles() throws {
        #expect(throws: KubernetesError.noKubeconfig("/nonexistent/kubeconfig")) { try Kubeconfig.load(path: "/nonexistent/kubeconfig") }
        let error = #expect(throws: KubernetesError.self) { try Kubeconfig.parse("clusters: [unclosed", path: "k") }
        #expect(error?.message.hasPrefix("kubeconfig k is not valid YAML") == true)
        #expect(error?.message.contains("\n") == false)
    }

    @Test func resourceNamesForRBAC() {
        #expect(KubernetesError.resource(ofPath: "/api/v1/nodes") == "nodes")
        #expect(KubernetesError.resource(ofPath: "/api/v1/namespaces/openshift-etcd/pods?labelSelector=app%3Detcd") == "pods in openshift-etcd")
        #expect(KubernetesError.resource(ofPath: "/apis/route.openshift.io/v1/namespaces/openshift-monitoring/routes/thanos-querier")
            == "routes.route.openshift.io in openshift-monitoring")
        #expect(KubernetesQuantity.cpuCores("7500m") == 7.5)
        #expect(KubernetesQuantity.bytes("32386208Ki") == Double(32386208) * 1024)
    }
}

/// Discovery against an in-test HTTPS API server with a throwaway CA and token checking.
@Suite(.enabled(if: KubeTestTLS.openssl != nil, "needs the openssl CLI to make a throwaway CA"), .serialized)
struct KubernetesDiscoveryTests {
    func withServer<T: Sendable>(_ responder: @escaping @Sendable (KubeTestServer.Request) -> KubeTestServer.Reply,
                                 _ body: (KubeTestServer, KubeConnection) async throws -> T) async throws -> T {
        let tls = try KubeTestTLS.make()
        defer { tls.remove() }
        return try await KubeTestServer.with(tls: try tls.serverContext(), responder: responder) { server in
            // Inline CA, as `certificate-authority-data` gives it: held in memory only.
            let kubeconfig = """
            apiVersion: v1
            current-context: test
            clusters:
            - name: test
              cluster:
                server: \(server.url)
                certificate-authority-data: \(tls.caPEM.base64EncodedString())
            contexts:
            - name: test
              context: {cluster: test, user: reader}
            users:
            - name: reader
              user: {token: "\(KubeFixtures.token)"}
            """
            let connection = try Kubeconfig.parse(kubeconfig).connection()
            return try await body(server, connection)
        }
    }

    @Test func openShiftDiscovery() async throws {
        try await withServer(KubeFixtures.openShift()) { server, connection in
            let info = try await ClusterDiscovery.discover(connection)
            #expect(info.kubernetesVersion == "v1.29.5+4b24c4b")
            #expect(info.openShift == .init(version: "4.16.3", channel: "stable-4.16", clusterID: "5d3c2a10-8f7e-4b2a-9c1d-0e6f4a3b2c1d"))
            #expect(info.platform == "AWS" && info.platformSource == "infrastructure/cluster")
            #expect(info.nodes.count == 4)
            let master = try #require(info.nodes.first)
            #expect(master.roles == ["control-plane", "master"] && master.internalIP == "10.0.1.10")
            #expect(master.capacity.cpuCores == 8 && master.allocatable.cpuCores == 7.5)
            #expect(info.nodes.last?.roles == ["worker"])
            #expect(info.etcdMembers.map(\.namespace) == ["openshift-etcd", "openshift-etcd", "openshift-etcd"])
            #expect(info.memberNodes["10.0.2.11:9979"] == "ip-10-0-2-11.ec2.internal")
            #expect(info.memberNodes["10.0.2.11:2379"] == "ip-10-0-2-11.ec2.internal")
            #expect(info.memberNodes["10.0.3.12:2381"] == "ip-10-0-3-12.ec2.internal")
            #expect(info.memberNodes["etcd-ip-10-0-1-10.ec2.internal"] == "ip-10-0-1-10.ec2.internal")
            #expect(info.nodeExporterMapping()["10.0.1.10:9979"] == "10.0.1.10:9100")
            let prometheus = try #require(info.prometheus)
            #expect(prometheus.url == "https://thanos-querier-openshift-monitoring.apps.prod.example.com")
            #expect(prometheus.usesKubeToken && !prometheus.inClusterOnly)
            #expect(info.notes.isEmpty, "\(info.notes)")
            // Read-only: every request a GET, every one carrying the token.
            #expect(server.requests.allSatisfy { $0.method == .GET && $0.header("Authorization") == "Bearer \(KubeFixtures.token)" })
            let json = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
            #expect(!json.contains(KubeFixtures.token))
            #expect(json.contains(#""cpuCores":7.5"#))
            #expect(try JSONDecoder().decode(ClusterInfo.self, from: Data(json.utf8)) == info)
        }
    }

    /// What an analysis takes from discovery: the member → node-exporter map (configured entries
    /// win), the cluster name, the header, and the Prometheus only when it is reachable from here.
    @Test func discoveryFeedsTheAnalysis() async throws {
        try await withServer(KubeFixtures.openShift()) { _, connection in
            let info = try await ClusterDiscovery.discover(connection)
            var config = PerfScopeConfig()
            config.members = ["10.0.1.10:9979": "custom-exporter:9100"]
            let applied = info.applied(to: config, clusterName: connection.cluster)
            #expect(applied.cluster == "test")
            #expect(applied.members["10.0.1.10:9979"] == "custom-exporter:9100", "configured members win")
            #expect(applied.members["10.0.2.11:9979"] == "10.0.2.11:9100")
            let context = info.context(name: applied.cluster)
            #expect(context.distribution == "OpenShift 4.16.3" && context.platform == "AWS")
            #expect(context.nodes == 4 && context.controlPlaneNodes == 3)
            #expect(context.etcdMembers["openshift-etcd/etcd-ip-10-0-2-11.ec2.internal"] == "ip-10-0-2-11.ec2.internal")
            #expect(context.headline.hasPrefix("test — OpenShift 4.16.3 on AWS, 4 nodes (3 control plane); etcd on ip-10-0-1-10.ec2.internal, "))
            #expect(info.usablePrometheus.prometheus?.url == "https://thanos-querier-openshift-monitoring.apps.prod.example.com")
        }
        try await withServer(KubeFixtures.kubernetes()) { _, connection in
            let info = try await ClusterDiscovery.discover(connection)
            let (usable, reason) = info.usablePrometheus
            #expect(usable == nil && reason?.contains("in-cluster only") == true && reason?.contains("port-forward") == true)
            #expect(info.context(name: nil).distribution == "Kubernetes v1.30.2")
        }
    }

    @Test func plainKubernetesDiscovery() async throws {
        try await withServer(KubeFixtures.kubernetes()) { _, connection in
            let info = try await ClusterDiscovery.discover(connection)
            #expect(info.openShift == nil)
            #expect(info.kubernetesVersion == "v1.30.2")
            #expect(info.platform == "gce" && info.platformSource == "node providerID")
            #expect(info.nodes.map(\.name) == ["cp-1", "worker-1"])
            #expect(info.etcdMembers.map(\.pod) == ["etcd-cp-1"])
            #expect(info.memberNodes["192.168.10.11:2381"] == "cp-1")
            let prometheus = try #require(info.prometheus)
            #expect(prometheus.url == "http://kube-prometheus-stack-prometheus.monitoring.svc:9090")
            #expect(prometheus.inClusterOnly && !prometheus.usesKubeToken)
            #expect(prometheus.note?.contains("port-forward") == true)
            #expect(info.explanation.contains("not OpenShift (no config.openshift.io ClusterVersion)"))
        }
    }

    @Test func badTokenIsOneActionableLine() async throws {
        try await withServer(KubeFixtures.openShift()) { server, connection in
            var wrong = connection
            wrong.token = "sha256~expired-SECRET"
            let error = await #expect(throws: KubernetesError.self) { try await ClusterDiscovery.discover(wrong) }
            let message = try #require(error?.message)
            #expect(message == "\(server.url): token rejected — refresh it (oc whoami -t) and pass it with --kube-token or PERFSCOPE_KUBE_TOKEN")
            #expect(!message.contains("SECRET") && !message.contains(KubeFixtures.token))
            #expect(error?.kind == .upstreamFailed)
        }
    }

    @Test func forbiddenResourceBecomesANote() async throws {
        try await withServer(KubeFixtures.openShift(forbid: ["/api/v1/nodes"])) { _, connection in
            let info = try await ClusterDiscovery.discover(connection)
            #expect(info.notes == ["forbidden: the user needs get/list on nodes (read-only RBAC)"])
            #expect(info.nodes.isEmpty && info.etcdMembers.count == 3)
            // The direct call throws the same one line.
            try await KubernetesClient.withClient(connection) { client in
                let error = await #expect(throws: KubernetesError.self) { _ = try await client.get("/api/v1/nodes") }
                #expect(error?.message == "forbidden: the user needs get/list on nodes (read-only RBAC)")
                let missing = await #expect(throws: KubernetesError.self) {
                    _ = try await client.get("/apis/config.openshift.io/v1/nodes?watch=false")
                }
                #expect(missing?.message == "not found: /apis/config.openshift.io/v1/nodes (resource or API group absent on this cluster)")
                #expect(missing?.kind == .notFound)
            }
        }
    }

    @Test func silentServerTimesOut() async throws {
        try await withServer(KubeFixtures.openShift(silent: ["/version"])) { server, connection in
            let started = ContinuousClock.now
            let error = await #expect(throws: KubernetesError.self) {
                try await ClusterDiscovery.discover(connection, timeout: .milliseconds(500))
            }
            #expect(ContinuousClock.now - started < .seconds(3), "the deadline, not the TLS shutdown, bounds the wait")
            #expect(error?.message == "\(server.url) did not answer within 0.5 s — check the API server or raise the timeout")
            #expect(error?.kind == .upstreamUnavailable)
        }
    }

    @Test func untrustedCAAndRefusedConnection() async throws {
        try await withServer(KubeFixtures.openShift()) { _, connection in
            var noCA = connection
            noCA.caPEM = nil
            let error = await #expect(throws: KubernetesError.self) { try await ClusterDiscovery.discover(noCA, timeout: .seconds(2)) }
            #expect(error?.message.contains("TLS handshake failed") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("\n") == false)
        }
        let closed = KubeConnection(server: URL(string: "https://127.0.0.1:1")!, token: KubeFixtures.token)
        let error = await #expect(throws: KubernetesError.self) { try await ClusterDiscovery.discover(closed, timeout: .seconds(2)) }
        #expect(error?.message == "cannot reach the Kubernetes API at https://127.0.0.1:1: connection refused — check the kubeconfig server and network")
    }
}
