import Foundation
import Testing

/// The web UI in a real browser: a run stored by `perfscope analyze`, then `perfscope serve`
/// against the lab, driven through WebDriver (Selenium + chromedriver, headless Chromium) by
/// Tests/ui/check_ui.py — the tool list loads, a typed question streams its tool call, result
/// and a complete answer, an example's tool result is drawn as a table, the theme toggles, the
/// run history lists the run and its report draws SVG charts, the architecture page shows the
/// components. Screenshots go to .build/artifacts/ui-*.png for CI to keep.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil && Browser.path != nil
                && FileManager.default.isExecutableFile(atPath: Browser.driver)
                && (try? MCPClient.shell(["/usr/bin/env", "python3", "-c", "import selenium"]).status) == 0,
                "needs the built binary, the lab Prometheus, chromium, chromedriver and python3 with selenium"))
struct WebUIBrowserTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let script = tests.appendingPathComponent("ui/check_ui.py")
    static let artifacts = tests.deletingLastPathComponent().appendingPathComponent(".build/artifacts")

    @Test func theUIWorksInABrowser() throws {
        let prometheus = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""
        // Its own history file, so the run list holds the run stored here and nothing else's.
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-ui-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let analyze = try CLIRunner.run(["analyze", "--duration", "15m", "--prometheus", prometheus], environment: ["PERFSCOPE_DB": db])
        try #require(analyze.status == 0, "perfscope analyze: \(analyze.stderr.suffix(1000))")

        let server = try ServeProcess.start(prometheus: prometheus, environment: ["PERFSCOPE_DB": db])
        defer { server.stop() }
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let r = try MCPClient.shell(["/usr/bin/env", "python3", Self.script.path, "--url", "http://127.0.0.1:\(server.port)",
                                     "--chromium", Browser.path!, "--chromedriver", Browser.driver, "--screenshots", Self.artifacts.path,
                                     "--expect-conversations"])
        print(r.output.split(separator: "\n").filter { ["number ", "screenshot ", "table ", "report charts", "note:", "FAIL", "ui-check"].contains(where: $0.hasPrefix) }
            .joined(separator: "\n"))
        #expect(r.status == 0, "\(r.output.suffix(3000))")
    }
}

enum Browser {
    /// The WebDriver server for Chromium (Debian's chromium-driver package).
    static let driver = "/usr/bin/chromedriver"

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
