import Foundation

/// Replaces Grafana template variables in a PromQL expression, knowing where each one lands.
///
/// Recognised forms are Grafana's: `$var`, `${var}`, `${var:format}` (`regex`, `pipe`, `csv`,
/// `raw`, `glob`, `json`, `doublequote`, `singlequote`, `sqlstring`, `text`, `lucene`,
/// `percentencode`, `queryparam`) and the deprecated `[[var]]`/`[[var:format]]`. Names are read
/// greedily (`\w+`), so `$cluster` never eats the front of `$cluster_name`: the longest name
/// wins by construction.
///
/// Values are escaped for their place, so a hostile `--var` cannot change a query's meaning:
/// - inside a quoted label value after `=~`/`!~`: regex-quoted, several values as `(a|b)`;
/// - after `=`/`!=`: a single value is string-escaped; several values (or "All") turn the
///   matcher into `=~`/`!~` with the regex form, as a multi-value selection needs;
/// - every value in any literal is escaped for that literal's quote, so it cannot close it;
/// - outside quotes only plain tokens (letters, digits, `_ : . , -` and spaces) are accepted.
public enum TemplateSubstitution {
    public struct Result: Sendable, Equatable {
        public var text: String
        /// Variables with no value that could not be given a safe default (pass `--var`).
        public var unresolved: [String]
        /// `$names` that are neither declared nor built in (left as written).
        public var unknown: [String]
    }

    public static func substitute(_ expr: String, context: TemplateContext) throws -> Result {
        var renderer = Renderer(context: context)
        for item in Tokenizer.tokenize(expr) {
            switch item {
            case .code(let text): renderer.out += text
            case .ref(let ref): try renderer.outside(ref)
            case .literal(let quote, let segments, let closed): try renderer.literal(quote: quote, segments: segments, closed: closed)
            }
        }
        return Result(text: renderer.out, unresolved: renderer.unresolved, unknown: renderer.unknown)
    }

    struct Ref: Equatable {
        var name: String
        var format: String?
        var original: String
    }

    enum Segment: Equatable {
        case text(String)
        case ref(Ref)
    }

    enum Item: Equatable {
        case code(String)
        case ref(Ref)
        case literal(quote: Character, segments: [Segment], closed: Bool)
    }

    private struct Renderer {
        let context: TemplateContext
        var out = ""
        var unresolved: [String] = []
        var unknown: [String] = []

        mutating func note(_ name: String, unresolved isUnresolved: Bool) {
            if isUnresolved {
                if !unresolved.contains(name) { unresolved.append(name) }
            } else if !name.allSatisfy(\.isNumber), !unknown.contains(name) {
                unknown.append(name) // `$1` in label_replace is a regex group, not a variable
            }
        }

        /// A variable in code (a range `[$__rate_interval]`, `by ($label)`, a number).
        mutating func outside(_ ref: Ref) throws {
            switch context.values[ref.name] {
            case nil: note(ref.name, unresolved: false); out += ref.original
            case .unresolved?: note(ref.name, unresolved: true); out += ref.original
            case .raw(let s)?, .all(let s)?: out += s
            case .values(let list)?:
                let text = ref.format.flatMap { Formats.apply($0, list) } ?? list.joined(separator: ",")
                guard text.allSatisfy(Self.isPlainTokenCharacter) else {
                    throw PerfScopeError.invalidInput(
                        "value \"\(text.prefix(60))\" of $\(ref.name) is used outside a quoted label value: only letters, digits, _ : . , - are allowed there")
                }
                out += text
            }
        }

        static func isPlainTokenCharacter(_ c: Character) -> Bool {
            c.isASCII && (c.isLetter || c.isNumber || "_:.,- ".contains(c))
        }

