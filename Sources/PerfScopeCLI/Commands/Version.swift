import ArgumentParser

/// `perfscope version`.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the perfscope version.")

    func run() throws {
        print("perfscope \(PerfScope.version)")
    }
}
