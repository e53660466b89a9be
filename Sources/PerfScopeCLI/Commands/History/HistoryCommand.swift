import ArgumentParser
import Foundation
import PerfScopeCollect
import PerfScopeCore
import PerfScopeStore

/// `perfscope history …`: stored runs, baselines, comparisons and trends.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Stored runs: list, show, compare with a baseline, trends, prune, export.",
        discussion: """
        perfscope analyze stores every run (unless --no-store) in the history database: a SQLite \
        file by default ($XDG_DATA_HOME/perfscope/history.sqlite, else \
        ~/.local/share/perfscope/history.sqlite) or PostgreSQL (--db \
        postgres://user:password@host:5432/db?sslmode=disable, or PERFSCOPE_DB). RUN is a run id, \
        a unique prefix of one, or "latest". When a cluster has a baseline, analyze compares each \
        new run with it.

        Examples:
          perfscope history list --duration 7d --cluster prod
          perfscope history show latest --format html --output run.html
          perfscope history baseline set 20261129T100000Z-ab12cd
          perfscope history compare latest
          perfscope history trend wal_fsync_p99 --instance 10.0.0.1:2379 --duration 30d
          perfscope history prune --older-than 90d
        """,
        subcommands: [HistoryList.self, HistoryShow.self, HistoryCompare.self, HistoryBaseline.self,
                      HistoryTrend.self, HistoryPrune.self, HistoryExport.self])

    enum TextOrJSON: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum TrendFormat: String, ExpressibleByArgument, CaseIterable { case text, json, html }
}

/// `--duration` (ending now) or `--start`/`--end` over run creation times; nothing means all runs.
struct HistoryWindowOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Runs created in this long before now: 1h, 7d, 30d.", valueName: "duration"))
    var duration: String?

    @Option(name: .long, help: ArgumentHelp("Runs created at or after: RFC 3339 or Unix seconds.", valueName: "time"))
    var start: String?

    @Option(name: .long, help: ArgumentHelp("Runs created at or before: RFC 3339 or Unix seconds (default now).", valueName: "time"))
    var end: String?

    func validate() throws {
        do { _ = try bounds() } catch let error as any UserFacingError { throw ValidationError(error.message) }
    }

    /// (since, until); nil bounds are open.
    func bounds(now: Date = Date(), defaultDuration: String? = nil) throws -> (Date?, Date?) {
        if duration == nil, start == nil {
            if let defaultDuration {
                let w = try TimeWindow.resolve(duration: defaultDuration, start: nil, end: end, now: now)
                return (w.start, w.end)
            }
            return (nil, try end.map { try TimeWindow.parseTime($0, flag: "--end") })
        }
        let w = try TimeWindow.resolve(duration: duration, start: start, end: end, now: now)
        return (w.start, w.end)
    }
}

/// The catalog's judged statistic per metric, so a comparison uses the same number the findings did.
enum HistoryRules {
    static func standard(catalog: [CatalogMetric]? = nil) -> ComparisonRules {
        let metrics = catalog ?? ((try? Catalog.builtIn())?.metrics ?? [])
        return ComparisonRules(statistics: Dictionary(metrics.map { ($0.name, $0.statistic) }, uniquingKeysWith: { a, _ in a }))
    }
}

struct HistoryList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored runs, newest first.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var window: HistoryWindowOptions
    @Option(name: .long, help: ArgumentHelp("Only runs of this cluster (the config's cluster:, else \"default\").", valueName: "name"))
    var cluster: String?
    @Option(name: .long, help: ArgumentHelp("At most this many runs (default 20; 0 for all).", valueName: "n"))
    var limit = 20
    @Option(name: .long, help: "text or json.") var format: HistoryCommand.TextOrJSON = .text

    func validate() throws {
        if limit < 0 { throw ValidationError("invalid --limit \(limit): use 0 (all) or more") }
    }

    func run() async throws {
        let (since, until) = try window.bounds()
        let runs = try await store.withStore { try await $0.list(RunQuery(since: since, until: until, cluster: cluster, limit: limit == 0 ? nil : limit)) }
        switch format {
        case .json: try Terminal.write(try JSONRendering.encode(runs), to: nil)
        case .text: try Terminal.write(HistoryText.runs(runs), to: nil)
        }
    }
}

struct HistoryShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a stored run's report (text, json, markdown or html).")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id, a unique prefix of one, or latest.", valueName: "run")) var run: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let report = try await store.withStore { s in try await s.get(try await s.resolveRunID(run)) }
        try Terminal.write(try output.format.render(report, color: output.output == nil && Terminal.useColor), to: output.output)
    }
}

