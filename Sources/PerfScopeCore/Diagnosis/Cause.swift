/// A root cause: the symptoms whose winning explanation shares its category and scope. Two
/// independent faults (one member's disk, another host's CPU) are two causes; a cause that
/// explains a symptom took it from the others, but they stay listed as its alternatives.
struct Cause: Sendable {
    var category: Category
    var scope: Explanation.Scope
    var culprits: [Int]
    var explained: [(symptom: Symptom, explanation: Explanation)]
    var alternatives: [Explanation]

    /// Likelihood 0…1: the explanations' strength weighted by the impact of what they explain,
    /// a little more when several kinds of symptom agree.
    var strength: Double {
        let weight = explained.map(\.symptom.impact).reduce(0, +)
        guard weight > 0 else { return 0 }
        let mean = explained.map { $0.symptom.impact * $0.explanation.strength }.reduce(0, +) / weight
        let kinds = Set(explained.map(\.symptom.kind)).count
        return min(0.97, mean + (kinds >= 2 ? 0.03 : 0))
    }

    /// What ranks causes: how much users feel what it explains, and how surely.
    var impact: Double { explained.map { $0.symptom.impact * $0.explanation.strength }.reduce(0, +) }

    var completeness: Double {
        explained.map(\.explanation.completeness).max() ?? 1
    }

    var episode: Episode {
        explained.dropFirst().reduce(explained[0].symptom.episode) { $0.union($1.symptom.episode) }
    }

    func hosts(_ c: DiagnosisContext) -> [String] {
        Array(Set(culprits.map { c.members[$0].host ?? c.members[$0].instance })).sorted()
    }

    static func group(_ decisions: [Arbitration.Decision], _ c: DiagnosisContext) -> [Cause] {
        var byKey: [String: Cause] = [:]
        var order: [String] = []
        for d in decisions {
            let key = d.winner.key
            if byKey[key] == nil {
                byKey[key] = Cause(category: d.winner.category, scope: d.winner.scope, culprits: d.winner.culprits, explained: [], alternatives: [])
                order.append(key)
            }
            byKey[key]!.explained.append((d.symptom, d.winner))
            if case .cluster = d.winner.scope { byKey[key]!.culprits = Array(Set(byKey[key]!.culprits + d.winner.culprits)).sorted() }
            // The strongest losing explanation per other cause, as an alternative worth checking.
            for alt in d.alternatives where alt.strength >= 0.3 && alt.via == nil {
                if let i = byKey[key]!.alternatives.firstIndex(where: { $0.key == alt.key }) {
                    if alt.strength > byKey[key]!.alternatives[i].strength { byKey[key]!.alternatives[i] = alt }
                } else {
                    byKey[key]!.alternatives.append(alt)
                }
            }
        }
        return order.compactMap { byKey[$0] }.map { cause in
            var cause = cause
            let mine = Set(order.filter { byKey[$0]?.category == cause.category }.compactMap { byKey[$0]?.culprits })
            cause.alternatives = cause.alternatives.filter { alt in !mine.contains(alt.culprits) || alt.category != cause.category }
                .sorted { $0.strength > $1.strength }.prefix(2).map { $0 }
            return cause
        }
        .sorted { a, b in abs(a.impact - b.impact) > 1e-9 ? a.impact > b.impact : a.strength > b.strength }
    }
}
