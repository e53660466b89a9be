import Foundation

/// The parts of a root cause every renderer shows the same way.
enum RootCauseView {
    /// "10:40 → 10:52 UTC (20 % of the window)", "since 10:40 UTC", nil without time.
    static func when(_ c: RootCause) -> String? {
        guard let start = c.start else { return nil }
        let share = c.coverage.map { " (\(CheckedNumber.percent($0)) % of the window)" } ?? ""
        guard let end = c.end else { return "since \(clock(start))\(share)" }
        return "\(clock(start)) → \(clock(end))\(share)"
    }

    static func alternative(_ a: RootCause.Alternative) -> String {
        "\(a.category.rawValue) on \(a.instances.joined(separator: ", ")) (\(String(format: "%.2f", a.confidence))): \(a.note)"
    }

    static func clock(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "HH:mm:ss 'UTC'"
        return f.string(from: d)
    }
}