struct HistoryCompare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a run with its cluster's baseline (or --baseline RUN): per-metric deltas, regressions flagged.",
        discussion: """
        A series regresses when its judged statistic (the catalog's: avg, max, last…) reaches a \
        higher threshold level than in the baseline, or, for latencies and utilisations, moves by \
        --relative (default 50 %) or more in the bad direction (and by at least 1 ms or 2 points, \
        so noise is not flagged). Rates and counts are flagged only by a threshold level crossed.
        """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id, a unique prefix of one, or latest.", valueName: "run")) var run: String
    @Option(name: .long, help: ArgumentHelp("Compare with this run instead of the cluster's baseline.", valueName: "run")) var baseline: String?
    @Option(name: .long, help: ArgumentHelp("Relative change flagged as a regression, e.g. 50% or 0.5 (default 50%).", valueName: "fraction")) var relative: String?
    @Flag(name: .long, help: "List unchanged series too.") var all = false
    @Option(name: .long, help: "text or json.") var format: HistoryCommand.TextOrJSON = .text

    func validate() throws { _ = try relativeChange() }

    func relativeChange() throws -> Double {
        guard let relative else { return 0.5 }
        let t = relative.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
        guard let value, value > 0, value.isFinite else { throw ValidationError("invalid --relative \(relative): use e.g. 50% or 0.5") }
        return value
    }

    func run() async throws {
        var rules = HistoryRules.standard()
        rules.relativeChange = try relativeChange()
        let comparison = try await store.withStore { try await $0.compare(run, baseline: baseline, rules: rules, includeUnchanged: all) }
        switch format {
        case .json: try Terminal.write(try JSONRendering.encode(comparison), to: nil)
        case .text: try Terminal.write(HistoryText.comparison(comparison), to: nil)
        }
    }
}

struct HistoryBaseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Set or show the baseline run of a cluster (analyze compares new runs with it).",
        subcommands: [SetBaseline.self, ShowBaseline.self])

    struct SetBaseline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Make a run its cluster's baseline.")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Run id, a unique prefix of one, or latest.", valueName: "run")) var run: String

        func run() async throws {
            let summary = try await store.withStore { s in try await s.setBaseline(try await s.resolveRunID(run)) }
            try Terminal.write("baseline of cluster \(summary.cluster) is now \(summary.id) (\(TimeWindow.format(summary.createdAt)), grade \(summary.grade.rawValue))\n", to: nil)
        }
    }

    struct ShowBaseline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the baseline of a cluster, or of every cluster.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: ArgumentHelp("Only this cluster.", valueName: "name")) var cluster: String?
        @Option(name: .long, help: "text or json.") var format: HistoryCommand.TextOrJSON = .text

        func run() async throws {
            let runs = try await store.withStore { s in
                if let cluster { return try await s.baseline(cluster: cluster).map { [$0] } ?? [] }
                return try await s.baselines()
            }
            switch format {
            case .json: try Terminal.write(try JSONRendering.encode(runs), to: nil)
            case .text:
                if runs.isEmpty {
                    try Terminal.write("no baseline\(cluster.map { " for cluster \($0)" } ?? ""): set one with perfscope history baseline set RUN\n", to: nil)
                } else {
                    try Terminal.write(HistoryText.runs(runs), to: nil)
                }
            }
        }
    }
}

struct HistoryTrend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "A metric's values across stored runs: sparkline in the terminal, SVG chart in HTML.",
        discussion: "METRIC is a catalog metric name (perfscope catalog list), e.g. wal_fsync_p99, cpu_utilisation.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Catalog metric name.", valueName: "metric")) var metric: String
    @Option(name: .long, help: ArgumentHelp("Only this instance.", valueName: "instance")) var instance: String?
    @Option(name: .long, help: ArgumentHelp("Only runs of this cluster.", valueName: "name")) var cluster: String?
    @OptionGroup var window: HistoryWindowOptions
    @Option(name: .long, help: ArgumentHelp("Window statistic per run: avg, max, min, last or p95 (default: the one the catalog judges).", valueName: "stat"))
    var stat: String?
    @Option(name: .long, help: "text, json or html.") var format: HistoryCommand.TrendFormat = .text
    @Option(name: .long, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var output: String?

    func validate() throws {
        if let stat, WindowStatistic(rawValue: stat) == nil || stat == "increase" {
            throw ValidationError("invalid --stat \(stat): use avg, max, min, last or p95")
        }
    }

    func run() async throws {
        let (since, until) = try window.bounds(defaultDuration: "30d")
        let catalogMetric = (try? Catalog.builtIn())?.metric(named: metric)
        let judged = catalogMetric?.statistic ?? .avg
        let statistic = stat.flatMap(WindowStatistic.init(rawValue:)) ?? (judged == .increase ? .avg : judged)
        let points = try await store.withStore { try await $0.trend(TrendQuery(metric: metric, instance: instance, cluster: cluster, since: since, until: until)) }
        let trend = Trend(metric: metric, statistic: statistic, points: points)
        let text: String
        switch format {
        case .text: text = TrendView.text(trend)
        case .json: text = try JSONRendering.encode(trend)
        case .html: text = TrendView.html(trend, threshold: statistic == judged ? catalogMetric?.thresholds?.levels.last?.1 : nil)
        }
        try Terminal.write(text, to: output)
    }
}

