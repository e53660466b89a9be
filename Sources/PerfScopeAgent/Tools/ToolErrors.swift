import Foundation
import PerfScopeCore

/// One place that turns any error into the one-line message and the HTTP status every front
/// end uses, so MCP, HTTP and the CLI say the same thing for the same failure.
public enum ToolErrors {
    public static func message(_ error: any Error) -> String {
        if let e = error as? any UserFacingError { return e.message }
        return "internal error: \(String(describing: error).split(whereSeparator: \.isNewline).first ?? "") — please report it"
    }

    public static func httpStatus(_ error: any Error) -> Int {
        guard let e = error as? any UserFacingError else { return 500 }
        return switch e.kind {
        case .invalidInput, .configuration: 400
        case .notFound: 404
        case .upstreamUnavailable: 502
        case .upstreamFailed: 502
        case .internal: 500
        case .busy: 503
        }
    }
}

/// The version every front end reports.
public enum PerfScopeVersion {
    public static let current = "0.2.0"
}
