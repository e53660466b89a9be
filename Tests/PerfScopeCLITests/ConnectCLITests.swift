import Foundation
import Testing

/// `perfscope connect` without a usable kubeconfig: one line, the right exit code.
@Suite(.enabled(if: CLIRunner.available, "needs the built binary"))
struct ConnectCLITests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-connect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func noKubeconfigIsOneLineExit1() throws {
        let home = try tempDir()
        defer { try? FileManager.default.removeItem(at: home) }
        let r = try CLIRunner.run(["connect"], environment: ["HOME": home.path, "KUBECONFIG": ""])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr == "perfscope: error: no kubeconfig at \(home.path)/.kube/config — pass --kubeconfig or set KUBECONFIG\n")
        #expect(r.stdout.isEmpty)

        let explicit = try CLIRunner.run(["connect", "--kubeconfig", "/nonexistent/kc", "--format", "json"])
        #expect(explicit.status == 1)
        #expect(explicit.stderr.contains("no kubeconfig at /nonexistent/kc") && explicit.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: [
        ("clusters: [unclosed", "is not valid YAML"),
        ("apiVersion: v1\nclusters: []\ncontexts: []\nusers: []\n", "kubeconfig has no current-context"),
        ("""
         current-context: sso
         clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
         contexts: [{name: sso, context: {cluster: c, user: u}}]
         users: [{name: u, user: {exec: {command: oc-login}}}]
         """, "uses exec (oc-login), which perfscope does not run — pass a token with --kube-token or PERFSCOPE_KUBE_TOKEN"),
    ])
    func badKubeconfigIsOneLineExit2(yaml: String, text: String) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("config").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["connect"], environment: ["KUBECONFIG": path, "PERFSCOPE_KUBE_TOKEN": ""])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(text) && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test func refusedServerIsOneLineExit1AndTokenStaysSecret() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.refusedKubeconfig(in: dir)
        let r = try CLIRunner.run(["connect", "--kubeconfig", path, "--kube-token", "flag-SECRET", "--timeout", "3s"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("cannot reach the Kubernetes API at https://127.0.0.1:1: connection refused"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && !r.stderr.contains("SECRET"))
    }

    /// `analyze --kubeconfig` asks the API first: an unusable kubeconfig or API is one line and a
    /// failed run, never an analysis of the wrong (default) Prometheus.
    @Test func analyzeWithAKubeconfigFailsClearly() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.refusedKubeconfig(in: dir)
        let refused = try CLIRunner.run(["analyze", "--kubeconfig", path, "--duration", "5m", "--no-store"])
        #expect(refused.status != 0 && refused.stderr.contains("cannot reach the Kubernetes API at https://127.0.0.1:1"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1 && !refused.stderr.contains("SECRET"))
        #expect(refused.stdout.isEmpty)

        let context = try CLIRunner.run(["analyze", "--kube-context", "other", "--duration", "5m", "--no-store"], environment: ["KUBECONFIG": path])
        #expect(context.status != 0 && context.stderr.contains("context other is not in the kubeconfig — use one of: c"), "\(context.stderr)")
    }

    /// A kubeconfig whose API server (127.0.0.1:1) refuses connections; its token is kubeconfig-SECRET.
    static func refusedKubeconfig(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("config").path
        try """
        current-context: c
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        users: [{name: u, user: {token: kubeconfig-SECRET}}]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
