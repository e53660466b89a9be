import Foundation

extension ExpositionScanner {
    /// A sample line: `name[{labels}] value [timestamp] [# exemplar]`.
    /// `buffer[start]` is not blank and the line has no trailing blanks.
    mutating func parseSample(_ start: Int, _ end: Int) throws(ExpositionError) {
        let nameStop = nameEnd(from: start, end, colon: true)
        guard nameStop > start else {
            throw error(.invalidMetricName, "expected a metric name, found \(ExpositionError.describe(byte: buffer[start]))")
        }
        var i = nameStop
        skipBlanks(&i, end)
        var labels = [String: String](minimumCapacity: labelCountHint)
        if i < end, buffer[i] == UInt8(ascii: "{") {
            i = try parseLabels(from: i + 1, end, into: &labels)
            skipBlanks(&i, end)
        } else if i == nameStop, i < end {
            throw error(.invalidMetricName, "unexpected \(ExpositionError.describe(byte: buffer[i])) in metric name \"\(excerpt(start, tokenEnd(from: start, end)))\"")
        }
        labelCountHint = labels.count

        guard i < end else { throw error(.invalidValue, "missing value for \"\(string(start, nameStop))\"") }
        let valueEnd = tokenEnd(from: i, end)
        guard let value = ExpositionNumber.parseDouble(slice(i, valueEnd)) else {
            throw error(.invalidValue, "invalid value \"\(excerpt(i, valueEnd))\" for \"\(string(start, nameStop))\"")
        }
        i = valueEnd
        skipBlanks(&i, end)

        var timestamp: Double?
        if i < end, buffer[i] != UInt8(ascii: "#") {
            let timestampEnd = tokenEnd(from: i, end)
            timestamp = try parseTimestamp(i, timestampEnd)
            i = timestampEnd
            skipBlanks(&i, end)
        }
        // Anything left must be an exemplar (` # {labels} value [timestamp]`), which is skipped.
        if i < end, buffer[i] != UInt8(ascii: "#") {
            throw error(.unexpectedText, "unexpected text \"\(excerpt(i, end))\" after the timestamp of \"\(string(start, nameStop))\"")
        }

        let name = sampleName(start, nameStop)
        let index = familyForSample(start, nameStop, name: name)
        families[index].samples.append(Sample(name: name, labels: labels, value: value, timestamp: timestamp))
    }

    /// Seconds for a timestamp token: integer milliseconds in 0.0.4, float seconds in OpenMetrics.
    private func parseTimestamp(_ start: Int, _ end: Int) throws(ExpositionError) -> Double {
        let token = slice(start, end)
        if openMetrics {
            guard let seconds = ExpositionNumber.parseDouble(token), seconds.isFinite else {
                throw error(.invalidTimestamp, "invalid timestamp \"\(excerpt(start, end))\" (expected seconds)")
            }
            return seconds
        }
        switch ExpositionNumber.parseInt64(token) {
        case .value(let milliseconds):
            return Double(milliseconds) / 1000
        case .overflow:
            throw error(.invalidTimestamp, "timestamp \"\(excerpt(start, end))\" out of range")
        case .invalid:
            throw error(.invalidTimestamp, "invalid timestamp \"\(excerpt(start, end))\" (expected integer milliseconds)")
        }
    }

    /// Parses `name="value", …}` starting just after `{`; returns the index after `}`.
    /// Blanks between tokens and a trailing comma are tolerated, as the Go parser does.
    private mutating func parseLabels(from start: Int, _ end: Int, into labels: inout [String: String]) throws(ExpositionError) -> Int {
        var i = start
        while true {
            skipBlanks(&i, end)
            guard i < end else { throw error(.invalidLabels, "unterminated label set, expected '}'") }
            if buffer[i] == UInt8(ascii: "}") { return i + 1 }

            let nameStart = i
            let nameStop = nameEnd(from: i, end, colon: false)
            guard nameStop > nameStart else {
                throw error(.invalidLabels, "expected a label name or '}', found \(ExpositionError.describe(byte: buffer[i]))")
            }
            i = nameStop
            skipBlanks(&i, end)
            guard i < end, buffer[i] == UInt8(ascii: "=") else {
                throw error(.invalidLabels, "expected '=' after label name \"\(string(nameStart, nameStop))\"")
            }
            i += 1
            skipBlanks(&i, end)
            guard i < end, buffer[i] == UInt8(ascii: "\"") else {
                throw error(.invalidLabels, "expected '\"' to open the value of label \"\(string(nameStart, nameStop))\"")
            }
            i += 1
            let valueStart = i
            var escaped = false
            while i < end, buffer[i] != UInt8(ascii: "\"") {
                if buffer[i] == UInt8(ascii: "\\") {
                    escaped = true
                    i += 1
                }
                i += 1
            }
            guard i < end else {
                throw error(.invalidLabels, "unterminated value of label \"\(string(nameStart, nameStop))\"")
            }
            let value = escaped ? unescapeLabelValue(valueStart, i) : string(valueStart, i)
            if labels.updateValue(value, forKey: string(nameStart, nameStop)) != nil {
                throw error(.invalidLabels, "duplicate label \"\(string(nameStart, nameStop))\"")
            }
            i += 1
            skipBlanks(&i, end)
            guard i < end else { throw error(.invalidLabels, "unterminated label set, expected '}'") }
            switch buffer[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"): return i + 1
            default:
                throw error(.invalidLabels, "expected ',' or '}' after the value of label \"\(string(nameStart, nameStop))\", found \(ExpositionError.describe(byte: buffer[i]))")
            }
        }
    }

    /// A label value with `\\`, `\"` and `\n` unescaped; other escapes stay as written.
    private mutating func unescapeLabelValue(_ start: Int, _ end: Int) -> String {
        scratch.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            let byte = buffer[i]
            if byte == UInt8(ascii: "\\"), i + 1 < end {
                let next = buffer[i + 1]
                switch next {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): scratch.append(next); i += 2; continue
                case UInt8(ascii: "n"): scratch.append(0x0A); i += 2; continue
                default: break
                }
            }
            scratch.append(byte)
            i += 1
        }
        return String(decoding: scratch, as: UTF8.self)
    }
}
