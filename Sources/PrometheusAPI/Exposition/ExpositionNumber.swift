import Foundation

/// Number parsing on UTF-8 bytes for the exposition parser: a correctly rounded fast path for
/// plain decimals (Clinger's: at most 19 significant digits, mantissa below 2^53, power of ten
/// within ±22), everything else through `Double(String)`.
enum ExpositionNumber {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Longest token handed to the slow path; longer ones are rejected (a real float never is).
    private static let maxSlowPathLength = 512

    /// Parses a Prometheus float (`1`, `-2.5e-3`, `NaN`, `+Inf`, `-Inf`, `Inf`, case-insensitive
    /// specials as Go's `ParseFloat` accepts). `nil` when the bytes are not a number.
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let end = bytes.count
        guard end > 0 else { return nil }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        var inexact = false

        while i < end, let d = digit(bytes[i]) {
            sawDigit = true
            if significant < 19 {
                if mantissa != 0 || d != 0 {
                    mantissa = mantissa &* 10 &+ d
                    significant += 1
                }
            } else {
                exponent += 1
                if d != 0 { inexact = true }
            }
            i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, let d = digit(bytes[i]) {
                sawDigit = true
                if significant < 19 {
                    if mantissa != 0 || d != 0 {
                        mantissa = mantissa &* 10 &+ d
                        significant += 1
                    }
                    exponent -= 1
                } else if d != 0 {
                    inexact = true
                }
                i += 1
            }
        }
        guard sawDigit else { return slowPath(bytes) }  // NaN, Inf, junk
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var expDigits = 0
            while i < end, let d = digit(bytes[i]) {
                if value < 100_000 { value = value * 10 + Int(d) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -value : value
        }
        guard i == end else { return slowPath(bytes) }  // hex floats, underscores, junk
        if mantissa == 0 && !inexact { return negative ? -0.0 : 0.0 }
        if !inexact && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -value : value
        }
        return slowPath(bytes)
    }

    /// Parses a decimal integer with an optional sign, e.g. a 0.0.4 millisecond timestamp.
    /// `.overflow` when it does not fit in `Int64`.
    static func parseInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> IntegerResult {
        let end = bytes.count
        guard end > 0 else { return .invalid }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < end else { return .invalid }
        var value: Int64 = 0
        var overflow = false
        while i < end {
            guard let d = digit(bytes[i]) else { return .invalid }
            if !overflow {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = negative ? times10.subtractingReportingOverflow(Int64(d)) : times10.addingReportingOverflow(Int64(d))
                if o1 || o2 { overflow = true } else { value = next }
            }
            i += 1
        }
        return overflow ? .overflow : .value(value)
    }

    enum IntegerResult: Equatable {
        case value(Int64)
        case invalid
        case overflow
    }

    /// Parses a float from a string, e.g. an `le` or `quantile` label value.
    static func parseDouble(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parseDouble($0) }
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> UInt64? {
        let d = byte &- UInt8(ascii: "0")
        return d < 10 ? UInt64(d) : nil
    }

    /// `Double(String)` for what the fast path does not take, after checking the bytes can only
    /// spell a number or a special (letters, digits, sign, point, underscore), so that nothing
    /// surprising (whitespace, `nan(…)` payloads) gets through.
    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count <= maxSlowPathLength else { return nil }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                 UInt8(ascii: "."), UInt8(ascii: "_"):
                continue
            default:
                return nil
            }
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}
