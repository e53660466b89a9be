import ArgumentParser
import Foundation
import PerfScopeCore

/// The bearer token of `perfscope serve`: the server requires it, `perfscope chat --server` sends it.
/// A file (not a flag value) so the token stays out of shell history and `ps`.
struct ServerTokenOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("File holding the server's bearer token (env PERFSCOPE_SERVER_TOKEN).", valueName: "path"))
    var serverTokenFile: String?

    func token(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let tokenFile = serverTokenFile {
            guard let text = FileManager.default.contents(atPath: tokenFile).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw PerfScopeError.configuration("cannot read --server-token-file \(tokenFile): check the path and its permissions")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if token.isEmpty { throw PerfScopeError.configuration("--server-token-file \(tokenFile) is empty: put the token in it") }
            return token
        }
        return environment["PERFSCOPE_SERVER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
