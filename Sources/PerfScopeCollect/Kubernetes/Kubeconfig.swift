import Foundation
import Yams

/// A kubeconfig file (`~/.kube/config`, `KUBECONFIG`), read without running anything: clusters,
/// users and contexts. `exec` and `auth-provider` users are recognised and reported as
/// unsupported (perfscope never runs a credential plugin): pass a token instead.
public struct Kubeconfig: Sendable, Equatable {
    public struct Cluster: Sendable, Equatable {
        public var name: String
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: Data?
        public var insecureSkipTLSVerify: Bool
    }

    public struct User: Sendable, Equatable {
        public var name: String
        public var clientCertificate: String?
        public var clientCertificateData: Data?
        public var clientKey: String?
        public var clientKeyData: Data?
        public var token: String?
        public var tokenFile: String?
        /// `exec` or `auth-provider (name)` when the user relies on a credential plugin.
        public var unsupportedMechanism: String?
    }

    public struct Context: Sendable, Equatable {
        public var name: String
        public var cluster: String
        public var user: String
        public var namespace: String?
    }

    public var clusters: [Cluster]
    public var users: [User]
    public var contexts: [Context]
    public var currentContext: String?
    /// The file's directory: relative certificate and token paths resolve against it.
    public var directory: String

    /// The kubeconfig path to use: `--kubeconfig`, else the first entry of `KUBECONFIG`, else `~/.kube/config`.
    public static func defaultPath(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first(where: { !$0.isEmpty }) {
            return String(first)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".kube/config")
    }

    /// Every kubeconfig to merge: `--kubeconfig`, else each entry of `KUBECONFIG` (colon-separated,
    /// as kubectl reads it), else `~/.kube/config`.
    public static func defaultPaths(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let explicit, !explicit.isEmpty { return [explicit] }
        if let list = environment["KUBECONFIG"] {
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            if !paths.isEmpty { return paths }
        }
        return [defaultPath(explicit: nil, environment: environment)]
    }

    /// Loads and merges `paths` the way kubectl merges `KUBECONFIG`: files that do not exist are
    /// skipped (one must exist), the first file to define a cluster, user or context name wins,
    /// and so does the first `current-context`.
    public static func load(paths: [String]) throws -> Kubeconfig {
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        guard !existing.isEmpty else { throw KubernetesError.noKubeconfig(paths.first ?? "~/.kube/config") }
        let configs = try existing.map { try load(path: $0) }
        return merged(configs)
    }

    public static func merged(_ configs: [Kubeconfig]) -> Kubeconfig {
        guard var out = configs.first else { return Kubeconfig(clusters: [], users: [], contexts: [], currentContext: nil, directory: ".") }
        for next in configs.dropFirst() {
            out.clusters += next.clusters.filter { c in !out.clusters.contains { $0.name == c.name } }
            out.users += next.users.filter { u in !out.users.contains { $0.name == u.name } }
            out.contexts += next.contexts.filter { c in !out.contexts.contains { $0.name == c.name } }
            if out.currentContext == nil { out.currentContext = next.currentContext }
        }
        return out
    }

