import Foundation

/// A dashboard template variable (`templating.list[]`): enough of it to pick a value the way
/// Grafana would when the dashboard opens.
public struct GrafanaVariable: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case query, custom, constant, interval, datasource, textbox, adhoc, unknown
    }

    public var name: String
    public var type: Kind
    /// The variable's `query`: the plugin type of a datasource variable, `a,b,c` of a custom
    /// one, the value of a constant, the PromQL (`label_values(…)`) of a query variable.
    public var query: String?
    /// The saved selection (`current.value`), empty when none was saved.
    public var current: [String]
    public var includeAll: Bool
    public var allValue: String?
    public var multi: Bool

    public init(name: String, type: Kind, query: String? = nil, current: [String] = [], includeAll: Bool = false,
                allValue: String? = nil, multi: Bool = false) {
        self.name = name
        self.type = type
        self.query = query
        self.current = current
        self.includeAll = includeAll
        self.allValue = allValue
        self.multi = multi
    }

    init(json v: [String: Any]) {
        name = JSON.string(v["name"]) ?? ""
        type = Kind(rawValue: JSON.string(v["type"]) ?? "") ?? .unknown
        // Newer query variables keep the query in an object: {"query": "...", "refId": ...}.
        query = JSON.string(v["query"]) ?? JSON.string(JSON.object(v, "query")?["query"])
        let value = JSON.object(v, "current")?["value"]
        if let list = value as? [Any] {
            current = list.compactMap { JSON.string($0) }
        } else if let single = JSON.string(value) {
            current = [single]
        } else {
            current = []
        }
        includeAll = JSON.bool(v["includeAll"])
        allValue = JSON.string(v["allValue"]).flatMap { $0.isEmpty ? nil : $0 }
        multi = JSON.bool(v["multi"])
    }

    /// The options of a custom or interval variable (`a, b, c` or `a : x, b : y` key/value pairs).
    var listedOptions: [String] {
        (query ?? "").split(separator: ",").map { part in
            let text = part.trimmingCharacters(in: .whitespaces)
            if let colon = text.range(of: " : ") { return String(text[colon.upperBound...]).trimmingCharacters(in: .whitespaces) }
            return text
        }.filter { !$0.isEmpty }
    }
}

/// What a variable stands for in an expression.
public enum TemplateValue: Sendable, Equatable {
    /// Label values (from `--var` or the saved selection): escaped for where they land.
    case values([String])
    /// "All": a regex matching any value, the dashboard's `allValue` or `.*`, inserted as written.
    case all(String)
    /// Text the dashboard or perfscope itself defines (constants, intervals, built-ins): inserted as written.
    case raw(String)
    /// No value known: matchers on it match any non-empty value; elsewhere it is an error.
    case unresolved
}

/// The values every variable of one dashboard takes for one run: the user's (`--var`), else
/// the saved selection, else a default — plus Grafana's built-ins for the window.
///
/// `$__interval` is the range-query step. `$__rate_interval` follows Grafana's own definition,
/// `max($__interval + scrape interval, 4 × scrape interval)`, with the scrape interval 15 s
/// (Grafana's default for a Prometheus datasource) unless given: four scrapes are the least a
/// `rate()` needs to survive one missed scrape, and adding the step makes consecutive points
/// overlap so no sample is skipped.
public struct TemplateContext: Sendable, Equatable {
    public var values: [String: TemplateValue]
    /// User `--var` names the dashboard does not declare (still substituted; worth a warning).
    public var undeclaredUserVariables: [String]

    public init(values: [String: TemplateValue], undeclaredUserVariables: [String] = []) {
        self.values = values
        self.undeclaredUserVariables = undeclaredUserVariables
    }

