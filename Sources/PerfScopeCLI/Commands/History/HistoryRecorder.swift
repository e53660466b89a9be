import Foundation
import PerfScopeCore
import PerfScopeStore

/// What `analyze` does with history: compare with the cluster's baseline before rendering, store
/// the run after. A store problem is one warning on stderr, never a lost report or a failed run.
struct HistoryRecorder {
    let store: any RunStore
    let cluster: String
    let rules: ComparisonRules

    /// Opens the store, or warns and returns nil.
    static func open(_ options: StoreOptions, cluster: String?, catalog: [CatalogMetric]) async -> HistoryRecorder? {
        do {
            return HistoryRecorder(store: try await options.open(), cluster: cluster.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                                   rules: HistoryRules.standard(catalog: catalog))
        } catch {
            warn("run history not available", error)
            return nil
        }
    }

    /// The report with its comparison to the cluster's baseline, when one is set.
    func withBaseline(_ report: Report) async -> Report {
        var report = report
        do {
            report.baseline = try await store.compareWithBaseline(report, cluster: cluster, rules: rules)
        } catch {
            Self.warn("cannot compare with the baseline", error)
        }
        return report
    }

    /// Stores the run and closes the store.
    func save(_ report: Report) async {
        do {
            try await store.save(report, cluster: cluster)
        } catch {
            Self.warn("run \(report.id) not stored", error)
        }
        await store.close()
    }

    static func warn(_ what: String, _ error: any Error) {
        let reason = (error as? any UserFacingError)?.message
            ?? "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown error"
        Terminal.warning("\(what): \(reason) (--no-store skips history)")
    }
}
