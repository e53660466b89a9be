import ArgumentParser
import Foundation
import Logging
import PerfScopeCollect
import PerfScopeCore

/// How to reach Grafana. Flags are prefixed `--grafana-` so they never clash with the
/// Prometheus connection flags on the same command. Precedence: flag > environment.
struct GrafanaOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Grafana base URL, sub-path kept (env PERFSCOPE_GRAFANA_URL), e.g. https://example/grafana.", valueName: "url"))
    var grafanaURL: String?

    @Option(name: .long, help: ArgumentHelp("API key or service-account token (env PERFSCOPE_GRAFANA_TOKEN; flags show up in ps, prefer the env).", valueName: "token"))
    var grafanaToken: String?

    @Option(name: .long, help: ArgumentHelp("Basic-auth user (env PERFSCOPE_GRAFANA_USER); password from --grafana-password or PERFSCOPE_GRAFANA_PASSWORD.", valueName: "user"))
    var grafanaUser: String?

    @Option(name: .long, help: ArgumentHelp("Basic-auth password (env PERFSCOPE_GRAFANA_PASSWORD).", valueName: "password"))
    var grafanaPassword: String?

    @Option(name: .long, help: ArgumentHelp("PEM file of CA certificates to trust for Grafana over https.", valueName: "path"))
    var grafanaCAFile: String?

    @Flag(name: .long, help: "Skip Grafana's TLS certificate verification (dangerous).")
    var grafanaInsecureSkipVerify = false

    @Option(name: .long, help: ArgumentHelp("Per-request timeout for Grafana (default 30s).", valueName: "duration"))
    var grafanaTimeout: String?

    func validate() throws {
        do {
            if let grafanaURL { _ = try GrafanaConfiguration.parseURL(grafanaURL) }
            if let grafanaTimeout { _ = try DurationParser.seconds(grafanaTimeout) }
        } catch let error as any UserFacingError {
            throw ValidationError(error.message)
        }
        if grafanaToken != nil, grafanaUser != nil { throw ValidationError("give --grafana-token or --grafana-user, not both") }
    }

    static func nonEmpty(_ key: String, _ env: [String: String]) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }

    /// Whether a Grafana URL is configured (flag or environment).
    func hasURL(environment env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        grafanaURL != nil || Self.nonEmpty("PERFSCOPE_GRAFANA_URL", env) != nil
    }

    /// The connection, or nil when no URL is configured (then only files can be read).
    func configuration(environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> GrafanaConfiguration? {
        guard let text = grafanaURL ?? Self.nonEmpty("PERFSCOPE_GRAFANA_URL", env) else { return nil }
        let url = try GrafanaConfiguration.parseURL(text)
        var auth = GrafanaConfiguration.Authentication.none
        if let token = grafanaToken ?? Self.nonEmpty("PERFSCOPE_GRAFANA_TOKEN", env) {
            auth = .bearer(token: token)
        } else if let user = grafanaUser ?? Self.nonEmpty("PERFSCOPE_GRAFANA_USER", env) {
            auth = .basic(username: user, password: grafanaPassword ?? Self.nonEmpty("PERFSCOPE_GRAFANA_PASSWORD", env) ?? "")
        }
        if grafanaInsecureSkipVerify {
            Terminal.warning("TLS certificate verification is OFF for Grafana (--grafana-insecure-skip-verify): use --grafana-ca-file instead")
        }
        let seconds = try DurationParser.seconds(grafanaTimeout ?? "30s")
        return GrafanaConfiguration(url: url, authentication: auth, caFile: grafanaCAFile, insecureSkipVerify: grafanaInsecureSkipVerify,
                                    timeout: .milliseconds(Int64(seconds * 1000)))
    }
}

/// The dashboard argument and its template variables, shared by `queries` and `analyze`.
struct DashboardOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A dashboard JSON file (bare or as the API returns it), or a dashboard UID (needs --grafana-url).", valueName: "uid|file"))
    var dashboard: String

    @Option(name: .customLong("var"), help: ArgumentHelp("Template variable value, repeatable; a name given twice is a multi-value selection.", valueName: "name=value"))
    var variables: [String] = []

    @Option(name: .long, help: ArgumentHelp("Prometheus scrape interval for $__rate_interval (default 15s, Grafana's default).", valueName: "duration"))
    var scrapeInterval: String?

    @OptionGroup var grafana: GrafanaOptions

    func validate() throws {
        do {
            _ = try TemplateContext.parseAssignments(variables)
            if let scrapeInterval { _ = try DurationParser.seconds(scrapeInterval) }
        } catch let error as any UserFacingError {
            throw ValidationError(error.message)
        }
        if case .uid(let uid) = GrafanaDashboardSource(dashboard), !grafana.hasURL() {
            throw ValidationError(GrafanaError.missingURL(uid: uid).message)
        }
    }

    var logger: Logger {
        var logger = Logger(label: "perfscope.grafana")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }

    /// Loads the dashboard and resolves its variables for the window.
    func resolve(window: TimeWindow) async throws -> (GrafanaDashboard, TemplateContext, origin: String) {
        let source = GrafanaDashboardSource(dashboard)
        let configuration = try grafana.configuration()
        let dashboard = try await source.load(grafana: configuration, logger: logger)
        let context = TemplateContext(dashboard: dashboard, userValues: try TemplateContext.parseAssignments(variables), window: window,
                                      scrapeInterval: try scrapeInterval.map { try DurationParser.seconds($0) } ?? 15)
        for name in context.undeclaredUserVariables {
            Terminal.warning("--var \(name): the dashboard declares no variable $\(name); it is substituted where it appears")
        }
        return (dashboard, context, source.origin(grafana: configuration))
    }
}
