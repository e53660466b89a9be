import Foundation

/// The analysis window every command works on: `[start, end]` plus the range-query step.
///
/// Built either from `--duration` (ending now) or from `--start`/`--end`; the step is derived so
/// a range query returns a bounded number of points whatever the window (≈ 240 points, never
/// finer than the 5 s lab scrape interval), keeping query cost flat as windows grow.
public struct TimeWindow: Sendable, Equatable, Codable {
    public let start: Date
    public let end: Date
    /// A user-chosen `rate()` range in seconds (`--rate-window`), replacing the derived one.
    public var rateWindow: Double?

    public init(start: Date, end: Date) throws {
        guard end.timeIntervalSince(start) <= DurationParser.maxSeconds else {
            throw PerfScopeError.invalidInput("window \(TimeWindow.format(start)) → \(TimeWindow.format(end)) is longer than 10 years: check --start and --end")
        }
        guard end > start else {
            throw PerfScopeError.invalidInput(
                "end \(TimeWindow.format(end)) is not after start \(TimeWindow.format(start)): give --end later than --start")
        }
        self.start = start
        self.end = end
    }

    /// A window of `duration` seconds ending at `end`.
    public init(duration: Double, endingAt end: Date = Date()) throws {
        try self.init(start: end.addingTimeInterval(-duration), end: end)
    }

    /// Resolves the CLI/API inputs: `duration` alone, `start` (+ optional `end`), or neither (default 1h).
    public static func resolve(duration: String?, start: String?, end: String?, now: Date = Date(),
                               defaultDuration: Double = 3600, rateWindow: String? = nil) throws -> TimeWindow {
        var window = try resolveBounds(duration: duration, start: start, end: end, now: now, defaultDuration: defaultDuration)
        if let rateWindow {
            let seconds = try DurationParser.seconds(rateWindow)
            guard seconds >= 10 else { throw PerfScopeError.invalidInput("invalid --rate-window \(rateWindow): use at least 10s (4 scrape intervals is a good choice)") }
            window.rateWindow = seconds
        }
        return window
    }

    static func resolveBounds(duration: String?, start: String?, end: String?, now: Date, defaultDuration: Double) throws -> TimeWindow {
        if duration != nil, start != nil {
            throw PerfScopeError.invalidInput("give either --duration or --start/--end, not both")
        }
        let endDate = try end.map { try parseTime($0, flag: "--end") } ?? now
        if let start {
            return try TimeWindow(start: try parseTime(start, flag: "--start"), end: endDate)
        }
        let seconds = try duration.map { try DurationParser.seconds($0) } ?? defaultDuration
        return try TimeWindow(duration: seconds, endingAt: endDate)
    }

    public var duration: Double { end.timeIntervalSince(start) }

    /// Range-query resolution: about 240 points over the window, at least 5 s, rounded to whole seconds.
    public var step: Double { max(5, (duration / 240).rounded(.up)) }

    /// The `rate()` range used in catalog queries: at least 5 minutes (the etcd-mixin's range,
    /// and long enough for etcd 3.4's sparse peer-RTT probes) and at least 4 steps, so every
    /// point of a coarse range query covers the time since the previous one.
    public var rateRange: String { DurationParser.format(rateSeconds) }

    public var rateSeconds: Double { rateWindow ?? max(300, step * 4) }

    /// The rate range for a metric that needs at least `minimum` seconds (sparse histograms).
    public func rateRange(atLeast minimum: Double?) -> String {
        DurationParser.format(evaluation(atLeast: minimum).range)
    }

    /// Where a metric is evaluated: the `rate()` range and the first evaluation time.
    public struct Evaluation: Sendable, Equatable {
        public var range: Double
        public var start: Date
    }

    /// How a metric whose `rate()` needs at least `minimum` seconds is evaluated without looking
    /// further before the window than every other metric (one rate range).
    ///
    /// A short `--rate-window` (1m) with a metric that needs 5m (etcd 3.4's sparse peer-RTT
    /// probes) would otherwise start the window with 5 minutes of what happened *before* it — a
    /// fault that ended just before looks present. So points start once their range fits; a
    /// window too short for that is evaluated once, at its end, over exactly the window.
    public func evaluation(atLeast minimum: Double?) -> Evaluation {
        let range = max(rateSeconds, minimum ?? 0)
        let first = start.addingTimeInterval(range - rateSeconds)
        if first == start || first < end { return Evaluation(range: range, start: first) }
        return Evaluation(range: max(duration, rateSeconds).rounded(.up), start: end)
    }

    /// Parses RFC 3339 (`2026-11-29T10:00:00Z`, with or without fractional seconds) or Unix seconds.
    public static func parseTime(_ text: String, flag: String = "time") throws -> Date {
        let t = text.trimmingWhitespace()
        if let seconds = Double(t), seconds.isFinite, seconds >= 0, seconds < 1e11 {
            return Date(timeIntervalSince1970: seconds)
        }
        for formatter in parsers {
            if let date = formatter.date(from: t) { return date }
        }
        throw PerfScopeError.invalidInput(
            "invalid \(flag) \"\(text)\": use RFC 3339 (2026-11-29T10:00:00Z) or Unix seconds")
    }

    /// A time of day for people: "10:42 UTC" (or "10:42:07 UTC").
    public static func clock(_ date: Date, seconds: Bool = false) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = seconds ? "HH:mm:ss 'UTC'" : "HH:mm 'UTC'"
        return f.string(from: date)
    }

    /// RFC 3339 in UTC, whole seconds.
    public static func format(_ date: Date) -> String {
        // A formatter per call: ISO8601DateFormatter is not safe to share across threads on Linux.
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    private static var parsers: [ISO8601DateFormatter] {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return [plain, fractional]
    }
}
