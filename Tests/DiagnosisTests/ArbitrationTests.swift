import Testing
@testable import PerfScopeCore

/// Each cross-cause adjustment, on the candidates it exists for: why it is there, and that the
/// ranking without it would be the miss it prevents.
@Suite struct ArbitrationTests {
    static func x(_ category: PerfScopeCore.Category, _ strength: Double, culprits: [Int] = [0], scope: Explanation.Scope = .member,
                  prior: Bool = false, marks: Set<Explanation.Mark> = [], via: String? = nil) -> Explanation {
        Explanation(category: category, culprits: culprits, scope: scope, strength: strength, prior: prior, clues: [], evidence: [],
                    completeness: 1, via: via, marks: marks)
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var why: String
        var candidates: [Explanation]
        /// The winner without the adjustments, and with them.
        var naive: PerfScopeCore.Category
        var adjusted: PerfScopeCore.Category
        var testDescription: String { why }
    }

    static let rows: [Row] = [
        Row(why: "a stalled process answers its peers late: round-trips to it are CPU's, not the network's (CI 2026-11-30)",
            candidates: [x(.network, 0.9), x(.cpu, 0.7, marks: [.stall])], naive: .network, adjusted: .cpu),
        Row(why: "a host CPU (not a stall) does not take round-trips from the network",
            candidates: [x(.network, 0.9), x(.cpu, 0.7)], naive: .network, adjusted: .network),
        Row(why: "a disk busy with reads on a paging host is memory's doing (outside check: disk 0.95 over memory 0.90)",
            candidates: [x(.disk, 0.95, marks: [.readDriven]), x(.memory, 0.9, marks: [.paging])], naive: .disk, adjusted: .memory),
        Row(why: "a disk busy with writes stays the disk even when the host pages",
            candidates: [x(.disk, 0.95), x(.memory, 0.9, marks: [.paging])], naive: .disk, adjusted: .disk),
        Row(why: "a defragmentation in flight explains the busy disk and the stalled commits (outside check: slow disk on all members)",
            candidates: [x(.disk, 0.95), x(.database, 0.9, scope: .cluster("maintenance"), marks: [.defrag])], naive: .disk, adjusted: .database),
        Row(why: "every member slow with the rising write rate: the shared busy disks are the load's effect",
            candidates: [x(.disk, 0.9, culprits: [0, 1, 2], scope: .cluster("storage")), x(.load, 0.85, culprits: [0, 1, 2], scope: .cluster("workload"), marks: [.workload])],
            naive: .disk, adjusted: .load),
        Row(why: "round-trips answered late by processes busy with etcd's own work are the load's, not the network's",
            candidates: [x(.network, 0.9), x(.load, 0.85, culprits: [0, 1, 2], scope: .cluster("workload"), marks: [.workload])],
            naive: .network, adjusted: .load),
        Row(why: "failed sends to an unreachable member stay the network's under load",
            candidates: [x(.network, 0.9, marks: [.failures]), x(.load, 0.85, culprits: [0, 1, 2], scope: .cluster("workload"), marks: [.workload])],
            naive: .network, adjusted: .network),
        Row(why: "weak workload evidence does not override a measured shared disk",
            candidates: [x(.disk, 0.9, culprits: [0, 1, 2], scope: .cluster("storage")), x(.load, 0.6, culprits: [0, 1, 2], scope: .cluster("workload"), marks: [.workload])],
            naive: .disk, adjusted: .disk),
        Row(why: "elections after the leader's measured slow disk: the disk, not the consensus configuration",
            candidates: [x(.consensus, 0.85, culprits: [0, 1, 2], scope: .cluster("elections"), prior: true), x(.disk, 0.75, via: "the leader at the time")],
            naive: .consensus, adjusted: .disk),
        Row(why: "equal strength: measured evidence before a prior",
            candidates: [x(.disk, 0.6, prior: true), x(.network, 0.6)], naive: .network, adjusted: .network),
        Row(why: "equal strength and evidence: etcd FAQ order (disk before CPU), never the alphabet",
            candidates: [x(.cpu, 0.6), x(.disk, 0.6)], naive: .disk, adjusted: .disk),
    ]

    @Test(arguments: rows)
    func adjustment(row: Row) throws {
        let naive = try #require(Arbitration.best(row.candidates))
        #expect(naive.category == row.naive, "without the adjustments")
        let symptom = Symptom(kind: .walFsync, member: 0, peak: 1, level: 1, episode: Episode(mask: [true]), severity: 1)
        let adjusted = try #require(Arbitration.best(Arbitration.adjust(row.candidates, for: symptom)))
        #expect(adjusted.category == row.adjusted)
    }
}
