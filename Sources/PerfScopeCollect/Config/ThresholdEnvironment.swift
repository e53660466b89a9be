import Foundation
import PerfScopeCore

/// Threshold overrides from the environment: `PERFSCOPE_<METRIC>_<LEVEL>=<value>`, e.g.
/// `PERFSCOPE_CPU_UTILIZATION_CRITICAL=0.97` or `PERFSCOPE_WAL_FSYNC_P99_HIGH=25ms`.
///
/// Why: in containers and CI the environment is often the only knob. They apply after the
/// config file's `thresholds:` (the environment wins). American "UTILIZATION" is accepted for
/// the catalog's "utilisation". Values are in the metric's base unit (seconds, bytes, ratio
/// 0–1); `%` is accepted for ratios and duration units for seconds.
public enum ThresholdEnvironment {
    static let levels = ["LOW", "MEDIUM", "HIGH", "CRITICAL"]

    /// Overrides by metric name. Throws a configuration error naming the variable when the
    /// metric does not exist or the value is not a number.
    public static func overrides(_ environment: [String: String], catalog: Catalog) throws -> [String: Thresholds] {
        var out: [String: Thresholds] = [:]
        for (key, raw) in environment.sorted(by: { $0.key < $1.key }) {
            guard key.hasPrefix("PERFSCOPE_"), let level = levels.first(where: { key.hasSuffix("_" + $0) }) else { continue }
            let middle = key.dropFirst("PERFSCOPE_".count).dropLast(level.count + 1)
            guard !middle.isEmpty else { continue }
            let name = middle.lowercased().replacingOccurrences(of: "utilization", with: "utilisation")
            guard let metric = catalog.metric(named: name) else {
                let suggestion = catalog.metrics.map(\.name).min { a, b in a.distance(to: name) < b.distance(to: name) } ?? ""
                throw PerfScopeError.configuration("\(key): no catalog metric \(name) (did you mean PERFSCOPE_\(suggestion.uppercased())_\(level)? see perfscope catalog list)")
            }
            guard let value = parse(raw.trimmingCharacters(in: .whitespaces), unit: metric.unit) else {
                throw PerfScopeError.configuration("\(key)=\(raw): expected a number in \(metric.unit.rawValue)\(metric.unit == .ratio ? " (0–1, or a percentage like 90%)" : metric.unit == .seconds ? " (or a duration like 25ms)" : "")")
            }
            var t = out[name] ?? Thresholds(direction: metric.thresholds?.direction ?? .above)
            t.directionIsExplicit = false
            switch level {
            case "LOW": t.low = value
            case "MEDIUM": t.medium = value
            case "HIGH": t.high = value
            default: t.critical = value
            }
            out[name] = t
        }
        return out
    }

    /// Nil for anything that is not a finite number (`nan%`, `infms`, `1e400`).
    static func parse(_ text: String, unit: MetricUnit) -> Double? {
        if unit == .ratio, text.hasSuffix("%"), let v = CheckedNumber.finite(Double(text.dropLast().trimmingCharacters(in: .whitespaces))) { return v / 100 }
        if let v = CheckedNumber.finite(Double(text)) { return v }
        if unit == .seconds, text.contains(where: \.isLetter) {
            if text.hasSuffix("ms"), let v = CheckedNumber.finite(Double(text.dropLast(2))) { return v / 1000 }
            return try? DurationParser.seconds(text)
        }
        return nil
    }
}
