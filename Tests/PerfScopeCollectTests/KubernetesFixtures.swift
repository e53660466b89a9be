import Foundation
import NIOHTTP1

/// Recorded-shape Kubernetes and OpenShift API answers (trimmed to the fields discovery reads,
/// plus some it ignores, as real servers send).
enum KubeFixtures {
    static let token = "sha256~test-token-ABCDEF0123456789"

    static let openShiftVersion = #"""
    {"major":"1","minor":"29","gitVersion":"v1.29.5+4b24c4b","gitCommit":"4b24c4b","gitTreeState":"clean",
     "buildDate":"2024-06-20T10:02:33Z","goVersion":"go1.21.11 (Red Hat 1.21.11-1.el9_4) X:strictfipsruntime","compiler":"gc","platform":"linux/amd64"}
    """#

    static let kubernetesVersion = #"""
    {"major":"1","minor":"30","gitVersion":"v1.30.2","gitCommit":"39683505b630ff2121012f3c5b16215a1449d5ed","gitTreeState":"clean",
     "buildDate":"2024-06-11T20:21:00Z","goVersion":"go1.22.4","compiler":"gc","platform":"linux/amd64"}
    """#

    static func node(_ name: String, ip: String, roles: [String], providerID: String, cpu: String, memory: String,
                     allocCPU: String, allocMemory: String) -> String {
        let roleLabels = roles.map { #""node-role.kubernetes.io/\#($0)":"","# }.joined()
        return #"""
        {"metadata":{"name":"\#(name)","uid":"\#(UUID().uuidString.lowercased())","resourceVersion":"812345",
          "labels":{"beta.kubernetes.io/arch":"amd64","kubernetes.io/hostname":"\#(name)","kubernetes.io/os":"linux",\#(roleLabels)
                    "node.kubernetes.io/instance-type":"m6i.2xlarge","topology.kubernetes.io/zone":"us-east-1a"}},
         "spec":{"providerID":"\#(providerID)"},
         "status":{"capacity":{"cpu":"\#(cpu)","ephemeral-storage":"125293548Ki","hugepages-1Gi":"0","memory":"\#(memory)","pods":"250"},
                   "allocatable":{"cpu":"\#(allocCPU)","ephemeral-storage":"114396791822","memory":"\#(allocMemory)","pods":"250"},
                   "addresses":[{"type":"InternalIP","address":"\#(ip)"},{"type":"Hostname","address":"\#(name)"},
                                {"type":"InternalDNS","address":"\#(name)"}],
                   "nodeInfo":{"kubeletVersion":"v1.29.5+4b24c4b","containerRuntimeVersion":"cri-o://1.29.5"}}}
        """#
    }

    static let openShiftNodes = #"{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"812399"},"items":["# + [
        node("ip-10-0-1-10.ec2.internal", ip: "10.0.1.10", roles: ["control-plane", "master"], providerID: "aws:///us-east-1a/i-0a1b2c3d4e5f60001",
             cpu: "8", memory: "32386208Ki", allocCPU: "7500m", allocMemory: "31235232Ki"),
        node("ip-10-0-2-11.ec2.internal", ip: "10.0.2.11", roles: ["control-plane", "master"], providerID: "aws:///us-east-1b/i-0a1b2c3d4e5f60002",
             cpu: "8", memory: "32386208Ki", allocCPU: "7500m", allocMemory: "31235232Ki"),
        node("ip-10-0-3-12.ec2.internal", ip: "10.0.3.12", roles: ["control-plane", "master"], providerID: "aws:///us-east-1c/i-0a1b2c3d4e5f60003",
             cpu: "8", memory: "32386208Ki", allocCPU: "7500m", allocMemory: "31235232Ki"),
        node("ip-10-0-1-50.ec2.internal", ip: "10.0.1.50", roles: ["worker"], providerID: "aws:///us-east-1a/i-0a1b2c3d4e5f60050",
             cpu: "4", memory: "16105380Ki", allocCPU: "3500m", allocMemory: "14954404Ki"),
    ].joined(separator: ",") + "]}"

    static let kubernetesNodes = #"{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"5521"},"items":["# + [
        node("cp-1", ip: "192.168.10.11", roles: ["control-plane"], providerID: "gce://proj/europe-west1-b/cp-1",
             cpu: "4", memory: "16393220Ki", allocCPU: "4", allocMemory: "16290820Ki"),
        node("worker-1", ip: "192.168.10.21", roles: [], providerID: "gce://proj/europe-west1-b/worker-1",
             cpu: "16", memory: "65848320Ki", allocCPU: "15890m", allocMemory: "64697344Ki"),
    ].joined(separator: ",") + "]}"

    static func etcdPod(_ name: String, namespace: String, node: String, ip: String, labels: String) -> String {
        #"""
        {"metadata":{"name":"\#(name)","namespace":"\#(namespace)","labels":{\#(labels)},
          "annotations":{"kubernetes.io/config.source":"file"}},
         "spec":{"nodeName":"\#(node)","hostNetwork":true,"priorityClassName":"system-node-critical",
                 "containers":[{"name":"etcd","image":"quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:0f"}]},
         "status":{"phase":"Running","hostIP":"\#(ip)","podIP":"\#(ip)","podIPs":[{"ip":"\#(ip)"}],"startTime":"2024-07-01T08:00:00Z"}}
        """#
    }

    static let openShiftEtcdPods = #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"812400"},"items":["# + [
        ("ip-10-0-1-10.ec2.internal", "10.0.1.10"), ("ip-10-0-2-11.ec2.internal", "10.0.2.11"), ("ip-10-0-3-12.ec2.internal", "10.0.3.12"),
    ].map { etcdPod("etcd-\($0.0)", namespace: "openshift-etcd", node: $0.0, ip: $0.1,
                    labels: #""app":"etcd","etcd":"true","k8s-app":"etcd","revision":"7""#) }.joined(separator: ",") + "]}"

    static let kubeadmEtcdPods = #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"5522"},"items":["#
        + etcdPod("etcd-cp-1", namespace: "kube-system", node: "cp-1", ip: "192.168.10.11", labels: #""component":"etcd","tier":"control-plane""#)
        + "]}"

    static let emptyPods = #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"5522"},"items":[]}"#

    static let clusterVersion = #"""
    {"apiVersion":"config.openshift.io/v1","kind":"ClusterVersion","metadata":{"name":"version"},
     "spec":{"channel":"stable-4.16","clusterID":"5d3c2a10-8f7e-4b2a-9c1d-0e6f4a3b2c1d"},
     "status":{"desired":{"version":"4.16.3","image":"quay.io/openshift-release-dev/ocp-release@sha256:3e"},
               "history":[{"state":"Completed","version":"4.16.3","startedTime":"2024-07-20T10:00:00Z"},
                          {"state":"Completed","version":"4.16.2","startedTime":"2024-07-10T10:00:00Z"}],
               "observedGeneration":4}}
    """#

    static let infrastructure = #"""
    {"apiVersion":"config.openshift.io/v1","kind":"Infrastructure","metadata":{"name":"cluster"},
     "spec":{"platformSpec":{"type":"AWS","aws":{}}},
     "status":{"apiServerURL":"https://api.prod.example.com:6443","controlPlaneTopology":"HighlyAvailable",
               "infrastructureName":"prod-x7k2p","platform":"AWS","platformStatus":{"type":"AWS","aws":{"region":"us-east-1"}}}}
    """#

    static let thanosRoute = #"""
    {"apiVersion":"route.openshift.io/v1","kind":"Route","metadata":{"name":"thanos-querier","namespace":"openshift-monitoring"},
     "spec":{"host":"thanos-querier-openshift-monitoring.apps.prod.example.com","path":"/api","port":{"targetPort":"web"},
             "tls":{"insecureEdgeTerminationPolicy":"Redirect","termination":"reencrypt"},"to":{"kind":"Service","name":"thanos-querier"}},
     "status":{"ingress":[{"host":"thanos-querier-openshift-monitoring.apps.prod.example.com","routerName":"default"}]}}
    """#

    static let prometheusServices = #"""
    {"kind":"ServiceList","apiVersion":"v1","metadata":{"resourceVersion":"5530"},"items":[
     {"metadata":{"name":"kube-prometheus-stack-prometheus","namespace":"monitoring",
                  "labels":{"app.kubernetes.io/name":"prometheus","app.kubernetes.io/instance":"kube-prometheus-stack"}},
      "spec":{"type":"ClusterIP","clusterIP":"10.96.12.34","ports":[{"name":"http-web","port":9090,"protocol":"TCP","targetPort":9090},
                                                                  {"name":"reloader-web","port":8080,"protocol":"TCP","targetPort":"reloader-web"}]}}]}
    """#

    static let status404 = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}"#
    static let status401 = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#
    static func status403(_ what: String) -> String {
        #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(what) is forbidden: User \"system:serviceaccount:perf:reader\" cannot list resource","reason":"Forbidden","code":403}"#
    }

    /// An OpenShift API server. `forbid` paths answer 403, `silent` paths never answer.
    static func openShift(forbid: Set<String> = [], silent: Set<String> = []) -> @Sendable (KubeTestServer.Request) -> KubeTestServer.Reply {
        { request in
            guard request.header("Authorization") == "Bearer \(token)" else { return .respond(.unauthorized, body: status401) }
            if silent.contains(request.path) { return .noAnswer }
            if forbid.contains(request.path) { return .respond(.forbidden, body: status403(request.path)) }
            switch request.path {
            case "/version": return .respond(.ok, body: openShiftVersion)
            case "/apis/config.openshift.io/v1/clusterversions/version": return .respond(.ok, body: clusterVersion)
            case "/apis/config.openshift.io/v1/infrastructures/cluster": return .respond(.ok, body: infrastructure)
            case "/api/v1/nodes": return .respond(.ok, body: openShiftNodes)
            case "/api/v1/namespaces/openshift-etcd/pods":
                return .respond(.ok, body: request.query == "labelSelector=app=etcd" ? openShiftEtcdPods : emptyPods)
            case "/api/v1/namespaces/kube-system/pods": return .respond(.ok, body: emptyPods)
            case "/apis/route.openshift.io/v1/namespaces/openshift-monitoring/routes/thanos-querier": return .respond(.ok, body: thanosRoute)
            default: return .respond(.notFound, body: status404)
            }
        }
    }

    /// A plain (kubeadm) Kubernetes API server: no OpenShift API groups, no openshift-etcd namespace.
    static func kubernetes(forbid: Set<String> = []) -> @Sendable (KubeTestServer.Request) -> KubeTestServer.Reply {
        { request in
            guard request.header("Authorization") == "Bearer \(token)" else { return .respond(.unauthorized, body: status401) }
            if forbid.contains(request.path) { return .respond(.forbidden, body: status403(request.path)) }
            switch request.path {
            case "/version": return .respond(.ok, body: kubernetesVersion)
            case "/api/v1/nodes": return .respond(.ok, body: kubernetesNodes)
            case "/api/v1/namespaces/openshift-etcd/pods": return .respond(.ok, body: emptyPods)
            case "/api/v1/namespaces/kube-system/pods":
                return .respond(.ok, body: request.query == "labelSelector=component=etcd" ? kubeadmEtcdPods : emptyPods)
            case "/api/v1/services":
                return .respond(.ok, body: request.query == "labelSelector=app.kubernetes.io/name=prometheus" ? prometheusServices : "{\"items\":[]}")
            default: return .respond(.notFound, body: status404)
            }
        }
    }
}
