import Foundation

/// A small chart carried in the report (per-member series over the window), so the HTML report
/// can draw it offline and JSON consumers can plot it themselves.
public struct Chart: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public var name: String
        /// `[unix seconds, value]` pairs; non-finite values are dropped.
        public var points: [[Double]]
    }

    public var metric: String
    public var title: String
    public var unit: MetricUnit
    public var lines: [Line]
    /// A horizontal reference line (the metric's lowest threshold), if any.
    public var threshold: Double?

    /// Charts for the metrics that explain etcd latency, one line per series.
    /// The report's charts unless a caller names others.
    public static let standardMetrics = ["wal_fsync_p99", "backend_commit_p99", "peer_rtt_p99", "cpu_utilisation", "disk_utilisation"]

    public static func standard(series: [TimeSeries], catalog: [CatalogMetric], metrics: [String] = standardMetrics) -> [Chart] {
        metrics.compactMap { name in
            guard let m = catalog.first(where: { $0.name == name }) else { return nil }
            let lines = series.filter { $0.metric == name }.map { s in
                Line(name: ([s.instance] + s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " "),
                     points: zip(s.times, s.values).filter { $0.1.isFinite }.map { [$0.0, $0.1] })
            }.filter { !$0.points.isEmpty }
            guard !lines.isEmpty else { return nil }
            return Chart(metric: name, title: m.title, unit: m.unit, lines: lines, threshold: m.thresholds?.levels.last?.1)
        }
    }
}

/// Renders a `Chart` as inline SVG (no scripts, no external assets).
public enum SVGChart {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    public static func render(_ chart: Chart, width: Double = 720, height: Double = 220) -> String {
        let all = chart.lines.flatMap(\.points)
        guard let t0 = all.map({ $0[0] }).min(), let t1 = all.map({ $0[0] }).max() else { return "" }
        var vmax = all.map { $0[1] }.max() ?? 1
        if let t = chart.threshold, t <= vmax * 3 { vmax = max(vmax, t) }
        vmax = vmax <= 0 ? 1 : vmax * 1.1
        let left = 70.0, right = 10.0, top = 10.0, bottom = 40.0
        let w = width - left - right, h = height - top - bottom
        func x(_ t: Double) -> Double { left + (t1 > t0 ? (t - t0) / (t1 - t0) * w : w / 2) }
        func y(_ v: Double) -> Double { top + h - min(v, vmax) / vmax * h }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(chart.title))\" class=\"chart\">"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(w)\" height=\"\(h)\" fill=\"none\" stroke=\"#8886\"/>"
        for i in 0...4 {
            let v = vmax * Double(i) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(f(y(v)) )\" text-anchor=\"end\" font-size=\"10\" dominant-baseline=\"middle\" fill=\"currentColor\">\(escape(chart.unit.format(v)))</text>"
            if i > 0 { svg += "<line x1=\"\(left)\" x2=\"\(left + w)\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#8882\"/>" }
        }
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm"
        for i in 0...4 {
            let t = t0 + (t1 - t0) * Double(i) / 4
            svg += "<text x=\"\(f(x(t)))\" y=\"\(f(top + h + 14))\" text-anchor=\"middle\" font-size=\"10\" fill=\"currentColor\">\(formatter.string(from: Date(timeIntervalSince1970: t)))</text>"
        }
        if let t = chart.threshold, t <= vmax {
            svg += "<line x1=\"\(left)\" x2=\"\(left + w)\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"><title>threshold \(escape(chart.unit.format(t)))</title></line>"
        }
        for (i, line) in chart.lines.enumerated() {
            let color = palette[i % palette.count]
            let d = line.points.enumerated().map { j, p in "\(j == 0 ? "M" : "L")\(f(x(p[0]))),\(f(y(p[1])))" }.joined()
            svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"><title>\(escape(line.name))</title></path>"
            let lx = left + Double(i % 4) * (w / 4)
            let ly = height - 8 - Double(i / 4) * 12
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 8))\" width=\"10\" height=\"3\" fill=\"\(color)\"/><text x=\"\(f(lx + 14))\" y=\"\(f(ly - 4))\" font-size=\"10\" dominant-baseline=\"middle\" fill=\"currentColor\">\(escape(line.name))</text>"
        }
        return svg + "</svg>"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String { Markup.html(s) }
}
