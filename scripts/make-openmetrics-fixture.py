#!/usr/bin/env python3
"""Writes a real OpenMetrics exposition produced by the official Python client (prometheus_client),
used as the parser's OpenMetrics fixture: none of Prometheus 2.42, etcd 3.4 or node-exporter 1.5
answers in OpenMetrics on this machine kind, so the reference implementation's output is the next
best real thing. Deterministic: seeded values, fixed labels."""
import random
import sys

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary
from prometheus_client import ProcessCollector, PlatformCollector, GCCollector
from prometheus_client.openmetrics.exposition import generate_latest

random.seed(42)
reg = CollectorRegistry()
ProcessCollector(registry=reg)
PlatformCollector(registry=reg)
GCCollector(registry=reg)
buckets = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192]
wal = Histogram("etcd_disk_wal_fsync_duration_seconds", "The latency distributions of fsync called by WAL.", buckets=buckets, registry=reg)
commit = Histogram("etcd_disk_backend_commit_duration_seconds", "The latency distributions of commit called by backend.", buckets=buckets, registry=reg)
rtt = Histogram("etcd_network_peer_round_trip_time_seconds", "Round-Trip-Time histogram between peers", ["To"], buckets=[0.0001 * 2**i for i in range(16)], registry=reg)
for i in range(5000):
    wal.observe(random.lognormvariate(-5.5, 0.6))
    commit.observe(random.lognormvariate(-4.8, 0.7))
wal.observe(0.0042)
for peer in ["7130fef2173e3af5", "e4558a9b2fd95d2e"]:
    for _ in range(40):
        rtt.labels(peer).observe(random.lognormvariate(-7, 0.4))
proposals = Counter("etcd_server_proposals_committed", "The total number of consensus proposals committed.", registry=reg)
proposals.inc(123456)
handled = Counter("grpc_server_handled", "Total number of RPCs completed on the server.", ["grpc_method", "grpc_code", "grpc_type", "grpc_service"], registry=reg)
for method in ["Range", "Put", "Txn", "LeaseGrant"]:
    for code in ["OK", "Unavailable", "DeadlineExceeded"]:
        handled.labels(method, code, "unary", "etcdserverpb.KV").inc(random.randint(0, 10000))
Gauge("etcd_server_has_leader", "Whether or not a leader exists.", registry=reg).set(1)
Gauge("etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes.", unit="bytes", registry=reg).set(25_165_824)
Gauge("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes.", unit="bytes", registry=reg).set(2_147_483_648)
apply = Summary("etcd_server_apply_seconds", "Apply latency (label escapes: \"quoted\" and back\\slash).", ["op"], registry=reg)
for _ in range(100):
    apply.labels('range "a\\b"').observe(random.random() / 100)
Info("etcd_server_version", "Which version is running.", registry=reg).info({"server_version": "3.4.23"})
Enum("etcd_member_state", "Member state.", states=["leader", "follower", "learner"], registry=reg).state("follower")
sys.stdout.write(generate_latest(reg).decode())
