import Foundation
import PerfScopeCore

/// Expands catalog query placeholders (`$etcd`, `$node`, `$disk`, `$nic`, `$rate`).
///
/// Selector placeholders expand to label matchers inside the braces the query already has; an
/// empty selector leaves no stray comma behind (`x{$node, $disk}` with an empty node selector
/// becomes `x{device!~"…"}`).
public enum QueryTemplate {
    public static func expand(_ query: String, values: [String: String], rate: String) -> String {
        var all = values
        all["rate"] = rate
        var out = ""
        var i = query.startIndex
        while i < query.endIndex {
            let c = query[i]
            if c == "$" {
                let nameStart = query.index(after: i)
                let nameEnd = query[nameStart...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? query.endIndex
                let name = String(query[nameStart..<nameEnd])
                if let value = all[name] {
                    out += value
                    i = nameEnd
                    continue
                }
            }
            out.append(c)
            i = query.index(after: i)
        }
        return tidyMatchers(out)
    }

    /// Removes empty matcher slots left by empty selectors: `{, a}` → `{a}`, `{a, }` → `{a}`, `{ , }` → `{}`.
    static func tidyMatchers(_ q: String) -> String {
        var s = q
        var changed = true
        while changed {
            let before = s
            s = s.replacingOccurrences(of: "{, ", with: "{").replacingOccurrences(of: "{,", with: "{")
                .replacingOccurrences(of: ", }", with: "}").replacingOccurrences(of: ",}", with: "}")
                .replacingOccurrences(of: ", , ", with: ", ").replacingOccurrences(of: "{ }", with: "{}")
            changed = s != before
        }
        return s
    }
}
