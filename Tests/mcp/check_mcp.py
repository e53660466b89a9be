#!/usr/bin/env python3
"""An independent MCP client (the official Python SDK) against perfscope: over stdio
(`perfscope mcp`) and over streamable HTTP (`perfscope serve` → /mcp). It initialises, lists
the tools (every expected name, valid object schemas), calls each tool against the lab, checks
bad arguments are tool errors that leave the server serving, and prints latency and size numbers.
Exit 0 when every check passed."""
import argparse, asyncio, json, os, re, subprocess, sys, time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
try:  # mcp 2.x
    from mcp.client.streamable_http import streamable_http_client
except ImportError:  # mcp 1.x
    from mcp.client.streamable_http import streamablehttp_client as streamable_http_client

EXPECTED = [
    "get_server_health", "get_etcd_cluster_status", "get_ocp_cluster_info", "get_etcd_general_info",
    "get_etcd_node_usage", "get_etcd_disk_wal_fsync", "get_etcd_disk_backend_commit", "get_node_disk_io",
    "get_etcd_disk_compact_defrag", "get_etcd_network_io", "get_etcd_performance_deep_drive",
    "get_etcd_bottleneck_analysis", "generate_etcd_performance_report", "analyze_use_method", "analyze_latency",
    "characterize_workload", "query_prometheus", "query_prometheus_range", "list_metrics",
    "list_runs", "get_run", "compare_with_baseline",
]
# Arguments per tool for the lab; tools not listed are called with {}.
ARGS = {
    "analyze_latency": {"metric": "etcd_disk_wal_fsync_duration_seconds", "duration": "10m"},
    "query_prometheus": {"query": "up"},
    "query_prometheus_range": {"query": "up", "duration": "10m"},
    "list_metrics": {"group": "etcd"},
    "list_grafana_dashboards": None,  # needs a Grafana: not called here
    "analyze_grafana_dashboard": None,
}
WINDOWED = {"duration": "10m"}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL {what}", flush=True)


