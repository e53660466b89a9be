import Foundation

/// One point: Unix time in seconds and the value. Prometheus sends values as strings so that
/// `NaN`, `+Inf` and `-Inf` survive JSON; they decode to the matching `Double`.
public struct SamplePoint: Sendable, Equatable {
    public var time: Double
    public var value: Double

    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }

    public static func == (a: SamplePoint, b: SamplePoint) -> Bool {
        a.time == b.time && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// A labelled series with one point (instant vector) or many (range matrix).
public struct Series: Sendable, Equatable {
    public var labels: [String: String]
    public var points: [SamplePoint]

    public init(labels: [String: String], points: [SamplePoint]) {
        self.labels = labels
        self.points = points
    }

    public var instance: String? { labels["instance"] }
    /// The last point's value (the only one for an instant vector).
    public var value: Double? { points.last?.value }
}

/// The `data` of a `/api/v1/query` or `/api/v1/query_range` answer.
public enum QueryResult: Sendable, Equatable {
    case vector([Series])
    case matrix([Series])
    case scalar(SamplePoint)
    case string(time: Double, value: String)

    /// Every series, whether the result was a vector or a matrix (a scalar becomes one unlabelled series).
    public var series: [Series] {
        switch self {
        case .vector(let s), .matrix(let s): s
        case .scalar(let p): [Series(labels: [:], points: [p])]
        case .string: []
        }
    }

    public var resultType: String {
        switch self {
        case .vector: "vector"
        case .matrix: "matrix"
        case .scalar: "scalar"
        case .string: "string"
        }
    }
}

/// A query answer with the warnings Prometheus attached (e.g. partial responses from Thanos).
public struct QueryResponse: Sendable, Equatable {
    public var result: QueryResult
    public var warnings: [String]
    public var infos: [String]
}

/// `/api/v1/status/buildinfo`.
public struct BuildInfo: Sendable, Codable, Equatable {
    public var version: String
    public var revision: String?
    public var branch: String?
    public var goVersion: String?
}

/// One entry of `/api/v1/targets`' `activeTargets`.
public struct ScrapeTarget: Sendable, Codable, Equatable {
    public var labels: [String: String]
    public var discoveredLabels: [String: String]?
    public var scrapePool: String?
    public var scrapeUrl: String?
    public var health: String
    public var lastError: String?
    public var lastScrape: String?
    public var lastScrapeDuration: Double?

    public var instance: String? { labels["instance"] }
    public var job: String? { labels["job"] }
    public var isUp: Bool { health == "up" }
}

public struct TargetsResult: Sendable, Codable, Equatable {
    public var activeTargets: [ScrapeTarget]
    public var droppedTargets: [DroppedTarget]?

    public struct DroppedTarget: Sendable, Codable, Equatable {
        public var discoveredLabels: [String: String]?
    }
}
