/// Escaping for every kind of markup perfscope writes, one Unicode scalar at a time.
///
/// Escaping per `Character` (grapheme cluster) misses markup: a prepended concatenation mark
/// such as U+0600, a combining mark, a ZWJ or a variation selector glues itself to the `<`
/// beside it, the cluster is no longer equal to `"<"`, and `"\u{0600}<img …>"` came out as a
/// live tag. Scalars cannot combine, so each `<` is seen.
public enum Markup {
    /// HTML and SVG text and attribute values: `& < > " '` as entities.
    public static func html(_ s: String) -> String {
        escape(s) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            default: nil
            }
        }
    }

    /// Text in a Markdown document or table cell: no raw HTML (`< > &` as entities), no table
    /// break (`|`, newlines), no link, image or code syntax (`[ ] \``), no escape left dangling
    /// (`\`), no control characters.
    public static func markdown(_ s: String) -> String {
        escape(s) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\\", "|", "`", "[", "]": "\\" + String(scalar)
            case "\n", "\r", "\t": " "
            default: TerminalText.isControl(scalar) ? "" : nil
            }
        }
    }

    /// Each scalar replaced by what `replacement` says (nil: kept as it is): the one loop every
    /// escaper here (and Slack's in the notifier) is written with.
    public static func escape(_ s: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(s.unicodeScalars.count)
        for scalar in s.unicodeScalars {
            if let r = replacement(scalar) { out.append(contentsOf: r.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// The inside of a Markdown code span: no backtick to close it, one line.
    public static func markdownCode(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
            switch scalar {
            case "`": "'"
            case "\n", "\r", "\t": " "
            default: TerminalText.isControl(scalar) ? nil : scalar
            }
        }))
    }
}

/// Text from outside (label values, dashboard titles, an LLM's answer) made safe for a
/// terminal: ANSI escape sequences and other control characters are removed, so a label
/// cannot move the cursor, clear the screen, retitle the window or hide a line.
public enum TerminalText {
    /// C0 controls but newline and tab, DEL, C1 controls (U+0080–U+009F, 8-bit CSI among them),
    /// and the bidirectional overrides and isolates that reorder what a line shows.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x08, 0x0B...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Removes escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \`, and two-byte
    /// `ESC x`) and every other control character but newline, tab and the CR of a CRLF (CSV
    /// lines end so); a lone CR, which lets a line overwrite itself, goes. `keepingSGR`: colour
    /// codes perfscope itself writes (`"1;31"` for `ESC[1;31m`), kept.
    public static func sanitize(_ s: String, keepingSGR: Set<String> = []) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            i += 1
            if scalar == "\r", i < scalars.count, scalars[i] == "\n" {
                out.append(scalar)
                continue
            }
            guard scalar == "\u{1B}" else {
                if !isControl(scalar) { out.append(scalar) }
                continue
            }
            guard i < scalars.count else { break }
            let kind = scalars[i]
            i += 1
            switch kind {
            case "[":  // CSI: parameters and intermediates, then one final byte in @…~
                let start = i
                while i < scalars.count, !(0x40...0x7E).contains(scalars[i].value) { i += 1 }
                guard i < scalars.count else { break }
                let parameters = String(String.UnicodeScalarView(scalars[start..<i]))
                if scalars[i] == "m", keepingSGR.contains(parameters) {
                    out.append(contentsOf: "\u{1B}[\(parameters)m".unicodeScalars)
                }
                i += 1
            case "]", "P", "X", "^", "_":  // OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \)
                while i < scalars.count {
                    let c = scalars[i]
                    i += 1
                    if c == "\u{07}" { break }
                    if c == "\u{1B}" { i += 1; break }
                }
            default: break  // ESC and one more: dropped together
            }
        }
        return String(out)
    }
}
