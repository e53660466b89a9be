import Foundation
@testable import PerfScopeCore
import Testing

@Suite struct GrafanaSubstitutionTests {
    /// 1 h window: step 15 s, so $__interval 15s and $__rate_interval max(15+15, 4×15) = 1m.
    static let window = try! TimeWindow(start: Date(timeIntervalSince1970: 1_700_000_000), end: Date(timeIntervalSince1970: 1_700_003_600))

    static let dashboard = GrafanaDashboard(uid: "u", title: "T", tags: [], variables: [
        GrafanaVariable(name: "cluster", type: .query, current: ["prod"]),
        GrafanaVariable(name: "cluster_name", type: .query, current: ["long-name"]),
        GrafanaVariable(name: "node", type: .query),
        GrafanaVariable(name: "all", type: .query, current: ["$__all"], includeAll: true, allValue: ".+"),
        GrafanaVariable(name: "allDefault", type: .custom, query: "a,b", current: ["$__all"], includeAll: true),
        GrafanaVariable(name: "ds", type: .datasource, query: "prometheus", current: ["prom"]),
        GrafanaVariable(name: "iv", type: .interval, query: "1m,5m", current: ["5m"]),
        GrafanaVariable(name: "k", type: .constant, query: "5"),
        GrafanaVariable(name: "choice", type: .custom, query: "x : first, y : second"),
    ], panels: [])

    static func run(_ expr: String, _ user: [String: [String]] = [:]) throws -> TemplateSubstitution.Result {
        let context = TemplateContext(dashboard: dashboard, userValues: user, window: window)
        return try TemplateSubstitution.substitute(expr, context: context)
    }

