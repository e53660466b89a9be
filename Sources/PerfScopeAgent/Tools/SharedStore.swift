import Foundation
import Logging
import PerfScopeCore
import PerfScopeStore

/// The run history of a long-running server, opened and migrated once and shared by every
/// call, route and conversation — not once per request, where each open of SQLite took the
/// write lock to migrate and each open of PostgreSQL built a new pool and took the migration
/// lock. A store that could not be opened at start-up (PostgreSQL not up yet) is tried again by
/// the next call that needs it; concurrent callers wait for the same attempt.
public actor SharedStore {
    public let location: StoreLocation
    let logger: Logger
    var opening: Task<any RunStore, any Error>?

    public init(_ location: StoreLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// Opens now, so a broken store shows in the log at start-up rather than at the first question.
    public func warmUp() async {
        do { _ = try await store() } catch {
            logger.warning("run history not opened at start-up; each call will try again", metadata: ["error": "\(ToolErrors.message(error))"])
        }
    }

    public func store() async throws -> any RunStore {
        let task: Task<any RunStore, any Error>
        if let opening {
            task = opening
        } else {
            task = Task { [location] in try await RunStoreFactory.open(location) }
            opening = task
        }
        do {
            return try await task.value
        } catch {
            if opening == task { opening = nil }
            throw error
        }
    }

    public func close() async {
        if let store = try? await opening?.value { await store.close() }
        opening = nil
    }
}