        /// A quoted string, with the matcher operator before it (if any) rewritten when needed.
        mutating func literal(quote: Character, segments: [Segment], closed: Bool) throws {
            let op = MatcherOperator.trailing(out)
            let needsRegex = segments.contains { segment in
                guard case .ref(let ref) = segment, ref.format == nil else { return false }
                switch context.values[ref.name] {
                case .values(let list)?: return list.count > 1
                case .all?, .unresolved?: return true
                default: return false
                }
            }
            var regex = op?.isRegex ?? false
            if let op, !op.isRegex, needsRegex {
                out = op.rewritten(out)
                regex = true
            }
            out.append(quote)
            for segment in segments {
                switch segment {
                case .text(let text):
                    // Literal text next to a variable in a matcher that just became a regex must match literally.
                    out += regex && !(op?.isRegex ?? false) ? Escaping.regexQuoteSource(text, quote: quote) : text
                case .ref(let ref):
                    try inLiteral(ref, quote: quote, regex: regex, matcher: op != nil)
                }
            }
            if closed { out.append(quote) }
        }

        mutating func inLiteral(_ ref: Ref, quote: Character, regex: Bool, matcher: Bool) throws {
            switch context.values[ref.name] {
            case nil:
                note(ref.name, unresolved: false)
                out += ref.original
            case .unresolved?:
                guard matcher else { note(ref.name, unresolved: true); out += ref.original; return }
                out += ".+"
            case .raw(let s)?, .all(let s)?:
                out += s
            case .values(let list)?:
                let logical: String
                if let format = ref.format, let formatted = Formats.apply(format, list) {
                    logical = formatted
                } else if regex || list.count > 1 {
                    let quoted = list.map(Escaping.regexQuote)
                    logical = quoted.count == 1 ? quoted[0] : "(" + quoted.joined(separator: "|") + ")"
                } else {
                    logical = list.first ?? ""
                }
                out += try Escaping.forLiteral(logical, quote: quote, variable: ref.name)
            }
        }
    }
}

/// A label-matcher operator just before a quoted value.
enum MatcherOperator: String {
    case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~"

    var isRegex: Bool { self == .regex || self == .notRegex }

    /// The operator ending `text` (ignoring spaces), if any; `==`, `<=`, `>=` are comparisons.
    static func trailing(_ text: String) -> MatcherOperator? {
        let trimmed = text.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        let last2 = String(trimmed.prefix(2).reversed())
        if last2 == "=~" { return .regex }
        if last2 == "!~" { return .notRegex }
        if last2 == "!=" { return .notEqual }
        if trimmed.first == "=", !["=", "<", ">"].contains(trimmed.dropFirst().first ?? " ") { return .equal }
        return nil
    }

    /// `text` with this (equality) operator at its end replaced by the regex one.
    func rewritten(_ text: String) -> String {
        var s = text
        var trailing = ""
        while let last = s.last, last == " " || last == "\t" || last == "\n" { trailing.insert(s.removeLast(), at: trailing.startIndex) }
        s.removeLast(rawValue.count)
        return s + (self == .equal ? "=~" : "!~") + trailing
    }
}

/// Escaping of values for PromQL literals and regexes.
enum Escaping {
    static let regexSpecial: Set<Character> = [".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "|", "^", "$", "\\"]

    /// A value quoted so RE2 matches it literally (before string escaping).
    static func regexQuote(_ value: String) -> String {
        var out = ""
        for c in value {
            if regexSpecial.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// A logical string written inside a PromQL literal delimited by `quote`.
    static func forLiteral(_ value: String, quote: Character, variable: String) throws -> String {
        switch quote {
        case "\"": return PromQL.escape(value)
        case "'": return PromQL.escape(value, quote: "'")
        default:
            // Raw (backtick) strings have no escapes: a value holding a backtick cannot be written safely.
            guard !value.contains("`") else {
                throw PerfScopeError.invalidInput("value of $\(variable) contains a backquote, which cannot appear in a `raw` PromQL string: remove it")
            }
            return value
        }
    }

    /// Source text of a literal made to match literally as a regex: regex specials get an
    /// escaped backslash; existing escape pairs are kept.
    static func regexQuoteSource(_ source: String, quote: Character) -> String {
        let backslash = quote == "`" ? "\\" : "\\\\"
        var out = ""
        var escaped = false
        for c in source {
            if escaped { out.append(c); escaped = false; continue }
            if c == "\\", quote != "`" { out.append(c); escaped = true; continue }
            if regexSpecial.contains(c) { out += backslash }
            out.append(c)
        }
        return out
    }
}
