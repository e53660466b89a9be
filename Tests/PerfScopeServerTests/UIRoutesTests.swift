import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The web UI's files through the router (no socket): each one served with its content type and
/// the strict Content-Security-Policy, nothing fetched from elsewhere, and the UI open without a
/// token while the APIs it calls still need one.
@Suite struct UIRoutesTests {
    static let assets: [(path: String, contentType: String)] = [
        ("/", "text/html; charset=utf-8"),
        ("/ui", "text/html; charset=utf-8"),
        ("/ui/architecture", "text/html; charset=utf-8"),
        ("/ui/app.css", "text/css; charset=utf-8"),
        ("/ui/app.js", "text/javascript; charset=utf-8"),
        ("/ui/icon.svg", "image/svg+xml"),
    ]
    static let csp = HTTPField.Name("Content-Security-Policy")!

    @Test(arguments: assets.map(\.path))
    func assetIsServedWithItsTypeAndAStrictPolicy(path: String) async throws {
        let expected = Self.assets.first { $0.path == path }!.contentType
        try await HTTPRoutesTests.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == expected)
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                let policy = r.headers[Self.csp] ?? ""
                for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
                    #expect(policy.contains(directive), "\(path): \(policy)")
                }
                #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "\(path): \(policy)")
                #expect(r.body.readableBytes > 200)
            }
        }
    }

    /// Works offline and from the binary alone: no CDN, no remote font, no external link — the
    /// only URL is the SVG namespace, which is a name, not something fetched.
    @Test(arguments: assets.map(\.path))
    func assetReferencesNothingOutside(path: String) async throws {
        try await HTTPRoutesTests.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { r in
                let text = String(buffer: r.body).replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                #expect(!text.contains("http://") && !text.contains("https://"), "\(path) names an external URL")
                #expect(!text.contains("//cdn") && !text.contains("@import"), "\(path)")
            }
        }
    }

    /// The page loads its code from files (what `script-src 'self'` needs) and the script
    /// builds DOM with text nodes, never by parsing strings as HTML.
    @Test func pageUsesExternalFilesAndTheScriptNoHTMLParsing() async throws {
        try await HTTPRoutesTests.app().test(.router) { client in
            try await client.execute(uri: "/ui", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains(#"<script src="/ui/app.js"></script>"#) && html.contains(#"href="/ui/app.css""#))
                #expect(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style="))
                #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "no inline event handlers")
                for id in ["status", "tools", "examples", "log", "ask", "q", "token", "theme", "runs", "report", "arch-diagram"] {
                    #expect(html.contains(#"id="\#(id)""#), "the page has #\(id)")
                }
            }
            try await client.execute(uri: "/ui/app.js", method: .get) { r in
                let js = String(buffer: r.body)
                let sinks = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"].filter { js.contains($0) }
                #expect(sinks.isEmpty, "app.js uses \(sinks)")
                let missing = ["/chat/stream", "/api/tools", "/api/runs", "/api/reports/", "/api/conversations", "/api/system-prompt", "localStorage"]
                    .filter { !js.contains($0) }
                #expect(missing.isEmpty, "app.js does not use \(missing)")
            }
        }
    }

    @Test func uiIsOpenWithoutATokenWhileTheAPIsNeedIt() async throws {
        try await HTTPRoutesTests.app(token: "s3cret").test(.router) { client in
            for asset in Self.assets {
                try await client.execute(uri: asset.path, method: .get) { r in #expect(r.status == .ok, "\(asset.path)") }
            }
            for api in ["/api/tools", "/api/runs", "/api/runs/latest", "/api/conversations", "/ui/../api/tools"] {
                try await client.execute(uri: api, method: .get) { r in #expect(r.status == .unauthorized, "\(api)") }
            }
            try await client.execute(uri: "/chat/stream", method: .post, body: ByteBuffer(string: #"{"message": "hi"}"#)) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/ui/nothing-here", method: .get) { r in
                #expect(r.status == .unauthorized || r.status == .notFound)
            }
        }
    }
}
