import Foundation

/// The window as the diagnosis sees it: points at a fixed step from the start, shared by every
/// series (range queries use one step), so a symptom on one metric and a resource signal on
/// another can be compared point by point.
struct Timeline: Sendable {
    let start: Double
    let step: Double
    let count: Int

    /// From the series' own timestamps — the finest step any series has (a fleet keeps some
    /// coarser) — or one point when there are none (two-scrape snapshots).
    init(window: Report.Window?, series: [TimeSeries]) {
        var step = Double.infinity
        for s in series {
            for (a, b) in zip(s.times, s.times.dropFirst()) where b - a >= 0.5 { step = min(step, (b - a).rounded()) }
        }
        if !step.isFinite { step = 0 }
        let first = window.map { $0.start.timeIntervalSince1970 } ?? series.compactMap(\.times.first).min() ?? 0
        let last = window.map { $0.end.timeIntervalSince1970 } ?? series.compactMap(\.times.last).max() ?? first
        if step > 0, last > first {
            self.start = first
            self.step = step
            self.count = min(20_000, (CheckedNumber.int(((last - first) / step).rounded(.down)) ?? 0) + 1)
        } else {
            self.start = last
            self.step = max(1, last - first)
            self.count = 1
        }
    }

    init(start: Double, step: Double, count: Int) {
        self.start = start
        self.step = step
        self.count = count
    }

    func index(of time: Double) -> Int? {
        guard step > 0, let i = CheckedNumber.rounded((time - start) / step) else { return nil }
        return (0..<count).contains(i) ? i : nil
    }

    func time(_ i: Int) -> Double { start + Double(i) * step }

    /// Points in a sustained stretch: 75 seconds — so that one sample of a 30 s scrape, which a
    /// finer query step repeats, is not a stretch — between 3 and 6 points (30 s at a 5 s step,
    /// 90 s at 30 s), at most a quarter of the window (one point when the window is one point).
    var sustain: Int {
        guard count > 1 else { return 1 }
        return max(1, min(count / 4, min(6, max(3, Int((75 / step).rounded(.up))))))
    }
}

/// A metric's values on the timeline; NaN where nothing was measured.
struct Trace: Sendable {
    var values: [Double]
    /// Built from a window statistic, not a series: the same value everywhere, no time information.
    var timeless = false

    var finite: [Double] { values.filter(\.isFinite) }
    var isEmpty: Bool { !values.contains(where: \.isFinite) }

    /// The worst sustained level: over every `k` consecutive points, the value most of them
    /// reach (the lower median going up, the upper median going down), and the worst of those,
    /// with the index where that stretch starts. One scrape's blip — which a query step finer
    /// than the scrape interval repeats — does not make a stretch. NaN points are skipped; a
    /// stretch needs more than half of its points measured.
    func sustained(_ k: Int, below: Bool = false) -> (value: Double, at: Int)? {
        guard k >= 1, values.count >= k else { return finite.isEmpty ? nil : (below ? finite.min()! : finite.max()!, 0) }
        var best: (Double, Int)?
        var window = [Double]()
        window.reserveCapacity(k)
        for i in 0...(values.count - k) {
            window.removeAll(keepingCapacity: true)
            for j in i..<(i + k) where values[j].isFinite { window.append(values[j]) }
            guard window.count * 2 > k || (k == 1 && window.count == 1) else { continue }
            window.sort()
            let n = window.count
            let m = below ? window[n / 2] : window[(n - 1) / 2]
            if let b = best { if below ? m < b.0 : m > b.0 { best = (m, i) } } else { best = (m, i) }
        }
        return best
    }

    /// Points at or beyond `level` (NaN: not active).
    func mask(_ level: Double, below: Bool = false) -> [Bool] {
        values.map { $0.isFinite && (below ? $0 <= level : $0 >= level) }
    }
}

/// Point indices where something is going on, with its extent.
struct Episode: Sendable, Equatable {
    /// Active points (same length as the timeline).
    var mask: [Bool]

    var first: Int? { mask.firstIndex(of: true) }
    var last: Int? { mask.lastIndex(of: true) }
    var coverage: Double { mask.isEmpty ? 0 : Double(mask.filter { $0 }.count) / Double(mask.count) }
    var isEmpty: Bool { !mask.contains(true) }

    /// Runs of active points closer than `gap` points are joined; runs shorter than `minimum`
    /// that do not contain `keep` are dropped.
    static func from(_ raw: [Bool], gap: Int, minimum: Int, keep: Int?) -> Episode {
        var m = raw
        // Close short gaps.
        var i = 0
        while i < m.count {
            if !m[i], let before = m[..<i].lastIndex(of: true), let after = m[i...].firstIndex(of: true), after - before - 1 <= gap {
                for j in i..<after { m[j] = true }
                i = after
            }
            i += 1
        }
        // Drop short runs.
        var start: Int?
        for j in 0...m.count {
            let on = j < m.count && m[j]
            if on, start == nil { start = j }
            if !on, let s = start {
                if j - s < minimum, !(keep.map { (s..<j).contains($0) } ?? false) { for x in s..<j { m[x] = false } }
                start = nil
            }
        }
        return Episode(mask: m)
    }

    /// The mask widened by `points` on both sides (rates smear an onset over their range).
    func dilated(_ points: Int) -> Episode {
        guard points > 0, !mask.isEmpty else { return self }
        // Distance to the nearest active point, forwards and backwards: O(n).
        var out = [Bool](repeating: false, count: mask.count)
        var lastOn = -Int.max / 2
        for i in mask.indices {
            if mask[i] { lastOn = i }
            if i - lastOn <= points { out[i] = true }
        }
        lastOn = Int.max / 2
        for i in mask.indices.reversed() {
            if mask[i] { lastOn = i }
            if lastOn - i <= points { out[i] = true }
        }
        return Episode(mask: out)
    }

    func overlaps(_ other: Episode) -> Bool {
        zip(mask, other.mask).contains { $0 && $1 }
    }

    func union(_ other: Episode) -> Episode {
        Episode(mask: zip(mask, other.mask).map { $0 || $1 })
    }
}

func median(_ values: [Double]) -> Double {
    let s = values.filter(\.isFinite).sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
