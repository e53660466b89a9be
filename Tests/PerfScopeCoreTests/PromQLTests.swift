import PerfScopeCore
import Testing

@Suite struct PromQLEscapingTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a\"b", "a\\\"b"),
        ("back\\slash", "back\\\\slash"),
        ("line\nbreak", "line\\nbreak"),
        ("tab\tand\rcr", "tab\\tand\\rcr"),
        ("\"}) or vector(1) #", "\\\"}) or vector(1) #"),
        ("ünïcode", "ünïcode"),
    ])
    func escapes(raw: String, escaped: String) {
        #expect(PromQL.escape(raw) == escaped)
    }

    @Test func matcherQuotesTheValue() {
        #expect(PromQL.matcher("instance", "=", "10.0.0.1:2379\"") == #"instance="10.0.0.1:2379\"""#)
    }

    @Test func anyOfEscapesRegexAndString() {
        #expect(PromQL.anyOf("instance", []) == nil)
        #expect(PromQL.anyOf("instance", ["a.b:1"]) == #"instance="a.b:1""#)
        #expect(PromQL.anyOf("instance", ["a.b:1", "c|d"]) == #"instance=~"a\\.b:1|c\\|d""#)
    }

    @Test(arguments: [
        #"job="etcd""#, #"job=~".*etcd.*""#, #"namespace="openshift-etcd", job!="x""#, #"a!~"b" , c="d,e""#, "", #"x='y'"#,
        #"device!~"(dm-|loop).*""#,
    ])
    func validMatchers(text: String) {
        #expect(PromQL.validateMatchers(text) == nil)
    }

    @Test(arguments: [#"job=etcd"#, #"job"#, #"job=="x""#, #"1job="x""#, #"job="x" c="d""#, #"job="unterminated"#, #"{job="x"}"#])
    func invalidMatchers(text: String) {
        #expect(PromQL.validateMatchers(text) != nil)
    }
}

@Suite struct HostMappingTests {
    @Test(arguments: [
        ("10.0.0.1:2379", "10.0.0.1"), ("[fd00::1]:2379", "fd00::1"), ("etcd-0.etcd.svc:2379", "etcd-0.etcd.svc"),
        ("host", "host"), ("fd00::1", "fd00::1"),
    ])
    func hostPart(instance: String, host: String) {
        #expect(HostMapping.host(of: instance) == host)
    }

    @Test func mapsByHostOrExplicitly() {
        let nodes = ["10.0.0.1:9100", "10.0.0.2:9100"]
        #expect(HostMapping.nodeInstance(forEtcd: "10.0.0.2:2379", among: nodes) == "10.0.0.2:9100")
        #expect(HostMapping.nodeInstance(forEtcd: "10.0.0.3:2379", among: nodes) == nil)
        #expect(HostMapping.nodeInstance(forEtcd: "etcd-a:2379", among: nodes, explicit: ["etcd-a:2379": "10.0.0.1:9100"]) == "10.0.0.1:9100")
        #expect(HostMapping.nodeInstance(forEtcd: "etcd-b:2379", among: nodes, explicit: ["etcd-b": "10.0.0.2:9100"]) == "10.0.0.2:9100")
    }
}
