import Foundation

/// A stand-in server written in Python (Tests/kube, Tests/llm) started for one test: it prints
/// its port on the first line; `stop()` kills it by PID with SIGKILL (the test runner's children
/// inherit a blocked SIGTERM).
struct PythonServer {
    let process: Process
    let port: Int

    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }

    static func start(_ script: String, _ arguments: [String]) throws -> PythonServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [testsDirectory.appendingPathComponent(script).path] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        guard let port = Int(firstLine(out.fileHandleForReading).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw CancellationError()
        }
        return PythonServer(process: process, port: port)
    }

    /// What a child wrote up to its first newline (or until it closed the pipe).
    static func firstLine(_ handle: FileHandle) -> String {
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        return String(decoding: line, as: UTF8.self)
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
