import Foundation
@testable import PerfScopeCore
import Testing

/// The real dashboards in the sibling `shared/data/dashboards` directory (CI has `../shared`
/// beside the clone).
enum DashboardFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/dashboards").standardizedFileURL

    static func data(_ name: String) throws -> Data {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FixtureMissing(description: "dashboard fixture \(url.path) not found: the shared data directory must sit beside the repository (../shared/data/dashboards)")
        }
        return data
    }

    struct FixtureMissing: Error, CustomStringConvertible { let description: String }

    /// Independent of the parser: every object anywhere in the JSON with a `targets` array,
    /// counting visible targets with a non-empty `expr`, keyed `panel id/refId`.
    static func visibleExprTargets(_ data: Data) throws -> Set<String> {
        var found = Set<String>()
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let targets = object["targets"] as? [[String: Any]] {
                    for (i, t) in targets.enumerated() {
                        guard let expr = t["expr"] as? String, !expr.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                        if (t["hide"] as? Bool) == true { continue }
                        let id = (object["id"] as? NSNumber)?.stringValue ?? (object["title"] as? String ?? "?")
                        found.insert("\(id)/\(t["refId"] as? String ?? "#\(i)")")
                    }
                }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: data))
        return found
    }
}

@Suite struct GrafanaExtractionTests {
    @Test(arguments: [("etcd-mixin.json", 16), ("node-exporter-full.json", 275)])
    func everyPrometheusTargetIsExtracted(file: String, expected: Int) throws {
        let data = try DashboardFixtures.data(file)
        let dashboard = try GrafanaDashboard.parse(data)
        let independent = try DashboardFixtures.visibleExprTargets(data)
        let extracted = Set(dashboard.queries.map { "\($0.panel.id.map(String.init) ?? $0.panel.title)/\($0.target.refId)" })
        #expect(independent.count == expected)
        #expect(extracted == independent)
        #expect(dashboard.queries.count == expected)
    }

    @Test func etcdMixinPanelsKeepTitleUnitThresholdsAndLegend() throws {
        let dashboard = try GrafanaDashboard.parse(try DashboardFixtures.data("etcd-mixin.json"))
        #expect(dashboard.title == "etcd")
        #expect(dashboard.variables.map(\.name) == ["datasource", "cluster"])
        let fsync = try #require(dashboard.panels.first { $0.title == "Disk sync duration" })
        #expect(fsync.type == "timeseries")
        #expect(fsync.unit == "s")
        #expect(fsync.targets.map(\.legendFormat) == ["{{instance}} WAL fsync", "{{instance}} DB fsync"])
        #expect(fsync.thresholds?.steps.map(\.value) == [nil, 80])
        // Grafana's default "green, red at 80" on a time series that does not draw it is boilerplate.
        #expect(fsync.effectiveThresholds == nil)
        let cluster = try #require(dashboard.variables.first { $0.name == "cluster" })
        #expect(cluster.current == ["kube-etcd"])
    }

    @Test func nodeExporterCollapsedRowsAndHiddenTargets() throws {
        let dashboard = try GrafanaDashboard.parse(try DashboardFixtures.data("node-exporter-full.json"))
        // Collapsed rows keep their panels inside: those panels are found and know their row.
        #expect(dashboard.panels.contains { $0.row != nil })
        #expect(dashboard.skippedTargets.count == 11)
        #expect(dashboard.skippedTargets.allSatisfy { $0.reason.contains("hidden") })
        let cpu = try #require(dashboard.panels.first { $0.title == "CPU Busy" })
        #expect(cpu.unit == "percent")
        let steps = try #require(cpu.effectiveThresholds?.steps)
        #expect(steps.map(\.value) == [nil, 85, 95])
        let pressure = try #require(dashboard.panels.first { $0.title == "Pressure" })
        // Percentage mode with min 0, max 1 becomes absolute 0.7 / 0.9.
        #expect(pressure.effectiveThresholds?.steps.map(\.value) == [nil, 0.7, 0.9])
    }

