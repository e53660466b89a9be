import Foundation
import PerfScopeCore

/// A failure talking to a Kubernetes or OpenShift API server, or reading a kubeconfig.
///
/// A struct over a private enum with short, fixed labels (like `PerfScopeError`): one line,
/// an action to take, and never a token or a client key in the text.
public struct KubernetesError: UserFacingError, Equatable {
    private enum Code: String, Equatable, Sendable {
        case noKubeconfig, configuration, unsupportedAuth, unauthorized, forbidden, notFound, timeout, unreachable, badResponse
    }

    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var kind: ErrorKind {
        switch code {
        case .noKubeconfig, .notFound: .notFound
        case .configuration, .unsupportedAuth: .configuration
        case .unauthorized, .forbidden, .badResponse: .upstreamFailed
        case .timeout, .unreachable: .upstreamUnavailable
        }
    }

    /// The API answered 401 (the token is expired or wrong).
    public var isUnauthorized: Bool { code == .unauthorized }
    /// The API answered 403 (RBAC does not allow the read).
    public var isForbidden: Bool { code == .forbidden }
    /// The API answered 404 (the resource or API group does not exist here).
    public var isNotFound: Bool { code == .notFound }
    /// The server could not be reached or did not answer in time.
    public var isTransport: Bool { code == .timeout || code == .unreachable }

    public static func noKubeconfig(_ path: String) -> KubernetesError {
        .init(.noKubeconfig, "no kubeconfig at \(path) — pass --kubeconfig or set KUBECONFIG")
    }

    public static func configuration(_ message: String) -> KubernetesError {
        .init(.configuration, oneLine(message))
    }

    /// A user entry that runs a command (`exec`) or a legacy `auth-provider`: not run by perfscope.
    public static func unsupportedAuth(user: String, mechanism: String) -> KubernetesError {
        .init(.unsupportedAuth, "kubeconfig user \(user) uses \(mechanism), which perfscope does not run — "
            + "pass a token with --kube-token or PERFSCOPE_KUBE_TOKEN (e.g. from `oc whoami -t`)")
    }

    public static func unauthorized(server: String) -> KubernetesError {
        .init(.unauthorized, "\(server): token rejected — refresh it (oc whoami -t) and pass it with --kube-token or PERFSCOPE_KUBE_TOKEN")
    }

    public static func forbidden(resource: String) -> KubernetesError {
        .init(.forbidden, "forbidden: the user needs get/list on \(resource) (read-only RBAC)")
    }

    public static func notFound(path: String) -> KubernetesError {
        .init(.notFound, "not found: \(path) (resource or API group absent on this cluster)")
    }

    public static func timeout(server: String, seconds: Double) -> KubernetesError {
        .init(.timeout, "\(server) did not answer within \(Self.seconds(seconds)) — check the API server or raise the timeout")
    }

    public static func unreachable(server: String, reason: String) -> KubernetesError {
        .init(.unreachable, "cannot reach the Kubernetes API at \(server): \(oneLine(reason)) — check the kubeconfig server and network")
    }

    public static func badResponse(_ message: String) -> KubernetesError {
        .init(.badResponse, oneLine(message))
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    private static func seconds(_ s: Double) -> String {
        CheckedNumber.int(s).map { "\($0) s" } ?? String(format: "%.1f s", s)
    }

    /// The resource a request path reads, as RBAC names it (`nodes`, `pods in openshift-etcd`,
    /// `routes.route.openshift.io in openshift-monitoring`).
    static func resource(ofPath path: String) -> String {
        let clean = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        var parts = clean.split(separator: "/").map(String.init)
        var group = ""
        if parts.first == "api" { parts.removeFirst(min(2, parts.count)) }
        else if parts.first == "apis" {
            group = parts.count > 1 ? parts[1] : ""
            parts.removeFirst(min(3, parts.count))
        } else {
            return clean
        }
        var namespace: String?
        if parts.first == "namespaces", parts.count >= 3 {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        let kind = parts.first ?? clean
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        return namespace.map { "\(qualified) in \($0)" } ?? qualified
    }
}
