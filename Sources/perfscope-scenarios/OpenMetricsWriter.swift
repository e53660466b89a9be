import Foundation

typealias Labels = [(String, String)]

/// A latency distribution: a mixture of log-normal parts (a main body plus tails such as
/// scheduler delays or retransmission timeouts).
struct Latency {
    struct Part {
        var weight: Double
        var median: Double
        var sigma: Double
    }

    var parts: [Part]

    init(median: Double, sigma: Double) { parts = [Part(weight: 1, median: max(median, 1e-7), sigma: sigma)] }

    /// Adds a tail part holding `share` of the observations.
    func with(share: Double, median: Double, sigma: Double) -> Latency {
        guard share > 0 else { return self }
        var copy = self
        copy.parts = parts.map { Part(weight: $0.weight * (1 - share), median: $0.median, sigma: $0.sigma) }
        copy.parts.append(Part(weight: share, median: max(median, 1e-7), sigma: sigma))
        return copy
    }

    func cdf(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        return parts.reduce(0) { acc, p in acc + p.weight * 0.5 * erfc(-(log(x) - log(p.median)) / (p.sigma * 2.0.squareRoot())) }
    }

    func sample(_ rng: inout SplitMix64) -> Double {
        var u = rng.uniform()
        for p in parts {
            if u < p.weight { return p.median * exp(p.sigma * rng.normal()) }
            u -= p.weight
        }
        let p = parts[parts.count - 1]
        return p.median * exp(p.sigma * rng.normal())
    }
}

/// Bucket layouts copied from real scrapes.
enum Buckets {
    /// etcd WAL fsync, backend commit, snapshot: 0.001·2^k, k = 0…13.
    static let disk = (0..<14).map { 0.001 * pow(2, Double($0)) }
    /// etcd peer round-trip: 0.0001·2^k, k = 0…15.
    static let rtt = (0..<16).map { 0.0001 * pow(2, Double($0)) }
    /// Prometheus client default buckets (grpc_server_handling_seconds).
    static let grpc = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// etcd compaction pause (ms): 1·2^k, k = 0…11; total compaction (ms): 100·2^k, k = 0…13.
    static let compactionPause = (0..<12).map { pow(2, Double($0)) }
    static let compactionTotal = (0..<14).map { 100 * pow(2, Double($0)) }
    /// etcd backend defrag: 0.1·2^k, k = 0…12.
    static let defrag = (0..<13).map { 0.1 * pow(2, Double($0)) }
}

/// The series of one scenario, built step by step, then written as OpenMetrics.
final class SeriesStore {
    enum Kind: String { case gauge, counter, histogram, summary, unknown }

    struct Family {
        var name: String
        var kind: Kind
        var help: String
        var keys: [String] = []
    }

    struct Series {
        var sampleName: String
        var labels: String
        var times: [Int] = []
        var values: [Double] = []
    }

    private(set) var families: [Family] = []
    private var familyIndex: [String: Int] = [:]
    private var series: [String: Series] = [:]
    private var cumulative: [String: Double] = [:]
    /// The current scrape time (Unix seconds).
    var now = 0
    /// Unix time of the analysed window's start (process start times are written relative to it).
    var windowStart = 0

    /// Starts every cumulative series whose labels begin with `labelPrefix` (a rendered label
    /// set, e.g. a member's) from zero again: the process behind them restarted.
    func resetCumulative(labelPrefix: String) {
        let prefix = String(labelPrefix.dropLast()) // open: more labels may follow
        for key in cumulative.keys {
            guard let brace = key.firstIndex(of: "{") else { continue }
            let labels = key[brace...]
            if labels == labelPrefix || labels.hasPrefix(prefix + ",") { cumulative[key] = 0 }
        }
    }

    static func render(_ labels: Labels) -> String {
        guard !labels.isEmpty else { return "" }
        var out = "{"
        for (i, (name, value)) in labels.enumerated() {
            if i > 0 { out += "," }
            out += name + "=\""
            if value.utf8.contains(where: { $0 == 92 || $0 == 34 || $0 == 10 }) {
                for ch in value {
                    switch ch {
                    case "\\": out += "\\\\"
                    case "\"": out += "\\\""
                    case "\n": out += "\\n"
                    default: out.append(ch)
                    }
                }
            } else {
                out += value
            }
            out += "\""
        }
        return out + "}"
    }

    private func family(_ name: String, _ kind: Kind, _ help: String) -> Int {
        if let i = familyIndex[name] {
            precondition(families[i].kind == kind, "family \(name) used as \(families[i].kind) and \(kind)")
            return i
        }
        families.append(Family(name: name, kind: kind, help: help))
        familyIndex[name] = families.count - 1
        return families.count - 1
    }

