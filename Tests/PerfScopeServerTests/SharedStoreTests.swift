import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCore
import PerfScopeStore
import Testing

/// The server's history is opened and migrated once and shared; a store that cannot be opened
/// yet is tried again by the next caller instead of being remembered as broken.
@Suite struct SharedStoreTests {
    static func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-shared-\(UUID().uuidString)").path
    }

    @Test func concurrentCallersShareOneOpenStore() async throws {
        let shared = SharedStore(.sqlite(path: Self.scratch() + ".sqlite"), logger: Logger(label: "test"))
        let stores = try await withThrowingTaskGroup(of: ObjectIdentifier.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let store: any RunStore = try await shared.store()
                    return ObjectIdentifier(store as AnyObject)
                }
            }
            return try await group.reduce(into: Set<ObjectIdentifier>()) { $0.insert($1) }
        }
        #expect(stores.count == 1)
        await shared.close()
    }

    @Test func aStoreThatCouldNotOpenIsTriedAgain() async throws {
        // The database's directory is a plain file at first: opening fails; once it is gone, the next call opens.
        let blocker = Self.scratch()
        try Data().write(to: URL(fileURLWithPath: blocker))
        let shared = SharedStore(.sqlite(path: blocker + "/history.sqlite"), logger: Logger(label: "test"))
        await #expect(throws: StoreError.self) { _ = try await shared.store() }
        try FileManager.default.removeItem(atPath: blocker)
        let store = try await shared.store()
        #expect(try await store.count(cluster: nil) == 0)
        await shared.close()
    }
}