    @Test(arguments: [
        (#"up{job="$cluster"}"#, #"up{job="prod"}"#),
        (#"up{job="${cluster}"}"#, #"up{job="prod"}"#),
        (#"up{job="[[cluster]]"}"#, #"up{job="prod"}"#),
        // Longest name wins: $cluster does not clobber $cluster_name.
        (#"up{a="$cluster_name", b="$cluster"}"#, #"up{a="long-name", b="prod"}"#),
        (#"up{job=~"$cluster"}"#, #"up{job=~"prod"}"#),
        (#"rate(x[$__rate_interval])"#, "rate(x[1m])"),
        (#"rate(x[$__interval]) + $__interval_ms"#, "rate(x[15s]) + 15000"),
        (#"increase(x[$__range]) / $__range_s"#, "increase(x[1h]) / 3600"),
        (#"rate(x[${__rate_interval}])"#, "rate(x[1m])"),
        // Unresolved query variable: the matcher matches any non-empty value.
        (#"up{instance="$node"}"#, #"up{instance=~".+"}"#),
        (#"up{instance!="$node"}"#, #"up{instance!~".+"}"#),
        // "All" with the dashboard's allValue, or .* by default.
        (#"up{x=~"$all"}"#, #"up{x=~".+"}"#),
        (#"up{x="$allDefault"}"#, #"up{x=~".*"}"#),
        // Datasource variables vanish; interval and constant values are inserted as written.
        (#"up$ds"#, "up"),
        (#"rate(x[$iv]) > $k"#, "rate(x[5m]) > 5"),
        (#"up{c="$choice"}"#, #"up{c="first"}"#),
        // Formats.
        (#"up{x=~"${cluster:regex}"}"#, #"up{x=~"prod"}"#),
        (#"up{x=~"[[cluster:pipe]]"}"#, #"up{x=~"prod"}"#),
        // A regex group reference in label_replace is not a variable.
        (#"label_replace(up, "a", "$1", "b", "(.*)")"#, #"label_replace(up, "a", "$1", "b", "(.*)")"#),
    ])
    func substitutes(expr: String, expected: String) throws {
        let result = try Self.run(expr)
        #expect(result.text == expected)
        #expect(result.unresolved.isEmpty)
        #expect(result.unknown.isEmpty)
    }

    @Test(arguments: [
        // Multi-value: regex alternation, each value regex-escaped; `=` becomes `=~`.
        ([#"up{job="$cluster"}"#], ["cluster": ["a.b", "c"]], #"up{job=~"(a\\.b|c)"}"#),
        ([#"up{job=~"$cluster"}"#], ["cluster": ["a.b", "c|d"]], #"up{job=~"(a\\.b|c\\|d)"}"#),
        ([#"up{job=~"${cluster:pipe}"}"#], ["cluster": ["a", "b"]], #"up{job=~"a|b"}"#),
        ([#"up{job=~"${cluster:csv}"}"#], ["cluster": ["a", "b"]], #"up{job=~"a,b"}"#),
        ([#"up{job="$cluster"}"#], ["cluster": ["$__all"]], #"up{job=~".*"}"#),
        // A user value is a literal: a dot matches a dot.
        ([#"up{i=~"$node"}"#], ["node": ["10.0.0.1:9100"]], #"up{i=~"10\\.0\\.0\\.1:9100"}"#),
        ([#"up{i="$node"}"#], ["node": ["10.0.0.1:9100"]], #"up{i="10.0.0.1:9100"}"#),
        // Text around the variable in a matcher that becomes a regex is quoted too.
        ([#"up{i="pre.$node"}"#], ["node": ["a", "b"]], #"up{i=~"pre\\.(a|b)"}"#),
    ])
    func userValues(exprs: [String], user: [String: [String]], expected: String) throws {
        #expect(try Self.run(exprs[0], user).text == expected)
    }

    /// Hostile values cannot leave their string literal or change the selector.
    @Test(arguments: [
        #"x"} or vector(1) or up{a=""#,
        #"a\"b"#,
        "line\nbreak",
        #"back\slash"#,
        "it's",
    ])
    func hostileValuesStayInsideTheirLiteral(value: String) throws {
        for expr in [#"up{job="$cluster"}"#, #"up{job=~"$cluster"}"#, "up{job='$cluster'}"] {
            let text = try Self.run(expr, ["cluster": [value]]).text
            // One literal from the first quote to the one right before the closing brace, nothing unescaped in between.
            let quote: Character = expr.contains("'") ? "'" : "\""
            #expect(text.hasPrefix("up{job=") && text.hasSuffix("\(quote)}"), "\(text)")
            #expect(!text.contains("\n"))
            let body = text.drop { $0 != quote }.dropFirst().dropLast(2)
            var escaped = false
            for c in body {
                if escaped { escaped = false; continue }
                if c == "\\" { escaped = true; continue }
                #expect(c != quote, "unescaped quote in \(text)")
            }
        }
        // In an equality matcher the value reads back exactly (PromQL string escaping).
        let plain = try Self.run(#"up{job="$cluster"}"#, ["cluster": [value]]).text
        #expect(plain == "up{job=\"\(PromQL.escape(value))\"}")
        let regex = try Self.run(#"up{job=~"$cluster"}"#, ["cluster": [value]]).text
        #expect(regex == "up{job=~\"\(PromQL.escapeRegex(value))\"}")
    }

    @Test func unsafeValuesOutsideQuotesAreRejected() throws {
        #expect(throws: PerfScopeError.self) { try Self.run("topk($cluster, up)", ["cluster": ["5, up) or vector(1"]]) }
        #expect(try Self.run("topk($cluster, up)", ["cluster": ["5"]]).text == "topk(5, up)")
        #expect(try Self.run("sum by ($cluster) (up)", ["cluster": ["instance", "job"]]).text == "sum by (instance,job) (up)")
    }

    @Test func unknownAndUnresolvedAreReported() throws {
        let unknown = try Self.run(#"up{a="$nope"} + $other"#)
        #expect(unknown.unknown == ["nope", "other"])
        #expect(unknown.text == #"up{a="$nope"} + $other"#)
        let unresolved = try Self.run("topk($node, up)")
        #expect(unresolved.unresolved == ["node"])
    }

    @Test func rateIntervalFollowsTheScrapeInterval() throws {
        let ten = try TimeWindow(duration: 600, endingAt: Date(timeIntervalSince1970: 1_700_000_000)) // step 5 s
        #expect(TemplateContext.builtins(window: ten, scrapeInterval: 5)["__rate_interval"] == .raw("20s"))
        #expect(TemplateContext.builtins(window: ten)["__rate_interval"] == .raw("1m"))
        let day = try TimeWindow(duration: 86400, endingAt: Date(timeIntervalSince1970: 1_700_000_000)) // step 360 s
        #expect(TemplateContext.builtins(window: day)["__rate_interval"] == .raw("6m15s"))
    }

    @Test func assignments() throws {
        #expect(try TemplateContext.parseAssignments(["job=etcd", "$node=a", "node=b=c"]) == ["job": ["etcd"], "node": ["a", "b=c"]])
        #expect(throws: PerfScopeError.self) { try TemplateContext.parseAssignments(["novalue"]) }
        #expect(throws: PerfScopeError.self) { try TemplateContext.parseAssignments(["bad name=x"]) }
    }

    /// Every query of the real dashboards substitutes completely: no `$` or `[[` left (a `$1`
    /// regex group excepted), nothing unresolved or unknown.
    @Test(arguments: ["etcd-mixin.json", "node-exporter-full.json"])
    func realDashboardsSubstituteCompletely(file: String) throws {
        let dashboard = try GrafanaDashboard.parse(try DashboardFixtures.data(file))
        let context = TemplateContext(dashboard: dashboard, userValues: ["cluster": ["etcd"]], window: Self.window)
        let plan = dashboard.plan(context: context)
        #expect(plan.count == dashboard.queries.count)
        for p in plan {
            let q = try #require(p.promQL, "\(p.panel.title)/\(p.target.refId): \(p.problem ?? "")")
            #expect(!q.contains("[["), "\(q)")
            let dollars = q.indices.filter { q[$0] == "$" && !(q[q.index(after: $0)...].first?.isNumber ?? false) }
            #expect(dollars.isEmpty, "\(q)")
        }
    }
}
