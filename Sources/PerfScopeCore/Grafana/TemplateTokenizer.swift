import Foundation

extension TemplateSubstitution {
    /// Splits an expression into code, variable references and quoted literals (with the
    /// references inside them), so each reference knows whether it sits in a string.
    enum Tokenizer {
        static func tokenize(_ expr: String) -> [Item] {
            let chars = Array(expr)
            var items: [Item] = []
            var code = ""
            var i = 0
            func flush() {
                if !code.isEmpty { items.append(.code(code)); code = "" }
            }
            while i < chars.count {
                let c = chars[i]
                if c == "\"" || c == "'" || c == "`" {
                    flush()
                    let (segments, next, closed) = literal(chars, from: i + 1, quote: c)
                    items.append(.literal(quote: c, segments: segments, closed: closed))
                    i = next
                } else if let (ref, next) = reference(chars, at: i) {
                    flush()
                    items.append(.ref(ref))
                    i = next
                } else {
                    code.append(c)
                    i += 1
                }
            }
            flush()
            return items
        }

        /// The inside of a literal starting at `start` (after the opening quote); returns the
        /// index after the closing quote.
        static func literal(_ chars: [Character], from start: Int, quote: Character) -> ([Segment], Int, Bool) {
            var segments: [Segment] = []
            var text = ""
            var i = start
            while i < chars.count {
                let c = chars[i]
                if c == "\\", quote != "`", i + 1 < chars.count {
                    text.append(c)
                    text.append(chars[i + 1])
                    i += 2
                    continue
                }
                if c == quote {
                    if !text.isEmpty { segments.append(.text(text)) }
                    return (segments, i + 1, true)
                }
                if let (ref, next) = reference(chars, at: i) {
                    if !text.isEmpty { segments.append(.text(text)); text = "" }
                    segments.append(.ref(ref))
                    i = next
                    continue
                }
                text.append(c)
                i += 1
            }
            if !text.isEmpty { segments.append(.text(text)) }
            return (segments, i, false)
        }

        static func isWord(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

        /// A `$name`, `${name[.field][:format]}` or `[[name[:format]]]` at `i`, and the index after it.
        static func reference(_ chars: [Character], at i: Int) -> (Ref, Int)? {
            if chars[i] == "$", i + 1 < chars.count {
                if chars[i + 1] == "{" {
                    guard let close = chars[(i + 2)...].firstIndex(of: "}") else { return nil }
                    let inner = String(chars[(i + 2)..<close])
                    var name = inner
                    var format: String?
                    if let colon = inner.firstIndex(of: ":") {
                        name = String(inner[..<colon])
                        format = String(inner[inner.index(after: colon)...])
                    }
                    if let dot = name.firstIndex(of: ".") { name = String(name[..<dot]) } // ${var.field}
                    guard !name.isEmpty, name.allSatisfy(isWord) else { return nil }
                    return (Ref(name: name, format: format, original: String(chars[i...close])), close + 1)
                }
                var j = i + 1
                while j < chars.count, isWord(chars[j]) { j += 1 }
                guard j > i + 1 else { return nil }
                return (Ref(name: String(chars[(i + 1)..<j]), format: nil, original: String(chars[i..<j])), j)
            }
            if chars[i] == "[", i + 1 < chars.count, chars[i + 1] == "[" {
                var j = i + 2
                while j < chars.count, isWord(chars[j]) { j += 1 }
                guard j > i + 2 else { return nil }
                let name = String(chars[(i + 2)..<j])
                var format: String?
                if j < chars.count, chars[j] == ":" {
                    var k = j + 1
                    while k < chars.count, isWord(chars[k]) { k += 1 }
                    format = String(chars[(j + 1)..<k])
                    j = k
                }
                guard j + 1 < chars.count, chars[j] == "]", chars[j + 1] == "]" else { return nil }
                return (Ref(name: name, format: format, original: String(chars[i...(j + 1)])), j + 2)
            }
            return nil
        }
    }

    /// Grafana's variable formats (`${var:format}`), applied to the selected values.
    enum Formats {
        /// The formatted text, or nil for a format perfscope does not know (then the default applies).
        static func apply(_ format: String, _ list: [String]) -> String? {
            switch format.lowercased() {
            case "regex":
                let quoted = list.map(Escaping.regexQuote)
                return quoted.count == 1 ? quoted[0] : "(" + quoted.joined(separator: "|") + ")"
            case "pipe": return list.joined(separator: "|")
            case "csv", "raw", "distributed": return list.joined(separator: ",")
            case "glob": return list.count == 1 ? list[0] : "{" + list.joined(separator: ",") + "}"
            case "json":
                let data = (try? JSONSerialization.data(withJSONObject: list, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
                return String(decoding: data, as: UTF8.self)
            case "doublequote": return list.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",")
            case "singlequote": return list.map { "'" + $0.replacingOccurrences(of: "'", with: "\\'") + "'" }.joined(separator: ",")
            case "sqlstring": return list.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",")
            case "text": return list.joined(separator: " + ")
            case "lucene":
                let quoted = list.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
                return quoted.count == 1 ? quoted[0] : "(" + quoted.joined(separator: " OR ") + ")"
            case "percentencode":
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._~")
                let joined = list.count == 1 ? list[0] : "{" + list.joined(separator: ",") + "}"
                return joined.addingPercentEncoding(withAllowedCharacters: allowed) ?? joined
            default: return nil
            }
        }
    }
}