    public init(dashboard: GrafanaDashboard, userValues: [String: [String]] = [:], window: TimeWindow, scrapeInterval: Double = 15) {
        var values = Self.builtins(window: window, scrapeInterval: scrapeInterval, dashboardTitle: dashboard.title)
        let interval = values["__interval"] ?? .raw("15s")
        for variable in dashboard.variables where !variable.name.isEmpty {
            values[variable.name] = Self.value(of: variable, user: userValues[variable.name], interval: interval)
        }
        let declared = Set(dashboard.variables.map(\.name))
        var undeclared: [String] = []
        for (name, list) in userValues.sorted(by: { $0.key < $1.key }) where !declared.contains(name) {
            values[name] = Self.userValue(list)
            undeclared.append(name)
        }
        self.values = values
        self.undeclaredUserVariables = undeclared
    }

    /// The value of one declared variable: user's, else saved, else the kind's default.
    static func value(of variable: GrafanaVariable, user: [String]?, interval: TemplateValue) -> TemplateValue {
        if variable.type == .datasource { return .raw("") } // only ever names the datasource; we have one
        if variable.type == .adhoc { return .raw("") }
        if let user, !user.isEmpty {
            if user == ["$__all"] || user == ["All"] { return .all(variable.allValue ?? ".*") }
            return variable.type == .interval ? .raw(user[0]) : .values(user)
        }
        let saved = variable.current.filter { !$0.isEmpty }
        if saved.contains("$__all") { return .all(variable.allValue ?? ".*") }
        switch variable.type {
        case .constant:
            return .raw(variable.query ?? saved.first ?? "")
        case .interval:
            let chosen = saved.first ?? variable.listedOptions.first
            guard let chosen, !chosen.hasPrefix("$__auto") else { return interval }
            return .raw(chosen)
        case .custom, .textbox:
            if !saved.isEmpty { return .values(saved) }
            if variable.type == .custom, variable.includeAll, variable.listedOptions.isEmpty { return .all(variable.allValue ?? ".*") }
            if let first = variable.listedOptions.first { return .values(variable.type == .textbox ? [variable.query ?? first] : [first]) }
            return variable.includeAll ? .all(variable.allValue ?? ".*") : .unresolved
        default:
            if !saved.isEmpty { return .values(saved) }
            return variable.includeAll ? .all(variable.allValue ?? ".*") : .unresolved
        }
    }

    static func userValue(_ list: [String]) -> TemplateValue {
        list == ["$__all"] ? .all(".*") : .values(list)
    }

    /// Grafana's built-in variables for a window (`$__interval` is the query step).
    public static func builtins(window: TimeWindow, scrapeInterval: Double = 15, dashboardTitle: String = "") -> [String: TemplateValue] {
        let step = window.step
        let scrape = max(1, scrapeInterval)
        let rate = max(step + scrape, 4 * scrape)
        let range = window.duration
        return [
            "__interval": .raw(DurationParser.format(step)),
            "__interval_ms": .raw(String(Int64((step * 1000).rounded()))),
            "__rate_interval": .raw(DurationParser.format(rate)),
            "__rate_interval_ms": .raw(String(Int64((rate * 1000).rounded()))),
            "__range": .raw(DurationParser.format(range)),
            "__range_s": .raw(String(Int64(range.rounded()))),
            "__range_ms": .raw(String(Int64((range * 1000).rounded()))),
            "__from": .raw(String(Int64((window.start.timeIntervalSince1970 * 1000).rounded()))),
            "__to": .raw(String(Int64((window.end.timeIntervalSince1970 * 1000).rounded()))),
            "__dashboard": .values([dashboardTitle]),
        ]
    }

    /// Parses repeatable `--var name=value` flags; a name given twice collects several values
    /// (a multi-value selection). A leading `$` on the name is accepted.
    public static func parseAssignments(_ assignments: [String]) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for text in assignments {
            guard let eq = text.firstIndex(of: "=") else {
                throw PerfScopeError.invalidInput("invalid --var \"\(text)\": use name=value, e.g. --var job=etcd")
            }
            var name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("$") { name.removeFirst() }
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw PerfScopeError.invalidInput("invalid --var name in \"\(text)\": use letters, digits and _, e.g. --var job=etcd")
            }
            out[name, default: []].append(String(text[text.index(after: eq)...]))
        }
        return out
    }
}
