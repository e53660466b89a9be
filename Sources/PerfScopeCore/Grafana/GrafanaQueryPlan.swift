import Foundation

/// One dashboard query ready to run — or the reason it cannot run (a variable with no value, an
/// undefined variable, a value that cannot be placed safely).
public struct GrafanaPlannedQuery: Sendable, Equatable {
    public var panel: GrafanaPanel
    public var target: GrafanaTarget
    /// The substituted PromQL, nil when `problem` is set.
    public var promQL: String?
    public var problem: String?

    public init(panel: GrafanaPanel, target: GrafanaTarget, promQL: String?, problem: String?) {
        self.panel = panel
        self.target = target
        self.promQL = promQL
        self.problem = problem
    }
}

extension GrafanaDashboard {
    /// Every analysable query with its variables substituted for `context`. Pure: the same
    /// dashboard, values and window give the same PromQL.
    public func plan(context: TemplateContext) -> [GrafanaPlannedQuery] {
        queries.map { q in
            guard let expr = q.target.expr else {
                return GrafanaPlannedQuery(panel: q.panel, target: q.target, promQL: nil, problem: "no PromQL expression")
            }
            do {
                let result = try TemplateSubstitution.substitute(expr, context: context)
                if let name = result.unresolved.first {
                    return GrafanaPlannedQuery(panel: q.panel, target: q.target, promQL: nil,
                                               problem: "$\(name) has no value here — pass --var \(name)=VALUE")
                }
                if let name = result.unknown.first {
                    return GrafanaPlannedQuery(panel: q.panel, target: q.target, promQL: nil,
                                               problem: "uses $\(name), which the dashboard does not define — pass --var \(name)=VALUE")
                }
                return GrafanaPlannedQuery(panel: q.panel, target: q.target, promQL: result.text, problem: nil)
            } catch let error as any UserFacingError {
                return GrafanaPlannedQuery(panel: q.panel, target: q.target, promQL: nil, problem: error.message)
            } catch {
                return GrafanaPlannedQuery(panel: q.panel, target: q.target, promQL: nil, problem: String(describing: error))
            }
        }
    }

    /// Data gaps for targets that are not analysed because of their datasource, and for planned
    /// queries that could not be built.
    public func planGaps(_ plan: [GrafanaPlannedQuery]) -> [DataGap] {
        var gaps: [DataGap] = []
        for panel in panels {
            for target in panel.targets {
                if let other = target.otherDatasource {
                    gaps.append(DataGap(subsystem: GrafanaCategory.guess(title: panel.title, row: panel.row, queries: []).rawValue,
                                        reason: "panel \"\(panel.title)\" (\(target.refId)): datasource \(other) is not Prometheus — not analysed"))
                }
            }
        }
        for p in plan {
            if let problem = p.problem {
                gaps.append(DataGap(subsystem: GrafanaCategory.guess(title: p.panel.title, row: p.panel.row, queries: [p.target.expr ?? ""]).rawValue,
                                    reason: "panel \"\(p.panel.title)\" (\(p.target.refId)): not run — \(problem)"))
            }
        }
        return gaps
    }
}
