import Foundation

/// When `perfscope serve --schedule` runs an analysis: a fixed interval (`every 1h`, `30m`) or a
/// five-field cron expression in UTC (`0 2 * * *`, `*/15 * * * 1-5`, `@hourly`, `@daily`).
/// Pure: `next(after:)` is all the server's loop needs, so it is tested without waiting.
public enum Schedule: Sendable, Equatable {
    case every(seconds: Double)
    case cron(Cron)

    public static func parse(_ text: String) throws -> Schedule {
        let t = text.trimmingWhitespace().lowercased()
        let aliases = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *"]
        if let expanded = aliases[t] { return .cron(try Cron(expanded)) }
        if t.split(separator: " ").count == 5 { return .cron(try Cron(t)) }
        let interval = t.hasPrefix("every ") ? String(t.dropFirst(6)) : t
        guard let seconds = try? DurationParser.seconds(interval) else {
            throw PerfScopeError.invalidInput("invalid schedule \(text): use an interval (every 1h, 30m) or a cron expression in UTC (0 2 * * *, @daily)")
        }
        guard seconds >= 60 else { throw PerfScopeError.invalidInput("invalid schedule \(text): run at most once a minute (every 1m or more)") }
        return .every(seconds: seconds)
    }

    /// The first run time strictly after `date`.
    public func next(after date: Date) -> Date {
        switch self {
        case .every(let seconds): date.addingTimeInterval(seconds)
        case .cron(let cron): cron.next(after: date)
        }
    }

    /// A readable form for logs and `/api/schedule`.
    public var description: String {
        switch self {
        case .every(let seconds): "every \(DurationParser.format(seconds))"
        case .cron(let cron): "cron \(cron.text) (UTC)"
        }
    }
}

/// A five-field cron expression: minute, hour, day of month, month, day of week (0 or 7 =
/// Sunday). Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and lists. As in
/// cron, when both day fields are restricted a day matching either one runs.
public struct Cron: Sendable, Equatable {
    public let text: String
    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let anyDay: Bool, anyWeekday: Bool

    public init(_ text: String) throws {
        let fields = text.split(separator: " ").map(String.init)
        guard fields.count == 5 else { throw Self.bad(text, "five fields: minute hour day-of-month month day-of-week") }
        self.text = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], 0...59, text)
        hours = try Self.field(fields[1], 0...23, text)
        days = try Self.field(fields[2], 1...31, text)
        months = try Self.field(fields[3], 1...12, text)
        weekdays = Set(try Self.field(fields[4], 0...7, text).map { $0 % 7 })
        // As in cron, a day field starting with * (also */2) is "unrestricted" for the either-day rule.
        anyDay = fields[2].hasPrefix("*")
        anyWeekday = fields[4].hasPrefix("*")
        let probe = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01, a leap year ahead
        if next(after: probe) >= probe.addingTimeInterval(4 * 366 * 86400) {
            throw Self.bad(text, "no such date (e.g. day 30 of February)")
        }
    }

    static func bad(_ text: String, _ why: String) -> PerfScopeError {
        .invalidInput("invalid cron expression \(text): \(why)")
    }

    static func field(_ f: String, _ range: ClosedRange<Int>, _ text: String) throws -> Set<Int> {
        var out = Set<Int>()
        for part in f.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count) else { throw bad(text, "\(part) is not a value, range or step") }
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { throw bad(text, "step in \(part) must be a positive number") }
            var lo = range.lowerBound, hi = range.upperBound
            if pieces[0] != "*" {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
                guard (1...2).contains(bounds.count), let a = bounds[0], let b = bounds.last ?? nil, a <= b else {
                    throw bad(text, "\(part) is not a number or a range a-b")
                }
                lo = a; hi = pieces.count == 2 && bounds.count == 1 ? range.upperBound : b
            }
            guard range.contains(lo), range.contains(hi) else { throw bad(text, "\(part) is outside \(range.lowerBound)–\(range.upperBound)") }
            out.formUnion(stride(from: lo, through: hi, by: step))
        }
        return out
    }

    /// The first matching minute strictly after `date` (UTC), searching at most about four years ahead.
    public func next(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var t = Date(timeIntervalSince1970: (floor(date.timeIntervalSince1970 / 60) + 1) * 60)
        let limit = date.addingTimeInterval(4 * 366 * 86400)
        while t < limit {
            let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: t)
            let (minute, hour, day, month, weekday) = (c.minute!, c.hour!, c.day!, c.month!, c.weekday! - 1)
            guard months.contains(month) else {
                t = calendar.date(byAdding: .month, value: 1, to: calendar.date(from: calendar.dateComponents([.year, .month], from: t))!)!
                continue
            }
            let dayOK = anyDay && anyWeekday ? true
                : anyDay ? weekdays.contains(weekday)
                : anyWeekday ? days.contains(day)
                : days.contains(day) || weekdays.contains(weekday)
            guard dayOK else {
                t = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: t))!
                continue
            }
            guard hours.contains(hour) else {
                t = calendar.date(byAdding: .hour, value: 1, to: calendar.date(from: calendar.dateComponents([.year, .month, .day, .hour], from: t))!)!
                continue
            }
            if minutes.contains(minute) { return t }
            t = t.addingTimeInterval(60)
        }
        return limit
    }
}
