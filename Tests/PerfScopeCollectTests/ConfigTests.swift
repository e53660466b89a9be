import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import Testing

@Suite struct ConfigTests {
    @Test func fullConfigParses() throws {
        let c = try ConfigLoader.parse(text: """
        cluster: prod-3
        prometheus:
          url: https://thanos.example:10902
          tokenFile: /var/run/secrets/token
          caFile: /etc/ssl/ca.pem
          headers: {X-Scope-OrgID: team-a}
          timeout: 45s
          concurrency: 4
        selectors:
          etcd: '{namespace="openshift-etcd", job="etcd"}'
          node: job="node-exporter"
          container: 'container="etcd-member"'
        thresholds:
          wal_fsync_p99: {medium: 0.02}
        symptoms:
          wal_fsync_p99: {level: 0.03}
          grpc_read_p99: {level: 0.3, rise: 4}
        members:
          "10.0.0.1:2379": "node-a:9100"
        """, file: "perfscope.yaml")
        #expect(c.cluster == "prod-3")
        #expect(c.prometheus.url == "https://thanos.example:10902")
        #expect(c.prometheus.headers == ["X-Scope-OrgID": "team-a"])
        #expect(c.prometheus.concurrency == 4)
        #expect(c.selectors.etcd == #"namespace="openshift-etcd", job="etcd""#)
        #expect(c.selectors.node == #"job="node-exporter""#)
        #expect(c.thresholds["wal_fsync_p99"]?.medium == 0.02)
        #expect(c.selectors.container == #"container="etcd-member""#)
        #expect(c.symptoms["wal_fsync_p99"] == SymptomLevel(level: 0.03))
        #expect(c.symptoms["grpc_read_p99"] == SymptomLevel(level: 0.3, rise: 4))
        #expect(c.members["10.0.0.1:2379"] == "node-a:9100")
    }

    @Test func emptyConfigIsDefaults() throws {
        let c = try ConfigLoader.parse(text: "", file: "perfscope.yaml")
        #expect(c.selectors.etcd == #"job=~".*etcd.*""#)
        #expect(c.thresholds.isEmpty)
    }

    @Test(arguments: [
        ("selectors:\n  etcd: job=etcd", "perfscope.yaml: selectors.etcd: expected label matchers"),
        ("prometheus:\n  timeout: soon", "perfscope.yaml: prometheus.timeout: expected a duration"),
        ("prometheus:\n  concurrency: 0", "perfscope.yaml: prometheus.concurrency: expected an integer from 1 to 64"),
        ("promethues:\n  url: x", "perfscope.yaml: promethues: unknown key"),
        ("thresholds:\n  wal_fsync_p99: {medium: fast}", "perfscope.yaml: thresholds.wal_fsync_p99.medium: expected a number"),
        ("prometheus:\n  token: a\n  tokenFile: b", "set token or tokenFile, not both"),
        ("symptoms:\n  wal_fsync_p99: {rise: 2}", "perfscope.yaml: symptoms.wal_fsync_p99.level: required"),
        ("symptoms:\n  wal_fsync_p99: {level: 0.02, rise: 0.5}", "perfscope.yaml: symptoms.wal_fsync_p99.rise: expected a factor above 1"),
        ("- just\n- a list", "perfscope.yaml: expected a mapping of keys at the top level"),
    ])
    func errorsNameFileKeyAndExpectation(text: String, expected: String) {
        do {
            _ = try ConfigLoader.parse(text: text, file: "perfscope.yaml")
            Issue.record("expected an error")
        } catch let e as PerfScopeError {
            #expect(e.kind == .configuration)
            #expect(e.message.contains(expected), "\(e.message)")
        } catch { Issue.record("\(error)") }
    }

    @Test func explicitMissingFileIsAnError() {
        #expect(throws: PerfScopeError.self) { try ConfigLoader.load(explicitPath: "/nonexistent/perfscope.yaml", environment: [:]) }
        #expect(throws: PerfScopeError.self) { try ConfigLoader.load(explicitPath: nil, environment: ["PERFSCOPE_CONFIG": "/nonexistent.yaml"]) }
    }
}
