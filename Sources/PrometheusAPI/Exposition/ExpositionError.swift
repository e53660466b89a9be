import Foundation

/// A malformed exposition line: the 1-based line number and what was wrong, on one line, e.g.
/// `line 12: expected '=' after label name "job"`.
///
/// Match on ``kind`` (`error.kind == .invalidLabels`) or read ``label`` for the short fixed name.
public struct ExpositionError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The class of a failure, a struct over a private enum so new cases do not break callers.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Code: String, Sendable, Hashable {
            case invalidMetricName = "invalid_metric_name"
            case invalidLabels = "invalid_labels"
            case invalidValue = "invalid_value"
            case invalidTimestamp = "invalid_timestamp"
            case unexpectedText = "unexpected_text"
            case invalidMetadata = "invalid_metadata"
            case duplicateMetadata = "duplicate_metadata"
            case missingEOF = "missing_eof"
            case contentAfterEOF = "content_after_eof"
        }

        fileprivate let code: Code

        /// The line does not start with a valid metric name.
        public static let invalidMetricName = Kind(code: .invalidMetricName)
        /// The `{…}` label set is malformed, or names a label twice.
        public static let invalidLabels = Kind(code: .invalidLabels)
        /// The value is missing or is not a number.
        public static let invalidValue = Kind(code: .invalidValue)
        /// The timestamp is not a number of the format's kind, or is out of range.
        public static let invalidTimestamp = Kind(code: .invalidTimestamp)
        /// Something other than an exemplar follows the timestamp.
        public static let unexpectedText = Kind(code: .unexpectedText)
        /// A `# HELP`, `# TYPE` or `# UNIT` line is malformed (no name, unknown type …).
        public static let invalidMetadata = Kind(code: .invalidMetadata)
        /// A second `# HELP`/`# TYPE`/`# UNIT` for a family, or a `# TYPE` after its samples.
        public static let duplicateMetadata = Kind(code: .duplicateMetadata)
        /// OpenMetrics input without its final `# EOF` line (e.g. a truncated scrape).
        public static let missingEOF = Kind(code: .missingEOF)
        /// Something other than blank lines after OpenMetrics `# EOF`.
        public static let contentAfterEOF = Kind(code: .contentAfterEOF)

        public var description: String { code.rawValue }
    }

    public let kind: Kind
    /// 1-based line number of the offending line.
    public let line: Int
    /// What was wrong, without the line number.
    public let message: String

    init(_ kind: Kind, line: Int, _ message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    /// The short fixed label of the kind (`invalid_labels`, `missing_eof` …).
    public var label: String { kind.code.rawValue }

    public var description: String { "line \(line): \(message)" }
}

extension ExpositionError {
    /// Renders input bytes for an error message: at most `limit` bytes, control characters,
    /// quotes and backslashes escaped, invalid UTF-8 replaced, so the message stays one line.
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> String {
        let shown = UnsafeBufferPointer(rebasing: bytes.prefix(limit))
        var out = ""
        for scalar in String(decoding: shown, as: UTF8.self).unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return bytes.count > limit ? out + "…" : out
    }

    /// One character for a "found 'x'" message.
    static func describe(byte: UInt8) -> String {
        switch byte {
        case 0x20: "' '"
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }
}
