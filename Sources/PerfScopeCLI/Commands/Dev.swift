import ArgumentParser
import Foundation
import PrometheusAPI

/// Developer tools (hidden from --help): benchmarks used by `scripts/bench-parser`, and the
/// expanded catalog queries `scripts/bench` times one by one.
struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools.", shouldDisplay: false, subcommands: [ParseBench.self, Queries.self, StoreStress.self])

    /// Parses an exposition file N times and prints throughput.
    struct ParseBench: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "parse-bench", abstract: "Time the exposition parser on a file.")

        @Argument(help: "A Prometheus text or OpenMetrics file.") var file: String
        @Option(name: .long, help: "Repetitions.") var `repeat` = 5

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            var families = 0
            var samples = 0
            let clock = ContinuousClock()
            var best = Duration.seconds(1_000_000)
            for _ in 0..<max(1, `repeat`) {
                let start = clock.now
                let parsed = try ExpositionParser.parse(bytes: data)
                let elapsed = clock.now - start
                if elapsed < best { best = elapsed }
                families = parsed.count
                samples = parsed.reduce(0) { $0 + $1.samples.count }
            }
            let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
            print(String(format: "parsed %d bytes, %d families, %d samples in %.4f s (%.1f MB/s)",
                         data.count, families, samples, seconds, Double(data.count) / seconds / 1e6))
        }
    }
}
