import Foundation

/// A symptom as reports show it: what, where, how bad against which level, and when.
public struct SymptomReport: Sendable, Codable, Equatable {
    public var kind: String
    /// The catalog metric that shows it.
    public var metric: String
    /// The member it was measured on (nil for cluster-wide symptoms such as elections).
    public var instance: String?
    /// For peer round-trips: the other member.
    public var peer: String?
    /// Its worst sustained value and the level it was held against (evidence units, like findings).
    public var value: Double
    public var level: Double
    public var unit: String
    public var start: Date?
    /// Nil while it lasted to the end of the window.
    public var end: Date?
    /// Share of the window it covers.
    public var coverage: Double

    init(_ s: Symptom, _ c: DiagnosisContext) {
        let unit = c.catalog[s.kind.metric.rawValue]?.unit ?? .count
        kind = s.kind.rawValue
        metric = s.kind.metric.rawValue
        instance = s.member.map { c.members[$0].instance }
        peer = s.peer.map { c.members[$0].instance }
        value = unit.evidenceValue(s.peak)
        level = unit.evidenceValue(s.level)
        self.unit = unit.evidenceUnit
        start = s.episode.first.map { c.time($0) }
        end = s.episode.last.flatMap { $0 < c.timeline.count - 1 ? c.time($0) : nil }
        coverage = (s.episode.coverage * 1000).rounded() / 1000
    }
}
