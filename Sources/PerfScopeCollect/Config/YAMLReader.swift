import Foundation
import PerfScopeCore
import Yams

/// Typed access to a parsed YAML mapping that remembers where it is (`file: key.path`), so every
/// catalog or config error names the file, the key, and what was expected.
struct YAMLReader {
    let file: String
    let path: String
    let map: [String: Any]

    init(file: String, path: String = "", map: [String: Any]) {
        self.file = file
        self.path = path
        // `key: ~` or `key:` means "not set".
        self.map = map.filter { !($0.value is NSNull) }
    }

    /// Parses a document whose root must be a mapping.
    static func root(text: String, file: String) throws -> YAMLReader {
        let value: Any?
        do {
            value = try Yams.load(yaml: text)
        } catch {
            let detail = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "syntax error"
            throw PerfScopeError.configuration("\(file): not valid YAML: \(detail)")
        }
        if value == nil { return YAMLReader(file: file, map: [:]) }
        guard let map = value as? [String: Any] else {
            throw PerfScopeError.configuration("\(file): expected a mapping of keys at the top level")
        }
        return YAMLReader(file: file, map: map)
    }

    func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }

    func fail(_ k: String, _ expected: String) -> PerfScopeError {
        .configuration("\(file): \(key(k)): \(expected)")
    }

    func string(_ k: String) throws -> String? {
        guard let v = map[k] else { return nil }
        switch v {
        case let s as String: return s
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        case let b as Bool: return String(b)
        default: throw fail(k, "expected a string")
        }
    }

    func requiredString(_ k: String) throws -> String {
        guard let s = try string(k), !s.isEmpty else { throw fail(k, "required, expected a non-empty string") }
        return s
    }

    func double(_ k: String) throws -> Double? {
        guard let v = map[k] else { return nil }
        // `.nan`, `.inf` and "1e400" are YAML numbers but no threshold or setting: refused.
        let number: Double? = switch v {
        case let d as Double: d
        case let i as Int: Double(i)
        case let s as String: Double(s)
        default: nil
        }
        guard let number else { throw fail(k, "expected a number") }
        guard let finite = CheckedNumber.finite(number) else { throw fail(k, "expected a number, not \(number)") }
        return finite
    }

    func int(_ k: String) throws -> Int? {
        guard let v = map[k] else { return nil }
        if let i = v as? Int { return i }
        throw fail(k, "expected an integer")
    }

    func bool(_ k: String) throws -> Bool? {
        guard let v = map[k] else { return nil }
        if let b = v as? Bool { return b }
        throw fail(k, "expected true or false")
    }

    func strings(_ k: String) throws -> [String]? {
        guard let v = map[k] else { return nil }
        if let s = v as? String { return [s] }
        guard let list = v as? [Any] else { throw fail(k, "expected a list of strings") }
        return try list.enumerated().map { i, item in
            guard let s = item as? String else { throw fail("\(k)[\(i)]", "expected a string") }
            return s
        }
    }

    func child(_ k: String) throws -> YAMLReader? {
        guard let v = map[k] else { return nil }
        guard let m = v as? [String: Any] else { throw fail(k, "expected a mapping of keys") }
        return YAMLReader(file: file, path: key(k), map: m)
    }

    func children(_ k: String) throws -> [YAMLReader]? {
        guard let v = map[k] else { return nil }
        guard let list = v as? [Any] else { throw fail(k, "expected a list") }
        return try list.enumerated().map { i, item in
            guard let m = item as? [String: Any] else { throw fail("\(k)[\(i)]", "expected a mapping of keys") }
            return YAMLReader(file: file, path: key("\(k)[\(i)]"), map: m)
        }
    }

    func stringMap(_ k: String) throws -> [String: String]? {
        guard let v = map[k] else { return nil }
        guard let m = v as? [String: Any] else { throw fail(k, "expected a mapping of names to strings") }
        var out: [String: String] = [:]
        for (name, value) in m {
            guard let s = value as? String ?? (value as? Int).map(String.init) else {
                throw fail("\(k).\(name)", "expected a string")
            }
            out[name] = s
        }
        return out
    }

    /// Rejects keys we do not know, so a typo (`tresholds`) is an error, not a silently ignored setting.
    func onlyKeys(_ allowed: Set<String>) throws {
        for k in map.keys where !allowed.contains(k) {
            throw fail(k, "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    func `enum`<E: RawRepresentable>(_ k: String, _ type: E.Type) throws -> E? where E.RawValue == String, E: CaseIterable {
        guard let s = try string(k) else { return nil }
        guard let e = E(rawValue: s) else {
            throw fail(k, "\"\(s)\" is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return e
    }
}
