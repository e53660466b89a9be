import Foundation

/// Which exposition format to read.
public enum ExpositionFormat: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Prometheus text format 0.0.4: timestamps are integer milliseconds, no `# EOF`.
    case text
    /// OpenMetrics 1.0 text: timestamps are float seconds, the input must end with `# EOF`.
    case openMetrics
    /// OpenMetrics when the input ends with a `# EOF` line, otherwise 0.0.4 text.
    case auto

    /// The format for a `Content-Type` header: `application/openmetrics-text…` is
    /// ``openMetrics``, `text/plain…` is ``text``; anything else, or no header, is ``auto``.
    public init(contentType: String?) {
        guard let contentType else {
            self = .auto
            return
        }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            .first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/openmetrics-text": self = .openMetrics
        case "text/plain": self = .text
        default: self = .auto
        }
    }

    /// An `Accept` header asking for OpenMetrics first, then 0.0.4 text (what Prometheus sends,
    /// less protobuf).
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    public var description: String {
        switch self {
        case .text: "text"
        case .openMetrics: "openmetrics"
        case .auto: "auto"
        }
    }
}
