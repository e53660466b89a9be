import Foundation

/// Decoding of the Prometheus HTTP API envelope:
/// `{"status":"success"|"error","data":…,"errorType":…,"error":…,"warnings":[…],"infos":[…]}`.
struct Envelope<T: Decodable>: Decodable {
    var status: String
    var data: T?
    var errorType: String?
    var error: String?
    var warnings: [String]?
    var infos: [String]?
}

/// The raw `data` of query answers, decoded by `resultType`.
struct RawQueryData: Decodable {
    var result: QueryResult

    private enum CodingKeys: String, CodingKey { case resultType, result }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .resultType)
        switch type {
        case "vector":
            result = .vector(try c.decode([RawSeries].self, forKey: .result).map(\.series))
        case "matrix":
            result = .matrix(try c.decode([RawSeries].self, forKey: .result).map(\.series))
        case "scalar":
            result = .scalar(try c.decode(RawPoint.self, forKey: .result).point)
        case "string":
            let raw = try c.decode(RawStringPoint.self, forKey: .result)
            result = .string(time: raw.time, value: raw.value)
        default:
            throw DecodingError.dataCorruptedError(forKey: .resultType, in: c, debugDescription: "unknown resultType \(type)")
        }
    }
}

/// `{"metric":{…},"value":[t,"v"]}` or `{"metric":{…},"values":[[t,"v"],…]}`. Native-histogram
/// fields (`histogram`, `histograms`) are tolerated and ignored.
struct RawSeries: Decodable {
    var series: Series

    private enum CodingKeys: String, CodingKey { case metric, value, values }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let labels = try c.decodeIfPresent([String: String].self, forKey: .metric) ?? [:]
        var points: [SamplePoint] = []
        if let one = try c.decodeIfPresent(RawPoint.self, forKey: .value) {
            points = [one.point]
        } else if let many = try c.decodeIfPresent([RawPoint].self, forKey: .values) {
            points = many.map(\.point)
        }
        series = Series(labels: labels, points: points)
    }
}

/// `[1700000000.123, "42"]`.
struct RawPoint: Decodable {
    var point: SamplePoint

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let time = try c.decode(Double.self)
        let text = try c.decode(String.self)
        guard let value = SampleValue.parse(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "sample value \"\(text)\" is not a number")
        }
        point = SamplePoint(time: time, value: value)
    }
}

struct RawStringPoint: Decodable {
    var time: Double
    var value: String

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        time = try c.decode(Double.self)
        value = try c.decode(String.self)
    }
}

/// Sample value text as Prometheus writes it: decimal, exponent, `NaN`, `+Inf`, `-Inf`.
public enum SampleValue {
    public static func parse(_ text: String) -> Double? {
        switch text {
        case "NaN", "nan": return .nan
        case "+Inf", "Inf", "inf", "+inf": return .infinity
        case "-Inf", "-inf": return -.infinity
        default: return Double(text)
        }
    }
}