def attr(obj, snake, camel):
    """mcp 2.x names fields in snake_case, 1.x in camelCase."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def is_error(result):
    return bool(attr(result, "is_error", "isError"))


def structured(result):
    return attr(result, "structured_content", "structuredContent")


def text_of(result):
    return " ".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def exercise(session, transport, numbers):
    t0 = time.monotonic()
    await session.initialize()
    numbers[f"{transport} initialize ms"] = round((time.monotonic() - t0) * 1000, 1)
    t0 = time.monotonic()
    listed = await session.list_tools()
    numbers[f"{transport} tools/list ms"] = round((time.monotonic() - t0) * 1000, 1)
    tools = {t.name: t for t in listed.tools}
    for name in EXPECTED:
        check(name in tools, f"{transport}: tool {name} listed")
    for t in tools.values():
        schema = attr(t, "input_schema", "inputSchema")
        check(schema.get("type") == "object" and isinstance(schema.get("properties"), dict), f"{transport}: {t.name} schema is an object schema")
        for pname, p in schema.get("properties", {}).items():
            check("type" in p and "description" in p, f"{transport}: {t.name}.{pname} has type and description")
            if "enum" in p and "default" in p:
                check(p["default"] in p["enum"], f"{transport}: {t.name}.{pname} default is one of its enum")
        check(bool(t.description), f"{transport}: {t.name} has a description")
    sizes = {}
    for name in tools:
        if ARGS.get(name, {}) is None:
            continue
        args = dict(ARGS.get(name) or {})
        if "duration" in attr(tools[name], "input_schema", "inputSchema").get("properties", {}) and "duration" not in args:
            args.update(WINDOWED)
        t0 = time.monotonic()
        result = await session.call_tool(name, args)
        elapsed = (time.monotonic() - t0) * 1000
        body = text_of(result)
        if name in ("get_run", "compare_with_baseline", "get_kubernetes_cluster_info") and is_error(result):
            # An empty history, no baseline or no kubeconfig is a clear one-line tool error, not a failure.
            check("\n" not in body and any(w in body for w in ("run", "baseline", "kubeconfig")), f"{transport}: {name} error is one line: {body[:200]}")
            continue
        check(not is_error(result), f"{transport}: {name} succeeded ({body[:200]})")
        check(len(body) > 10, f"{transport}: {name} has a text summary")
        check(isinstance(structured(result), (dict, list)), f"{transport}: {name} has structured content")
        sizes[name] = len(json.dumps(structured(result) or {}))
        if name == "generate_etcd_performance_report":
            numbers[f"{transport} report call ms"] = round(elapsed, 1)
            sc = structured(result) or {}
            check(sc.get("grade") in ["excellent", "good", "fair", "poor", "critical"], f"{transport}: report has a grade")
            check(isinstance(sc.get("rootCauses"), list), f"{transport}: report has rootCauses")
        if name == "analyze_use_method":
            hosts = (structured(result) or {}).get("hosts", [])
            check(any(h.get("instance") == "127.0.0.1:9100" and len(h.get("use", {})) == 12 for h in hosts), f"{transport}: USE table of the lab host")
        if name == "query_prometheus":
            check("etcd" in json.dumps(structured(result)), f"{transport}: query up sees the etcd job")
    numbers[f"{transport} largest summary result bytes"] = max(sizes.values())
    numbers[f"{transport} report result bytes"] = sizes.get("generate_etcd_performance_report")
    full = await session.call_tool("generate_etcd_performance_report", {"duration": "10m", "detail": "full"})
    numbers[f"{transport} report detail=full bytes"] = len(json.dumps(structured(full) or {}))
    check(numbers[f"{transport} report detail=full bytes"] > sizes.get("generate_etcd_performance_report", 0), f"{transport}: detail=full is larger than the summary")
    # Bad input is a tool error with the CLI's one-line message; the server keeps serving.
    bad = await session.call_tool("analyze_use_method", {"duration": "10 parsecs"})
    check(is_error(bad) and "duration" in text_of(bad) and "\n" not in text_of(bad), f"{transport}: unknown duration unit is a one-line tool error: {text_of(bad)}")
    bad = await session.call_tool("get_etcd_general_info", {"start": "2026-11-30T10:00:00Z", "end": "2026-11-30T09:00:00Z"})
    check(is_error(bad) and "end" in text_of(bad), f"{transport}: end before start is a tool error: {text_of(bad)}")
    bad = await session.call_tool("analyze_latency", {})
    check(is_error(bad) and "metric" in text_of(bad), f"{transport}: missing required argument is a tool error: {text_of(bad)}")
    try:
        bad = await session.call_tool("no_such_tool", {})
        check(is_error(bad) and "unknown tool" in text_of(bad), f"{transport}: unknown tool is an error: {text_of(bad)}")
    except Exception as e:  # an SDK may raise on a JSON-RPC error instead
        check("unknown tool" in str(e) or "no_such_tool" in str(e), f"{transport}: unknown tool error names it: {e}")
    again = await session.call_tool("get_server_health", {})
    check(not is_error(again), f"{transport}: still serving after errors")


async def over_stdio(binary, prometheus, numbers):
    params = StdioServerParameters(command=binary, args=["mcp", "--prometheus", prometheus], env={**os.environ})
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await exercise(session, "stdio", numbers)


async def over_http(binary, prometheus, numbers):
    server = subprocess.Popen([binary, "serve", "--port", "0", "--prometheus", prometheus], stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        check(m is not None, f"serve printed its port: {line!r}")
        if not m:
            return
        url = f"http://127.0.0.1:{m.group(1)}/mcp"
        async with streamable_http_client(url) as streams:
            read, write = streams[0], streams[1]
            async with ClientSession(read, write) as session:
                await exercise(session, "http", numbers)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--prometheus", required=True)
    a = ap.parse_args()
    numbers = {}
    asyncio.run(over_stdio(a.binary, a.prometheus, numbers))
    asyncio.run(over_http(a.binary, a.prometheus, numbers))
    for k, v in numbers.items():
        print(f"number {k}: {v}")
    print(f"mcp-check: {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
