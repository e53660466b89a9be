import Foundation

/// One panel as perfscope needs it: what it is called, the unit its numbers are in, the
/// thresholds its author coloured it with, and its queries.
///
/// The thresholds are the point: a dashboard's author already said what "too high" means for
/// each panel, so analysing a dashboard judges its own data by its own standards.
public struct GrafanaPanel: Sendable, Equatable {
    public var id: Int?
    public var title: String
    /// `timeseries`, `graph`, `stat`, `gauge`, `bargauge`, `singlestat`, `table` …
    public var type: String
    /// The row the panel sits in, if any.
    public var row: String?
    /// Grafana unit id (`s`, `ms`, `bytes`, `percent`, `percentunit`, `ops`, `Bps` …), if set.
    public var unit: String?
    public var thresholds: GrafanaThresholds?
    /// The statistic a stat/gauge panel reduces a series to (`lastNotNull`, `mean`, `max` …).
    public var reducer: String?
    /// `fieldConfig.defaults.min` / `max`, for percentage-mode thresholds.
    public var min: Double?
    public var max: Double?
    public var targets: [GrafanaTarget]

    public init(id: Int?, title: String, type: String, row: String? = nil, unit: String? = nil,
                thresholds: GrafanaThresholds? = nil, reducer: String? = nil, min: Double? = nil, max: Double? = nil,
                targets: [GrafanaTarget]) {
        self.id = id
        self.title = title
        self.type = type
        self.row = row
        self.unit = unit
        self.thresholds = thresholds
        self.reducer = reducer
        self.min = min
        self.max = max
        self.targets = targets
    }

    /// Reads one panel object. `datasourceVariables` maps datasource variable names to their plugin type.
    init(json p: [String: Any], row: String?, datasourceVariables: [String: String]) {
        id = JSON.int(p["id"])
        title = (JSON.string(p["title"]) ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty { title = id.map { "panel \($0)" } ?? "untitled panel" }
        type = JSON.string(p["type"]) ?? "graph"
        self.row = row
        let defaults = JSON.object(p, "fieldConfig", "defaults") ?? [:]
        var unit = JSON.string(defaults["unit"])
        // Old graph panels: the left y axis' format.
        if unit == nil, let axes = p["yaxes"] as? [Any], let first = axes.first as? [String: Any] {
            unit = JSON.string(first["format"])
        }
        if unit == nil { unit = JSON.string(p["format"]) } // old singlestat
        self.unit = unit.flatMap { $0.isEmpty ? nil : $0 }
        min = JSON.double(defaults["min"])
        max = JSON.double(defaults["max"])
        reducer = ((JSON.object(p, "options", "reduceOptions")?["calcs"]) as? [Any])?.first.flatMap { JSON.string($0) }
            ?? JSON.string(p["valueName"]) // old singlestat: avg, current, max …
        thresholds = GrafanaThresholds.read(panel: p, defaults: defaults)
        let panelSource = GrafanaDatasource(json: p["datasource"], variables: datasourceVariables)
        targets = ((p["targets"] as? [Any]) ?? []).enumerated().compactMap { index, item in
            guard let t = item as? [String: Any] else { return nil }
            return GrafanaTarget(json: t, index: index, panelSource: panelSource, variables: datasourceVariables)
        }
    }

    /// Whether threshold crossings on this panel are meaningful findings (see `GrafanaThresholds.effective`).
    public var effectiveThresholds: GrafanaThresholds? {
        thresholds?.effective(panelType: type, unit: unit, min: min, max: max)
    }
}

/// One query target of a panel.
public struct GrafanaTarget: Sendable, Equatable {
    public var refId: String
    /// The PromQL as written, with template variables.
    public var expr: String?
    public var legendFormat: String?
    public var hidden: Bool
    /// Whether the query is run as an instant query in Grafana (we still run a range query).
    public var instant: Bool
    /// The datasource's plugin type when it is known and not Prometheus (`loki`, `elasticsearch` …).
    public var otherDatasource: String?

