import Foundation
import PerfScopeCore
import Testing

/// Every number from outside goes through `CheckedNumber`: no input may reach a trapping conversion.
@Suite struct CheckedNumberTests {
    @Test(arguments: [
        (Double.nan, nil), (.infinity, nil), (-.infinity, nil), (1e300, nil), (-1e300, nil), (0x1p63, nil), (-0x1p63, Int.min),
        (0.5, nil), (-1, -1), (0, 0), (42, 42), (9_007_199_254_740_992, 9_007_199_254_740_992),
    ] as [(Double, Int?)])
    func intFromDouble(value: Double, expected: Int?) {
        #expect(Int(checking: value) == expected)
        #expect(CheckedNumber.int(value) == expected)
    }

    @Test(arguments: ["nan", "inf", "-inf", "1e300", "1e400", "9223372036854775808", "-1", "0", "", "0x10", "1.5", "20 ", String(repeating: "9", count: 1000)])
    func textOutsideTheRangeIsAUsageError(text: String) {
        do {
            let n = try CheckedNumber.int(text, name: "limit", in: 1...200)
            #expect(text == "20 " && n == 20, "\(text) gave \(n)")
        } catch let error as PerfScopeError {
            #expect(error.kind == .invalidInput && error.message.hasPrefix("invalid limit") && error.message.count < 120)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [("nan", false), ("inf", false), ("1e400", false), ("-0.1", false), ("0.5", true), ("10", true), ("11", false)])
    func doubleInRange(text: String, ok: Bool) {
        #expect(((try? CheckedNumber.double(text, name: "x", in: 0...10)) != nil) == ok)
    }

    @Test(arguments: [(Double.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (1e300, "1e+300"), (3, "3"), (2.5, "2.5"), (0x1p63, "9.22337e+18")])
    func text(value: Double, expected: String) {
        #expect(CheckedNumber.text(value) == expected)
    }

    @Test func percentAndSamples() {
        #expect(CheckedNumber.percent(0.424) == "42")
        #expect(CheckedNumber.percent(.nan) == "?")
        #expect(CheckedNumber.percent(.infinity) == "?")
        #expect(CheckedNumber.sample(1e300).isNaN && CheckedNumber.sample(-0x1p60).isNaN && CheckedNumber.sample(5) == 5)
    }

    /// DurationParser.format used to trap on a huge negative value.
    @Test(arguments: [-1e300, -.infinity, .nan, 0, 1e300])
    func durationFormatNeverTraps(seconds: Double) {
        #expect(!DurationParser.format(seconds).isEmpty)
    }
}

/// Grafana JSON from outside: ids of 1e300, -1e19, 2^63 or NaN-as-string parse without a trap.
@Suite struct HostileDashboardTests {
    @Test(arguments: ["1e300", "-1e19", "9223372036854775808", "\"nan\"", "1.5"])
    func panelIDsOutOfRangeAreDropped(id: String) throws {
        let json = #"{"dashboard": {"title": "\u0600<img src=x onerror=alert(1)>", "id": \#(id), "panels": [{"id": \#(id), "title": "t", "type": "timeseries", "targets": [{"expr": "up", "refId": "A"}]}]}}"#
        let data = Data(json.utf8)
        let dashboard = try GrafanaDashboard.parse(data)
        #expect(dashboard.panels.count == 1 && dashboard.panels[0].id == nil)
        #expect(dashboard.title.unicodeScalars.first == "\u{0600}")
    }
}
