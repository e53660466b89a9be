import Foundation
import PerfScopeCore
import Testing

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("90s", 90.0), ("15m", 900), ("1h", 3600), ("2d", 172_800), ("1h30m", 5400), ("1w", 604_800),
        ("500ms", 0.5), ("1.5h", 5400), (" 10m ", 600), ("1d2h3m4s", 93_784), ("30m1h", 5400),
    ])
    func parses(text: String, seconds: Double) throws {
        #expect(try DurationParser.seconds(text) == seconds)
    }

    @Test(arguments: ["", "10", "10x", "h", "1hh", "1h1h", "-5m", "0s", "1.2.3m", "m5", "5 m x", "∞s"])
    func rejects(text: String) {
        #expect(throws: PerfScopeError.self) { try DurationParser.seconds(text) }
    }

    @Test func errorNamesTheValueAndTheFix() {
        do {
            _ = try DurationParser.seconds("10x")
            Issue.record("expected an error")
        } catch let error as PerfScopeError {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("\"10x\""))
            #expect(error.message.contains("unknown unit \"x\""))
            #expect(error.message.contains("1h30m"))
            #expect(!error.message.contains("\n"))
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }

    @Test(arguments: [(90.0, "1m30s"), (3600, "1h"), (5400, "1h30m"), (300, "5m"), (93_784, "1d2h3m4s"), (0.25, "250ms")])
    func formats(seconds: Double, text: String) throws {
        #expect(DurationParser.format(seconds) == text)
        #expect(try DurationParser.seconds(text) == seconds)
    }
}

@Suite struct TimeWindowTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func durationEndsNow() throws {
        let w = try TimeWindow.resolve(duration: "1h", start: nil, end: nil, now: now)
        #expect(w.end == now)
        #expect(w.duration == 3600)
    }

    @Test func defaultIsOneHour() throws {
        #expect(try TimeWindow.resolve(duration: nil, start: nil, end: nil, now: now).duration == 3600)
    }

    @Test(arguments: ["2026-11-29T10:00:00Z", "2026-11-29T10:00:00.250Z", "2026-11-29T11:00:00+01:00", "1795946400"])
    func parsesTimes(text: String) throws {
        let d = try TimeWindow.parseTime(text)
        #expect(abs(d.timeIntervalSince1970 - 1_795_946_400) < 1)
    }

    @Test func startAndEnd() throws {
        let w = try TimeWindow.resolve(duration: nil, start: "1795946400", end: "2026-11-29T11:00:00Z", now: now)
        #expect(w.duration == 3600)
    }

    @Test func endBeforeStartIsAnError() {
        #expect(throws: PerfScopeError.self) {
            try TimeWindow.resolve(duration: nil, start: "2026-11-29T11:00:00Z", end: "2026-11-29T10:00:00Z", now: now)
        }
    }

    @Test func durationAndStartConflict() {
        #expect(throws: PerfScopeError.self) { try TimeWindow.resolve(duration: "1h", start: "1795946400", end: nil, now: now) }
    }

    @Test func badTimeNamesTheFlag() {
        do {
            _ = try TimeWindow.resolve(duration: nil, start: "yesterday", end: nil, now: now)
            Issue.record("expected an error")
        } catch let e as PerfScopeError {
            #expect(e.message.contains("--start"))
            #expect(e.message.contains("yesterday"))
        } catch { Issue.record("\(error)") }
    }

    @Test(arguments: [(600.0, 5.0, "5m"), (3600, 15, "5m"), (86_400, 360, "24m"), (7 * 86_400, 2520, "2h48m")] as [(Double, Double, String)])
    func stepAndRate(duration: Double, step: Double, rate: String) throws {
        let w = try TimeWindow(duration: duration, endingAt: now)
        #expect(w.step == step)
        #expect(w.rateRange == rate)
        #expect(duration / w.step <= 241)
    }

    /// A metric needing a 5m range under `--rate-window 1m` never looks further before the window
    /// than the 1m the other metrics do: points start 4 minutes in, or a short window is one point
    /// over exactly the window (a fault that ended before the window is not in it).
    @Test(arguments: [
        // duration, rate window, metric's minimum → range, seconds after start of the first point
        (3600.0, nil, 300.0, 300.0, 0.0),      // default 5m rate: unchanged
        (3600, 60, nil, 60, 0),                // no minimum: unchanged
        (3600, 60, 300, 300, 240),             // long window: points whose 5m range reaches ≤ 1m before start
        (290, 60, 300, 300, 240),              // just long enough: the last 50 s of points
        (85, 60, 300, 85, 85),                 // shorter than 5m − 1m: one point at the end over the window
        (30, 60, 300, 60, 30),                 // shorter than the rate window itself: the rate window
    ] as [(Double, Double?, Double?, Double, Double)])
    func evaluationOfLongRateMetrics(duration: Double, rate: Double?, minimum: Double?, range: Double, offset: Double) throws {
        var w = try TimeWindow(duration: duration, endingAt: now)
        w.rateWindow = rate
        let e = w.evaluation(atLeast: minimum)
        #expect(e.range == range)
        #expect(e.start.timeIntervalSince(w.start) == offset)
        #expect(e.start.addingTimeInterval(-e.range) >= w.start.addingTimeInterval(-w.rateSeconds))
        #expect(w.rateRange(atLeast: minimum) == DurationParser.format(range))
    }
}
