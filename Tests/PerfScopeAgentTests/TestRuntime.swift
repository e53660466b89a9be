import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCollect
import PrometheusAPI

enum TestRuntime {
    static func make(url: String) throws -> AnalysisRuntime {
        let config = PerfScopeConfig()
        return AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, environment: [:]),
                               prometheus: PrometheusConfiguration(url: try PrometheusConfiguration.parseURL(url), timeout: .seconds(3)), logger: Logger(label: "test"))
    }
}
