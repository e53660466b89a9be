import Foundation
import Testing

/// The web UI in a real browser: `perfscope serve` against the lab, headless Chromium driven
/// over the DevTools protocol by Tests/ui/check_ui.py — the tool list loads, a typed question
/// streams its tool call, result and a complete answer, an example button asks too.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil && Browser.path != nil
                && (try? MCPClient.shell(["/usr/bin/env", "python3", "-c", "import websockets"]).status) == 0,
                "needs the built binary, the lab Prometheus, chromium and python3 with websockets"))
struct WebUIBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ui/check_ui.py")

    @Test func askingInTheBrowserStreamsAnAnswer() throws {
        let server = try ServeProcess.start(prometheus: ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? "")
        defer { server.stop() }
        let r = try MCPClient.shell(["/usr/bin/env", "python3", Self.script.path, "--chromium", Browser.path!,
                                     "--url", "http://127.0.0.1:\(server.port)", "--screenshot", FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-ui.png").path])
        print(r.output.split(separator: "\n").filter { $0.hasPrefix("number ") || $0.hasPrefix("ui-check") }.joined(separator: "\n"))
        #expect(r.status == 0, "\(r.output.suffix(3000))")
    }
}

enum Browser {
    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// `perfscope serve --port 0` started for a test, stopped by PID.
struct ServeProcess {
    let process: Process
    let port: Int

    static func start(prometheus: String, extra: [String] = [], environment: [String: String] = [:]) throws -> ServeProcess {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["serve", "--port", "0", "--prometheus", prometheus] + extra
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = PythonServer.firstLine(err.fileHandleForReading)
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last ?? "") else {
            process.terminate()
            throw CancellationError()
        }
        return ServeProcess(process: process, port: port)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
