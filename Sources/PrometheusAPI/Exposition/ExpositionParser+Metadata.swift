import Foundation

/// The name suffixes that tie a sample to its family (OpenMetrics 1.0 §"Metric types" and the
/// 0.0.4 conventions for histograms and summaries).
enum SampleSuffix: Sendable, CaseIterable {
    case none, total, created, bucket, sum, count, gcount, gsum, info

    /// The suffixes worth stripping to find a declared family, longest first.
    static let strippable: [SampleSuffix] = [.created, .bucket, .gcount, .total, .count, .gsum, .info, .sum]

    var text: StaticString {
        switch self {
        case .none: ""
        case .total: "_total"
        case .created: "_created"
        case .bucket: "_bucket"
        case .sum: "_sum"
        case .count: "_count"
        case .gcount: "_gcount"
        case .gsum: "_gsum"
        case .info: "_info"
        }
    }

    var byteCount: Int { text.utf8CodeUnitCount }

    /// The suffix spelled by exactly these bytes (empty bytes are ``none``).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        switch bytes.count {
        case 0: self = .none
        case 4 where Self.equal(bytes, "_sum"): self = .sum
        case 5 where Self.equal(bytes, "_gsum"): self = .gsum
        case 5 where Self.equal(bytes, "_info"): self = .info
        case 6 where Self.equal(bytes, "_total"): self = .total
        case 6 where Self.equal(bytes, "_count"): self = .count
        case 7 where Self.equal(bytes, "_bucket"): self = .bucket
        case 7 where Self.equal(bytes, "_gcount"): self = .gcount
        case 8 where Self.equal(bytes, "_created"): self = .created
        default: return nil
        }
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base, text.utf8Start, bytes.count) == 0
    }
}

extension MetricType {
    /// Whether a sample named family name + `suffix` belongs to a family of this type.
    ///
    /// Counters take `_total` and `_created` in both formats (and the bare name, as 0.0.4
    /// counters are usually declared with their `_total` name); info takes `_info` or the bare name.
    func allows(_ suffix: SampleSuffix) -> Bool {
        switch self {
        case .counter: suffix == .none || suffix == .total || suffix == .created
        case .gauge, .untyped, .stateset: suffix == .none
        case .histogram: suffix == .bucket || suffix == .sum || suffix == .count || suffix == .created
        case .summary: suffix == .none || suffix == .sum || suffix == .count || suffix == .created
        case .gaugehistogram: suffix == .bucket || suffix == .gcount || suffix == .gsum
        case .info: suffix == .none || suffix == .info
        }
    }
}

extension ExpositionScanner {
    /// A `#` line: `# HELP`, `# TYPE`, `# UNIT`, `# EOF`, or a comment to skip.
    /// `buffer[start]` is `#` and the line has no trailing blanks.
    mutating func parseComment(_ start: Int, _ end: Int) throws(ExpositionError) {
        var i = start + 1
        guard i < end, isBlank(buffer[i]) else { return }  // "#foo": plain comment
        skipBlanks(&i, end)
        let keywordEnd = tokenEnd(from: i, end)
        enum Keyword: String { case help = "HELP", type = "TYPE", unit = "UNIT" }
        let which: Keyword
        if equals(i, keywordEnd, "HELP") {
            which = .help
        } else if equals(i, keywordEnd, "TYPE") {
            which = .type
        } else if equals(i, keywordEnd, "UNIT") {
            which = .unit
        } else {
            if openMetrics, keywordEnd == end, equals(i, keywordEnd, "EOF") { eofLine = lineNumber }
            return
        }
        let keywordText = which.rawValue
        i = keywordEnd
        skipBlanks(&i, end)
        let nameStart = i
        let nameStop = nameEnd(from: i, end, colon: true)
        guard nameStop > nameStart else {
            if i == end { throw error(.invalidMetadata, "\(keywordText) line without a metric name") }
            throw error(.invalidMetadata, "invalid metric name \"\(excerpt(i, tokenEnd(from: i, end)))\" in \(keywordText) line")
        }
        guard nameStop == end || isBlank(buffer[nameStop]) else {
            throw error(.invalidMetadata, "invalid metric name \"\(excerpt(nameStart, tokenEnd(from: nameStart, end)))\" in \(keywordText) line")
        }
        i = nameStop
        skipBlanks(&i, end)

        switch which {
        case .help:
            let index = family(nameStart, nameStop)
            guard families[index].help == nil else {
                throw error(.duplicateMetadata, "second HELP line for \"\(families[index].name)\"")
            }
            families[index].help = unescapeHelp(i, end)
            current = index
        case .type:
            guard i < end else { throw error(.invalidMetadata, "TYPE line for \"\(string(nameStart, nameStop))\" without a type") }
            let typeEnd = tokenEnd(from: i, end)
            guard typeEnd == end, let type = MetricType(token: slice(i, typeEnd)) else {
                throw error(.invalidMetadata, "unknown metric type \"\(excerpt(i, end))\" for \"\(string(nameStart, nameStop))\"")
            }
            let index = family(nameStart, nameStop)
            guard !families[index].typeDeclared else {
                throw error(.duplicateMetadata, "second TYPE line for \"\(families[index].name)\"")
            }
            guard families[index].samples.isEmpty else {
                throw error(.duplicateMetadata, "TYPE line for \"\(families[index].name)\" after its samples")
            }
            families[index].type = type
            families[index].typeDeclared = true
            current = index
        case .unit:
            let index = family(nameStart, nameStop)
            guard families[index].unit == nil else {
                throw error(.duplicateMetadata, "second UNIT line for \"\(families[index].name)\"")
            }
            families[index].unit = string(i, end)
            current = index
        }
    }

    /// HELP text with `\\` and `\n` unescaped (and `\"` in OpenMetrics); other backslashes stay.
    private mutating func unescapeHelp(_ start: Int, _ end: Int) -> String {
        guard let firstEscape = find(UInt8(ascii: "\\"), start, end) else { return string(start, end) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: slice(start, firstEscape))
        var i = firstEscape
        while i < end {
            let byte = buffer[i]
            if byte == UInt8(ascii: "\\"), i + 1 < end {
                let next = buffer[i + 1]
                switch next {
                case UInt8(ascii: "\\"): scratch.append(next); i += 2; continue
                case UInt8(ascii: "n"): scratch.append(0x0A); i += 2; continue
                case UInt8(ascii: "\"") where openMetrics: scratch.append(next); i += 2; continue
                default: break
                }
            }
            scratch.append(byte)
            i += 1
        }
        return String(decoding: scratch, as: UTF8.self)
    }
}
