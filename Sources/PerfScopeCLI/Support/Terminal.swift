import Foundation
import PerfScopeCore

/// stderr output and TTY checks: colour and progress only when a person is watching.
enum Terminal {
    static func error(_ message: String) {
        errorRaw("perfscope: error: \(message)")
    }

    static func warning(_ message: String) {
        errorRaw("perfscope: warning: \(message)")
    }

    /// Every line to stderr: what came from outside (a label, a target's error, an LLM) cannot
    /// send escape sequences to the terminal.
    static func errorRaw(_ message: String) {
        let clean = TerminalText.sanitize(message)
        FileHandle.standardError.write(Data((clean.hasSuffix("\n") ? clean : clean + "\n").utf8))
    }

    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour when stdout is a terminal and NO_COLOR is unset.
    static var useColor: Bool { stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    /// A one-line progress indicator on stderr, redrawn in place; silent when stderr is not a TTY.
    static func progress(_ label: String, done: Int, total: Int) {
        guard stderrIsTTY else { return }
        let line = "\r\(label) \(done)/\(total)"
        FileHandle.standardError.write(Data((done == total ? line + "\r\u{1B}[K" : line).utf8))
    }

    /// Writes to `path`, or stdout when nil, without escape sequences but the renderer's colours.
    static func write(_ text: String, to path: String?) throws {
        let text = TerminalText.sanitize(text, keepingSGR: TextRenderer.sgrCodes)
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError.output("cannot write \(path): check the directory exists and is writable")
        }
    }
}

/// Every `print` of the CLI (it shadows `Swift.print` in this module): target errors, instance
/// names and other outside text printed by `doctor`, `connect` and the rest reach the terminal
/// without escape sequences or control characters.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.sanitize(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
