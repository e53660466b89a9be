import Foundation
import Testing

/// The official Python MCP SDK (`pip install mcp`, done by scripts/test) as an independent
/// client of `perfscope mcp` (stdio) and `perfscope serve` (/mcp): Tests/mcp/check_mcp.py.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil && MCPClient.available,
                "needs the built binary, the lab Prometheus and python3 with the mcp package"))
struct MCPClientLiveTests {
    @Test func pythonSDKOverStdioAndHTTP() throws {
        let r = try MCPClient.run()
        print(r.output.split(separator: "\n").filter { $0.hasPrefix("number ") || $0.hasPrefix("mcp-check") }.joined(separator: "\n"))
        #expect(r.status == 0, "\(r.output.suffix(4000))")
    }
}

enum MCPClient {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mcp/check_mcp.py")

    static var available: Bool {
        (try? shell(["/usr/bin/env", "python3", "-c", "import mcp"]).status) == 0
    }

    static func run() throws -> (status: Int32, output: String) {
        try shell(["/usr/bin/env", "python3", script.path, "--binary", CLIRunner.binary.path,
                   "--prometheus", ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""])
    }

    static func shell(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
