import Foundation

/// The parts of a root cause every renderer shows the same way.
enum RootCauseView {
    /// "10:40 → 10:52 UTC (20 % of the window)", "since 10:40 UTC", nil without time.
    static func when(_ c: RootCause) -> String? {
        guard let start = c.start else { return nil }
        let share = c.coverage.map { " (\(CheckedNumber.percent($0)) % of the window)" } ?? ""
        guard let end = c.end else { return "since \(TimeWindow.clock(start, seconds: true))\(share)" }
        return "\(TimeWindow.clock(start, seconds: true)) → \(TimeWindow.clock(end, seconds: true))\(share)"
    }

    static func alternative(_ a: RootCause.Alternative) -> String {
        "\(a.category.rawValue) on \(a.instances.joined(separator: ", ")) (\(String(format: "%.2f", a.confidence))): \(a.note)"
    }
}
