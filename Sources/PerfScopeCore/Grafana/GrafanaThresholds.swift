import Foundation

/// A panel's threshold ladder: each step colours values at or above its value (the first step,
/// with no value, colours everything below the second). That is Grafana's semantics for
/// `fieldConfig.defaults.thresholds`; the two older formats are converted to it.
///
/// The step a value falls in decides the finding's severity through the step's colour: red →
/// high (critical when it tops a ladder that also has a warning step, or is dark red),
/// orange/yellow → medium, blue/purple → low, green → fine.
public struct GrafanaThresholds: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable { case absolute, percentage }

    public struct Step: Sendable, Equatable {
        /// Nil for the base step (everything below the next step).
        public var value: Double?
        public var color: String
        public init(value: Double?, color: String) {
            self.value = value
            self.color = color
        }
    }

    public var mode: Mode
    /// Ascending by value, base step first.
    public var steps: [Step]
    /// The panel draws them (a time-series panel with `thresholdsStyle` on, or an old graph panel).
    public var shown: Bool

    public init(mode: Mode = .absolute, steps: [Step], shown: Bool = true) {
        self.mode = mode
        self.steps = steps
        self.shown = shown
    }

    /// Reads `fieldConfig.defaults.thresholds`, else old graph `thresholds: [{value, op, colorMode}]`,
    /// else old singlestat `thresholds: "80,90"` with `colors`.
    static func read(panel p: [String: Any], defaults: [String: Any]) -> GrafanaThresholds? {
        if let t = defaults["thresholds"] as? [String: Any], let raw = t["steps"] as? [Any] {
            var steps = raw.compactMap { item -> Step? in
                guard let s = item as? [String: Any] else { return nil }
                return Step(value: JSON.double(s["value"]), color: JSON.string(s["color"]) ?? "green")
            }
            // The base step has no value; keep it first, the rest ascending (Grafana sorts them too).
            let base = steps.filter { $0.value == nil }.first
            steps = steps.filter { $0.value != nil }.sorted { $0.value! < $1.value! }
            if let base { steps.insert(base, at: 0) } else if !steps.isEmpty { steps.insert(Step(value: nil, color: "green"), at: 0) }
            guard steps.count > 1 else { return nil }
            let style = JSON.string(JSON.object(defaults, "custom", "thresholdsStyle")?["mode"]) ?? "off"
            return GrafanaThresholds(mode: JSON.string(t["mode"]) == "percentage" ? .percentage : .absolute,
                                     steps: steps, shown: style != "off")
        }
        if let list = p["thresholds"] as? [Any] {
            return fromGraph(list.compactMap { $0 as? [String: Any] })
        }
        if let text = JSON.string(p["thresholds"]), !text.isEmpty {
            let values = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            let colors = ((p["colors"] as? [Any]) ?? []).compactMap { JSON.string($0) }
            let palette = colors.count >= values.count + 1 ? colors : ["green", "orange", "red"]
            let descending = JSON.bool(p["invertThresholds"])
            var steps = [Step(value: nil, color: palette[descending ? min(values.count, palette.count - 1) : 0])]
            for (i, v) in values.sorted().enumerated() {
                let index = descending ? max(0, values.count - 1 - i) : min(i + 1, palette.count - 1)
                steps.append(Step(value: v, color: palette[index]))
            }
            return steps.count > 1 ? GrafanaThresholds(steps: steps, shown: true) : nil
        }
        return nil
    }

    /// Old graph panel thresholds: `gt` lines add a step at their value; `lt` lines colour what is below them.
    static func fromGraph(_ items: [[String: Any]]) -> GrafanaThresholds? {
        func color(_ item: [String: Any]) -> String {
            switch JSON.string(item["colorMode"]) ?? "critical" {
            case "critical": "red"
            case "warning": "orange"
            case "ok": "green"
            default: JSON.string(item["lineColor"]) ?? JSON.string(item["fillColor"]) ?? "red"
            }
        }
        let lines = items.compactMap { item -> (Double, String, Bool)? in
            guard let v = JSON.double(item["value"]) else { return nil }
            return (v, color(item), (JSON.string(item["op"]) ?? "gt") == "lt")
        }
        guard !lines.isEmpty else { return nil }
        let below = lines.filter(\.2).sorted { $0.0 < $1.0 }
        let above = lines.filter { !$0.2 }.sorted { $0.0 < $1.0 }
        var steps = [Step(value: nil, color: below.first?.1 ?? "green")]
        // Between the lowest `lt` line and the next one the next colour applies, and so on up to "green".
        for (i, line) in below.enumerated() {
            steps.append(Step(value: line.0, color: i + 1 < below.count ? below[i + 1].1 : "green"))
        }
        for line in above { steps.append(Step(value: line.0, color: line.1)) }
        let sorted = [steps[0]] + steps.dropFirst().sorted { $0.value! < $1.value! }
        return GrafanaThresholds(steps: sorted, shown: true)
    }

    /// The thresholds that mean something, in absolute values, or nil.
    ///
    /// - Time-series panels only count thresholds they draw: Grafana adds "green, red at 80" to
    ///   every new panel, and unless the author turned `thresholdsStyle` on it is boilerplate.
    /// - That same default on a stat/gauge panel counts only when the unit is `percent`.
    /// - Percentage-mode steps are converted with the panel's min/max (or 0–100 / 0–1 for
    ///   percent units); without a known range they are dropped.
    /// - Byte-valued ladders with steps under 1 KiB are leftovers copied between panels.
    public func effective(panelType: String, unit: String?, min: Double?, max: Double?) -> GrafanaThresholds? {
        let drawsLines = ["timeseries", "graph", "trend", "xychart", "barchart", "candlestick"].contains(panelType)
        if drawsLines, !shown { return nil }
        if !drawsLines, isGrafanaDefault, unit != "percent" { return nil }
        var result = self
        if mode == .percentage {
            let range: (Double, Double)? = switch (min, max, GrafanaUnit(unit).kind) {
            case (let lo?, let hi?, _): (lo, hi)
            case (_, _, .percent): (0, 100)
            case (_, _, .ratio): (0, 1)
            default: nil
            }
            guard let (lo, hi) = range else { return nil }
            result.steps = steps.map { Step(value: $0.value.map { lo + (hi - lo) * $0 / 100 }, color: $0.color) }
            result.mode = .absolute
        }
        if GrafanaUnit(unit).kind == .bytes, result.steps.contains(where: { ($0.value ?? 1024) > 0 && ($0.value ?? 1024) < 1024 }) {
            return nil
        }
        guard result.steps.contains(where: { ColorClass($0.color).severity != nil }) else { return nil }
        return result
    }

    /// Grafana's default for a new panel: green base, red at 80.
    var isGrafanaDefault: Bool {
        steps.count == 2 && steps[1].value == 80 && ColorClass(steps[0].color) == .ok && ColorClass(steps[1].color) == .danger
    }

    /// The index of the step `value` falls in.
    public func stepIndex(_ value: Double) -> Int {
        var index = 0
        for (i, step) in steps.enumerated() {
            if let v = step.value, value >= v { index = i }
        }
        return index
    }

    /// The severity of step `index`, or nil when its colour means "fine".
    public func severity(ofStep index: Int) -> Severity? {
        guard steps.indices.contains(index), let base = ColorClass(steps[index].color).severity else { return nil }
        // Red at the top of a ladder that also warns (green → orange → red) is the author's worst level.
        if base == .high, index == steps.count - 1,
           steps.prefix(index).contains(where: { ColorClass($0.color) == .warning }) {
            return .critical
        }
        return base
    }

    /// The boundary of step `index` that a value in it crossed: its own value, or for a bad
    /// base step the next step's value (the value was *below* it).
    public func boundary(ofStep index: Int) -> (value: Double, below: Bool)? {
        guard steps.indices.contains(index) else { return nil }
        if let v = steps[index].value { return (v, false) }
        return steps.count > 1 ? steps[1].value.map { ($0, true) } : nil
    }
}
