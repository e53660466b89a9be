import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore

extension Dev {
    /// Prints the PromQL `analyze` would run for a window, one line per catalog metric:
    /// `name<TAB>start<TAB>end<TAB>step<TAB>query` (Unix seconds), so `scripts/bench` can time
    /// each query alone against the same Prometheus.
    struct Queries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queries", abstract: "Print the expanded catalog queries analyze runs for a window.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var window: WindowOptions

        @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files replacing the built-in catalog.", valueName: "dir"))
        var catalog: String?

        func run() async throws {
            let session = try await Session.make(connection, catalogDirectory: catalog)
            let w = try window.window()
            let start = Int(w.start.timeIntervalSince1970), end = Int(w.end.timeIntervalSince1970)
            for metric in session.catalog.metrics {
                let query = QueryTemplate.expand(metric.query, values: session.config.placeholders, rate: w.rateRange(atLeast: metric.minRate))
                print("\(metric.name)\t\(start)\t\(end)\t\(Int(w.step))\t\(query)")
            }
        }
    }
}
