import Foundation
import Testing

/// `perfscope rules export` through the built binary, checked by Prometheus' own `promtool`.
@Suite(.enabled(if: CLIRunner.available, "needs the built perfscope binary (swift build --build-tests)"))
struct RulesCLITests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-rules-\(UUID().uuidString)-\(name)")
    }

    static func promtoolCheck(_ file: URL) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: promtool!)
        p.arguments = ["check", "rules", file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: promtool != nil, "promtool not installed (/usr/bin/promtool): the rule file cannot be validated"))
    func exportPassesPromtool() throws {
        let file = Self.temporary("rules.yml")
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CLIRunner.run(["rules", "export", "--format", "prometheus", "--output", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        let (status, output) = try Self.promtoolCheck(file)
        #expect(status == 0, "\(output)")
        #expect(output.contains("SUCCESS"))
        let text = try String(contentsOf: file, encoding: .utf8)
        for group in ["perfscope-etcd", "perfscope-disk", "perfscope-net", "perfscope-node"] { #expect(text.contains("- name: '\(group)'")) }
        #expect(text.contains("alert: 'PerfscopeWalFsyncP99High'"))
        #expect(text.contains(#"histogram_quantile"#))
        #expect(!text.contains("$etcd") && !text.contains("$rate") && !text.contains("$node"), "placeholders expanded")
    }

    /// The exported rules use the analysis' thresholds and selectors: config overrides and
    /// `PERFSCOPE_<METRIC>_<LEVEL>` both show up in the expressions.
    @Test func configAndEnvironmentOverridesAreExported() throws {
        let config = Self.temporary("perfscope.yaml")
        defer { try? FileManager.default.removeItem(at: config) }
        try """
        selectors:
          etcd: 'namespace="openshift-etcd"'
        thresholds:
          wal_fsync_p99: {high: 0.3}
        """.write(to: config, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["rules", "export", "--config", config.path], environment: ["PERFSCOPE_DISK_UTILISATION_HIGH": "0.85"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let wal = try #require(lines.firstIndex { $0.contains("alert: 'PerfscopeWalFsyncP99High'") })
        #expect(lines[wal + 1].hasSuffix(">= 0.3'"), "\(lines[wal + 1])")
        #expect(lines[wal + 1].contains(#"namespace="openshift-etcd""#))
        let disk = try #require(lines.firstIndex { $0.contains("alert: 'PerfscopeDiskUtilisationHigh'") })
        #expect(lines[disk + 1].hasSuffix(">= 0.85'"), "\(lines[disk + 1])")
        if Self.promtool != nil {
            let file = Self.temporary("override.yml")
            defer { try? FileManager.default.removeItem(at: file) }
            try r.stdout.write(to: file, atomically: true, encoding: .utf8)
            let (status, output) = try Self.promtoolCheck(file)
            #expect(status == 0, "\(output)")
        }
    }

    @Test func unknownFormatIsAUsageError() throws {
        let r = try CLIRunner.run(["rules", "export", "--format", "nagios"])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
