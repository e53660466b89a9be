/// The one way a number from outside becomes an integer or a bounded value.
///
/// JSON bodies, query strings, tool and MCP arguments, an LLM's tool-call index, Prometheus
/// samples, Grafana JSON, Kubernetes quantities, database URLs and YAML all carry numbers that
/// may be NaN, infinite, fractional or beyond `Int`. Swift's `Int(someDouble)` traps on those and
/// takes the whole process down; these helpers return nil or a one-line usage error instead.
public enum CheckedNumber {
    /// `Int` from a Double when it is finite, whole and representable; otherwise nil.
    public static func int(_ value: Double) -> Int? {
        // 2^63 is exactly representable as a Double; Double(Int.max) rounds up to it.
        guard value.isFinite, value == value.rounded(), value >= -0x1p63, value < 0x1p63 else { return nil }
        return Int(value)
    }

    /// `Int` from a Double rounded to the nearest whole number, nil when non-finite or beyond `Int`.
    public static func rounded(_ value: Double) -> Int? {
        int(value.rounded())
    }

    /// A whole number named `name` within `range`, from a JSON number: a one-line invalid-input
    /// error (HTTP 400, MCP tool error, exit 2) otherwise.
    public static func int(_ value: Double, name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let n = int(value), range.contains(n) else { throw outOfRange(name, String(describing: value), range) }
        return n
    }

    /// A whole number named `name` within `range`, from text (a query string, a flag, a YAML
    /// scalar): decimal digits with an optional sign, nothing else.
    public static func int(_ text: String, name: String, in range: ClosedRange<Int>) throws -> Int {
        let t = text.trimmingWhitespace()
        guard t.utf8.count <= 40, let n = Int(t), range.contains(n) else { throw outOfRange(name, t, range) }
        return n
    }

    /// A finite Double named `name` within `range`, from text: NaN, infinities and values
    /// outside the range are a usage error.
    public static func double(_ text: String, name: String, in range: ClosedRange<Double>) throws -> Double {
        let t = text.trimmingWhitespace()
        guard t.utf8.count <= 40, let v = Double(t) else {
            throw PerfScopeError.invalidInput("invalid \(name) \"\(shown(t))\": use a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
        }
        return try double(v, name: name, in: range)
    }

    /// A finite Double named `name` within `range`.
    public static func double(_ value: Double, name: String, in range: ClosedRange<Double>) throws -> Double {
        guard value.isFinite, range.contains(value) else {
            throw PerfScopeError.invalidInput("invalid \(name) \(value): use a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
        }
        return value
    }

    /// The largest magnitude a Prometheus sample may have to be judged: 2^53, beyond which a
    /// float64 no longer holds every integer — no etcd or host metric comes near it.
    public static let maxSample = 0x1p53

    /// A sample as the statistics take it: beyond ±`maxSample` it is NaN, skipped like any
    /// non-finite point, so sums, increases and counts built from samples stay within `Int`.
    public static func sample(_ value: Double) -> Double {
        abs(value) <= maxSample ? value : .nan
    }

    /// The value when it is finite, nil otherwise (a NaN count, an `inf` capacity).
    public static func finite(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// A count or measurement for people to read: the whole number when it is one and fits,
    /// else `%g`, and `NaN`/`+Inf`/`-Inf` spelled out. Never traps.
    public static func text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if let n = int(value), abs(value) < 1e15 { return String(n) }
        return String(format: "%g", value)
    }

    /// A rounded percentage of a ratio (0.42 → "42"), or "?" when the ratio is not a number.
    public static func percent(_ ratio: Double) -> String {
        rounded(ratio * 100).map(String.init) ?? "?"
    }

    static func outOfRange(_ name: String, _ given: String, _ range: ClosedRange<Int>) -> PerfScopeError {
        .invalidInput("invalid \(name) \(shown(given)): use a whole number from \(range.lowerBound) to \(range.upperBound)")
    }

    /// At most 40 characters of what was given, so a 1 MB value does not become a 1 MB error line.
    static func shown(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(40)) + "…"
    }

    static func format(_ v: Double) -> String { text(v) }
}

extension Int {
    /// `Int(checking: someDouble)`: nil instead of a trap when the Double is not a whole number
    /// that fits (NaN, ±inf, 1e300, 2^63, 0.5).
    public init?(checking value: Double) {
        guard let n = CheckedNumber.int(value) else { return nil }
        self = n
    }
}
