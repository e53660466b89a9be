import Foundation
import Logging
import PerfScopeCore

/// Where a dashboard comes from: a JSON file on disk (bare model or the API's envelope), or a
/// UID fetched from Grafana. A path that exists as a file is a file; anything else is a UID.
public enum GrafanaDashboardSource: Sendable, Equatable {
    case file(String)
    case uid(String)

    public init(_ argument: String) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), !isDirectory.boolValue {
            self = .file(argument)
        } else {
            self = .uid(argument)
        }
    }

    /// How the source is named in reports: the file path, or `uid X at URL`.
    public func origin(grafana: GrafanaConfiguration?) -> String {
        switch self {
        case .file(let path): path
        case .uid(let uid): "uid \(uid) at \(grafana?.redactedURL ?? "Grafana")"
        }
    }

    /// Reads the dashboard. A UID needs `grafana` (else a one-line usage error).
    public func load(grafana: GrafanaConfiguration?, logger: Logger = Logger(label: "perfscope.grafana")) async throws -> GrafanaDashboard {
        switch self {
        case .file(let path):
            return try Self.loadFile(path)
        case .uid(let uid):
            guard let grafana else { throw GrafanaError.missingURL(uid: uid) }
            return try await GrafanaClient.withClient(grafana, logger: logger) { try await $0.dashboard(uid: uid) }
        }
    }

    public static func loadFile(_ path: String) throws -> GrafanaDashboard {
        guard let data = FileManager.default.contents(atPath: path) else { throw GrafanaError.unreadableFile(path) }
        return try GrafanaDashboard.parse(data, source: path)
    }
}
