import Foundation

extension AlertRules {
    /// The Prometheus rule file (`groups:` → `rules:`), written by hand so the output is
    /// deterministic (groups and rules in catalog order, labels and annotations by key).
    /// Every string is a single-quoted YAML scalar: no escape sequences are interpreted, so
    /// PromQL regexes with backslashes and quotes survive as written (`'` is doubled).
    public static func prometheusYAML(_ groups: [AlertRuleGroup], header: String? = nil) -> String {
        var out = ""
        if let header {
            for line in header.split(separator: "\n", omittingEmptySubsequences: false) { out += "# \(line)\n" }
        }
        out += "groups:\n"
        for group in groups {
            out += "  - name: \(quoted(group.name))\n    rules:\n"
            for rule in group.rules {
                out += "      - alert: \(quoted(rule.alert))\n"
                out += "        expr: \(quoted(rule.expr))\n"
                out += "        for: \(rule.forDuration)\n"
                out += "        labels:\n"
                for (k, v) in rule.labels.sorted(by: { $0.key < $1.key }) { out += "          \(k): \(quoted(v))\n" }
                out += "        annotations:\n"
                for (k, v) in rule.annotations.sorted(by: { $0.key < $1.key }) { out += "          \(k): \(quoted(v))\n" }
            }
        }
        return out
    }

    /// A single-quoted YAML scalar on one line (line breaks become spaces).
    public static func quoted(_ s: String) -> String {
        let oneLine = s.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "'" + oneLine.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
