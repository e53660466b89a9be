import Foundation
import Testing

/// `perfscope chat` as a user runs it against the lab: one question, an interactive session on
/// stdin, and the same question through a running `perfscope serve` with a token.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil,
                "needs the built binary and the lab Prometheus"))
struct ChatCommandTests {
    static let prometheus = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""
    /// No LLM: the offline agent answers, whatever the developer's environment says.
    static let offline = ["PERFSCOPE_LLM_BASE_URL": ""]

    @Test func oneQuestionInProcess() throws {
        let r = try CLIRunner.run(["chat", "--prometheus", Self.prometheus, "why is etcd slow over the last 10 minutes?"], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("→ get_etcd_bottleneck_analysis"), "\(r.stderr)")
        #expect(r.stderr.contains("← get_etcd_bottleneck_analysis"))
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).count > 40, "an answer on stdout: \(r.stdout)")
    }

    @Test func interactiveSessionCommands() throws {
        let input = "/tools\nshow node usage\n/history\n/prompt\n/bogus\n\n/quit\nnever asked\n"
        let r = try CLIRunner.run(["chat", "--quiet", "--prometheus", Self.prometheus], environment: Self.offline, stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("get_etcd_node_usage\n"), "the tool list")
        let lines = r.stdout.components(separatedBy: "\n")
        let first = try #require(lines.firstIndex(of: "1. show node usage"), "history lists the question")
        #expect(first + 1 == lines.count || !lines[first + 1].hasPrefix("2. "), "history holds the one question")
        #expect(!r.stdout.contains("never asked") && !r.stderr.contains("never asked"), "nothing runs after /quit")
        #expect(r.stderr.contains("unknown command /bogus"))
        #expect(r.stderr.contains("/prompt: offline agent"), "no prompt without an LLM: \(r.stderr)")
        #expect(!r.stderr.contains("→ "), "--quiet hides tool steps")
    }

    @Test func throughARunningServerWithAToken() throws {
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-chat-token-\(UUID().uuidString)")
        try "s3cret-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        let server = try ServeProcess.start(prometheus: Self.prometheus, extra: ["--server-token-file", tokenFile.path])
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)"

        let r = try CLIRunner.run(["chat", "--server", url, "--server-token-file", tokenFile.path, "WAL fsync over the last 2 hours"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("→ get_etcd_disk_wal_fsync"), "\(r.stderr)")
        #expect(!r.stdout.isEmpty)

        let wrong = try CLIRunner.run(["chat", "--server", url, "hello"], environment: ["PERFSCOPE_SERVER_TOKEN": "nope"])
        #expect(wrong.status != 0 && wrong.stderr.contains("refused the token"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("nope") && !wrong.stderr.contains("s3cret"), "tokens never printed")

        let down = try CLIRunner.run(["chat", "--server", "http://127.0.0.1:1", "hello"])
        #expect(down.status != 0 && down.stderr.contains("cannot reach perfscope serve"), "\(down.stderr)")
        #expect(down.stderr.split(separator: "\n").count == 1, "one line: \(down.stderr)")

        let bad = try CLIRunner.run(["chat", "--server", "localhost:8080", "hello"])
        #expect(bad.status != 0 && bad.stderr.contains("invalid --server"))
    }

    /// An interactive session against a server is one kept conversation: the prompt set with
    /// /prompt and both questions land in it, and it is there for the web UI afterwards.
    @Test func aServerSessionIsOneKeptConversation() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-chat-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + s) } }
        let server = try ServeProcess.start(prometheus: Self.prometheus, environment: ["PERFSCOPE_DB": db, "PERFSCOPE_LLM_BASE_URL": ""])
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)"
        let input = "/prompt\n/prompt Answer in one line.\ncluster status\nshow node usage\n/prompt\n/quit\n"
        let r = try CLIRunner.run(["chat", "--quiet", "--server", url], environment: ["PERFSCOPE_SERVER_TOKEN": ""], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("You are"), "the built-in prompt first: \(r.stdout.prefix(200))")
        #expect(r.stdout.contains("Answer in one line.\n"), "then this conversation's")
        #expect(r.stderr.contains("system prompt of this conversation: conversation"), "\(r.stderr)")
        func json(_ path: String) throws -> [String: Any] {
            let r = try MCPClient.shell(["/usr/bin/env", "curl", "-fsS", url + path])
            return try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any], "\(r.output)")
        }
        let conversations = try json("/api/conversations")["conversations"] as? [[String: Any]] ?? []
        #expect(conversations.count == 1, "one conversation: \(conversations)")
        let id = try #require(conversations.first?["id"] as? String)
        #expect(conversations.first?["messages"] as? Int == 4)
        let one = try json("/api/conversations/" + id)
        #expect(one["system_prompt"] as? String == "Answer in one line.")
        #expect((one["messages"] as? [[String: Any]])?.first?["content"] as? String == "cluster status")
    }
}
