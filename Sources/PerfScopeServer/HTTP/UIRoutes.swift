import HTTPTypes
import Hummingbird

/// The web UI's static files: the page at `/`, `/ui` and `/ui/architecture`, and its assets.
/// They are public (the page must load before anyone can type a token; it holds no data), so
/// `BearerAuthMiddleware` leaves `paths` open while every `/api`, `/chat` and `/mcp` route keeps
/// needing the token.
///
/// Every file is sent with a strict Content-Security-Policy: scripts and styles only from this
/// server's own files (no `'unsafe-inline'`, no `eval`), requests only back to this server, no
/// frames, no plugins, no form posts elsewhere. The UI builds its DOM with `textContent`, and
/// the policy is the second wall should some tool output ever reach the page as markup.
enum UIRoutes {
    struct Asset: Sendable {
        let path: String
        let contentType: String
        let body: String
    }

    static let assets: [Asset] = [
        Asset(path: "/", contentType: "text/html; charset=utf-8", body: WebUI.html),
        Asset(path: "/ui", contentType: "text/html; charset=utf-8", body: WebUI.html),
        Asset(path: "/ui/architecture", contentType: "text/html; charset=utf-8", body: WebUI.html),
        Asset(path: "/ui/app.css", contentType: "text/css; charset=utf-8", body: WebUI.css),
        Asset(path: "/ui/app.js", contentType: "text/javascript; charset=utf-8", body: WebUI.script),
        Asset(path: "/ui/icon.svg", contentType: "image/svg+xml", body: WebUI.icon),
    ]

    /// The paths served without a bearer token.
    static let paths: Set<String> = Set(assets.map(\.path))

    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static func add(to router: Router<PerfScopeHTTPServer.Context>) {
        for asset in assets {
            let bytes = ByteBuffer(string: asset.body)
            router.get(RouterPath(asset.path)) { _, _ in response(asset.contentType, bytes) }
        }
    }

    static func response(_ contentType: String, _ body: ByteBuffer) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        // Revalidate each time: a new binary's UI shows at once; the files are small.
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
