/// The rows of a host's USE table, shared by the text, Markdown and HTML renderers so the three
/// show the same verdicts: one row per resource dimension, the worst verdict, then what was measured.
public enum USETableView {
    public struct Row: Sendable, Equatable {
        public var resource: String
        public var dimension: String
        public var verdict: String
        public var details: String
    }

    public static func rows(_ host: HostReview) -> [Row] {
        var rows: [Row] = []
        for resource in USEResource.allCases {
            for dimension in USEDimension.allCases {
                let cell = host.checks(resource, dimension)
                let measured = cell.filter { $0.value != nil }
                var parts = measured.prefix(6).map { c in
                    "\(c.title)\(c.detail.isEmpty ? "" : " [\(c.detail.replacingOccurrences(of: "device=", with: ""))]") \(c.display)"
                }
                if measured.count > 6 { parts.append("+\(measured.count - 6) more") }
                let missing = cell.filter { $0.status == .unavailable }.map(\.title)
                if !missing.isEmpty { parts.append("no data: " + missing.joined(separator: ", ")) }
                let none = cell.filter { $0.status == .none }.map(\.title)
                if !none.isEmpty { parts.append("none: " + none.joined(separator: ", ")) }
                if let note = cell.first(where: { $0.status == .unobservable })?.note { parts.append(note) }
                rows.append(Row(resource: resource.title, dimension: dimension.rawValue, verdict: host.verdict(resource, dimension),
                                details: parts.joined(separator: "; ")))
            }
        }
        return rows
    }

    /// `host (etcd a, b)` heading.
    public static func heading(_ host: HostReview) -> String {
        host.members.isEmpty ? host.instance : "\(host.instance) (etcd \(host.members.joined(separator: ", ")))"
    }
}
