import Foundation
import PerfScopeCore

/// Finds and parses `perfscope.yaml`. The file is optional: with none, defaults apply.
public enum ConfigLoader {
    /// Looks at `explicitPath`, then `PERFSCOPE_CONFIG`, then `./perfscope.yaml`, then
    /// `$XDG_CONFIG_HOME/perfscope/perfscope.yaml` (or `~/.config/perfscope/perfscope.yaml`).
    /// An explicitly named file that does not exist is an error; a missing default is not.
    public static func load(explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PerfScopeConfig {
        if let path = explicitPath ?? environment["PERFSCOPE_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw PerfScopeError.configuration("config file \(path) does not exist: fix --config or PERFSCOPE_CONFIG")
            }
            return try load(path: path)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (home as NSString).appendingPathComponent(".config")
        for candidate in ["perfscope.yaml", (xdg as NSString).appendingPathComponent("perfscope/perfscope.yaml")]
        where FileManager.default.fileExists(atPath: candidate) {
            return try load(path: candidate)
        }
        return PerfScopeConfig()
    }

    public static func load(path: String) throws -> PerfScopeConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PerfScopeError.configuration("cannot read config file \(path): check the path and its permissions")
        }
        var config = try parse(text: text, file: path)
        config.file = path
        return config
    }

    public static func parse(text: String, file: String) throws -> PerfScopeConfig {
        let root = try YAMLReader.root(text: text, file: file)
        try root.onlyKeys(["cluster", "prometheus", "selectors", "thresholds", "symptoms", "members", "catalog", "fleet"])
        var config = PerfScopeConfig()
        config.cluster = try root.string("cluster")
        config.catalogDirectory = try root.string("catalog")
        if let p = try root.child("prometheus") {
            try p.onlyKeys(["url", "token", "tokenFile", "username", "password", "passwordFile", "caFile",
                            "insecureSkipVerify", "headers", "timeout", "concurrency"])
            config.prometheus.url = try p.string("url")
            config.prometheus.token = try p.string("token")
            config.prometheus.tokenFile = try p.string("tokenFile")
            config.prometheus.username = try p.string("username")
            config.prometheus.password = try p.string("password")
            config.prometheus.passwordFile = try p.string("passwordFile")
            config.prometheus.caFile = try p.string("caFile")
            config.prometheus.insecureSkipVerify = try p.bool("insecureSkipVerify")
            config.prometheus.headers = try p.stringMap("headers") ?? [:]
            if let timeout = try p.string("timeout") {
                do { _ = try DurationParser.seconds(timeout) } catch {
                    throw p.fail("timeout", "expected a duration like 30s or 2m, got \"\(timeout)\"")
                }
                config.prometheus.timeout = timeout
            }
            if let c = try p.int("concurrency") {
                guard (1...64).contains(c) else { throw p.fail("concurrency", "expected an integer from 1 to 64") }
                config.prometheus.concurrency = c
            }
            if config.prometheus.token != nil, config.prometheus.tokenFile != nil {
                throw p.fail("token", "set token or tokenFile, not both")
            }
        }
        if let s = try root.child("selectors") {
            try s.onlyKeys(["etcd", "node", "disk", "nic", "container"])
            for key in ["etcd", "node", "disk", "nic", "container"] {
                guard let value = try s.string(key) else { continue }
                let inner = stripBraces(value)
                if let problem = PromQL.validateMatchers(inner) {
                    throw s.fail(key, "expected label matchers like job=~\".*etcd.*\" (\(problem))")
                }
                switch key {
                case "etcd": config.selectors.etcd = inner
                case "node": config.selectors.node = inner
                case "disk": config.selectors.disk = inner
                case "container": config.selectors.container = inner
                default: config.selectors.nic = inner
                }
            }
        }
        if let t = try root.child("thresholds") {
            for name in t.map.keys.sorted() {
                guard let entry = try t.child(name) else { continue }
                config.thresholds[name] = try CatalogParser.parseThresholds(entry, requireLevel: false)
            }
        }
        if let t = try root.child("symptoms") {
            for name in t.map.keys.sorted() {
                guard let entry = try t.child(name) else { continue }
                config.symptoms[name] = try CatalogParser.parseSymptom(entry)
            }
        }
        config.members = try root.stringMap("members") ?? [:]
        if let f = try root.child("fleet") {
            try f.onlyKeys(["label", "clusters"])
            if let label = try f.string("label") {
                guard PromQL.isValidLabelName(label) else { throw f.fail("label", "expected a Prometheus label name like cluster") }
                config.fleet.label = label
            }
            config.fleet.clusters = try f.strings("clusters")
        }
        return config
    }

    /// Accepts `{job="etcd"}` as well as `job="etcd"`.
    static func stripBraces(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("{"), t.hasSuffix("}") {
            t = String(t.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return t
    }
}