    public static func load(path: String) throws -> Kubeconfig {
        guard FileManager.default.fileExists(atPath: path) else { throw KubernetesError.noKubeconfig(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubernetesError.configuration("cannot read kubeconfig \(path): check its permissions")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String = "kubeconfig") throws -> Kubeconfig {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw KubernetesError.configuration("kubeconfig \(path) is not valid YAML: \(KubernetesError.oneLine(String(describing: error)).prefix(120))")
        }
        guard let top = root as? [String: Any] else { throw KubernetesError.configuration("kubeconfig \(path) is not a YAML mapping") }
        func entries(_ key: String, _ inner: String) -> [(String, [String: Any])] {
            (top[key] as? [Any] ?? []).compactMap { item in
                guard let map = item as? [String: Any], let name = map["name"].map({ "\($0)" }) else { return nil }
                return (name, map[inner] as? [String: Any] ?? [:])
            }
        }
        func string(_ map: [String: Any], _ key: String) -> String? {
            guard let value = map[key] else { return nil }
            let s = "\(value)"
            return s.isEmpty ? nil : s
        }
        func base64(_ map: [String: Any], _ key: String, _ owner: String) throws -> Data? {
            guard let s = string(map, key) else { return nil }
            guard let data = Data(base64Encoded: s.filter { !$0.isWhitespace }) else {
                throw KubernetesError.configuration("kubeconfig \(path): \(key) of \(owner) is not base64")
            }
            return data
        }
        // Relative file names resolve against this file's directory now, so they survive a merge.
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.hasPrefix("/") ? folder
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(folder)
        func file(_ map: [String: Any], _ key: String) -> String? {
            guard let name = string(map, key) else { return nil }
            let expanded = (name as NSString).expandingTildeInPath
            return expanded.hasPrefix("/") || directory.isEmpty ? expanded : (directory as NSString).appendingPathComponent(expanded)
        }
        let clusters = try entries("clusters", "cluster").map { name, c in
            Cluster(name: name, server: string(c, "server") ?? "", certificateAuthority: file(c, "certificate-authority"),
                    certificateAuthorityData: try base64(c, "certificate-authority-data", "cluster \(name)"),
                    insecureSkipTLSVerify: (c["insecure-skip-tls-verify"] as? Bool) ?? false)
        }
        let users = try entries("users", "user").map { name, u in
            var mechanism: String?
            if u["exec"] != nil {
                let command = (u["exec"] as? [String: Any]).flatMap { string($0, "command") }
                mechanism = "exec" + (command.map { " (\(($0 as NSString).lastPathComponent))" } ?? "")
            } else if let provider = u["auth-provider"] {
                let providerName = (provider as? [String: Any]).flatMap { string($0, "name") }
                mechanism = "auth-provider" + (providerName.map { " (\($0))" } ?? "")
            }
            return User(name: name, clientCertificate: file(u, "client-certificate"),
                        clientCertificateData: try base64(u, "client-certificate-data", "user \(name)"),
                        clientKey: file(u, "client-key"), clientKeyData: try base64(u, "client-key-data", "user \(name)"),
                        token: string(u, "token"), tokenFile: file(u, "tokenFile"), unsupportedMechanism: mechanism)
        }
        let contexts = entries("contexts", "context").map { name, c in
            Context(name: name, cluster: string(c, "cluster") ?? "", user: string(c, "user") ?? "", namespace: string(c, "namespace"))
        }
        return Kubeconfig(clusters: clusters, users: users, contexts: contexts, currentContext: string(top, "current-context"),
                          directory: directory)
    }

    /// The connection for `context` (default: `current-context`). `token` (from `--kube-token` or
    /// `PERFSCOPE_KUBE_TOKEN`) wins over the kubeconfig user and makes `exec` users usable.
    public func connection(context requested: String? = nil, token override: String? = nil) throws -> KubeConnection {
        guard let contextName = requested ?? currentContext, !contextName.isEmpty else {
            throw KubernetesError.configuration("kubeconfig has no current-context — pass --context (one of: \(contextNames))")
        }
        guard let context = contexts.first(where: { $0.name == contextName }) else {
            throw KubernetesError.configuration("context \(contextName) is not in the kubeconfig — use one of: \(contextNames)")
        }
        guard let cluster = clusters.first(where: { $0.name == context.cluster }) else {
            throw KubernetesError.configuration("context \(contextName) names cluster \(context.cluster), which the kubeconfig does not define")
        }
        guard let server = URL(string: cluster.server), let scheme = server.scheme?.lowercased(),
              scheme == "https" || scheme == "http", server.host != nil else {
            throw KubernetesError.configuration("cluster \(cluster.name) has no usable server URL (got \"\(cluster.server)\")")
        }
        let user = users.first { $0.name == context.user }
        var connection = KubeConnection(context: contextName, cluster: cluster.name, user: context.user, server: server,
                                        insecureSkipTLSVerify: cluster.insecureSkipTLSVerify)
        if let data = cluster.certificateAuthorityData { connection.caPEM = Array(data) }
        else if let file = cluster.certificateAuthority { connection.caPEM = try read(file, what: "certificate-authority") }

        let explicitToken = override.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        if let explicitToken {
            connection.token = explicitToken.trimmingCharacters(in: .whitespacesAndNewlines)
            connection.tokenSource = "--kube-token / PERFSCOPE_KUBE_TOKEN"
            return connection
        }
        guard let user else { return connection }
        if let mechanism = user.unsupportedMechanism, user.token == nil, user.tokenFile == nil, user.clientCertificate == nil,
           user.clientCertificateData == nil {
            throw KubernetesError.unsupportedAuth(user: user.name, mechanism: mechanism)
        }
        if let token = user.token {
            connection.token = token
            connection.tokenSource = "kubeconfig user \(user.name) (token)"
        } else if let file = user.tokenFile {
            let text = String(decoding: try read(file, what: "tokenFile"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw KubernetesError.configuration("tokenFile \(file) of user \(user.name) is empty") }
            connection.token = text
            connection.tokenSource = "kubeconfig user \(user.name) (tokenFile)"
        }
        if let data = user.clientCertificateData { connection.clientCertificatePEM = Array(data) }
        else if let file = user.clientCertificate { connection.clientCertificatePEM = try read(file, what: "client-certificate") }
        if let data = user.clientKeyData { connection.clientKeyPEM = Array(data) }
        else if let file = user.clientKey { connection.clientKeyPEM = try read(file, what: "client-key") }
        if (connection.clientCertificatePEM == nil) != (connection.clientKeyPEM == nil) {
            throw KubernetesError.configuration("user \(user.name) has a client certificate without a key (or a key without a certificate)")
        }
        return connection
    }

    private var contextNames: String {
        contexts.isEmpty ? "none defined" : contexts.map(\.name).joined(separator: ", ")
    }

    private func read(_ file: String, what: String) throws -> [UInt8] {
        let expanded = (file as NSString).expandingTildeInPath
        let path = expanded.hasPrefix("/") ? expanded : (directory as NSString).appendingPathComponent(expanded)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubernetesError.configuration("cannot read \(what) file \(path) named in the kubeconfig")
        }
        return Array(data)
    }
}

/// Everything needed to talk to one API server: the resolved context, server, trust and credentials.
public struct KubeConnection: Sendable, Equatable {
    public var context: String
    public var cluster: String
    public var user: String
    public var server: URL
    public var insecureSkipTLSVerify: Bool
    public var caPEM: [UInt8]?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var token: String?
    /// Where the token came from, for `--explain` (never the token itself).
    public var tokenSource: String?

    public init(context: String = "", cluster: String = "", user: String = "", server: URL, insecureSkipTLSVerify: Bool = false,
                caPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
                token: String? = nil, tokenSource: String? = nil) {
        self.context = context
        self.cluster = cluster
        self.user = user
        self.server = server
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.token = token
        self.tokenSource = tokenSource
    }

    /// How the client authenticates, for display: `bearer token (source)`, `client certificate`, `none`.
    public var authentication: String {
        if let token, !token.isEmpty { return "bearer token" + (tokenSource.map { " from \($0)" } ?? "") }
        if clientCertificatePEM != nil { return "client certificate" }
        return "none"
    }

    /// Loads the kubeconfig at `path` (see `Kubeconfig.defaultPath`) and resolves `context`;
    /// the token is `token`, else `PERFSCOPE_KUBE_TOKEN`, else the kubeconfig user's.
    public static func resolve(kubeconfig path: String? = nil, context: String? = nil, token: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KubeConnection {
        let config = try Kubeconfig.load(paths: Kubeconfig.defaultPaths(explicit: path, environment: environment))
        return try config.connection(context: context, token: token ?? environment["PERFSCOPE_KUBE_TOKEN"])
    }
}
