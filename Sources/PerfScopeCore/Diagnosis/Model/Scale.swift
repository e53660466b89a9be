/// How strongly a value speaks for trouble (0 = nothing, 1 = unmistakable), read from the
/// metric's catalog levels — the same levels the threshold findings use, so a `perfscope.yaml`
/// override changes causes and findings alike.
///
/// The least severe level is modest evidence (0.35), the most severe unmistakable (1), linear in
/// between; below the least severe level the strength falls to 0 one level-step earlier (never
/// below half the level), so a value just short of a level still counts a little. A metric with
/// one level: 0 at half of it, 1 at it.
struct Scale: Sendable {
    let direction: Thresholds.Direction
    /// (value, strength), ordered from harmless to worst.
    let points: [(value: Double, strength: Double)]

    init?(_ t: Thresholds?) {
        guard let t else { return nil }
        // Least severe first.
        let levels = t.levels.map(\.1).reversed().filter(\.isFinite)
        guard let l1 = levels.first else { return nil }
        direction = t.direction
        let k = levels.count
        let zero: Double
        switch (t.direction, k) {
        case (.above, 1): zero = l1 * 0.5
        case (.above, _): zero = max(l1 - (levels[1] - l1), l1 * 0.5)
        case (.below, 1): zero = l1 < 1 ? (l1 + 1) / 2 : l1 * 1.5
        case (.below, _): zero = l1 < 1 ? min(l1 + (l1 - levels[1]), (l1 + 1) / 2) : l1 + (l1 - levels[1])
        }
        var pts = [(zero, 0.0)]
        for (i, l) in levels.enumerated() {
            pts.append((l, k == 1 ? 1 : 0.35 + 0.65 * Double(i) / Double(k - 1)))
        }
        points = pts
    }

    func strength(_ v: Double) -> Double {
        guard v.isFinite, let first = points.first, let last = points.last else { return 0 }
        let worse: (Double, Double) -> Bool = direction == .above ? { $0 > $1 } : { $0 < $1 }
        if !worse(v, first.value) { return 0 }
        if !worse(last.value, v) { return 1 }
        for (a, b) in zip(points, points.dropFirst()) where !worse(v, b.value) {
            let span = b.value - a.value
            return span == 0 ? b.strength : a.strength + (b.strength - a.strength) * (v - a.value) / span
        }
        return 1
    }

    /// The least severe level (where a finding starts).
    var floor: Double { points.count > 1 ? points[1].value : points[0].value }
}
