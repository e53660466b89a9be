/// Parses the human durations every command accepts (`90s`, `15m`, `1h`, `2d`, `1h30m`, `1w`)
/// and formats seconds back into the shortest such form (and into PromQL range syntax).
///
/// One parser for every front end, so `--duration 1h30m` means the same in the CLI, the HTTP
/// API and MCP tool arguments.
public enum DurationParser {
    /// Ten years: longer durations are typos, and would overflow integer formatting.
    public static let maxSeconds = 10 * 365.25 * 86_400

    static let units: [(Character, Double)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Returns the duration in seconds. Accepts integer or decimal components (`1.5h`), units
    /// `ms`, `s`, `m`, `h`, `d`, `w`, in any order of components, each unit at most once.
    public static func seconds(_ text: String) throws -> Double {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw PerfScopeError.invalidInput("empty duration: use a number and a unit, e.g. 90s, 15m, 1h, 2d or 1h30m")
        }
        var total = 0.0
        var number = ""
        var seen = Set<String>()
        let chars = Array(trimmed)
        var i = 0
        func fail(_ why: String) -> PerfScopeError {
            .invalidInput("invalid duration \"\(text)\": \(why); use a number and a unit (s, m, h, d), e.g. 90s, 15m, 1h or 1h30m")
        }
        while i < chars.count {
            let c = chars[i]
            if c.isASCII, c.isNumber || c == "." {
                number.append(c)
                i += 1
                continue
            }
            var unit = String(c)
            if c == "m", i + 1 < chars.count, chars[i + 1] == "s" {
                unit = "ms"
                i += 1
            }
            i += 1
            guard !number.isEmpty, let value = Double(number) else { throw fail("a unit must follow a number") }
            let factor: Double
            switch unit {
            case "ms": factor = 0.001
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3_600
            case "d": factor = 86_400
            case "w": factor = 604_800
            default: throw fail("unknown unit \"\(unit)\"")
            }
            guard seen.insert(unit).inserted else { throw fail("unit \"\(unit)\" appears twice") }
            total += value * factor
            number = ""
        }
        if !number.isEmpty { throw fail("missing unit after \(number)") }
        guard total > 0, total.isFinite else { throw fail("it must be greater than zero") }
        guard total <= maxSeconds else { throw fail("it must be at most 10 years") }
        return total
    }

    /// `5400` → `1h30m`; sub-second remainders are dropped below one minute only if zero.
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        var rest = Int(min(seconds, maxSeconds * 10).rounded())
        if rest <= 0 { return seconds > 0 ? "\(Int((seconds * 1000).rounded()))ms" : "0s" }
        var out = ""
        for (unit, factor) in units where unit != "w" {
            let f = Int(factor)
            if rest >= f {
                out += "\(rest / f)\(unit)"
                rest %= f
            }
        }
        return out
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
