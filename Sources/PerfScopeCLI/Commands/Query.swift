import ArgumentParser
import Foundation
import PerfScopeCore
import PrometheusAPI

/// `perfscope query`: raw PromQL, instant or range, as a table or JSON.
struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a PromQL query (instant, or --range over the window) and print a table or JSON.",
        discussion: """
        Examples:
          perfscope query 'up{job="etcd"}'
          perfscope query 'rate(etcd_disk_wal_fsync_duration_seconds_count[5m])' --range --duration 30m --step 1m
        """)

    enum Output: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "The PromQL expression.") var promql: String
    @Flag(name: .long, help: "Range query over the window instead of an instant query at its end.") var range = false
    @Option(name: .long, help: ArgumentHelp("Range step (default: about 240 points over the window).", valueName: "duration")) var step: String?
    @Option(name: .long, help: "table or json.") var format: Output = .table
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var window: WindowOptions

    func validate() throws {
        if promql.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("empty PromQL: give an expression, e.g. 'up'") }
        if let step {
            do { _ = try DurationParser.seconds(step) } catch let e as any UserFacingError { throw ValidationError(e.message) }
        }
    }

    func run() async throws {
        let session = try await Session.make(connection)
        let window = try self.window.window()
        let hasWindow = self.window.duration != nil || self.window.start != nil || self.window.end != nil
        let response = try await session.withClient { client in
            if range {
                let stepSeconds = try step.map { try DurationParser.seconds($0) } ?? window.step
                return try await client.queryRange(promql, start: window.start, end: window.end, step: stepSeconds)
            }
            return try await client.query(promql, at: hasWindow ? window.end : nil)
        }
        for warning in response.warnings { Terminal.warning("Prometheus: \(warning)") }
        switch format {
        case .json: try Terminal.write(try JSONRendering.encode(QueryOutput(response)), to: nil)
        case .table: try Terminal.write(Self.table(response.result), to: nil)
        }
    }

    static func table(_ result: QueryResult) -> String {
        switch result {
        case .string(_, let value): return value + "\n"
        case .scalar(let p): return number(p.value) + "\n"
        case .vector(let series):
            if series.isEmpty { return "(no series)\n" }
            var rows = [["series", "value"]]
            for s in series { rows.append([labels(s.labels), s.value.map(number) ?? ""]) }
            return Table.render(rows, rightAligned: [1])
        case .matrix(let series):
            if series.isEmpty { return "(no series)\n" }
            var rows = [["series", "points", "min", "avg", "max", "last"]]
            for s in series {
                let stats = WindowStatistics(values: s.points.map(\.value))
                rows.append([labels(s.labels), String(s.points.count), stats.map { number($0.min) } ?? "NaN",
                             stats.map { number($0.avg) } ?? "NaN", stats.map { number($0.max) } ?? "NaN",
                             stats.map { number($0.last) } ?? "NaN"])
            }
            return Table.render(rows, rightAligned: [1, 2, 3, 4, 5])
        }
    }

    static func labels(_ l: [String: String]) -> String {
        let name = l["__name__"] ?? ""
        let rest = l.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
        return rest.isEmpty ? (name.isEmpty ? "{}" : name) : "\(name){\(rest.joined(separator: ", "))}"
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(format: "%.6g", v)
    }
}

/// JSON shape of `perfscope query --format json`.
struct QueryOutput: Encodable {
    struct Point: Encodable {
        var time: Double
        var value: Double
    }
    struct OneSeries: Encodable {
        var labels: [String: String]
        var points: [Point]
    }
    var resultType: String
    var series: [OneSeries]
    var warnings: [String]

    init(_ r: QueryResponse) {
        resultType = r.result.resultType
        series = r.result.series.map { OneSeries(labels: $0.labels, points: $0.points.map { Point(time: $0.time, value: $0.value) }) }
        warnings = r.warnings
    }
}