struct HistoryPrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete runs older than a duration (baselines are kept) and chat conversations not updated since.")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: ArgumentHelp("Age: 30d, 12w, 36h.", valueName: "duration")) var olderThan: String
    @Option(name: .long, help: ArgumentHelp("Also keep at most this many chat conversations (the most recently updated).", valueName: "n"))
    var keepConversations: Int?

    func validate() throws {
        do { _ = try DurationParser.seconds(olderThan) } catch let error as any UserFacingError {
            throw ValidationError("invalid --older-than: \(error.message)")
        }
        if let keepConversations, keepConversations < 0 { throw ValidationError("invalid --keep-conversations \(keepConversations): use 0 or more") }
    }

    func run() async throws {
        let cutoff = Date().addingTimeInterval(-(try DurationParser.seconds(olderThan)))
        let (pruned, conversations, left) = try await store.withStore { s in
            (try await s.prune(olderThan: cutoff), try await s.pruneConversations(updatedBefore: cutoff, keepNewest: keepConversations),
             try await s.count(cluster: nil))
        }
        try Terminal.write("pruned \(pruned) run\(pruned == 1 ? "" : "s") created before \(TimeWindow.format(cutoff)) (baselines kept); \(left) left; "
            + "pruned \(conversations) conversation\(conversations == 1 ? "" : "s")\n", to: nil)
    }
}

struct HistoryExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a stored run: its JSON report, or its metric summaries as CSV.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id, a unique prefix of one, or latest.", valueName: "run")) var run: String
    @Option(name: .long, help: "json (the report) or csv (one row per metric series).") var format: ExportFormat = .json
    @Option(name: .long, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var output: String?

    func run() async throws {
        let text = try await store.withStore { try await $0.export(run, format: format) }
        try Terminal.write(text, to: output)
    }
}

extension ExportFormat: ExpressibleByArgument {}

/// Text layouts of history output.
enum HistoryText {
    static func runs(_ runs: [RunSummary]) -> String {
        guard !runs.isEmpty else { return "no stored runs match\n" }
        var rows: [[String]] = [["run", "created", "cluster", "grade", "crit/high/med/low", "root cause", "baseline"]]
        // One formatter for the whole list (TimeWindow.format makes one per call: slow for 10 000 runs).
        let time = ISO8601DateFormatter()
        time.formatOptions = [.withInternetDateTime]
        for r in runs {
            let c = r.findingCounts
            rows.append([r.id, time.string(from: r.createdAt), r.cluster, r.grade.rawValue,
                         "\(c["critical"] ?? 0)/\(c["high"] ?? 0)/\(c["medium"] ?? 0)/\(c["low"] ?? 0)",
                         r.topRootCause ?? "-", r.isBaseline ? "yes" : ""])
        }
        return Table.render(rows)
    }

    static func comparison(_ c: BaselineComparison) -> String {
        var out = "run \(c.runID) (\(c.grade.rawValue)) " + ComparisonView.headline(c) + "\n"
        let shown = c.deltas
        if !shown.isEmpty {
            var rows: [[String]] = [["", "metric", "series", "stat", "baseline", "run", "change", "why"]]
            for d in shown {
                let mark = d.verdict == .regression ? "↑" : d.verdict == .improvement ? "↓" : " "
                let change = d.relative.map { String(format: "%+.0f %%", $0 * 100) } ?? (d.absolute == 0 ? "0" : "from 0")
                rows.append([mark, d.metric, d.seriesName, d.statistic.rawValue, d.unit.format(d.baseline), d.unit.format(d.current),
                             change, d.reasons.joined(separator: "; ")])
            }
            out += Table.render(rows, indent: "  ", rightAligned: [4, 5, 6])
        } else if c.regressions == 0, c.improvements == 0 {
            out += "  no series changed beyond the thresholds and the relative rule\n"
        }
        if !c.newFindings.isEmpty { out += "new findings: " + c.newFindings.joined(separator: ", ") + "\n" }
        if !c.resolvedFindings.isEmpty { out += "resolved findings: " + c.resolvedFindings.joined(separator: ", ") + "\n" }
        if !c.onlyInRun.isEmpty { out += "series only in this run: \(c.onlyInRun.count)\n" }
        if !c.onlyInBaseline.isEmpty { out += "series only in the baseline: \(c.onlyInBaseline.count)\n" }
        return out
    }
}
