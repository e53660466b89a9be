import Foundation
import Testing

/// `deploy/` stays loadable and least-privilege: the YAML parses (python3 + PyYAML when present,
/// else a line check), RBAC only reads the discovery resources, the unit is hardened.
@Suite struct DeployFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let deploy = root.appendingPathComponent("deploy")
    static let manifests = ["deployment.yaml", "rbac.yaml", "pvc.yaml"].map { deploy.appendingPathComponent("kubernetes/\($0)") }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `kind` of every document, through PyYAML; nil when python3 or PyYAML is missing.
    static func kindsViaPyYAML(_ file: URL) throws -> [String]? {
        guard let python else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", """
            import sys
            try:
                import yaml
            except ImportError:
                sys.exit(42)
            for d in yaml.safe_load_all(open(sys.argv[1])):
                assert isinstance(d, dict) and d.get("apiVersion") and d.get("metadata", {}).get("name"), d
                print(d["kind"])
            """, file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus == 42 { return nil }
        let text = String(decoding: data, as: UTF8.self)
        #expect(p.terminationStatus == 0, "\(file.lastPathComponent): \(text)")
        return text.split(separator: "\n").map(String.init)
    }

    @Test func manifestsParse() throws {
        var kinds: [String] = []
        for file in Self.manifests {
            let text = try Self.text(file)
            #expect(!text.contains("\t"), "\(file.lastPathComponent): tabs are not YAML indentation")
            if let parsed = try Self.kindsViaPyYAML(file) {
                kinds += parsed
            } else {
                // Line check: every document names apiVersion, kind and metadata at the top level.
                for doc in text.components(separatedBy: "\n---\n") {
                    let top = doc.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("#") }
                    #expect(top.contains { $0.hasPrefix("apiVersion: ") } && top.contains { $0 == "metadata:" })
                    kinds += top.filter { $0.hasPrefix("kind: ") }.map { String($0.dropFirst(6)) }
                }
            }
        }
        #expect(kinds.sorted() == ["ClusterRole", "ClusterRoleBinding", "ClusterRoleBinding", "Deployment", "PersistentVolumeClaim", "Service", "ServiceAccount"])
    }

    @Test func rbacOnlyReads() throws {
        let rbac = try Self.text(Self.deploy.appendingPathComponent("kubernetes/rbac.yaml"))
        let verbs = rbac.split(separator: "\n").filter { $0.contains("verbs:") }
        #expect(verbs.count == 3)
        #expect(verbs.allSatisfy { $0.trimmingCharacters(in: .whitespaces) == #"verbs: ["get", "list"]"# })
        let resources = rbac.split(separator: "\n").filter { $0.contains("resources:") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(resources == [#"resources: ["nodes", "pods", "services"]"#, #"resources: ["routes"]"#,
                              #"resources: ["clusterversions", "infrastructures"]"#])
        let rules = rbac.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
        #expect(!rules.contains("secrets") && !rules.contains("\"*\""))
    }

    @Test func deploymentIsNonRootReadOnlyAndReady() throws {
        let d = try Self.text(Self.deploy.appendingPathComponent("kubernetes/deployment.yaml"))
        for line in ["runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "path: /healthz",
                     "name: PERFSCOPE_PROMETHEUS_TOKEN_FILE", "secretKeyRef:", "mountPath: /var/lib/perfscope", "emptyDir: {}",
                     #""--schedule", "every 1h""#] {
            #expect(d.contains(line), "missing \(line)")
        }
    }

    @Test func systemdUnitIsHardened() throws {
        let unit = try Self.text(Self.deploy.appendingPathComponent("systemd/perfscope.service"))
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for line in ["DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=perfscope",
                     "EnvironmentFile=/etc/perfscope/env", "Environment=PERFSCOPE_DB=%S/perfscope/history.sqlite"] {
            #expect(lines.contains(line), "missing \(line)")
        }
        #expect(unit.contains("ExecStart=/usr/local/bin/perfscope serve ") && unit.contains("--port 8080") && unit.contains(#"--schedule "every 1h""#))
        for section in ["[Unit]", "[Service]", "[Install]"] { #expect(lines.contains(section)) }
    }
}
