import Foundation

/// A Grafana unit id (`s`, `ms`, `bytes`, `percent`, `percentunit`, `ops`, `Bps` …) mapped to
/// perfscope's units, so panel values and thresholds are shown and compared the way the
/// catalog's are: latencies in ms, ratios as percent, bytes as bytes — never bytes called percent.
public struct GrafanaUnit: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A duration; `factor` converts the panel's value to seconds.
        case time(factor: Double)
        case bytes, bytesPerSecond, bitsPerSecond, bits
        /// 0–100.
        case percent
        /// 0–1.
        case ratio
        /// Events per second (`ops`, `reqps`, `iops`, `pps` …).
        case perSecond
        case boolean
        /// Anything else (`short`, `none`, `celsius` …): shown as the plain number.
        case plain(String)
    }

    public var id: String?
    public var kind: Kind

    public init(_ id: String?) {
        self.id = id
        kind = switch id ?? "" {
        case "ns": .time(factor: 1e-9)
        case "µs", "us": .time(factor: 1e-6)
        case "ms": .time(factor: 1e-3)
        case "s", "dtdurations", "dtdhms": .time(factor: 1)
        case "m": .time(factor: 60)
        case "h": .time(factor: 3600)
        case "d": .time(factor: 86400)
        case "bytes", "decbytes", "kbytes", "deckbytes", "mbytes", "decmbytes", "gbytes", "decgbytes": .bytes
        case "Bps", "binBps", "decBps", "KBs", "KiBs", "MBs", "MiBs", "GBs", "GiBs": .bytesPerSecond
        case "bps", "binbps", "decbps", "Kbits", "Mbits", "Gbits": .bitsPerSecond
        case "bits", "decbits": .bits
        case "percent": .percent
        case "percentunit": .ratio
        case "ops", "reqps", "rps", "wps", "iops", "opm", "rpm", "wpm", "pps", "eps", "cps", "hertz", "mps": .perSecond
        case "bool", "bool_yes_no", "bool_on_off": .boolean
        case let other: .plain(other == "none" || other == "short" ? "" : other)
        }
    }

    /// Multiplier from the panel's value to perfscope's base unit (bytes for `kbytes` etc.).
    var scale: Double {
        switch id ?? "" {
        case "kbytes", "KiBs": 1024
        case "deckbytes", "KBs": 1000
        case "mbytes", "MiBs": 1024 * 1024
        case "decmbytes", "MBs": 1e6
        case "gbytes", "GiBs": 1024 * 1024 * 1024
        case "decgbytes", "GBs": 1e9
        case "Kbits": 1e3
        case "Mbits": 1e6
        case "Gbits": 1e9
        case "opm", "rpm", "wpm": 1.0 / 60
        default: 1
        }
    }

    /// The unit written in evidence: latencies in ms (as the catalog quotes them), ratios in %.
    public var evidenceUnit: String {
        switch kind {
        case .time: "ms"
        case .bytes: "bytes"
        case .bytesPerSecond: "bytes/s"
        case .bitsPerSecond: "bits/s"
        case .bits: "bits"
        case .percent, .ratio: "%"
        case .perSecond: id == "pps" ? "packets/s" : "1/s"
        case .boolean: "boolean"
        case .plain(let name): name
        }
    }

    /// A panel value (or threshold) converted to the evidence unit, rounded to 3 decimals.
    public func evidenceValue(_ value: Double) -> Double {
        let converted: Double = switch kind {
        case .time(let factor): value * factor * 1000
        case .ratio: value * 100
        default: value * scale
        }
        return converted.isFinite ? (converted * 1000).rounded() / 1000 : converted
    }

    /// The catalog unit for summaries, and the factor from panel value to that unit's base.
    public var metricUnit: (unit: MetricUnit, factor: Double) {
        switch kind {
        case .time(let factor): (.seconds, factor)
        case .bytes: (.bytes, scale)
        case .bytesPerSecond: (.bytesPerSecond, scale)
        case .bitsPerSecond: (.bytesPerSecond, scale / 8)
        case .bits: (.bytes, 1.0 / 8)
        case .percent: (.ratio, 0.01)
        case .ratio: (.ratio, 1)
        case .perSecond: (.perSecond, scale)
        case .boolean: (.boolean, 1)
        case .plain: (.count, 1)
        }
    }

    /// Human text for a panel value, e.g. `0.034` with unit `s` → `34.0 ms`.
    public func format(_ value: Double) -> String {
        if case .boolean = kind { return MetricUnit.count.format(value) } // a threshold of 0 is "0", not "no"
        let (unit, factor) = metricUnit
        let text = unit.format(value * factor)
        if case .plain(let name) = kind, !name.isEmpty { return "\(text) \(name)" }
        return text
    }
}

