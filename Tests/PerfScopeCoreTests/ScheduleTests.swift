import Foundation
import PerfScopeCore
import Testing

/// `serve --schedule`: intervals and cron expressions (UTC), and the next run after a time.
@Suite struct ScheduleTests {
    static let base = ISO8601DateFormatter().date(from: "2026-11-30T10:17:42Z")!  // a Monday

    @Test(arguments: [
        ("every 1h", "2026-11-30T11:17:42Z"),
        ("30m", "2026-11-30T10:47:42Z"),
        ("@hourly", "2026-11-30T11:00:00Z"),
        ("@daily", "2026-12-01T00:00:00Z"),
        ("0 2 * * *", "2026-12-01T02:00:00Z"),
        ("*/15 * * * *", "2026-11-30T10:30:00Z"),
        ("5/20 10 * * *", "2026-11-30T10:25:00Z"),
        ("0 9 * * 1-5", "2026-12-01T09:00:00Z"),
        ("0 0 * * 0", "2026-12-06T00:00:00Z"),
        ("0 0 * * 7", "2026-12-06T00:00:00Z"),
        ("0 0 1 * *", "2026-12-01T00:00:00Z"),
        ("30 4 1,15 * 3", "2026-12-01T04:30:00Z"),  // day 1 or a Wednesday, whichever comes first
        ("0 12 29 2 *", "2028-02-29T12:00:00Z"),
        ("0 0 */2 * 1", "2026-12-07T00:00:00Z"),     // as in cron: */2 is "unrestricted", so odd days that are Mondays
    ])
    func nextRun(text: String, expected: String) throws {
        let next = try Schedule.parse(text).next(after: Self.base)
        #expect(ISO8601DateFormatter().string(from: next) == expected)
    }

    @Test(arguments: ["every 10s", "soon", "61 * * * *", "* * * *", "*/0 * * * *", "5-1 * * * *", "0 25 * * *", "0 0 30 2 *"])
    func badSchedulesAreOneLine(text: String) {
        let error = #expect(throws: PerfScopeError.self) { try Schedule.parse(text) }
        #expect(error?.message.contains(text) == true && error?.message.contains("\n") == false, "\(error?.message ?? "")")
    }
}
