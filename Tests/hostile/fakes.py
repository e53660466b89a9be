"""In-test stand-ins that answer with hostile data, for Tests/hostile/hostile.py: a Prometheus
whose samples are NaN, ±Inf, 1e300 and 2^63 and whose labels carry markup, escape sequences and
combining marks; a Grafana whose dashboards have ids of 1e300 and titles of "\\u0600<img …>"; a
Kubernetes API whose node capacity is "inf"; an etcd v3 gateway whose numbers are out of range.
Each runs in a thread on 127.0.0.1 and a port the OS picks."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

XSS = "\u0600<img src=x onerror=alert(1)>"
LABELS = [
    XSS,
    "a\u0301<script>alert(1)</script>",          # combining mark before <
    "\u200d<b>zwj</b>",                           # zero-width joiner
    "\ufeff<svg onload=alert(1)>",               # BOM
    "\x1b]0;pwned\x07\x1b[2J\x1b[31mred",         # OSC title, clear screen, colour
    "pipe|cell`code`[link](javascript:alert(1))",
    "x" * 300,
]
BAD_SAMPLES = ["NaN", "+Inf", "-Inf", "1e300", "-1e300", "9223372036854775808", "1e308", "1.7976931348623157e308"]


class Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def prometheus_series(i, now, points=40, step=15):
    labels = {"instance": f"127.0.0.{i + 1}:2379", "job": "etcd", "device": LABELS[i % len(LABELS)],
              "To": LABELS[(i + 1) % len(LABELS)], "mode": "idle", "pod": LABELS[(i + 2) % len(LABELS)]}
    values = [[now - (points - k) * step, BAD_SAMPLES[(k + i) % len(BAD_SAMPLES)] if k % 3 else str(k * 1e17)] for k in range(points)]
    return labels, values


class Prometheus(Quiet):
    """Hostile answers to everything; `/huge/` prefix: a 20 MiB instant answer."""

    def do_GET(self):
        self.answer(self.path)

    def do_POST(self):
        self.body()
        self.answer(self.path)

    def answer(self, path):
        now = time.time()
        if "/status/buildinfo" in path:
            return self.reply(200, {"status": "success", "data": {"version": XSS}})
        if "/query_range" in path:
            result = [{"metric": l, "values": v} for l, v in (prometheus_series(i, now) for i in range(3))]
            return self.reply(200, {"status": "success", "data": {"resultType": "matrix", "result": result}, "warnings": [XSS]})
        if path.startswith("/huge/"):
            big = [{"metric": {"instance": str(i), "x": "y" * 1000}, "value": [now, "1"]} for i in range(20000)]
            return self.reply(200, {"status": "success", "data": {"resultType": "vector", "result": big}})
        if "/query" in path:
            result = [{"metric": dict(prometheus_series(i, now)[0], job=LABELS[i % len(LABELS)]), "value": [now, v]}
                      for i, v in enumerate(BAD_SAMPLES)]
            return self.reply(200, {"status": "success", "data": {"resultType": "vector", "result": result}})
        if "/label" in path or "/series" in path or "/targets" in path:
            return self.reply(200, {"status": "success", "data": []})
        self.reply(404, {"status": "error", "errorType": "not_found", "error": XSS})


class Grafana(Quiet):
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/api/health":
            return self.reply(200, {"database": "ok", "version": "10.0.0"})
        if path == "/api/search":
            return self.reply(200, [{"uid": "bad", "title": XSS, "type": "dash-db", "id": 1e300}])
        if path.startswith("/api/dashboards/uid/"):
            return self.reply(200, DASHBOARD)
        if path.startswith("/api/datasources"):
            return self.reply(200, [{"uid": "prom", "type": "prometheus", "name": XSS, "id": 1e300, "isDefault": True}])
        self.reply(404, {"message": XSS})


DASHBOARD = {
    "meta": {"slug": XSS, "folderTitle": XSS},
    "dashboard": {
        "uid": "bad", "id": 1e300, "title": XSS, "version": 1e300,
        "templating": {"list": [{"name": "x", "type": "custom", "query": XSS, "current": {"value": XSS}}]},
        "panels": [
            {"id": 1e300, "title": XSS, "type": "timeseries", "datasource": {"type": "prometheus", "uid": "prom"},
             "fieldConfig": {"defaults": {"unit": XSS, "decimals": 1e300,
                                          "thresholds": {"steps": [{"value": None, "color": "green"}, {"value": 1e300, "color": "red"}]}}},
             "targets": [{"expr": "up{job=\"" + "x" * 50 + "\"}", "refId": XSS, "legendFormat": XSS}]},
            {"id": -9223372036854775809, "title": "\u0301<i>", "type": "stat", "gridPos": {"h": 1e300, "w": -1, "x": float("1e300"), "y": 0},
             "targets": [{"expr": "rate(x[1e300s])", "refId": "B"}]},
        ],
    },
}


class Kubernetes(Quiet):
    def do_GET(self):
        path = self.path.split("?")[0]
        node = {"metadata": {"name": XSS, "labels": {"node-role.kubernetes.io/control-plane": ""}},
                "spec": {"providerID": XSS},
                "status": {"addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
                           "capacity": {"cpu": "inf", "memory": "1e400Gi"}, "allocatable": {"cpu": "nan", "memory": "-1"}}}
        pods = [{"metadata": {"name": f"etcd-{i}", "namespace": "kube-system", "labels": {"component": "etcd"}},
                 "spec": {"nodeName": XSS}, "status": {"podIP": "127.0.0.1", "hostIP": "127.0.0.1", "phase": "Running"}} for i in range(3)]
        routes = {"/version": {"major": "1", "minor": XSS, "gitVersion": XSS},
                  "/api/v1/nodes": {"kind": "NodeList", "items": [node, node]},
                  "/api/v1/namespaces/kube-system/pods": {"kind": "PodList", "items": pods},
                  "/api/v1/services": {"kind": "ServiceList", "items": []}}
        body = routes.get(path)
        self.reply(200 if body is not None else 404, body if body is not None else {"kind": "Status", "code": 404, "message": XSS})


class EtcdGateway(Quiet):
    def do_POST(self):
        self.body()
        big = 1e300
        if self.path.endswith("/maintenance/status"):
            return self.reply(200, {"header": {"cluster_id": "18446744073709551616", "member_id": big, "raft_term": "-1"},
                                    "version": XSS, "dbSize": big, "dbSizeInUse": "1e400", "leader": -1, "raftIndex": "NaN",
                                    "raftTerm": big, "errors": [XSS]})
        if self.path.endswith("/cluster/member/list"):
            return self.reply(200, {"header": {"cluster_id": big}, "members": [{"ID": big, "name": XSS, "clientURLs": [XSS], "peerURLs": ["http://[::1"]}]})
        if self.path.endswith("/maintenance/alarm"):
            return self.reply(200, {"alarms": [{"memberID": big, "alarm": XSS}]})
        self.reply(200, {"header": {"raft_term": big}, "kvs": [{"key": "eA==", "value": XSS}], "count": big})

    def do_GET(self):
        if self.path.startswith("/health"):
            return self.reply(200, {"health": XSS, "reason": XSS})
        if self.path.startswith("/metrics"):
            lines = ["# TYPE etcd_server_has_leader gauge"] + [f'etcd_server_has_leader{{x="{i}"}} {v}' for i, v in enumerate(BAD_SAMPLES)]
            lines += ["# TYPE etcd_server_leader_changes_seen_total counter", "etcd_server_leader_changes_seen_total 1e300"]
            return self.reply(200, ("\n".join(lines) + "\n").encode(), "text/plain; version=0.0.4")
        self.reply(404, {"error": XSS})


def start_all():
    return {name: serve(handler) for name, handler in
            {"prometheus": Prometheus, "grafana": Grafana, "kubernetes": Kubernetes, "etcd": EtcdGateway}.items()}