    @Test func envelopeOldRowsGraphThresholdsAndDatasources() throws {
        let json = """
        {"meta": {"slug": "x"}, "dashboard": {"uid": "u1", "title": "Old", "schemaVersion": 14,
          "templating": {"list": [{"name": "ds", "type": "datasource", "query": "prometheus"},
                                  {"name": "logs", "type": "datasource", "query": "loki"}]},
          "rows": [{"title": "Disk", "panels": [
            {"id": 1, "type": "graph", "title": "fsync", "datasource": "$ds", "yaxes": [{"format": "ms"}, {"format": "short"}],
             "thresholds": [{"value": 10, "op": "gt", "colorMode": "warning"}, {"value": 25, "op": "gt", "colorMode": "critical"}],
             "targets": [{"refId": "A", "expr": "rate(x[5m])"}, {"refId": "B", "expr": "y", "hide": true},
                         {"refId": "C", "expr": "{job=\\"a\\"}", "datasource": "$logs"}, {"refId": "D"}]},
            {"id": 2, "type": "row", "title": "nested", "collapsed": true, "panels": [
              {"id": 3, "type": "singlestat", "title": "up", "format": "percent", "thresholds": "50,80",
               "colors": ["green", "orange", "red"], "targets": [{"expr": "up"}]}]}
          ]}]}}
        """
        let d = try GrafanaDashboard.parse(Data(json.utf8))
        #expect(d.uid == "u1")
        #expect(d.queries.map(\.key) == ["1/A", "3/A"])
        let graph = d.panels[0]
        #expect(graph.unit == "ms")
        #expect(graph.row == "Disk")
        #expect(graph.thresholds?.steps.map(\.value) == [nil, 10, 25])
        #expect(graph.effectiveThresholds?.severity(ofStep: 2) == .critical)
        #expect(graph.targets[2].otherDatasource == "loki")
        #expect(d.panels[1].row == "nested")
        #expect(d.panels[1].thresholds?.steps.map(\.color) == ["green", "orange", "red"])
        #expect(d.skippedTargets.map(\.refId) == ["B", "C", "D"])
    }

    @Test(arguments: ["not json", "[1,2]", #"{"title": "no panels"}"#])
    func notADashboardIsAOneLineInputError(text: String) {
        #expect(throws: PerfScopeError.self) { try GrafanaDashboard.parse(Data(text.utf8), source: "x.json") }
        do { _ = try GrafanaDashboard.parse(Data(text.utf8), source: "x.json") } catch let e as PerfScopeError {
            #expect(e.kind == .invalidInput)
            #expect(!e.message.contains("\n"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func metricNamesAndCategories() {
        let expr = #"histogram_quantile(0.99, sum(rate(etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd"}[5m])) by (instance, le))"#
        #expect(GrafanaCategory.metricNames(in: expr) == ["etcd_disk_wal_fsync_duration_seconds_bucket"])
        #expect(GrafanaCategory.guess(title: "Disk sync duration", queries: [expr]) == .disk)
        #expect(GrafanaCategory.guess(title: "x", queries: ["etcd_server_leader_changes_seen_total"]) == .consensus)
        #expect(GrafanaCategory.guess(title: "DB size", queries: ["etcd_mvcc_db_total_size_in_bytes"]) == .database)
        #expect(GrafanaCategory.guess(title: "RAM Used", queries: ["node_memory_MemAvailable_bytes"]) == .memory)
        #expect(GrafanaCategory.guess(title: "Peer round trip time", queries: ["etcd_network_peer_round_trip_time_seconds_bucket"]) == .network)
        #expect(GrafanaCategory.guess(title: "CPU Busy", queries: ["node_cpu_seconds_total"]) == .cpu)
        #expect(GrafanaCategory.guess(title: "RPC rate", queries: ["grpc_server_started_total"]) == .load)
    }
}
