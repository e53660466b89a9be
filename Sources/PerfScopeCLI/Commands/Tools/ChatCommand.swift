import ArgumentParser
import Foundation
import PerfScopeAgent
import PerfScopeCore

/// `perfscope chat`: the chat agent in the terminal — one question and exit, or an interactive
/// session — in-process (LLM when configured, else the offline agent) or against a running
/// `perfscope serve` (`--server`), rendered the same way: tool calls and results on stderr,
/// the streamed answer on stdout.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Ask perfscope in plain words, in the terminal (in-process or against perfscope serve).",
        discussion: """
        With a QUESTION, answers it and exits; without one, reads questions line by line from stdin.
        Session commands: /tools (the tools the agent can call), /prompt [TEXT | reset] (show or
        replace the system prompt: the in-process LLM's, or this conversation's on a server),
        /history (this session's questions), /help, /quit. Earlier turns go with each question.
        Without PERFSCOPE_LLM_BASE_URL the offline agent answers from the rule-based analysis.
        Examples:
          perfscope chat "why is etcd slow?"
          perfscope chat --server http://127.0.0.1:8080 --server-token-file token.txt
        """)

    @Argument(help: "A question to answer and exit (quote it, or give it as several words).") var question: [String] = []
    @Option(name: .long, help: ArgumentHelp("A running perfscope serve to ask, e.g. http://127.0.0.1:8080 (default: answer in-process).", valueName: "url"))
    var server: String?
    @Flag(name: .long, help: "Do not print the tool calls and their results.") var quiet = false
    @OptionGroup var serverToken: ServerTokenOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let server {
            guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("invalid --server \(server): use the server's base URL, like http://127.0.0.1:8080")
            }
        }
    }

    func run() async throws {
        var session = try await ChatSession.make(server: server, token: try serverToken.token(), connection: connection)
        let printer = ChatPrinter(showTools: !quiet)
        if !question.isEmpty {
            let answer = await session.ask(question.joined(separator: " "), printer: printer)
            if answer.hasPrefix("Error: ") { throw ExitCode(1) }
            return
        }
        let interactive = isatty(0) == 1
        if interactive { Terminal.errorRaw("perfscope chat — \(session.describe). /help for commands, /quit to leave.") }
        while true {
            if interactive { FileHandle.standardError.write(Data("perfscope> ".utf8)) }
            guard let line = readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text.hasPrefix("/") {
                if try await session.command(text) == .quit { break }
                continue
            }
            await session.ask(text, printer: printer)
        }
    }
}

/// One chat session's state: the agent, its tools, the prompt and the questions asked.
struct ChatSession {
    enum Outcome { case `continue`, quit }

    var agent: any ChatAgent
    var tools: [String]
    var describe: String
    var history: [String] = []
    /// The turns so far, given back to an in-process agent (a server keeps its own).
    var turns: [ChatTurn] = []
    /// Rebuilds the in-process LLM agent with another system prompt; nil when there is no LLM here.
    var withPrompt: (@Sendable (String) -> any ChatAgent)?
    var prompt = LLMConfiguration.defaultSystemPrompt

    static func make(server: String?, token: String?, connection: ConnectionOptions) async throws -> ChatSession {
        if let server, let url = URL(string: server) {
            let remote = RemoteChatAgent(baseURL: url, token: token)
            let tools = try await remote.check()
            return ChatSession(agent: remote, tools: tools, describe: "asking perfscope serve at \(server)")
        }
        let context = try await ToolContext.cli(connection)
        let registry = ToolRegistry.standard
        if let llm = try LLMConfiguration.fromEnvironment() {
            return ChatSession(agent: LLMAgent(configuration: llm, registry: registry, context: context), tools: registry.tools.map(\.name),
                               describe: "LLM \(llm.model) at \(llm.baseURL.host ?? "?")",
                               withPrompt: { LLMAgent(configuration: llm, registry: registry, context: context, systemPrompt: $0) })
        }
        return ChatSession(agent: OfflineAgent(registry: registry, context: context), tools: registry.tools.map(\.name),
                           describe: "offline agent (no LLM configured: set PERFSCOPE_LLM_BASE_URL for one)")
    }

    @discardableResult
    mutating func ask(_ question: String, printer: ChatPrinter) async -> String {
        history.append(question)
        let answer = await agent.answer(question, history: Array(turns.suffix(20)), systemPrompt: nil) { await printer.show($0) }
        await printer.finish()
        turns += [ChatTurn(role: .user, content: question), ChatTurn(role: .assistant, content: answer)]
        return answer
    }

    mutating func command(_ line: String) async throws -> Outcome {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case "/quit", "/exit": return .quit
        case "/tools": print(tools.joined(separator: "\n"))
        case "/history": print(history.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
        case "/prompt":
            if let remote = agent as? RemoteChatAgent {
                // The server keeps this conversation's prompt.
                do {
                    let p = argument.isEmpty ? try await remote.systemPrompt()
                        : try await remote.setSystemPrompt(argument == "reset" ? nil : argument)
                    if argument.isEmpty { print(p.text) } else { Terminal.errorRaw("system prompt of this conversation: \(p.source)") }
                } catch {
                    Terminal.errorRaw("/prompt: \(ToolErrors.message(error))")
                }
                break
            }
            guard let withPrompt else {
                Terminal.errorRaw("/prompt: \(describe) has no system prompt (the offline agent answers from rules; set PERFSCOPE_LLM_BASE_URL for an LLM)")
                break
            }
            if argument.isEmpty { print(prompt); break }
            prompt = argument == "reset" ? LLMConfiguration.defaultSystemPrompt : argument
            agent = withPrompt(prompt)
            Terminal.errorRaw(argument == "reset" ? "system prompt reset to the default" : "system prompt replaced for this session")
        case "/help": print("/tools  /prompt [TEXT | reset]  /history  /quit — anything else is a question")
        default: Terminal.errorRaw("unknown command \(parts[0]): /help lists the commands")
        }
        return .continue
    }
}

/// Renders chat events: tool steps on stderr, answer text on stdout as it streams.
actor ChatPrinter {
    let showTools: Bool
    /// Text streamed since the last complete message; every agent streams its whole answer, so
    /// the complete message is printed only when nothing streamed.
    var streamed = false

    init(showTools: Bool) { self.showTools = showTools }

    func show(_ event: ChatEvent) {
        switch event {
        case .toolCall(let name, let arguments):
            if showTools { Terminal.errorRaw("→ \(name) \(arguments.text())") }
        case .toolResult(let name, let summary, let isError, _):
            if showTools { Terminal.errorRaw("← \(name)\(isError ? " failed" : ""): \(summary)") }
        case .message(let text):
            streamed = true
            write(text)
        case .messageComplete(let text):
            if !streamed { write(text) }
            streamed = false
        }
    }

    /// The LLM's words, without escape sequences or control characters.
    func write(_ text: String) { FileHandle.standardOutput.write(Data(TerminalText.sanitize(text).utf8)) }

    func finish() {
        write("\n")
        streamed = false
    }
}
