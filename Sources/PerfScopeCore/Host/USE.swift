/// The four physical resources the USE method walks on every host. Brendan Gregg's USE method
/// (Systems Performance 2nd ed., ch. 2.5.9): for every resource check utilisation, saturation
/// and errors — in that order, because saturation and errors explain latency that utilisation
/// alone hides.
public enum USEResource: String, Sendable, Codable, CaseIterable {
    case cpu, memory, disk, network

    /// The report category a finding about this resource belongs to.
    public var category: Category {
        switch self {
        case .cpu: .cpu
        case .memory: .memory
        case .disk: .disk
        case .network: .network
        }
    }

    public var title: String {
        switch self {
        case .cpu: "CPU"
        case .memory: "Memory"
        case .disk: "Disk"
        case .network: "Network"
        }
    }

    /// The book chapter that covers the resource.
    public var reference: String {
        switch self {
        case .cpu: "Systems Performance 2nd ed., ch. 6 (CPUs), 2.5.9 (USE method)"
        case .memory: "Systems Performance 2nd ed., ch. 7 (Memory), 2.5.9 (USE method)"
        case .disk: "Systems Performance 2nd ed., ch. 9 (Disks), 2.5.9 (USE method)"
        case .network: "Systems Performance 2nd ed., ch. 10 (Network), 2.5.9 (USE method)"
        }
    }
}

/// Utilisation (how busy), saturation (how much work waits), errors (how much fails).
public enum USEDimension: String, Sendable, Codable, CaseIterable {
    case utilisation, saturation, errors
}

/// Where a catalog metric sits in the USE table (`use: cpu/saturation` in the catalog YAML).
public struct USEPlacement: Sendable, Codable, Equatable, Hashable {
    public var resource: USEResource
    public var dimension: USEDimension

    public init(_ resource: USEResource, _ dimension: USEDimension) {
        self.resource = resource
        self.dimension = dimension
    }

    /// Parses `cpu/saturation`; nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count == 2, let r = USEResource(rawValue: parts[0]), let d = USEDimension(rawValue: parts[1]) else { return nil }
        self.init(r, d)
    }

    public var text: String { "\(resource.rawValue)/\(dimension.rawValue)" }
}

/// One cell entry of a host's USE table: a metric's verdict on one resource dimension.
public struct USECheck: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Measured and within the catalog thresholds.
        case ok
        /// Measured and past a threshold (`severity` says how far).
        case problem
        /// No series, and none is the healthy case (no swap configured, no OOM kill yet).
        case none
        /// The metric is missing: this part of the resource is not judged.
        case unavailable
        /// No exporter in the data measures this dimension; `note` says how to check by hand.
        case unobservable
    }

    public var resource: USEResource
    public var dimension: USEDimension
    /// Catalog metric name; empty for `unobservable`.
    public var metric: String
    public var title: String
    /// Identity labels beyond instance (device, interface), as `device=sda`.
    public var detail: String
    public var value: Double?
    /// `value` formatted in the metric's unit (empty without a value).
    public var display: String
    public var unit: MetricUnit?
    public var threshold: Double?
    public var severity: Severity?
    public var status: Status
    public var note: String?
    public var query: String?

    public init(resource: USEResource, dimension: USEDimension, metric: String, title: String, detail: String = "",
                value: Double? = nil, display: String = "", unit: MetricUnit? = nil, threshold: Double? = nil,
                severity: Severity? = nil, status: Status, note: String? = nil, query: String? = nil) {
        self.resource = resource
        self.dimension = dimension
        self.metric = metric
        self.title = title
        self.detail = detail
        self.value = value
        self.display = display
        self.unit = unit
        self.threshold = threshold
        self.severity = severity
        self.status = status
        self.note = note
        self.query = query
    }
}

/// The USE table of one host (one node-exporter `instance`), with the etcd members it carries.
public struct HostReview: Sendable, Codable, Equatable {
    public var instance: String
    /// etcd `instance` values tied to this host (by host part or the config's `members:` map).
    public var members: [String]
    public var checks: [USECheck]

    public init(instance: String, members: [String], checks: [USECheck]) {
        self.instance = instance
        self.members = members
        self.checks = checks
    }

    public func checks(_ resource: USEResource, _ dimension: USEDimension) -> [USECheck] {
        checks.filter { $0.resource == resource && $0.dimension == dimension }
    }

    /// The cell's one-word verdict: the worst severity, `ok`, `none`, `n/a` or `unobservable`.
    public func verdict(_ resource: USEResource, _ dimension: USEDimension) -> String {
        let cell = checks(resource, dimension)
        if let worst = cell.compactMap(\.severity).max() { return worst.rawValue }
        if cell.contains(where: { $0.status == .ok }) { return "ok" }
        if cell.contains(where: { $0.status == .none }) { return "none" }
        if cell.contains(where: { $0.status == .unavailable }) { return "no data" }
        return "not observable"
    }
}
