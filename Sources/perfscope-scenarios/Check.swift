import Foundation

/// `perfscope-scenarios check DIR`: re-reads every written OpenMetrics file and fails loudly
/// when a physical invariant is broken — counters falling, timestamps not rising, histogram
/// buckets not cumulative, `+Inf` ≠ `_count`, `_sum` outside what the buckets allow, a family
/// repeated or a missing `# EOF`.
enum Check {
    struct Group {
        var buckets: [(le: Double, value: Double)] = []
        var sum: Double?
        var count: Double?
    }

    /// `restarts`: instance → Unix times its process restarted (counters may start again from zero there).
    static func file(_ path: String, restarts: [String: [Int]] = [:]) throws -> (samples: Int, problems: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw GeneratorError("cannot read \(path)") }
        var problems: [String] = []
        func problem(_ p: String) { if problems.count < 20 { problems.append(p) } }
        var kinds: [String: String] = [:]
        var current = ""
        var last: [String: (ts: Double, value: Double)] = [:]
        var groups: [String: [Double: Group]] = [:]
        var samples = 0
        var sawEOF = false
        let bytes = [UInt8](data)
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            if lineEnd == lineStart { continue }
            if sawEOF { problem("content after # EOF"); break }
            if bytes[lineStart] == 35 { // '#'
                let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
                let parts = line.split(separator: " ")
                if line == "# EOF" { sawEOF = true } else if parts.count >= 4, parts[1] == "TYPE" {
                    current = String(parts[2])
                    if kinds[current] != nil { problem("family \(current) appears twice (families must be grouped)") }
                    kinds[current] = String(parts[3])
                }
                continue
            }
            samples += 1
            // name{labels} value timestamp
            var lastSpace = lineEnd - 1
            while lastSpace > lineStart, bytes[lastSpace] != 32 { lastSpace -= 1 }
            var valueSpace = lastSpace - 1
            while valueSpace > lineStart, bytes[valueSpace] != 32 { valueSpace -= 1 }
            guard valueSpace > lineStart,
                  let ts = Double(String(decoding: bytes[(lastSpace + 1)..<lineEnd], as: UTF8.self)),
                  let value = Double(String(decoding: bytes[(valueSpace + 1)..<lastSpace], as: UTF8.self)) else {
                problem("unparsable sample: \(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self).prefix(120))"); continue
            }
            var nameEnd = lineStart
            while nameEnd < valueSpace, bytes[nameEnd] != 123 { nameEnd += 1 } // '{'
            let series = String(decoding: bytes[lineStart..<valueSpace], as: UTF8.self)
            let name = String(decoding: bytes[lineStart..<nameEnd], as: UTF8.self)
            guard name.hasPrefix(current), let kind = kinds[current] else { problem("\(name) outside its family \(current)"); continue }
            guard value.isFinite else { problem("\(series): non-finite value \(value)"); continue }
            if ts < 1e9 || ts > 1e10 { problem("\(series): timestamp \(ts) is not in seconds") }
            let suffix = String(name.dropFirst(current.count))
            let monotonic: Bool
            switch kind {
            case "counter": monotonic = true
                if suffix != "_total" { problem("counter sample \(name) must end in _total") }
            case "histogram": monotonic = true
            case "summary": monotonic = suffix == "_sum" || suffix == "_count"
            case "unknown": monotonic = true // only cumulative untyped values are written
            default: monotonic = false
            }
            if monotonic, value < 0 { problem("\(series): cumulative value \(value) below zero at \(ts)") }
            if let previous = last[series] {
                if ts <= previous.ts { problem("\(series): timestamp \(ts) not after \(previous.ts)") }
                if monotonic, value < previous.value, !restarted(series, at: Int(ts), restarts) {
                    problem("\(series): cumulative value fell \(previous.value) → \(value) at \(ts)")
                }
            }
            last[series] = (ts, value)
            if kind == "histogram" {
                var labels = String(decoding: bytes[nameEnd..<valueSpace], as: UTF8.self)
                var le: Double?
                if suffix == "_bucket" {
                    // le="…" is a label of the bucket sample: find it and drop it from the group key.
                    let lb = Array(bytes[nameEnd..<valueSpace])
                    var k = 0
                    var found = -1
                    while k + 4 <= lb.count {
                        if lb[k] == 108, lb[k + 1] == 101, lb[k + 2] == 61, lb[k + 3] == 34, k > 0, lb[k - 1] == 44 || lb[k - 1] == 123 { found = k; break }
                        k += 1
                    }
                    if found >= 0 {
                        var close = found + 4
                        while close < lb.count, lb[close] != 34 { close += 1 }
                        let text = String(decoding: lb[(found + 4)..<close], as: UTF8.self)
                        le = text == "+Inf" ? .infinity : Double(text)
                        var rest = Array(lb[..<(found - 1)])
                        var after = close + 1
                        if after < lb.count, lb[after] == 44 { after += 1; rest.append(lb[found - 1]) } // le was not the last label
                        rest += lb[after...]
                        if lb[found - 1] == 123 && rest.first != 123 { rest.insert(123, at: 0) }
                        labels = String(decoding: rest, as: UTF8.self)
                        if labels == "{}" { labels = "" }
                    }
                }
                let key = current + labels
                var g = groups[key]?[ts] ?? Group()
                switch suffix {
                case "_bucket": if let le { g.buckets.append((le, value)) } else { problem("\(series): bucket without le") }
                case "_sum": g.sum = value
                case "_count": g.count = value
                default: problem("\(name): unexpected histogram sample")
                }
                groups[key, default: [:]][ts] = g
            }
        }
        if !sawEOF { problem("missing # EOF") }
        for (key, byTime) in groups {
            for (ts, g) in byTime {
                if let p = histogramProblem(g) { problem("\(key) at \(Int(ts)): \(p)") }
            }
        }
        return (samples, problems)
    }

    /// Whether the series belongs to an instance whose process restarted at `ts`.
    static func restarted(_ series: String, at ts: Int, _ restarts: [String: [Int]]) -> Bool {
        guard !restarts.isEmpty, let r = series.range(of: "instance=\"") else { return false }
        let instance = series[r.upperBound...].prefix { $0 != "\"" }
        return restarts[String(instance)]?.contains(ts) ?? false
    }

    /// Buckets cumulative, +Inf = count, and the sum between the bounds the buckets allow.
    static func histogramProblem(_ g: Group) -> String? {
        let buckets = g.buckets.sorted { $0.le < $1.le }
        guard let inf = buckets.last, inf.le == .infinity else { return "no +Inf bucket" }
        guard let count = g.count, let sum = g.sum else { return "missing _sum or _count" }
        if inf.value != count { return "+Inf bucket \(inf.value) ≠ _count \(count)" }
        var low = 0.0, high = 0.0, previous = (le: 0.0, value: 0.0)
        for b in buckets {
            if b.value < previous.value { return "bucket le=\(b.le) \(b.value) below le=\(previous.le) \(previous.value)" }
            let n = b.value - previous.value
            low += n * previous.le
            high += b.le == .infinity ? (n > 0 ? .infinity : 0) : n * b.le
            previous = (b.le, b.value)
        }
        if sum < 0 || sum < low * (1 - 1e-9) - 1e-9 || sum > high * (1 + 1e-9) + 1e-9 {
            return "_sum \(sum) outside [\(low), \(high)] allowed by the buckets"
        }
        return nil
    }
}
