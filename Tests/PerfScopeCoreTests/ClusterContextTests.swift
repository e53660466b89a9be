import Foundation
import PerfScopeCore
import Testing

/// The discovered cluster in the report header of every format, and in the JSON contract as an
/// optional extra field (stored reports without it still decode).
@Suite struct ClusterContextTests {
    static let cluster = ClusterContext(name: "prod <east>", distribution: "OpenShift 4.16.3", platform: "AWS", nodes: 6, controlPlaneNodes: 3,
                                        etcdMembers: ["openshift-etcd/etcd-m1": "master-1", "openshift-etcd/etcd-m0": "master-0"],
                                        prometheusSource: "route openshift-monitoring/thanos-querier")

    static func report(cluster: ClusterContext?) -> Report {
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        var r = Report(id: "run-1", generatedAt: at, window: .init(start: at.addingTimeInterval(-600), end: at), grade: .good,
                       healthScores: [:], findings: [], rootCauses: [], recommendations: [], dataGaps: [])
        r.cluster = cluster
        return r
    }

    @Test func headlineInEveryFormat() throws {
        let headline = "prod <east> — OpenShift 4.16.3 on AWS, 6 nodes (3 control plane); etcd on master-0, master-1; Prometheus from route openshift-monitoring/thanos-querier"
        #expect(Self.cluster.headline == headline)
        let r = Self.report(cluster: Self.cluster)
        #expect(TextRenderer(color: false).render(r).contains("cluster \(headline)\n"))
        let markdown = MarkdownRenderer().render(r)
        #expect(markdown.contains("- **Cluster:** prod ") && markdown.contains("OpenShift 4.16.3 on AWS, 6 nodes (3 control plane)"))
        #expect(HTMLRenderer().render(r).contains("Cluster prod &lt;east&gt; — OpenShift"))
        #expect(!TextRenderer(color: false).render(Self.report(cluster: nil)).contains("cluster "))
    }

    @Test func jsonRoundTripAndOldReports() throws {
        let data = try JSONRendering.encoder().encode(Self.report(cluster: Self.cluster))
        #expect(try JSONRendering.decoder().decode(Report.self, from: data).cluster == Self.cluster)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "cluster")
        let old = try JSONSerialization.data(withJSONObject: object)
        #expect(try JSONRendering.decoder().decode(Report.self, from: old).cluster == nil)
    }
}
