import Testing
@testable import PerfScopeCore

/// The diagnosis reads the catalog by typed names and takes every level from it.
@Suite struct CatalogContractTests {
    @Test(arguments: DiagnosisMetric.allCases)
    func metricExistsInTheBuiltInCatalog(metric: DiagnosisMetric) {
        #expect(builtIn.contains { $0.name == metric.rawValue }, "\(metric.rawValue) is read by the diagnosis but missing from the catalog")
    }

    @Test(arguments: Symptom.Kind.allCases)
    func everySymptomKindHasACatalogLevel(kind: Symptom.Kind) {
        let metric = builtIn.first { $0.name == kind.metric.rawValue }
        #expect(metric?.symptom != nil, "\(kind.metric.rawValue) needs `symptom:` in the catalog")
    }

    /// A `perfscope.yaml` override of a threshold changes the causes, not only the findings.
    @Test func thresholdOverridesReachTheRules() throws {
        var w = Window(name: "host CPU at 70 % while member 1 is slow")
        w.set("cpu_utilisation", 0, 0.7, from: 40); w.set("backend_commit_p99", 0, 0.06, from: 42)
        let before = try #require(w.diagnose().rootCauses.first)
        #expect(before.category != .cpu, "70 % is below the catalog's CPU levels")
        var input = w.input
        input.catalog = input.catalog.map { m in
            var m = m
            if m.name == "cpu_utilisation" { m.thresholds = Thresholds(medium: 0.5, high: 0.7) }
            return m
        }
        let after = try #require(Diagnosis.diagnose(input).rootCauses.first)
        #expect(after.category == .cpu)
    }

    /// Catalog levels become strengths: modest at the least severe level, full at the most severe.
    @Test(arguments: [
        (Thresholds(medium: 0.8, high: 0.95), 0.5, 0.0), (Thresholds(medium: 0.8, high: 0.95), 0.8, 0.35),
        (Thresholds(medium: 0.8, high: 0.95), 0.95, 1.0), (Thresholds(medium: 0.8, high: 0.95), 0.875, 0.675),
        (Thresholds(medium: 10, high: 100), 0, 0.0), (Thresholds(medium: 10, high: 100), 1, 0.0),
        (Thresholds(high: 1), 1, 1.0), (Thresholds(high: 1), 0.4, 0.0),
        (Thresholds(direction: .below, low: 0.99, high: 0.9, critical: 0.5), 1, 0.0),
        (Thresholds(direction: .below, low: 0.99, high: 0.9, critical: 0.5), 0.9, 0.675),
        (Thresholds(direction: .below, low: 0.99, high: 0.9, critical: 0.5), 0.2, 1.0),
    ])
    func scale(thresholds: Thresholds, value: Double, strength: Double) throws {
        let scale = try #require(Scale(thresholds))
        #expect(abs(scale.strength(value) - strength) < 1e-9, "\(value) → \(scale.strength(value))")
    }

    /// A stretch is what most of its points reach: one scrape repeated by a finer step is not one.
    @Test(arguments: [
        ([1.0, 1, 9, 9, 1, 1, 1, 1], 4, 1.0), ([1.0, 9, 9, 9, 1, 1, 1, 1], 4, 9.0), ([1.0, 1, 1, 9, 9, 9, 9, 9], 4, 9.0),
        ([Double.nan, .nan, 5, 5, .nan, .nan], 3, 5.0), ([1.0, 2, 3], 1, 3.0),
    ])
    func sustained(values: [Double], k: Int, expected: Double) throws {
        let s = try #require(Trace(values: values).sustained(k))
        #expect(s.value == expected)
    }
}
