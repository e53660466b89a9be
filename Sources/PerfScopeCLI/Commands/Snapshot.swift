import ArgumentParser
import Foundation
import Logging
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI

/// `perfscope snapshot`: the analysis without Prometheus. Scrapes each etcd member's `/metrics`
/// (and node-exporters' with `--node`) twice, `--interval` apart, turns the differences into the
/// same catalog metrics the Prometheus path produces, and reports with the same rules.
struct Snapshot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse etcd and its hosts without Prometheus: scrape /metrics twice and compare.",
        discussion: """
        Rates and latency quantiles cover only the interval between the two scrapes; a target that
        cannot be scraped is reported (member_up 0 and a data gap), not fatal.
        Exit codes: 0 ok, 1 no target answered or runtime error, 2 usage error, 3 a finding at or above --fail-on.
        Examples:
          perfscope snapshot --endpoints http://10.0.0.1:2379,http://10.0.0.2:2379,http://10.0.0.3:2379 --node http://10.0.0.1:9100
          perfscope snapshot --endpoints https://10.0.0.1:2379 --cacert ca.pem --cert client.pem --key client-key.pem --interval 1m --format html --output snapshot.html
        """)

    @Option(name: .long, help: ArgumentHelp("etcd URLs whose /metrics to scrape, comma-separated: client URLs or --listen-metrics-urls (env PERFSCOPE_ETCD_ENDPOINTS).", valueName: "url,…"))
    var endpoints: String?

    @Option(name: .long, help: ArgumentHelp("node-exporter URLs, comma-separated (e.g. http://10.0.0.1:9100); hosts are matched to members by host part.", valueName: "url,…"))
    var node: String?

    @Option(name: .long, help: ArgumentHelp("Time between the two scrapes, at least 1s (default 30s; etcd 3.4 probes peer RTT about every 30 s).", valueName: "duration"))
    var interval: String = "30s"

    @Option(name: .long, help: ArgumentHelp("Per-request timeout (default 10s).", valueName: "duration"))
    var timeout: String = "10s"

    @Option(name: .long, help: ArgumentHelp("PEM CA file that signed the members' certificates (replaces the system roots, like etcdctl --cacert).", valueName: "path"))
    var cacert: String?

    @Option(name: .long, help: ArgumentHelp("PEM client certificate for mutual TLS (needs --key).", valueName: "path"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key of --cert (unencrypted).", valueName: "path"))
    var key: String?

    @Flag(name: .long, help: "Skip TLS certificate verification (dangerous).")
    var insecureSkipTlsVerify = false

    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Exit 3 when a finding at or above this severity exists: critical, high, medium or low.", valueName: "severity"))
    var failOn: Severity?

    @Option(name: .long, help: ArgumentHelp("Config file for thresholds, selectors and member-to-host mapping (env PERFSCOPE_CONFIG).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Directory of catalog YAML files replacing the built-in catalog.", valueName: "dir"))
    var catalog: String?

    /// `--endpoints`, else `PERFSCOPE_ETCD_ENDPOINTS`.
    func endpointsText(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        endpoints ?? env["PERFSCOPE_ETCD_ENDPOINTS"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        if failOn == .info { throw ValidationError("invalid --fail-on info: use critical, high, medium or low") }
        guard let text = endpointsText() else {
            throw ValidationError("missing --endpoints: give the etcd members' URLs, e.g. --endpoints http://10.0.0.1:2379,http://10.0.0.2:2379")
        }
        do {
            _ = try SnapshotTarget.parseList(text, kind: .etcd)
            if let node { _ = try SnapshotTarget.parseList(node, kind: .node) }
            let seconds = try DurationParser.seconds(interval)
            if seconds < 1 { throw ValidationError("invalid --interval \(interval): use at least 1s (30s or more also catches etcd's peer RTT probes)") }
            if try DurationParser.seconds(timeout) <= 0 { throw ValidationError("invalid --timeout \(timeout): use a positive duration, e.g. 10s") }
        } catch let error as any UserFacingError {
            throw ValidationError(error.message)
        }
        if cert != nil, key == nil { throw ValidationError("--cert needs --key (the client certificate's private key)") }
        if key != nil, cert == nil { throw ValidationError("--key needs --cert (the client certificate)") }
    }

    func run() async throws {
        let config = try ConfigLoader.load(explicitPath: self.config)
        let base = try (catalog ?? config.catalogDirectory).map { try Catalog.load(directory: $0) } ?? Catalog.builtIn()
        let catalog = try base.applying(overrides: config.thresholds)
        let options = try SnapshotCalculator.Options(config: config)
        let targets = try SnapshotTarget.parseList(endpointsText() ?? "", kind: .etcd)
            + (node.map { try SnapshotTarget.parseList($0, kind: .node) } ?? [])
        let seconds = try DurationParser.seconds(interval)
        let timeoutSeconds = try DurationParser.seconds(timeout)
        var logger = Logger(label: "perfscope")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        if insecureSkipTlsVerify {
            Terminal.warning("TLS certificate verification is OFF (--insecure-skip-tls-verify): the scrapes can be intercepted; use --cacert instead")
        }
        let scraperConfiguration = SnapshotScraperConfiguration(
            caFile: cacert, certFile: cert, keyFile: key, insecureSkipVerify: insecureSkipTlsVerify,
            timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        let collection = try await SnapshotScraper.withScraper(scraperConfiguration, logger: logger) { scraper in
            try await scraper.collect(targets, interval: .milliseconds(Int64(seconds * 1000))) { remaining in
                guard Terminal.stderrIsTTY else { return }
                Terminal.errorRaw("perfscope: scraped \(targets.count) target(s); second scrape in \(SnapshotCalculator.formatInterval(remaining.seconds))…")
            }
        }
        let result = collection.summarise(catalog: catalog.metrics, options: options)
        let report = ReportBuilder.build(
            id: ReportBuilder.runID(at: Date()), generatedAt: Date(), window: try collection.window(),
            catalog: catalog.metrics, summaries: result.summaries, dataGaps: result.dataGaps,
            source: collection.sourceDescription, series: [], explicitHosts: config.members)
        let text = try output.format.render(report, color: output.output == nil && Terminal.useColor)
        try Terminal.write(text, to: output.output)
        if let failOn, report.findings.contains(where: { $0.severity >= failOn }) {
            throw ExitCode(3)
        }
    }
}
