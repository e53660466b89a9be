import Foundation
import PrometheusAPI
import Testing

/// The lab Prometheus started by `scripts/test` (env `PERFSCOPE_TEST_PROMETHEUS`). Live tests are
/// enabled only when it is set; `scripts/test` always sets it, so CI runs them.
enum Lab {
    static let prometheusURL = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"]
    static var enabled: Bool { prometheusURL != nil }

    static func configuration(postThreshold: Int = 2_000) throws -> PrometheusConfiguration {
        PrometheusConfiguration(url: try PrometheusConfiguration.parseURL(prometheusURL ?? "http://127.0.0.1:9090"),
                                postThreshold: postThreshold)
    }
}
