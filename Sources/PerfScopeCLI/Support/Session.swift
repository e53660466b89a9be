import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// The CLI's view of an `AnalysisRuntime`: built from the connection flags, with progress on
/// the terminal. The analysis itself lives in the runtime, shared with MCP, HTTP and the agent.
struct Session {
    let runtime: AnalysisRuntime
    var config: PerfScopeConfig { runtime.config }
    var catalog: Catalog { runtime.catalog }
    var prometheus: PrometheusConfiguration { runtime.prometheus }
    var logger: Logger { runtime.logger }

    /// Resolves config, catalog and Prometheus; with `--kubeconfig`/`--kube-context` (or
    /// PERFSCOPE_KUBECONFIG) it first asks the Kubernetes API, read-only, for the cluster: its
    /// etcd member → node map, its name, and its Prometheus when none is configured.
    static func make(_ options: ConnectionOptions, catalogDirectory: String? = nil) async throws -> Session {
        var config = try options.loadConfig()
        var logger = Logger(label: "perfscope")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        var cluster: ClusterContext?
        var prometheus: PrometheusConfiguration
        if let request = options.kubeDiscovery() {
            let connection = try KubeConnection.resolve(kubeconfig: request.path, context: request.context)
            let info = try await ClusterDiscovery.discover(connection)
            config = info.applied(to: config, clusterName: connection.cluster)
            let (usable, reason) = info.usablePrometheus
            prometheus = try options.prometheusConfiguration(config, discovered: usable, kubeToken: connection.token.map { first in
                // The kubeconfig is read again every 30 s (`oc login` writes a new token there), so a
                // long-running serve keeps working; the first token is the one discovery used.
                BearerTokenSource(description: "kubeconfig \(request.path ?? "default") context \(connection.context)", initial: first) {
                    guard let token = try KubeConnection.resolve(kubeconfig: request.path, context: request.context).token else {
                        throw PerfScopeError.configuration("the kubeconfig no longer has a token for context \(connection.context): log in again (oc login) or set PERFSCOPE_KUBE_TOKEN")
                    }
                    return token
                }
            })
            cluster = info.context(name: config.cluster)
            if options.configuredPrometheusURL(config) == nil {
                // Never analyse some other Prometheus (a default or a stray port-forward) under this cluster's name.
                guard let usable else { throw PerfScopeError.configuration(reason ?? "no usable Prometheus discovered: pass --prometheus") }
                cluster?.prometheusSource = usable.source
            }
        } else {
            prometheus = try options.prometheusConfiguration(config)
        }
        return Session(runtime: AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, directory: catalogDirectory),
                                                prometheus: prometheus, logger: logger, cluster: cluster))
    }

    static let progress: @Sendable (Int, Int) -> Void = { done, total in Terminal.progress("collecting", done: done, total: total) }

    func withClient<T: Sendable>(_ body: (PrometheusClient) async throws -> T) async throws -> T {
        try await runtime.withClient(body)
    }

    /// Collects `metrics` (default: the whole catalog) over the window and builds the report.
    func analyze(window: TimeWindow, metrics: [CatalogMetric]? = nil, diagnose: Bool = true) async throws -> Report {
        try await runtime.analyze(window: window, metrics: metrics, diagnose: diagnose, progress: Self.progress)
    }

    static func probe(_ client: PrometheusClient) async throws { try await AnalysisRuntime.probe(client) }
}