    public init(refId: String, expr: String?, legendFormat: String? = nil, hidden: Bool = false,
                instant: Bool = false, otherDatasource: String? = nil) {
        self.refId = refId
        self.expr = expr
        self.legendFormat = legendFormat
        self.hidden = hidden
        self.instant = instant
        self.otherDatasource = otherDatasource
    }

    init(json t: [String: Any], index: Int, panelSource: GrafanaDatasource, variables: [String: String]) {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        refId = JSON.string(t["refId"]) ?? (index < letters.count ? String(letters[index]) : "T\(index)")
        let text = JSON.string(t["expr"])?.trimmingCharacters(in: .whitespacesAndNewlines)
        expr = (text?.isEmpty ?? true) ? nil : text
        legendFormat = JSON.string(t["legendFormat"]).flatMap { $0.isEmpty ? nil : $0 }
        hidden = JSON.bool(t["hide"])
        instant = JSON.bool(t["instant"])
        let own = GrafanaDatasource(json: t["datasource"], variables: variables)
        // A target's own datasource wins; "-- Mixed --" on the panel means "each target says".
        let effective = own == .unspecified || own == .mixed ? (panelSource == .mixed ? .unspecified : panelSource) : own
        if case .other(let type) = effective { otherDatasource = type } else { otherDatasource = nil }
    }

    /// Analysed: a visible Prometheus target with an expression.
    public var analysable: Bool { skipReason == nil }

    public var skipReason: String? {
        if let otherDatasource { return "datasource \(otherDatasource) is not Prometheus" }
        if expr == nil { return "no PromQL expression" }
        if hidden { return "hidden in the panel (hide: true)" }
        return nil
    }
}

/// What a `datasource` field says, reduced to "Prometheus or not".
enum GrafanaDatasource: Equatable {
    case unspecified, prometheus, mixed
    case other(String)

    init(json: Any?, variables: [String: String]) {
        switch json {
        case let object as [String: Any]:
            let type = JSON.string(object["type"])?.lowercased()
            let uid = JSON.string(object["uid"]) ?? ""
            if uid == "-- Mixed --" { self = .mixed; return }
            if uid == "-- Dashboard --" { self = .other("dashboard (reuses another panel's query)"); return }
            if uid == "-- Grafana --" || uid == "grafana" { self = .other("grafana (built-in test data)"); return }
            if let type, type != "datasource" {
                self = Self.classify(type)
                return
            }
            self = Self.fromName(uid, variables: variables)
        case let name as String:
            self = Self.fromName(name, variables: variables)
        default:
            self = .unspecified
        }
    }

    /// Prometheus-compatible plugin types (Thanos, Mimir, Cortex and VictoriaMetrics register as these).
    static func classify(_ type: String) -> GrafanaDatasource {
        switch type {
        case "prometheus", "grafana-amazonprometheus-datasource", "victoriametrics-datasource",
             "victoriametrics-metrics-datasource", "grafana-azureprometheus-datasource": .prometheus
        case "__expr__": .other("expression (server-side math)")
        case "": .unspecified
        default: .other(type)
        }
    }

    /// A name (old style) or a `$variable`: a variable's plugin type decides; plain names are
    /// taken as Prometheus unless they obviously are not (Loki also has `expr`).
    static func fromName(_ raw: String, variables: [String: String]) -> GrafanaDatasource {
        let name = raw.trimmingCharacters(in: CharacterSet(charactersIn: "${}"))
        if name.isEmpty { return .unspecified }
        if raw.hasPrefix("$"), let plugin = variables[name] {
            return plugin.isEmpty ? .prometheus : classify(plugin.lowercased())
        }
        if name == "-- Mixed --" { return .mixed }
        let lowered = name.lowercased()
        for other in ["loki", "elasticsearch", "influx", "graphite", "tempo", "jaeger", "mysql", "postgres", "cloudwatch"]
            where lowered.contains(other) {
            return .other(other)
        }
        return .prometheus
    }
}
