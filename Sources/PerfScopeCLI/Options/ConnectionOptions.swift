import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// How to reach Prometheus, shared by every command that queries it.
/// Precedence: flag > environment > config file > default.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Prometheus-compatible API base URL (env PERFSCOPE_PROMETHEUS_URL; default http://127.0.0.1:9090).", valueName: "url"))
    var prometheus: String?

    @Option(name: .long, help: ArgumentHelp("Config file (env PERFSCOPE_CONFIG; default ./perfscope.yaml, then ~/.config/perfscope/perfscope.yaml).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Bearer token (env PERFSCOPE_PROMETHEUS_TOKEN). Prefer --token-file: flags show up in ps.", valueName: "token"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp("File holding the bearer token (env PERFSCOPE_PROMETHEUS_TOKEN_FILE).", valueName: "path"))
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Basic-auth user (env PERFSCOPE_PROMETHEUS_USERNAME); password from --password-file or PERFSCOPE_PROMETHEUS_PASSWORD.", valueName: "user"))
    var username: String?

    @Option(name: .long, help: ArgumentHelp("File holding the basic-auth password.", valueName: "path"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp("PEM file of CA certificates to trust for https.", valueName: "path"))
    var caFile: String?

    @Flag(name: .long, help: "Skip TLS certificate verification (dangerous: anyone on the path can read the token).")
    var insecureSkipVerify = false

    @Option(name: .customLong("header"), help: ArgumentHelp("Extra request header, repeatable, e.g. \"X-Scope-OrgID: tenant-1\".", valueName: "name: value"))
    var headers: [String] = []

    @Option(name: .long, help: ArgumentHelp("Kubeconfig to discover the cluster from (env PERFSCOPE_KUBECONFIG; KUBECONFIG lists are merged): its Prometheus when none is given, etcd members → nodes, the report header. API token: the kubeconfig's or PERFSCOPE_KUBE_TOKEN.", valueName: "path"))
    var kubeconfig: String?

    @Option(name: .long, help: ArgumentHelp("Kubeconfig context to discover (default: current-context); implies discovery with the default kubeconfig.", valueName: "name"))
    var kubeContext: String?

    @Option(name: .long, help: ArgumentHelp("Per-request timeout (default 30s).", valueName: "duration"))
    var timeout: String?

    @Option(name: .long, help: ArgumentHelp("Queries in flight at once (default 6).", valueName: "n"))
    var concurrency: Int?

    func validate() throws {
        if let prometheus { _ = try wrap { try PrometheusConfiguration.parseURL(prometheus) } }
        if let timeout { _ = try wrap { try DurationParser.seconds(timeout) } }
        for header in headers { _ = try wrap { try PrometheusConfiguration.parseHeader(header) } }
        if let concurrency, !(1...64).contains(concurrency) {
            throw ValidationError("invalid --concurrency \(concurrency): use 1 to 64")
        }
        if token != nil, tokenFile != nil { throw ValidationError("give --token or --token-file, not both") }
    }

    /// Turns a user-facing error thrown during validation into ArgumentParser's usage error (exit 2).
    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as any UserFacingError {
            throw ValidationError(error.message)
        }
    }

    func loadConfig(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PerfScopeConfig {
        try ConfigLoader.load(explicitPath: config, environment: environment)
    }

    /// The kubeconfig to discover from, when discovery was asked for (`--kubeconfig`,
    /// `--kube-context` or `PERFSCOPE_KUBECONFIG`): the path (nil = KUBECONFIG or ~/.kube/config) and context.
    func kubeDiscovery(environment env: [String: String] = ProcessInfo.processInfo.environment) -> (path: String?, context: String?)? {
        let fromEnv = env["PERFSCOPE_KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        guard kubeconfig != nil || kubeContext != nil || fromEnv != nil else { return nil }
        return (kubeconfig ?? fromEnv, kubeContext)
    }

    /// The Prometheus URL given by flag, environment or config file; nil when none was.
    func configuredPrometheusURL(_ config: PerfScopeConfig, environment env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        prometheus ?? env["PERFSCOPE_PROMETHEUS_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? config.prometheus.url
    }

    /// Resolves the Prometheus connection from flags, environment and config, then the
    /// `discovered` one (OpenShift's Thanos Querier, with `kubeToken`), then the default.
    func prometheusConfiguration(_ config: PerfScopeConfig, discovered: ClusterInfo.DiscoveredPrometheus? = nil, kubeToken: BearerTokenSource? = nil,
                                 environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> PrometheusConfiguration {
        func nonEmpty(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        let configured = configuredPrometheusURL(config, environment: env)
        let urlText = configured ?? discovered?.url ?? "http://127.0.0.1:9090"
        let url = try PrometheusConfiguration.parseURL(urlText)

        var auth = PrometheusConfiguration.Authentication.none
        if configured == nil, discovered?.usesKubeToken == true, let kubeToken { auth = .bearerSource(kubeToken) }
        if let token = token ?? nonEmpty("PERFSCOPE_PROMETHEUS_TOKEN") {
            auth = .bearer(token: token)
        } else if let file = tokenFile ?? nonEmpty("PERFSCOPE_PROMETHEUS_TOKEN_FILE") ?? config.prometheus.tokenFile {
            // Read now (a wrong path fails at once) and again as it rotates (projected service-account tokens).
            let source = BearerTokenSource.file(file)
            _ = try source.token()
            auth = .bearerSource(source)
        } else if let token = config.prometheus.token {
            auth = .bearer(token: token)
        } else if let user = username ?? nonEmpty("PERFSCOPE_PROMETHEUS_USERNAME") ?? config.prometheus.username {
            let password: String
            if let file = passwordFile ?? config.prometheus.passwordFile {
                password = try PrometheusConfiguration.readSecretFile(file)
            } else {
                password = nonEmpty("PERFSCOPE_PROMETHEUS_PASSWORD") ?? config.prometheus.password ?? ""
            }
            auth = .basic(username: user, password: password)
        }

        var headerList = config.prometheus.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        for header in headers {
            let parsed = try PrometheusConfiguration.parseHeader(header)
            headerList.removeAll { $0.name.lowercased() == parsed.name.lowercased() }
            headerList.append(parsed)
        }
        let insecure = insecureSkipVerify || (config.prometheus.insecureSkipVerify ?? false)
        if insecure {
            Terminal.warning("TLS certificate verification is OFF (--insecure-skip-verify): the connection to \(url.host ?? "Prometheus") can be intercepted; use --ca-file instead")
        }
        let timeoutSeconds = try DurationParser.seconds(timeout ?? config.prometheus.timeout ?? "30s")
        return PrometheusConfiguration(
            url: url, authentication: auth, caFile: caFile ?? config.prometheus.caFile,
            insecureSkipVerify: insecure, headers: headerList,
            timeout: .milliseconds(Int64(timeoutSeconds * 1000)),
            maxConcurrency: concurrency ?? config.prometheus.concurrency ?? 6)
    }
}
