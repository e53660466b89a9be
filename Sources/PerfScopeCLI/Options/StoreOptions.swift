import ArgumentParser
import Foundation
import Logging
import PerfScopeCore
import PerfScopeStore

/// `--db`: where run history lives (shared by `analyze` and every `history` command).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "History database: a SQLite file or postgres://user:password@host:5432/db?sslmode=disable (env PERFSCOPE_DB; default $XDG_DATA_HOME/perfscope/history.sqlite, else ~/.local/share/perfscope/history.sqlite).",
        valueName: "path|url"))
    var db: String?

    func location() throws -> StoreLocation {
        try StoreLocation.resolve(flag: db)
    }

    var logger: Logger {
        var logger = Logger(label: "perfscope.store")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    func open() async throws -> any RunStore {
        try await RunStoreFactory.open(location(), logger: logger)
    }

    /// Opens the store, runs `body`, and closes the store whatever happens.
    func withStore<T: Sendable>(_ body: (any RunStore) async throws -> T) async throws -> T {
        try await RunStoreFactory.with(location(), logger: logger, body)
    }
}
