import PerfScopeCore

/// Parses one catalog YAML file into metrics, checking every field and naming the file and key
/// of anything wrong.
enum CatalogParser {
    static let metricKeys: Set<String> = [
        "name", "subsystem", "title", "description", "query", "unit", "labels", "statistic", "thresholds",
        "category", "requires", "emptyIsHealthy", "minRate", "cost", "hides", "reference", "cause", "action", "investigate", "fix", "use",
        "symptom",
    ]
    static let placeholders = ["$etcd", "$node", "$disk", "$nic", "$container", "$rate"]

    static func parse(text: String, file: String) throws -> [CatalogMetric] {
        let root = try YAMLReader.root(text: text, file: file)
        try root.onlyKeys(["group", "metrics"])
        let group = try root.requiredString("group")
        guard let entries = try root.children("metrics"), !entries.isEmpty else {
            throw root.fail("metrics", "required, expected a list of metrics")
        }
        return try entries.map { try metric($0, group: group) }
    }

    static func metric(_ r: YAMLReader, group: String) throws -> CatalogMetric {
        try r.onlyKeys(metricKeys)
        let name = try r.requiredString("name")
        guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), name.first?.isLetter == true else {
            throw r.fail("name", "\"\(name)\" must be snake_case (lowercase letters, digits, _)")
        }
        let query = try r.requiredString("query")
        try checkPlaceholders(query, r)
        guard let unit = try r.enum("unit", MetricUnit.self) else { throw r.fail("unit", "required: one of \(MetricUnit.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard let category = try r.enum("category", Category.self) else { throw r.fail("category", "required: one of \(Category.allCases.map(\.rawValue).joined(separator: ", "))") }
        var minRate: Double?
        if let text = try r.string("minRate") {
            do { minRate = try DurationParser.seconds(text) } catch { throw r.fail("minRate", "expected a duration like 5m, got \"\(text)\"") }
        }
        var thresholds: Thresholds?
        if let t = try r.child("thresholds") {
            thresholds = try parseThresholds(t)
        }
        var metric = CatalogMetric(
            name: name, group: group,
            subsystem: try r.requiredString("subsystem"),
            title: try r.requiredString("title"),
            description: try r.requiredString("description"),
            query: query, unit: unit,
            labels: try r.strings("labels") ?? ["instance"],
            statistic: try r.enum("statistic", WindowStatistic.self) ?? .avg,
            thresholds: thresholds, category: category,
            requires: try r.strings("requires") ?? [],
            emptyIsHealthy: try r.bool("emptyIsHealthy") ?? false,
            hides: try r.requiredString("hides"),
            reference: try r.requiredString("reference"),
            cause: try r.string("cause"), action: try r.string("action"),
            investigate: try r.strings("investigate"), fix: try r.string("fix"))
        metric.minRate = minRate
        if let sym = try r.child("symptom") {
            metric.symptom = try parseSymptom(sym)
        }
        if let text = try r.string("use") {
            guard let placement = USEPlacement(text: text) else {
                throw r.fail("use", "\"\(text)\" is not resource/dimension (resource: cpu, memory, disk, network; dimension: utilisation, saturation, errors)")
            }
            metric.use = placement
        }
        switch try r.string("cost") {
        case nil, "normal": break
        case "high": metric.expensive = true
        case let other?: throw r.fail("cost", "\"\(other)\" is not one of normal, high")
        }
        return metric
    }

    /// Parses `{direction, low, medium, high, critical}`; used for the catalog and config overrides.
    static func parseThresholds(_ t: YAMLReader, requireLevel: Bool = true) throws -> Thresholds {
        try t.onlyKeys(["direction", "low", "medium", "high", "critical"])
        // An override without `direction` keeps the catalog's (see Thresholds.merged).
        let explicit = try t.enum("direction", Thresholds.Direction.self)
        var result = Thresholds(
            direction: explicit ?? .above,
            low: try t.double("low"), medium: try t.double("medium"),
            high: try t.double("high"), critical: try t.double("critical"))
        result.directionIsExplicit = explicit != nil
        if requireLevel, let problem = result.problem {
            throw PerfScopeError.configuration("\(t.file): \(t.path): \(problem)")
        }
        return result
    }

    /// Parses `{level, rise}` (rise above 1, optional); used for the catalog and config overrides.
    static func parseSymptom(_ t: YAMLReader) throws -> SymptomLevel {
        try t.onlyKeys(["level", "rise"])
        guard let level = try t.double("level"), level.isFinite else { throw t.fail("level", "required: the value that makes a symptom") }
        let rise = try t.double("rise")
        if let rise, !(rise.isFinite && rise > 1) { throw t.fail("rise", "expected a factor above 1, e.g. 3") }
        return SymptomLevel(level: level, rise: rise)
    }

    /// Every `$word` in a query must be a known placeholder.
    static func checkPlaceholders(_ query: String, _ r: YAMLReader) throws {
        var rest = Substring(query)
        while let dollar = rest.firstIndex(of: "$") {
            let after = rest[rest.index(after: dollar)...]
            let word = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !placeholders.contains("$" + word) {
                throw r.fail("query", "unknown placeholder $\(word); use \(placeholders.joined(separator: ", "))")
            }
            rest = after.dropFirst(word.count)
        }
    }
}
