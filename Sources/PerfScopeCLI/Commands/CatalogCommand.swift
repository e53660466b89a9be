import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// `perfscope catalog list|check`: what perfscope measures, and whether the catalog (and the
/// config's overrides) are valid and every query runs.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the metric catalog or check it (YAML, overrides, and every query against Prometheus).",
        subcommands: [List.self, Check.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List catalog metrics with unit, thresholds and PromQL.")

        enum Output: String, ExpressibleByArgument, CaseIterable { case table, json, yaml }

        @Option(name: .long, help: "Only this group: etcd, disk, net or node.") var group: String?
        @Option(name: .long, help: "table, json or yaml.") var format: Output = .table
        @Flag(name: .long, help: "Show each query with the configured selectors substituted.") var expand = false
        @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files.", valueName: "dir")) var catalog: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let session = try await Session.make(connection, catalogDirectory: catalog)
            var metrics = session.catalog.metrics
            if let group {
                metrics = metrics.filter { $0.group == group }
                if metrics.isEmpty { throw ValidationError("no catalog group \"\(group)\": use \(Catalog.groups.joined(separator: ", "))") }
            }
            let window = try TimeWindow(duration: 3600)
            if expand {
                for i in metrics.indices {
                    metrics[i].query = QueryTemplate.expand(metrics[i].query, values: session.config.placeholders, rate: window.rateRange)
                }
            }
            switch format {
            case .json: try Terminal.write(try JSONRendering.encode(metrics), to: nil)
            case .yaml:
                var out = ""
                for m in metrics { out += "- name: \(m.name)\n  group: \(m.group)\n  unit: \(m.unit.rawValue)\n  query: '\(m.query.replacingOccurrences(of: "'", with: "''"))'\n" }
                try Terminal.write(out, to: nil)
            case .table:
                var rows = [["group", "name", "unit", "stat", "thresholds", "title"]]
                for m in metrics {
                    rows.append([m.group, m.name, m.unit.rawValue, m.statistic.rawValue, Self.describe(m.thresholds, unit: m.unit), m.title])
                }
                var text = Table.render(rows)
                if expand { text += "\n" + metrics.map { "\($0.name): \($0.query)" }.joined(separator: "\n") + "\n" }
                try Terminal.write(text, to: nil)
            }
        }

        static func describe(_ t: Thresholds?, unit: MetricUnit) -> String {
            guard let t else { return "-" }
            let sign = t.direction == .above ? "≥" : "≤"
            return t.levels.reversed().map { "\($0.0.rawValue)\(sign)\(unit.format($0.1))" }.joined(separator: " ")
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the catalog and config, then run every catalog query once against Prometheus.",
            discussion: "Exit 1 if any query fails (a PromQL typo, or an API that rejects it); --offline checks only the files.")

        @Flag(name: .long, help: "Only validate the YAML files, do not query Prometheus.") var offline = false
        @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files.", valueName: "dir")) var catalog: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let session = try await Session.make(connection, catalogDirectory: catalog)
            let metrics = session.catalog.metrics
            print("catalog: \(metrics.count) metrics in \(Set(metrics.map(\.group)).count) groups — valid")
            if let file = session.config.file { print("config: \(file) — valid") }
            if offline { return }
            let window = try TimeWindow(duration: 3600)
            let failures = try await session.withClient { client -> [(String, String)] in
                try await Session.probe(client)
                return try await withThrowingTaskGroup(of: (String, String?).self) { group in
                    for m in metrics {
                        let q = QueryTemplate.expand(m.query, values: session.config.placeholders, rate: window.rateRange)
                        group.addTask {
                            do { _ = try await client.query(q); return (m.name, nil) } catch let e as any UserFacingError { return (m.name, e.message) }
                        }
                    }
                    var out: [(String, String)] = []
                    for try await (name, error) in group { if let error { out.append((name, error)) } }
                    return out.sorted { $0.0 < $1.0 }
                }
            }
            for (name, error) in failures { print("FAIL \(name): \(error)") }
            print("queries: \(metrics.count - failures.count) ok, \(failures.count) failed against \(session.prometheus.redactedURL)")
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}

