/// A resource signal read over a symptom's episode: how strong it was while the symptom lasted,
/// how strong it was the rest of the window, and the two weighed together.
///
/// Why both: a signal that rose with the symptom explains it; one that was as high all along —
/// while the symptom was absent — does not explain why the symptom started (a host busy all
/// hour is not why fsync slowed at 10:40). A signal high only elsewhere in the window does not
/// count at all. Without time (a two-scrape snapshot, a window the symptom fills) the reading
/// is the level alone.
struct Reading: Sendable {
    /// Sustained strength (0…1) inside the episode, widened by a stretch on each side.
    var inside: Double
    /// Typical strength outside it (its median), when enough points are outside.
    var outside: Double?
    /// The sustained value inside, in the metric's unit (for evidence).
    var value: Double
    /// `inside`, discounted by how much of it was there outside the episode too.
    var aligned: Double
    var timeless: Bool

    /// How much an outside level as high as the inside one takes away.
    static let steadyDiscount = 0.6
}

extension DiagnosisContext {
    /// `metric` on `member` (its own series, its host's or its container's) over `episode`.
    func read(_ metric: DiagnosisMetric, _ member: Int, over episode: Episode) -> Reading? {
        guard let trace = trace(metric, member), !trace.isEmpty else { return nil }
        return read(trace, metric, over: episode)
    }

    /// A peer round-trip pair over `episode`.
    func readPair(_ from: Int, _ to: Int, over episode: Episode) -> Reading? {
        guard let trace = pair(from, to), !trace.isEmpty else { return nil }
        return read(trace, .peerRTT, over: episode)
    }

    func read(_ trace: Trace, _ metric: DiagnosisMetric, over episode: Episode) -> Reading? {
        let below = catalog[metric.rawValue]?.thresholds?.direction == .below
        let k = timeline.sustain
        if trace.timeless || timeline.count == 1 {
            guard let v = trace.finite.first else { return nil }
            let s = strength(metric, v)
            return Reading(inside: s, outside: nil, value: v, aligned: s, timeless: true)
        }
        let inMask = episode.dilated(k).mask
        let inside = Trace(values: zip(trace.values, inMask).map { $1 ? $0 : .nan })
        guard let peak = inside.sustained(k, below: below) else { return nil }
        let strengths = Trace(values: inside.values.map { $0.isFinite ? strength(metric, $0) : .nan })
        let s = strengths.sustained(k)?.value ?? strength(metric, peak.value)
        // Outside: away from the episode by a rate range, so the smear of the episode is not counted.
        let outMask = episode.dilated(k + ratePoints).mask
        let outsideValues = zip(trace.values, outMask).compactMap { v, m in !m && v.isFinite ? strength(metric, v) : nil }
        let outside = outsideValues.count >= 2 * k ? median(outsideValues) : nil
        let aligned = outside.map { s * (1 - Reading.steadyDiscount * min(1, $0 / max(s, 0.05))) } ?? s
        return Reading(inside: s, outside: outside, value: peak.value, aligned: aligned, timeless: false)
    }
}
