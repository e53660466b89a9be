import Foundation
@testable import PrometheusAPI
import Testing

/// SplitMix64: a tiny seeded generator so every fuzz run sees the same inputs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random mutations of exposition text: every input must parse or throw an `ExpositionError`
/// with a sane line number and one-line message, never trap, and in bounded time.
@Suite struct ExpositionFuzzTests {
    static let snippets: [String] = [
        "# HELP x Some help with \\\\ and \\n.\n# TYPE x counter\nx_total{a=\"b\",c=\"d\\\"e\"} 1.5 1700000000\n# EOF\n",
        "# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2 # {trace_id=\"abc\"} 0.05 1.5\nh_sum 0.3\nh_count 2\n",
        "# TYPE s summary\ns{quantile=\"0.5\"} NaN\ns_sum -Inf\ns_count +Inf\n",
        "# TYPE g gaugehistogram\n# UNIT g bytes\ng_bucket{le=\"1e3\"} 3\ng_gcount 3\ng_gsum 2e3\n# EOF\n",
        "# TYPE st stateset\nst{st=\"a\"} 1\n# TYPE i info\ni_info{v=\"1\"} 1\n# EOF\n",
        "plain 1 -1000\r\nplain{x=\"y\",} 2\r\n\r\n# comment\r\n",
        "a{b=\"\\\\\\n\\\"\"} 0x1p3\n",
    ]

    static let insertions: [[UInt8]] = [
        Array("{".utf8), Array("}".utf8), Array("\"".utf8), Array("\\".utf8), Array("#".utf8), Array("\n".utf8),
        Array("\r\n".utf8), Array(" ".utf8), Array("=".utf8), Array(",".utf8), Array("# EOF\n".utf8),
        Array("# TYPE ".utf8), Array("# HELP x ".utf8), Array(" # {a=\"b\"} 1 ".utf8), Array("_bucket".utf8),
        Array("99999999999999999999999999".utf8), Array("1e999999999".utf8), Array("-1e-99999".utf8),
        Array("9223372036854775808".utf8), Array("-9223372036854775809".utf8),
        Array(String(repeating: "9", count: 600).utf8), Array("NaN".utf8), Array("+Inf".utf8), Array("nan(0x1)".utf8),
        [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0x80, 0x80], [0xE2, 0x82],
    ]

    /// Random windows of the real fixtures (small, so the debug build stays fast) plus snippets.
    static func corpus() throws -> [[UInt8]] {
        var corpus = snippets.map { Array($0.utf8) }
        for name in [ExpositionFixtures.etcd, ExpositionFixtures.nodeExporter, ExpositionFixtures.openMetrics]
        where ExpositionFixtures.exists(name) {
            let bytes = [UInt8](try ExpositionFixtures.data(name))
            var rng = SplitMix64(seed: UInt64(bytes.count))
            for _ in 0..<12 where bytes.count > 0 {
                // Whole lines, so unmutated windows parse and mutations reach deep paths.
                var start = Int.random(in: 0..<bytes.count, using: &rng)
                while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
                var end = min(bytes.count, start + Int.random(in: 1...3_000, using: &rng))
                while end < bytes.count, bytes[end - 1] != 0x0A { end += 1 }
                corpus.append(Array(bytes[start..<end]))
            }
            corpus.append(Array(bytes.suffix(1_500)))  // keeps any '# EOF' ending
        }
        return corpus
    }

