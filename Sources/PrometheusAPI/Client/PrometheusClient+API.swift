import Foundation

/// The read endpoints perfscope uses. Each decodes the envelope and maps `status: error` to a
/// typed `PrometheusError`.
extension PrometheusClient {
    /// `/api/v1/query`: an instant query at `time` (default: the server's now).
    public func query(_ promql: String, at time: Date? = nil) async throws -> QueryResponse {
        var parameters = [("query", promql)]
        if let time { parameters.append(("time", Self.timeParameter(time))) }
        let decoded: Decoded<RawQueryData> = try await call("/api/v1/query", parameters, allowPost: true)
        return QueryResponse(result: decoded.data.result, warnings: decoded.warnings, infos: decoded.infos)
    }

    /// `/api/v1/query_range`: a range query with `step` seconds between points.
    public func queryRange(_ promql: String, start: Date, end: Date, step: Double) async throws -> QueryResponse {
        let parameters = [("query", promql), ("start", Self.timeParameter(start)), ("end", Self.timeParameter(end)),
                          ("step", Self.number(step))]
        let decoded: Decoded<RawQueryData> = try await call("/api/v1/query_range", parameters, allowPost: true)
        return QueryResponse(result: decoded.data.result, warnings: decoded.warnings, infos: decoded.infos)
    }

    /// `/api/v1/series`: label sets of series matching any of `matchers` (e.g. `up{job="etcd"}`).
    public func series(_ matchers: [String], start: Date? = nil, end: Date? = nil) async throws -> [[String: String]] {
        var parameters = matchers.map { ("match[]", $0) }
        if let start { parameters.append(("start", Self.timeParameter(start))) }
        if let end { parameters.append(("end", Self.timeParameter(end))) }
        return try await call("/api/v1/series", parameters, allowPost: true).data
    }

    /// `/api/v1/labels`: label names, optionally limited to series matching `matchers`.
    public func labels(matching matchers: [String] = []) async throws -> [String] {
        try await call("/api/v1/labels", matchers.map { ("match[]", $0) }, allowPost: true).data
    }

    /// `/api/v1/label/<name>/values`.
    public func labelValues(_ name: String, matching matchers: [String] = []) async throws -> [String] {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PrometheusError.configuration("invalid label name \"\(name)\": use letters, digits and _")
        }
        return try await call("/api/v1/label/\(name)/values", matchers.map { ("match[]", $0) }).data
    }

    /// `/api/v1/targets` (active and dropped scrape targets).
    public func targets(state: String = "active") async throws -> TargetsResult {
        try await call("/api/v1/targets", [("state", state)]).data
    }

    /// `/api/v1/status/buildinfo`. Thanos and Mimir may not serve it; callers treat `not_found` as "unknown".
    public func buildInfo() async throws -> BuildInfo {
        try await call("/api/v1/status/buildinfo", []).data
    }

    /// `/-/ready`: true when the server answers 200. Throws when it cannot be reached at all.
    public func ready() async throws -> Bool {
        let (status, _) = try await send(path: "/-/ready", parameters: [])
        return status == 200
    }

    // MARK: Decoding

    struct Decoded<T> {
        var data: T
        var warnings: [String]
        var infos: [String]
    }

    func call<T: Decodable>(_ path: String, _ parameters: [(String, String)], allowPost: Bool = false) async throws -> Decoded<T> {
        let (status, body) = try await send(path: path, parameters: parameters, allowPost: allowPost)
        let decoder = JSONDecoder()
        if let env = try? decoder.decode(Envelope<T>.self, from: body) {
            if env.status == "success", let data = env.data {
                if let warnings = env.warnings, !warnings.isEmpty {
                    logger.warning("prometheus warnings", metadata: ["path": "\(path)", "warnings": "\(warnings.joined(separator: "; "))"])
                }
                return Decoded(data: data, warnings: env.warnings ?? [], infos: env.infos ?? [])
            }
            if env.status == "error" {
                throw PrometheusError.api(errorType: env.errorType ?? "unknown", error: env.error ?? "no message",
                                          status: status, url: base)
            }
        }
        // Not an envelope: an error envelope with another data shape, a proxy page, or HTML.
        if let env = try? decoder.decode(Envelope<IgnoredData>.self, from: body), env.status == "error" {
            throw PrometheusError.api(errorType: env.errorType ?? "unknown", error: env.error ?? "no message", status: status, url: base)
        }
        if !(200..<300).contains(status) {
            throw PrometheusError.httpStatus(status, url: base, body: String(decoding: body.prefix(512), as: UTF8.self))
        }
        throw PrometheusError.decoding(url: base, what: "\(path) did not return a Prometheus API envelope")
    }

    struct IgnoredData: Decodable {}

    static func timeParameter(_ date: Date) -> String { number(date.timeIntervalSince1970) }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3f", value)
    }
}
