import Foundation
import HTTPTypes
import Hummingbird
import PerfScopeAgent

/// What a browser on the operator's machine may not do to a server on loopback, checked on
/// every route before anything else runs.
///
/// Any web page the operator opens can send requests to `127.0.0.1:8080`. Without a token that
/// is all it takes to run tools or rewrite the system prompt, so:
/// - `Host` must name loopback (`localhost`, `127.0.0.0/8`, `::1`): a DNS-rebound name such as
///   `evil.example` resolving to 127.0.0.1 is refused (403).
/// - `Origin`, when sent, must be this server itself (a loopback name, the same port), and a
///   request a browser marks `Sec-Fetch-Site: cross-site`/`same-site` is refused, except a
///   plain navigation to the UI's pages (403).
/// Bound elsewhere, behind a token, these two are not checked (see `browserRefusal`).
/// - A POST with a body must say `Content-Type: application/json` (415): the `text/plain` and
///   form posts a page can send without a CORS preflight are refused whatever they carry. This
///   one is checked after the bearer token (`bodies: true`), so a caller without the token
///   learns nothing but 401.
struct RequestGuardMiddleware<Context: Hummingbird.RequestContext>: RouterMiddleware {
    let loopbackOnly: Bool
    /// false: the Host/Origin checks (before authentication); true: the content type of POSTs.
    var bodies = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let headers = request.headers
        let refusal = bodies
            ? Self.bodyRefusal(method: request.method, contentType: headers[.contentType], contentLength: headers[.contentLength],
                               chunked: headers[.transferEncoding] != nil)
            : Self.browserRefusal(method: request.method, path: request.uri.path, host: request.head.authority, origin: headers[.origin],
                                  fetchSite: headers[Self.secFetchSite], loopbackOnly: loopbackOnly)
        if let refusal {
            return PerfScopeHTTPServer.json(.object(["error": .string(refusal.message)]), status: .init(code: refusal.status))
        }
        return try await next(request, context)
    }

    static var secFetchSite: HTTPField.Name { HTTPField.Name("Sec-Fetch-Site")! }

    /// The status and one-line reason a request is refused with, or nil when it may go on (both checks).
    static func refusal(method: HTTPRequest.Method, path: String, host: String?, origin: String?, fetchSite: String?,
                        contentType: String?, contentLength: String?, chunked: Bool, loopbackOnly: Bool) -> (status: Int, message: String)? {
        browserRefusal(method: method, path: path, host: host, origin: origin, fetchSite: fetchSite, loopbackOnly: loopbackOnly)
            ?? bodyRefusal(method: method, contentType: contentType, contentLength: contentLength, chunked: chunked)
    }

    /// Bound elsewhere, the bearer token is the wall (a page elsewhere cannot send it) and a
    /// reverse proxy may rewrite Host, so these checks are for loopback servers only.
    static func browserRefusal(method: HTTPRequest.Method, path: String, host: String?, origin: String?, fetchSite: String?,
                               loopbackOnly: Bool) -> (status: Int, message: String)? {
        guard loopbackOnly else { return nil }
        let hostPart = host.map(Authority.init)
        if let hostPart, !LoopbackAddress.isLoopback(hostPart.host) {
            return (403, "refused: this server listens on loopback and answers only to Host localhost, 127.0.0.1 or [::1] (DNS rebinding protection)")
        }
        if let origin {
            guard let o = Authority(origin: origin), Self.sameOrigin(o, host: hostPart) else {
                return (403, "refused: cross-site request (Origin \(origin.prefix(80))): only this server's own pages may call it")
            }
        }
        if let site = fetchSite?.lowercased(), site != "same-origin", site != "none", !(method == .get && UIRoutes.paths.contains(path)) {
            return (403, "refused: cross-site request (Sec-Fetch-Site: \(site.prefix(20))): only this server's own pages may call it")
        }
        return nil
    }

    static func bodyRefusal(method: HTTPRequest.Method, contentType: String?, contentLength: String?, chunked: Bool) -> (status: Int, message: String)? {
        if method == .post {
            let hasBody = chunked || (contentLength.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0) > 0 || contentType != nil
            let json = contentType.map { $0.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/json" } ?? false
            if hasBody, !json {
                return (415, "POST bodies must be JSON: send Content-Type: application/json")
            }
        }
        return nil
    }

    /// An Origin is this server when its host is a loopback name and its port matches the Host header's.
    static func sameOrigin(_ origin: Authority, host: Authority?) -> Bool {
        guard LoopbackAddress.isLoopback(origin.host) else { return false }
        guard let host else { return true }
        return origin.port(defaultFor: origin.scheme) == host.port(defaultFor: origin.scheme)
    }

    /// `host[:port]` of a Host header or an Origin (`scheme://host[:port]`), lower-cased, IPv6 without brackets.
    struct Authority {
        var scheme: String?
        var host: String
        var explicitPort: Int?

        init(_ authority: String) {
            var rest = Substring(authority.lowercased())
            var port: Int?
            if rest.hasPrefix("[") {
                let close = rest.firstIndex(of: "]") ?? rest.endIndex
                let after = close < rest.endIndex ? rest[rest.index(after: close)...] : ""
                if after.hasPrefix(":") { port = Int(after.dropFirst()) }
                rest = rest[rest.index(after: rest.startIndex)..<close]
            } else if let colon = rest.lastIndex(of: ":"), rest.firstIndex(of: ":") == colon {
                port = Int(rest[rest.index(after: colon)...])
                rest = rest[..<colon]
            }
            self.host = String(rest)
            self.explicitPort = port
        }

        init?(origin: String) {
            guard origin != "null", let range = origin.range(of: "://") else { return nil }
            let scheme = origin[..<range.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            self.init(String(origin[range.upperBound...].prefix { $0 != "/" }))
            self.scheme = scheme
        }

        func port(defaultFor scheme: String?) -> Int {
            explicitPort ?? ((self.scheme ?? scheme) == "https" ? 443 : 80)
        }
    }
}

/// Loopback by parsed address, not by spelling: `localhost`, any IPv4 address in 127.0.0.0/8
/// (`127.1` too, as `inet_aton` reads it), `::1` and IPv4-mapped `::ffff:127.x.y.z`. A name
/// that merely starts with `127.` (`127.0.0.1.evil.example`) is not.
public enum LoopbackAddress {
    public static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" { return true }
        var v4 = in_addr()
        if h.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), inet_aton(h, &v4) != 0 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard h.contains(":"), inet_pton(AF_INET6, h, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }), bytes[15] == 1 { return true }  // ::1
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return bytes[12] == 127 }  // ::ffff:127.x
        return false
    }
}
