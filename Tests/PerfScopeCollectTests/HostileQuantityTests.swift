import Foundation
import PerfScopeCollect
import Testing

/// Kubernetes quantities from the API: `inf`, `nan` and overflowing values are not numbers.
@Suite struct HostileQuantityTests {
    @Test(arguments: ["inf", "nan", "-inf", "1e400", "1e400Gi", "infm", "nanKi", "-1", "-5Gi", "1e300Ei", "", "Gi", String(repeating: "9", count: 500)])
    func hostileQuantitiesAreNil(text: String) {
        #expect(KubernetesQuantity.cpuCores(text) == nil)
        #expect(KubernetesQuantity.bytes(text) == nil)
    }

    @Test func ordinaryQuantitiesStillParse() {
        #expect(KubernetesQuantity.cpuCores("500m") == 0.5 && KubernetesQuantity.cpuCores("4") == 4)
        #expect(KubernetesQuantity.bytes("16Gi") == 16 * 0x1p30 && KubernetesQuantity.bytes("1e3") == 1000)
    }
}