    static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0 where position < bytes.count:  // flip bits
                bytes[position] ^= UInt8.random(in: 1...255, using: &rng)
            case 1:  // truncate
                bytes.removeSubrange(position...)
            case 2, 3:  // insert a meaningful token
                bytes.insert(contentsOf: insertions.randomElement(using: &rng) ?? [], at: position)
            case 4 where position < bytes.count:  // delete a range
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...40, using: &rng)))
            case 5 where position < bytes.count:  // duplicate a range
                let chunk = bytes[position..<min(bytes.count, position + Int.random(in: 1...200, using: &rng))]
                bytes.insert(contentsOf: Array(chunk), at: Int.random(in: 0...bytes.count, using: &rng))
            case 6:  // random byte
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
            default:  // replace with an ASCII punctuation/letter
                let alphabet = Array("{}\"\\#= ,\n\r\t0123456789.eE+-_abcxyzINFna:".utf8)
                if position < bytes.count, let byte = alphabet.randomElement(using: &rng) { bytes[position] = byte }
            }
        }
        return bytes
    }

    /// Parses in every mode and checks the invariants; returns whether strict parsing succeeded.
    @discardableResult
    static func check(_ bytes: [UInt8]) -> Bool {
        let lineCount = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        var succeeded = false
        for format in [ExpositionFormat.text, .openMetrics, .auto] {
            let strict: Result<ExpositionParseResult, ExpositionError> = Result { () throws(ExpositionError) in
                try ExpositionParser.parse(bytes: bytes, format: format, lenient: false)
            }
            let lenient: Result<ExpositionParseResult, ExpositionError> = Result { () throws(ExpositionError) in
                try ExpositionParser.parse(bytes: bytes, format: format, lenient: true)
            }
            guard case .success(let tolerant) = lenient else {
                Issue.record("lenient parsing threw for \(format)")
                continue
            }
            for diagnostic in tolerant.diagnostics {
                #expect((1...lineCount).contains(diagnostic.line), "line \(diagnostic.line) of \(lineCount)")
                #expect(diagnostic.description.hasPrefix("line \(diagnostic.line): "))
                let oneLine = !diagnostic.description.contains { $0.isNewline }
                #expect(oneLine)
            }
            switch strict {
            case .success(let result):
                succeeded = true
                #expect(tolerant == result, "strict success means lenient agrees, with no diagnostics")
            case .failure(let error):
                #expect(tolerant.diagnostics.first == error, "lenient reports the strict error first")
            }
        }
        return succeeded
    }

    @Test func mutatedFixturesAndSnippetsNeverCrash() throws {
        let corpus = try Self.corpus()
        var rng = SplitMix64(seed: 0x5EED_2024)
        let iterations = 2_500
        var successes = 0
        let start = ContinuousClock.now
        for _ in 0..<iterations {
            guard let seed = corpus.randomElement(using: &rng) else { break }
            if Self.check(Self.mutate(seed, using: &rng)) { successes += 1 }
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(60), "fuzzing \(iterations) inputs took \(elapsed)")
        #expect(successes > 0 && successes < iterations, "mutations should both keep and break inputs (\(successes) ok)")
    }

    @Test func randomTokenSoupNeverCrashes() {
        var rng = SplitMix64(seed: 7)
        let tokens = Self.insertions + ["x", "x_total", "le", "=\"", "\"}", " 1", " 2.5", "# TYPE x histogram\n", "# EOF"].map { Array($0.utf8) }
        for _ in 0..<1_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...30, using: &rng) {
                bytes += tokens.randomElement(using: &rng) ?? []
            }
            Self.check(bytes)
        }
    }

    @Test func pathologicalInputsStayLinear() throws {
        let cases: [[UInt8]] = [
            Array(repeating: UInt8(ascii: "{"), count: 200_000),
            Array(repeating: UInt8(ascii: "\""), count: 200_000),
            Array(repeating: UInt8(ascii: "\\"), count: 200_000),
            Array(repeating: UInt8(ascii: "\n"), count: 200_000),
            Array(repeating: UInt8(ascii: "#"), count: 200_000),
            Array(repeating: 0xFF, count: 200_000),
            Array(("x{a=\"" + String(repeating: "\\\"", count: 100_000) + "\"} 1\n").utf8),
            Array(("x{" + String(repeating: "a=\"b\",", count: 20_000) + "} 1\n").utf8),
            Array(("x{" + (0..<5_000).map { "l\($0)=\"v\"" }.joined(separator: ",") + "} 1\n").utf8),
            Array(("x " + String(repeating: "1", count: 100_000) + "\n").utf8),
            Array(("x 1 " + String(repeating: "1", count: 100_000) + "\n").utf8),
            Array(("# HELP x " + String(repeating: "\\n\\\\", count: 50_000) + "\n").utf8),
            Array(String(repeating: "# TYPE x counter\n", count: 10_000).utf8),
            Array(String(repeating: "x 1\n", count: 50_000).utf8),
        ]
        let start = ContinuousClock.now
        for bytes in cases {
            Self.check(bytes)
        }
        #expect(ContinuousClock.now - start < .seconds(60))
        let many = try ExpositionParser.parse(bytes: Array(("x{" + (0..<5_000).map { "l\($0)=\"v\"" }.joined(separator: ",") + "} 1\n").utf8))
        #expect(many.first?.samples.first?.labels.count == 5_000)
    }

    // MARK: Round trip

    static func randomName(_ rng: inout SplitMix64, colon: Bool) -> String {
        let first = Array("abcxyzABC_" + (colon ? ":" : ""))
        let rest = first + Array("0123456789")
        var name = String(first.randomElement(using: &rng) ?? "a")
        for _ in 0..<Int.random(in: 0...12, using: &rng) { name.append(rest.randomElement(using: &rng) ?? "a") }
        return name
    }

    static func randomLabelValue(_ rng: inout SplitMix64) -> String {
        let alphabet = Array("ab \\\"\n{},=#é✓\t1.")
        return String((0..<Int.random(in: 0...10, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "a" })
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func render(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        return "\(value)"
    }

    @Test(arguments: [ExpositionFormat.text, .openMetrics])
    func generatedExpositionsRoundTrip(format: ExpositionFormat) throws {
        var rng = SplitMix64(seed: format == .text ? 1 : 2)
        for _ in 0..<200 {
            var text = ""
            var expected: [String: [Sample]] = [:]
            var names: [String] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let name = uniqueName(&rng, taken: names)
                names.append(name)
                text += "# HELP \(name) help for \(name)\n# TYPE \(name) gauge\n"
                var seen = Set<[String: String]>()
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    var labels: [String: String] = [:]
                    for _ in 0..<Int.random(in: 0...3, using: &rng) {
                        labels[Self.randomName(&rng, colon: false)] = Self.randomLabelValue(&rng)
                    }
                    guard seen.insert(labels).inserted else { continue }
                    let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e-300, 1.7976931348623157e308]
                    let value = Bool.random(using: &rng)
                        ? (specials.randomElement(using: &rng) ?? 0)
                        : Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &rng) ? 1 : -1)
                    let timestamp: Double? = Bool.random(using: &rng) ? Double(Int.random(in: 0...2_000_000_000_000, using: &rng)) / 1000 : nil
                    let labelText = labels.isEmpty && Bool.random(using: &rng)
                        ? "" : "{" + labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",") + "}"
                    var line = "\(name)\(labelText) \(Self.render(value))"
                    if let timestamp {
                        line += format == .text ? " \(Int64((timestamp * 1000).rounded()))" : " \(timestamp)"
                    }
                    text += line + "\n"
                    expected[name, default: []].append(Sample(name: name, labels: labels, value: value, timestamp: timestamp))
                }
            }
            if format == .openMetrics { text += "# EOF\n" }
            let families = try ExpositionParser.parse(text, format: format)
            #expect(families.map(\.name) == names)
            for family in families {
                #expect(family.help == "help for \(family.name)")
                #expect(family.samples == expected[family.name, default: []], "\(text)")
            }
        }
    }

    private func uniqueName(_ rng: inout SplitMix64, taken: [String]) -> String {
        while true {
            let name = Self.randomName(&rng, colon: true)
            if !taken.contains(name) { return name }
        }
    }
}
