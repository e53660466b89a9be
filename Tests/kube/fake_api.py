#!/usr/bin/env python3
"""A plain-HTTP stand-in for a small kubeadm cluster's API server (the lab's shape: one node,
three etcd static pods on 127.0.0.1), for `perfscope analyze --kubeconfig` end-to-end tests.
Prints the port it listens on, then serves until killed. GET only; a bearer token is required."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

TOKEN = sys.argv[1] if len(sys.argv) > 1 else "lab-token"
NODE = {"metadata": {"name": "lab-node", "labels": {"node-role.kubernetes.io/control-plane": ""}},
        "spec": {"providerID": "kind://docker/lab/lab-node"},
        "status": {"addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
                   "capacity": {"cpu": "2", "memory": "24Gi"}, "allocatable": {"cpu": "2", "memory": "23Gi"}}}


def pod(name):
    return {"metadata": {"name": name, "namespace": "kube-system", "labels": {"component": "etcd"}},
            "spec": {"nodeName": "lab-node"}, "status": {"podIP": "127.0.0.1", "hostIP": "127.0.0.1", "phase": "Running"}}


ROUTES = {
    "/version": {"major": "1", "minor": "30", "gitVersion": "v1.30.2"},
    "/api/v1/nodes": {"kind": "NodeList", "items": [NODE]},
    "/api/v1/namespaces/kube-system/pods": {"kind": "PodList", "items": [pod("etcd-m1"), pod("etcd-m2"), pod("etcd-m3")]},
    "/api/v1/services": {"kind": "ServiceList", "items": []},
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.reply(401, {"kind": "Status", "status": "Failure", "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
        body = ROUTES.get(self.path.split("?")[0])
        if body is None:
            return self.reply(404, {"kind": "Status", "status": "Failure", "message": "not found", "reason": "NotFound", "code": 404})
        self.reply(200, body)

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
