import Foundation

/// The `# TYPE` of a metric family in the Prometheus text format (0.0.4) or OpenMetrics 1.0.
///
/// OpenMetrics' `unknown` is the same thing as 0.0.4's `untyped` and parses to ``untyped``.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter
    case gauge
    case histogram
    case summary
    case untyped
    case gaugehistogram
    case stateset
    case info

    /// The type for a `# TYPE` token (`counter`, `unknown`, …); `nil` for anything else.
    public init?(token: String) {
        if token == "unknown" {
            self = .untyped
        } else if let type = MetricType(rawValue: token) {
            self = type
        } else {
            return nil
        }
    }

    /// The type for the token bytes of a `# TYPE` line, without building a `String`.
    init?(token: UnsafeBufferPointer<UInt8>) {
        switch token.count {
        case 4 where token.elementsEqual("info".utf8): self = .info
        case 5 where token.elementsEqual("gauge".utf8): self = .gauge
        case 7 where token.elementsEqual("counter".utf8): self = .counter
        case 7 where token.elementsEqual("summary".utf8): self = .summary
        case 7 where token.elementsEqual("untyped".utf8): self = .untyped
        case 7 where token.elementsEqual("unknown".utf8): self = .untyped
        case 8 where token.elementsEqual("stateset".utf8): self = .stateset
        case 9 where token.elementsEqual("histogram".utf8): self = .histogram
        case 14 where token.elementsEqual("gaugehistogram".utf8): self = .gaugehistogram
        default: return nil
        }
    }
}

/// One exposition line: a full sample name (`http_request_duration_seconds_bucket`), its
/// labels, its value, and its timestamp in seconds when the line had one.
///
/// Two samples are equal when their values are equal or both NaN.
public struct Sample: Sendable, Equatable {
    /// The full sample name, suffix included (`x_bucket`, `x_total`, `x_created` …).
    public var name: String
    /// The labels as written; a histogram bucket keeps its `le`, a summary quantile its `quantile`.
    public var labels: [String: String]
    public var value: Double
    /// Seconds since the Unix epoch: 0.0.4 milliseconds divided by 1000, OpenMetrics as written.
    public var timestamp: Double?

    public init(name: String, labels: [String: String] = [:], value: Double, timestamp: Double? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    public static func == (a: Sample, b: Sample) -> Bool {
        a.name == b.name && a.labels == b.labels && a.timestamp == b.timestamp
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// A metric family: the samples that share one `# TYPE`/`# HELP`, in input order.
///
/// The family's ``name`` is the name from its metadata lines (for an OpenMetrics counter that is
/// the name without `_total`); each ``Sample`` keeps its full name. Samples without metadata form
/// an ``MetricType/untyped`` family of their own name.
public struct MetricFamily: Sendable, Equatable {
    public var name: String
    public var type: MetricType
    public var help: String?
    public var unit: String?
    public var samples: [Sample]

    public init(name: String, type: MetricType, help: String? = nil, unit: String? = nil, samples: [Sample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
    }
}

/// What a lenient parse returns: the families it could read, one diagnostic per line it skipped,
/// and the format it read the input as.
public struct ExpositionParseResult: Sendable, Equatable {
    public var families: [MetricFamily]
    /// One error per skipped line, in input order (always empty for a strict parse).
    public var diagnostics: [ExpositionError]
    /// `.text` or `.openMetrics`: what `.auto` resolved to.
    public var format: ExpositionFormat

    public init(families: [MetricFamily], diagnostics: [ExpositionError] = [], format: ExpositionFormat) {
        self.families = families
        self.diagnostics = diagnostics
        self.format = format
    }

    /// The number of samples over all families.
    public var sampleCount: Int { families.reduce(0) { $0 + $1.samples.count } }

    /// The family with this name, if any.
    public func family(named name: String) -> MetricFamily? { families.first { $0.name == name } }
}

extension Array where Element == MetricFamily {
    /// The family with this name, if any (the family name, e.g. `foo` for OpenMetrics `foo_total`).
    public func family(named name: String) -> MetricFamily? { first { $0.name == name } }
}
