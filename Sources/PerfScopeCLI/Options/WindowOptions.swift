import ArgumentParser
import Foundation
import PerfScopeCore

/// The analysis window: `--duration` ending now, or `--start`/`--end`.
struct WindowOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Window length ending now: 90s, 15m, 1h, 2d, 1h30m (default 1h).", valueName: "duration"))
    var duration: String?

    @Option(name: .long, help: ArgumentHelp("Window start: RFC 3339 or Unix seconds.", valueName: "time"))
    var start: String?

    @Option(name: .long, help: ArgumentHelp("Window end: RFC 3339 or Unix seconds (default now).", valueName: "time"))
    var end: String?

    @Option(name: .long, help: ArgumentHelp("rate() range for catalog queries (default: 5m, or 4 steps on long windows).", valueName: "duration"))
    var rateWindow: String?

    func validate() throws {
        do { _ = try window() } catch let error as any UserFacingError {
            throw ValidationError(error.message)
        }
    }

    func window(now: Date = Date(), defaultDuration: Double = 3600) throws -> TimeWindow {
        try TimeWindow.resolve(duration: duration, start: start, end: end, now: now, defaultDuration: defaultDuration, rateWindow: rateWindow)
    }
}

/// Where and how a report is written.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output format: text, json, markdown or html.", valueName: "format"))
    var format: ReportFormat = .text

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?
}

extension ReportFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
