import Foundation

/// The kubelet's cAdvisor view of each etcd container (Kubernetes styles with `cadvisor`):
/// CFS periods and throttled periods, CPU usage, working set and the memory limit — labelled
/// the way kube-prometheus and OpenShift scrape `/metrics/cadvisor` (job `kubelet`).
struct ContainerSeries {
    let deployment: Deployment
    let variant: Variant

    func emit(_ store: SeriesStore, _ states: [MemberState], dt: Double, first: Bool, rng: inout SplitMix64) {
        guard variant.cadvisor else { return }
        for (i, m) in deployment.members.enumerated() {
            let s = states[i]
            guard let pod = m.labels.first(where: { $0.0 == "pod" })?.1,
                  let namespace = m.labels.first(where: { $0.0 == "namespace" })?.1 else { continue }
            let node = deployment.hosts[m.host].instance
            let ip = m.instance.split(separator: ":").first.map(String.init) ?? node
            let L: Labels = [("container", "etcd"), ("endpoint", "https-metrics"), ("id", "/kubepods/burstable/pod\(m.id.prefix(8))/\(m.id)"),
                             ("image", "quay.io/coreos/etcd:v\(variant.etcdVersion)"), ("instance", "\(ip):10250"), ("job", "kubelet"),
                             ("metrics_path", "/metrics/cadvisor"), ("name", "k8s_etcd_\(pod)"), ("namespace", namespace), ("node", node),
                             ("pod", pod), ("service", "kubelet")]
            // 100 ms CFS periods while the container runs; throttled ones are the share the quota cut.
            let periods = s.up ? 10 * dt : 0
            store.counter("container_cpu_cfs_periods", L, add: (first ? 8e5 : 0) + periods, help: "Number of elapsed enforcement period intervals.")
            store.counter("container_cpu_cfs_throttled_periods", L, add: (first ? 400 : 0) + rng.round(periods * s.throttled), help: "Number of throttled period intervals.")
            store.counter("container_cpu_usage_seconds", L, add: (first ? 3000 : 0) + (s.up ? s.processCPU * dt : 0), help: "Cumulative cpu time consumed in seconds.")
            store.gauge("container_memory_working_set_bytes", L, (s.up ? s.rss * 0.97 : 0).rounded(), help: "Current working set in bytes.")
            store.gauge("container_spec_memory_limit_bytes", L, variant.containerMemoryLimit ?? 0, help: "Memory limit for the container.")
        }
    }
}