    private func append(_ familyName: String, _ kind: Kind, _ help: String, sample: String, _ labels: Labels, _ value: Double) {
        append(familyName, kind, help, sample: sample, rendered: Self.render(labels), value)
    }

    private func append(_ familyName: String, _ kind: Kind, _ help: String, sample: String, rendered: String, _ value: Double) {
        let f = family(familyName, kind, help)
        let key = sample + rendered
        if series[key] == nil {
            series[key] = Series(sampleName: sample, labels: rendered)
            families[f].keys.append(key)
        }
        series[key]!.times.append(now)
        series[key]!.values.append(value)
    }

    private func add(_ familyName: String, _ kind: Kind, _ help: String, sample: String, _ labels: Labels, _ delta: Double) {
        let rendered = Self.render(labels)
        let key = sample + rendered
        let total = (cumulative[key] ?? 0) + max(0, delta)
        cumulative[key] = total
        append(familyName, kind, help, sample: sample, rendered: rendered, total)
    }

    func gauge(_ name: String, _ labels: Labels, _ value: Double, help: String = "") {
        append(name, .gauge, help, sample: name, labels, value)
    }

    /// A counter; `name` is the family name without `_total` (OpenMetrics), samples get `_total`.
    func counter(_ name: String, _ labels: Labels, add delta: Double, help: String = "") {
        add(name, .counter, help, sample: name + "_total", labels, delta)
    }

    /// An untyped cumulative value (node-exporter's vmstat and netstat counters are untyped).
    func untypedCounter(_ name: String, _ labels: Labels, add delta: Double, help: String = "") {
        add(name, .unknown, help, sample: name, labels, delta)
    }

    /// Observes `expected` values from `latency` into a cumulative histogram with these bounds.
    /// Dense: a Poisson count around the expected count per bucket; sparse (< 20): sampled one by one.
    func histogram(_ name: String, _ labels: Labels, bounds: [Double], latency: Latency, expected: Double,
                   rng: inout SplitMix64, help: String = "") {
        var perBucket = [Double](repeating: 0, count: bounds.count + 1)
        var sum = 0.0
        if expected < 20 {
            let n = Int(rng.round(expected))
            for _ in 0..<n {
                let v = latency.sample(&rng)
                let k = bounds.firstIndex { v <= $0 } ?? bounds.count
                perBucket[k] += 1
                sum += v
            }
        } else {
            var previous = 0.0
            for k in 0...bounds.count {
                let c = k < bounds.count ? latency.cdf(bounds[k]) : 1
                // Poisson counts, as real observations arrive: quantiles wobble from step to step.
                let n = rng.count(expected * (c - previous))
                previous = c
                perBucket[k] = n
                // A value inside the bucket: the geometric middle (first: below the bound, +Inf: above the last).
                let lower = k == 0 ? bounds[0] / 2 : bounds[k - 1]
                let upper = k < bounds.count ? bounds[k] : bounds[bounds.count - 1] * 2
                sum += n * (lower * upper).squareRoot()
            }
        }
        var running = 0.0
        for k in 0...bounds.count {
            running += perBucket[k]
            let le = k < bounds.count ? Self.format(bounds[k]) : "+Inf"
            add(name, .histogram, help, sample: name + "_bucket", labels + [("le", le)], running)
        }
        add(name, .histogram, help, sample: name + "_sum", labels, sum)
        add(name, .histogram, help, sample: name + "_count", labels, running)
    }

    /// A Go-style summary (go_gc_duration_seconds): quantile gauges, cumulative sum and count.
    func summary(_ name: String, _ labels: Labels, quantiles: [(Double, Double)], count: Double, sum: Double, help: String = "") {
        for (q, v) in quantiles {
            append(name, .summary, help, sample: name, labels + [("quantile", Self.format(q))], v)
        }
        add(name, .summary, help, sample: name + "_sum", labels, sum)
        add(name, .summary, help, sample: name + "_count", labels, count)
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description // shortest round-trip form, e.g. 0.0012 or 1.5e-05
    }

    /// Writes the OpenMetrics text: families grouped, `# TYPE` and `# HELP` first, seconds timestamps, `# EOF`.
    func write(to path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw GeneratorError("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer = ""
        buffer.reserveCapacity(1 << 20)
        func flush(_ force: Bool = false) throws {
            if force || buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        for f in families {
            buffer += "# TYPE \(f.name) \(f.kind.rawValue)\n"
            if !f.help.isEmpty { buffer += "# HELP \(f.name) \(f.help)\n" }
            for key in f.keys {
                guard let s = series[key] else { continue }
                let prefix = s.sampleName + s.labels + " "
                for i in s.times.indices {
                    buffer += prefix + Self.format(s.values[i]) + " " + String(s.times[i]) + "\n"
                }
                try flush()
            }
        }
        buffer += "# EOF\n"
        try flush(true)
    }

    var seriesCount: Int { series.count }
}

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
