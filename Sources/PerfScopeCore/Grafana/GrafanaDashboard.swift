import Foundation

/// A Grafana dashboard reduced to what perfscope analyses: its template variables and every
/// panel with the Prometheus queries it draws.
///
/// Grafana's JSON model has changed shape many times (old `rows[]`, collapsed rows holding
/// their panels, datasources as names or `{type, uid}` objects, thresholds in three formats)
/// and real dashboards mix them, so it is read with `JSONSerialization` and tolerant accessors
/// rather than a strict `Decodable`: an unknown or malformed field is skipped, never fatal.
public struct GrafanaDashboard: Sendable, Equatable {
    public var uid: String?
    public var title: String
    public var tags: [String]
    public var variables: [GrafanaVariable]
    /// Every panel in display order, rows flattened (nested row panels included).
    public var panels: [GrafanaPanel]

    public init(uid: String?, title: String, tags: [String], variables: [GrafanaVariable], panels: [GrafanaPanel]) {
        self.uid = uid
        self.title = title
        self.tags = tags
        self.variables = variables
        self.panels = panels
    }

    /// Parses a dashboard from JSON: either the bare dashboard model (a file saved with
    /// "Export → Save to file") or the `{"dashboard": …, "meta": …}` envelope that
    /// `/api/dashboards/uid/<uid>` returns.
    public static func parse(_ data: Data, source: String = "dashboard") throws -> GrafanaDashboard {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw PerfScopeError.invalidInput("\(source) is not valid JSON: export the dashboard from Grafana (Share → Export → Save to file)")
        }
        guard var root = object as? [String: Any] else {
            throw PerfScopeError.invalidInput("\(source) is not a Grafana dashboard (expected a JSON object): export it from Grafana")
        }
        if let inner = root["dashboard"] as? [String: Any] { root = inner }
        guard root["panels"] != nil || root["rows"] != nil else {
            throw PerfScopeError.invalidInput("\(source) has no \"panels\" or \"rows\": is it a Grafana dashboard JSON model?")
        }
        return GrafanaDashboard(json: root)
    }

    /// Builds the model from an already-parsed dashboard object (no envelope).
    public init(json root: [String: Any]) {
        uid = JSON.string(root["uid"])
        title = JSON.string(root["title"]) ?? "untitled dashboard"
        tags = (root["tags"] as? [Any])?.compactMap { JSON.string($0) } ?? []
        let list = ((root["templating"] as? [String: Any])?["list"] as? [Any]) ?? []
        variables = list.compactMap { ($0 as? [String: Any]).map(GrafanaVariable.init(json:)) }
        var panels: [GrafanaPanel] = []
        let datasourceVariables = Dictionary(variables.filter { $0.type == .datasource }.map { ($0.name, $0.query ?? "") },
                                             uniquingKeysWith: { a, _ in a })
        func walk(_ items: [Any], row: String?) {
            for case let item as [String: Any] in items {
                let type = JSON.string(item["type"]) ?? ""
                if type == "row" {
                    // A collapsed row keeps its panels inside it; an open row's panels follow it at top level.
                    let rowTitle = JSON.string(item["title"]) ?? row
                    walk((item["panels"] as? [Any]) ?? [], row: rowTitle)
                    continue
                }
                panels.append(GrafanaPanel(json: item, row: row, datasourceVariables: datasourceVariables))
                // Old "graph" panels never nest, but some generators put panels inside panels.
                if let nested = item["panels"] as? [Any], !nested.isEmpty { walk(nested, row: row) }
            }
        }
        // Schema < 16: `rows[].panels`; later: top-level `panels`, rows as panels of type "row".
        for case let row as [String: Any] in (root["rows"] as? [Any]) ?? [] {
            walk((row["panels"] as? [Any]) ?? [], row: JSON.string(row["title"]))
        }
        walk((root["panels"] as? [Any]) ?? [], row: nil)
        self.panels = panels
    }

    /// Every Prometheus query of the dashboard (hidden targets and other datasources left out).
    public var queries: [GrafanaQuery] {
        panels.flatMap { panel in panel.targets.filter(\.analysable).map { GrafanaQuery(panel: panel, target: $0) } }
    }

    /// Targets that are not analysed, with why (hidden, another datasource, no expression).
    public var skippedTargets: [(panel: String, refId: String, reason: String)] {
        panels.flatMap { panel in
            panel.targets.compactMap { t in t.skipReason.map { (panel.title, t.refId, $0) } }
        }
    }
}

/// One query to run: the panel it belongs to and its target (expression still unsubstituted).
public struct GrafanaQuery: Sendable, Equatable {
    public var panel: GrafanaPanel
    public var target: GrafanaTarget

    public init(panel: GrafanaPanel, target: GrafanaTarget) {
        self.panel = panel
        self.target = target
    }

    /// A stable identifier: `panel id` (or title) and `refId`.
    public var key: String { "\(panel.id.map(String.init) ?? panel.title)/\(target.refId)" }
}

/// Tolerant accessors over `JSONSerialization` output: numbers may be strings, ids may be either.
enum JSON {
    static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }

    /// A finite number from a JSON number or numeric string; nil for null, booleans and text.
    static func double(_ value: Any?) -> Double? {
        switch value {
        case let s as String: Double(s.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        case let n as NSNumber: n.doubleValue.isFinite ? n.doubleValue : nil
        default: nil
        }
    }

    static func bool(_ value: Any?) -> Bool {
        switch value {
        case let b as Bool: b
        case let n as NSNumber: n.intValue != 0
        case let s as String: s == "true"
        default: false
        }
    }

    static func int(_ value: Any?) -> Int? { double(value).flatMap(CheckedNumber.int) }

    static func object(_ value: Any?, _ path: String...) -> [String: Any]? {
        var current = value
        for key in path { current = (current as? [String: Any])?[key] }
        return current as? [String: Any]
    }
}
