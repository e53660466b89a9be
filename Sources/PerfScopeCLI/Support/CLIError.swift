import PerfScopeCore

/// CLI-level failures that are not input or upstream errors.
struct CLIError: UserFacingError {
    let kind: ErrorKind
    let message: String

    static func output(_ message: String) -> CLIError { CLIError(kind: .internal, message: message) }
}
