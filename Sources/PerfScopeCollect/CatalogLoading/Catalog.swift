import Foundation
import PerfScopeCore

/// The metric catalog: every metric perfscope queries, loaded from the YAML resources shipped
/// with the binary (`etcd`, `disk`, `net`, `node`) or from a directory the user points at.
public struct Catalog: Sendable {
    public var metrics: [CatalogMetric]

    public init(metrics: [CatalogMetric]) { self.metrics = metrics }

    /// The groups, in the order reports present them.
    public static let groups = ["etcd", "disk", "net", "node"]

    /// Loads the built-in catalog (the YAML files bundled as resources).
    public static func builtIn() throws -> Catalog {
        guard let dir = Bundle.module.url(forResource: "Catalog", withExtension: nil) else {
            throw PerfScopeError.internal("the built-in metric catalog is missing from the install: reinstall perfscope or pass --catalog DIR")
        }
        return try load(directory: dir.path)
    }

    /// Loads `etcd.yaml`, `disk.yaml`, `net.yaml`, `node.yaml` (and any other `*.yaml`) from a directory.
    public static func load(directory: String) throws -> Catalog {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        } catch {
            throw PerfScopeError.configuration("cannot read catalog directory \(directory): check the path")
        }
        let ordered = files.sorted { a, b in
            let ia = groups.firstIndex(of: (a as NSString).deletingPathExtension) ?? groups.count
            let ib = groups.firstIndex(of: (b as NSString).deletingPathExtension) ?? groups.count
            return ia != ib ? ia < ib : a < b
        }
        var metrics: [CatalogMetric] = []
        for name in ordered {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw PerfScopeError.configuration("cannot read catalog file \(path)")
            }
            metrics += try CatalogParser.parse(text: text, file: path)
        }
        let catalog = Catalog(metrics: metrics)
        try catalog.validate()
        return catalog
    }

    /// Names must be unique across files.
    func validate() throws {
        var seen: [String: String] = [:]
        for m in metrics {
            if let other = seen[m.name] {
                throw PerfScopeError.configuration("catalog: metric \"\(m.name)\" is defined in both group \(other) and group \(m.group): names must be unique")
            }
            seen[m.name] = m.group
        }
    }

    public func metric(named name: String) -> CatalogMetric? { metrics.first { $0.name == name } }

    /// Where `name` is, or a configuration error naming the config `section` and the closest name.
    func index(of name: String, section: String) throws -> Int {
        guard let index = metrics.firstIndex(where: { $0.name == name }) else {
            let suggestion = metrics.map(\.name).min { a, b in a.distance(to: name) < b.distance(to: name) } ?? ""
            throw PerfScopeError.configuration("\(section).\(name): no such catalog metric (did you mean \(suggestion)? see perfscope catalog list)")
        }
        return index
    }

    /// Applies symptom-level overrides from the config (by metric name).
    public func applying(symptoms: [String: SymptomLevel]) throws -> Catalog {
        var copy = self
        for (name, level) in symptoms {
            copy.metrics[try index(of: name, section: "symptoms")].symptom = level
        }
        return copy
    }

    /// Applies threshold overrides from the config (by metric name).
    public func applying(overrides: [String: Thresholds]) throws -> Catalog {
        var copy = self
        for (name, override) in overrides {
            let index = try index(of: name, section: "thresholds")
            let base = copy.metrics[index].thresholds ?? Thresholds(direction: override.direction)
            let merged = base.merged(with: override)
            if let problem = merged.problem {
                throw PerfScopeError.configuration("thresholds.\(name): \(problem)")
            }
            copy.metrics[index].thresholds = merged
        }
        return copy
    }
}

extension String {
    /// Levenshtein distance, for "did you mean" hints.
    func distance(to other: String) -> Int {
        let a = Array(self), b = Array(other)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
