/// Helpers for building PromQL safely from user input.
///
/// Every label value that comes from a user (an instance filter, a cluster name, a member from
/// a config file) goes through `escape` or `matcher`, so a quote or backslash in the value can
/// never change the query's meaning.
public enum PromQL {
    /// Escapes a string for use inside a PromQL string literal delimited by `quote` (`"` or `'`).
    public static func escape(_ value: String, quote: Unicode.Scalar = "\"") -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case quote: out += "\\" + String(quote)
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a string so it matches literally inside a regex matcher (`=~`), then for the string literal.
    public static func escapeRegex(_ value: String) -> String { escape(regexQuote(value)) }

    private static let regexSpecial: Set<Character> = [".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "|", "^", "$", "\\"]

    private static func regexQuote(_ value: String) -> String {
        var out = ""
        for c in value {
            if regexSpecial.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// `name="value"` with the value escaped. `op` is one of `=`, `!=`, `=~`, `!~`.
    public static func matcher(_ name: String, _ op: String = "=", _ value: String) -> String {
        "\(name)\(op)\"\(escape(value))\""
    }

    /// `instance=~"a|b|c"` matching exactly these values (regex-escaped), or nil for an empty list.
    public static func anyOf(_ name: String, _ values: [String]) -> String? {
        guard !values.isEmpty else { return nil }
        if values.count == 1 { return matcher(name, "=", values[0]) }
        let joined = values.map(regexQuote).joined(separator: "|")
        return "\(name)=~\"\(escape(joined))\""
    }

    /// Joins matcher fragments into the inside of a `{…}` selector, dropping empty ones.
    public static func joinMatchers(_ parts: [String?]) -> String {
        parts.compactMap { $0?.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// Checks that `text` looks like a list of label matchers (`a="b", c=~"d"`), the form the
    /// config's selectors must take. Returns a reason when it does not.
    public static func validateMatchers(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var i = 0
        func skipSpace() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        skipSpace()
        if i == bytes.count { return nil }
        while true {
            skipSpace()
            let nameStart = i
            while i < bytes.count, isNameByte(bytes[i], first: i == nameStart) { i += 1 }
            if i == nameStart { return "expected a label name at position \(i + 1)" }
            skipSpace()
            guard i < bytes.count else { return "expected an operator (=, !=, =~, !~) after the label name" }
            switch bytes[i] {
            case UInt8(ascii: "="):
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "~") { i += 1 }
            case UInt8(ascii: "!"):
                i += 1
                guard i < bytes.count, bytes[i] == UInt8(ascii: "=") || bytes[i] == UInt8(ascii: "~") else {
                    return "expected != or !~ at position \(i)"
                }
                i += 1
            default:
                return "expected an operator (=, !=, =~, !~) at position \(i + 1)"
            }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                return "expected a quoted value at position \(i + 1)"
            }
            let quote = bytes[i]
            i += 1
            var closed = false
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                if bytes[i] == quote { closed = true; i += 1; break }
                i += 1
            }
            if !closed { return "unterminated quoted value" }
            skipSpace()
            if i == bytes.count { return nil }
            guard bytes[i] == UInt8(ascii: ",") else { return "expected ',' between matchers at position \(i + 1)" }
            i += 1
            skipSpace()
            if i == bytes.count { return nil }
        }
    }

    /// A label name Prometheus accepts: `[a-zA-Z_][a-zA-Z0-9_]*`.
    public static func isValidLabelName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return !bytes.isEmpty && bytes.enumerated().allSatisfy { isNameByte($0.element, first: $0.offset == 0) }
    }

    private static func isNameByte(_ b: UInt8, first: Bool) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || (!first && b >= 0x30 && b <= 0x39)
    }
}
