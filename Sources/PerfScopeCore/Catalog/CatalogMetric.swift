/// One entry of the metric catalog: what to query, what it means, and when it is bad.
///
/// The catalog is data (YAML resources, overridable by the config file), not code, so the
/// thresholds used by every view come from one place and a user can see and change them.
public struct CatalogMetric: Sendable, Codable, Equatable {
    /// Stable snake_case id, unique across the catalog (`wal_fsync_p99`).
    public var name: String
    /// The catalog file it came from: `etcd`, `disk`, `net` or `node`.
    public var group: String
    /// The subsystem it belongs to, as used in data gaps and per-subsystem commands (`wal-fsync`).
    public var subsystem: String
    public var title: String
    public var description: String
    /// PromQL with placeholders: `$etcd` and `$node` (label matchers of the configured
    /// selectors, written inside braces: `x{$etcd}`), `$rate` (the rate range, e.g. `5m`).
    public var query: String
    public var unit: MetricUnit
    /// The labels that identify one series of the result (default `instance`).
    public var labels: [String]
    /// The shortest `rate()` range this metric makes sense with, in seconds (etcd 3.4's peer RTT
    /// histogram is observed only a few times a minute, so it needs minutes).
    public var minRate: Double?
    /// The query touches many series (etcd's ~700 gRPC series per member): the collector starts
    /// it first so the cheap ones run in its shadow and the total stays close to its own time.
    public var expensive = false
    /// Where the metric sits in the USE method's table (`use: disk/saturation`), or nil.
    public var use: USEPlacement?
    /// The window statistic that is held against the thresholds.
    public var statistic: WindowStatistic
    public var thresholds: Thresholds?
    /// What counts as an etcd symptom the diagnosis must explain (nil: the metric is evidence only).
    public var symptom: SymptomLevel?
    /// Finding category when a threshold is crossed.
    public var category: Category
    /// Raw metric names the query needs; `doctor` checks they exist.
    public var requires: [String]
    /// An empty result is normal, not a data gap: the condition is part of the query (e.g. a
    /// fragmentation ratio only for DBs over 100 MiB, swap usage only on hosts with swap) or the
    /// counter only appears after the first event (peer send failures in etcd 3.4).
    public var emptyIsHealthy: Bool
    /// What the analysis cannot judge when this metric is missing (shown by `doctor` and in data gaps).
    public var hides: String
    /// Where the threshold comes from (etcd docs, etcd-mixin alert, node-mixin, Systems Performance).
    public var reference: String
    /// The usual technical causes when the threshold is crossed.
    public var cause: String?
    /// What to do first when the threshold is crossed.
    public var action: String?
    /// Concrete commands or queries to investigate further.
    public var investigate: [String]?
    /// The durable fix.
    public var fix: String?

    public init(name: String, group: String, subsystem: String, title: String, description: String, query: String,
                unit: MetricUnit, labels: [String] = ["instance"], statistic: WindowStatistic = .avg,
                thresholds: Thresholds? = nil, category: Category, requires: [String], emptyIsHealthy: Bool = false, hides: String,
                reference: String, cause: String? = nil, action: String? = nil, investigate: [String]? = nil, fix: String? = nil) {
        self.name = name
        self.group = group
        self.subsystem = subsystem
        self.title = title
        self.description = description
        self.query = query
        self.unit = unit
        self.labels = labels
        self.statistic = statistic
        self.thresholds = thresholds
        self.category = category
        self.requires = requires
        self.emptyIsHealthy = emptyIsHealthy
        self.hides = hides
        self.reference = reference
        self.cause = cause
        self.action = action
        self.investigate = investigate
        self.fix = fix
    }

    /// Which selectors the query uses.
    public var usesEtcdSelector: Bool { query.contains("$etcd") }
    public var usesNodeSelector: Bool { query.contains("$node") }
    /// cAdvisor's series of the etcd containers (kubelet job), tied to members by pod.
    public var usesContainerSelector: Bool { query.contains("$container") }
}

/// When a metric's value is an etcd symptom: a sustained stretch at or beyond `level` (in the
/// metric's direction), or — with `rise` — beyond the metric's least severe threshold and `rise`
/// times its own level outside the stretch (or its peers' level). A departure, not a brush with
/// a target: kept apart from the threshold levels so a busy but healthy cluster gets no cause.
public struct SymptomLevel: Sendable, Codable, Equatable {
    public var level: Double
    public var rise: Double?

    public init(level: Double, rise: Double? = nil) {
        self.level = level
        self.rise = rise
    }
}

/// Severity levels for a metric: a value at or beyond a level gets that severity.
public struct Thresholds: Sendable, Codable, Equatable {
    public enum Direction: String, Sendable, Codable, CaseIterable {
        /// Bad when the value is high (latency, utilisation).
        case above
        /// Bad when the value is low (has_leader, free space).
        case below
    }

    public var direction: Direction
    /// False for a config override that did not name a direction: merging keeps the base's.
    public var directionIsExplicit = true
    public var low: Double?
    public var medium: Double?
    public var high: Double?
    public var critical: Double?

    public init(direction: Direction = .above, low: Double? = nil, medium: Double? = nil,
                high: Double? = nil, critical: Double? = nil) {
        self.direction = direction
        self.low = low
        self.medium = medium
        self.high = high
        self.critical = critical
    }

    /// Levels from most to least severe.
    public var levels: [(Severity, Double)] {
        [(Severity.critical, critical), (.high, high), (.medium, medium), (.low, low)].compactMap { s, v in v.map { (s, $0) } }
    }

    /// The most severe level the value reaches, with that level's threshold.
    public func evaluate(_ value: Double) -> (severity: Severity, threshold: Double)? {
        guard value.isFinite else { return nil }
        for (severity, limit) in levels {
            switch direction {
            case .above where value >= limit: return (severity, limit)
            case .below where value <= limit: return (severity, limit)
            default: continue
            }
        }
        return nil
    }

    /// Applies overrides: any level set in `other` replaces ours.
    public func merged(with other: Thresholds?) -> Thresholds {
        guard let other else { return self }
        return Thresholds(direction: other.directionIsExplicit ? other.direction : direction, low: other.low ?? low, medium: other.medium ?? medium,
                          high: other.high ?? high, critical: other.critical ?? critical)
    }

    /// A description problem (levels out of order for the direction), or nil.
    public var problem: String? {
        let values = levels.map(\.1) // most → least severe
        for (a, b) in zip(values, values.dropFirst()) {
            if direction == .above, a < b { return "levels must fall from critical to low for direction above" }
            if direction == .below, a > b { return "levels must rise from critical to low for direction below" }
        }
        return levels.isEmpty ? "no level is set (low, medium, high or critical)" : nil
    }
}