/// What a threshold colour means. Grafana colours are names (`red`, `dark-red`,
/// `semi-dark-orange` …), hex (`#F2495C`) or `rgb(a)(…)`; the hue decides.
public enum ColorClass: Sendable, Equatable {
    case ok, info, warning, danger, severe

    public init(_ color: String) {
        let c = color.lowercased().trimmingCharacters(in: .whitespaces)
        if c.isEmpty || c == "transparent" || c == "text" { self = .ok; return }
        if let (r, g, b) = Self.rgb(c) {
            self = Self.classify(r: r, g: g, b: b)
            return
        }
        if c.contains("red") { self = c.hasPrefix("dark-") ? .severe : .danger; return }
        if c.contains("orange") || c.contains("yellow") || c.contains("amber") { self = .warning; return }
        if c.contains("green") { self = .ok; return }
        if c.contains("blue") || c.contains("purple") || c.contains("cyan") { self = .info; return }
        self = .info
    }

    /// A plain name for reports (`rgba(245, 54, 54, 0.9)` reads as "red").
    public var name: String {
        switch self {
        case .ok: "green"
        case .info: "blue"
        case .warning: "orange"
        case .danger: "red"
        case .severe: "dark red"
        }
    }

    /// The finding severity of a value coloured this way, nil for "fine".
    public var severity: Severity? {
        switch self {
        case .ok: nil
        case .info: .low
        case .warning: .medium
        case .danger: .high
        case .severe: .critical
        }
    }

    static func classify(r: Double, g: Double, b: Double) -> ColorClass {
        let maxC = max(r, g, b), minC = min(r, g, b)
        let delta = maxC - minC
        guard delta > 0.15 else { return .info } // grey-ish: neither good nor bad
        var hue: Double
        if maxC == r { hue = 60 * (((g - b) / delta).truncatingRemainder(dividingBy: 6)) }
        else if maxC == g { hue = 60 * ((b - r) / delta + 2) }
        else { hue = 60 * ((r - g) / delta + 4) }
        if hue < 0 { hue += 360 }
        switch hue {
        case ..<18, 330...: return maxC < 0.6 ? .severe : .danger
        case 18..<70: return .warning
        case 70..<170: return .ok
        default: return .info
        }
    }

    /// `#rgb`, `#rrggbb(aa)`, `rgb(r, g, b)`, `rgba(r, g, b, a)` as 0–1 components.
    static func rgb(_ c: String) -> (Double, Double, Double)? {
        if c.hasPrefix("#") {
            var hex = String(c.dropFirst())
            if hex.count == 3 { hex = hex.map { "\($0)\($0)" }.joined() }
            guard hex.count >= 6, let v = UInt32(hex.prefix(6), radix: 16) else { return nil }
            return (Double((v >> 16) & 0xFF) / 255, Double((v >> 8) & 0xFF) / 255, Double(v & 0xFF) / 255)
        }
        guard c.hasPrefix("rgb"), let open = c.firstIndex(of: "("), let close = c.lastIndex(of: ")"), open < close else { return nil }
        let parts = c[c.index(after: open)..<close].split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count >= 3 else { return nil }
        return (parts[0] / 255, parts[1] / 255, parts[2] / 255)
    }
}
