import Foundation

/// The unit a catalog metric's values are in. Values are always stored in base units
/// (seconds, bytes, ratios 0–1) and only converted for display, so bytes are never called
/// percent and a threshold means the same thing in every view.
public enum MetricUnit: String, Sendable, Codable, CaseIterable {
    case seconds
    case bytes
    case bytesPerSecond = "bytes/s"
    /// 0–1 fraction (utilisation, in-use / total); shown as percent.
    case ratio
    /// A count of things (keys, members, leader changes over the window).
    case count
    /// Events per second (operations, proposals, faults).
    case perSecond = "1/s"
    /// CPU cores (CPU seconds per second).
    case cores
    /// A 0/1 state (has_leader, up).
    case boolean

    /// Human formatting: `0.0342` seconds → `34.2 ms`, `2147483648` bytes → `2.0 GiB`, `0.93` ratio → `93.0 %`.
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+Inf" : "-Inf") }
        switch self {
        case .seconds:
            if abs(value) < 1e-3 { return String(format: "%.0f µs", value * 1e6) }
            if abs(value) < 1 { return String(format: "%.1f ms", value * 1e3) }
            return String(format: "%.2f s", value)
        case .bytes: return Self.binary(value, suffix: "")
        case .bytesPerSecond: return Self.binary(value, suffix: "/s")
        case .ratio: return String(format: "%.1f %%", value * 100)
        case .count: return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
        case .perSecond: return String(format: abs(value) >= 100 ? "%.0f/s" : "%.2f/s", value)
        case .cores: return String(format: "%.2f cores", value)
        case .boolean: return value >= 0.5 ? "yes" : "no"
        }
    }

    /// The short unit name used in evidence (`ms` for seconds, since latency thresholds are quoted in ms).
    public var evidenceUnit: String {
        switch self {
        case .seconds: "ms"
        case .ratio: "%"
        default: rawValue
        }
    }

    /// Converts a base-unit value to the evidence unit (seconds → ms, ratio → %).
    public func evidenceValue(_ value: Double) -> Double {
        switch self {
        case .seconds: (value * 1e3 * 1000).rounded() / 1000
        case .ratio: (value * 100 * 1000).rounded() / 1000
        default: value
        }
    }

    private static func binary(_ value: Double, suffix: String) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var v = value
        var i = 0
        while abs(v) >= 1024, i < units.count - 1 {
            v /= 1024
            i += 1
        }
        return i == 0 ? String(format: "%.0f %@%@", v, units[i], suffix) : String(format: "%.1f %@%@", v, units[i], suffix)
    }
}
