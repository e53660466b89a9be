#!/usr/bin/env python3
"""The hostile-input suite: one request must never take perfscope down.

Starts the in-test stand-ins of Tests/hostile/fakes.py (a Prometheus, Grafana, Kubernetes API and
etcd gateway that answer with NaN, ±Inf, 1e300, 2^63, markup and escape sequences), a `perfscope
serve` on a random port against them, and sends a table of bad values (tables.py) — NaN, ±inf,
1e300, 1e400, 2^63, negative, zero, empty, 1 MB strings, wrong types, unknown fields, deep
nesting, markup — to every HTTP route, every tool over HTTP, over MCP streamable HTTP and over MCP
stdio (`perfscope mcp`, mcp_suites.py), and the CLI's options (cli_suite.py), checking the
server's /healthz after each request. Then the bounded soak: mixed requests from several clients
at once, with errors, p99 latency and the server's peak RSS. Fails (exit 1) when the server or a
CLI process dies, or answers 5xx to bad input.

The parts before the soak run at once, and within each a few requests or processes are in flight
(--workers, --sessions, --processes): the suite is bound by the CPU time of the debug binary, not
by waiting. The soak runs alone.

    python3 Tests/hostile/hostile.py --binary .build/debug/perfscope [--soak 2000 --clients 8]
"""
import argparse, collections, http.client, json, os, random, subprocess, sys, tempfile, threading, time, traceback
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ beside the tests
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakes  # noqa: E402
from tables import BAD_JSON, BAD_TEXT, CHAT  # noqa: E402
from cli_suite import cli_suite  # noqa: E402
from mcp_suites import mcp_http_suite, mcp_stdio_suite  # noqa: E402
from harness import Check, Server, ServerDied, count, fail, failures, healthy, request, run_checks, sent, server_dead, statuses, tally  # noqa: E402


def tools(server):
    status, text = request(server.port, "GET", "/api/tools")
    assert status == 200, text
    return json.loads(text)


def http_checks(tool_list):
    """Every route with bad values, every tool with every bad value in each parameter: the
    requests that run whole analyses (chat, tool defaults) first, so none is left for the end."""
    checks = [Check("issue: " + path, "GET", path, expect={400}) for path in ["/api/runs?limit=9223372036854775807"]]
    checks.append(Check("issue: top_k 1e300", "POST", "/api/tools/list_metrics", '{"top_k":1e300}', expect={400}))

    def polite(message):
        def then(status, text):
            if status == 200 and "time span" not in text:
                fail(f"chat {message!r}: no polite answer about the time span: {text[:200]!r}")
        return then
    for message in ["nan weeks", "1e400 weeks"]:
        checks.append(Check("issue: chat " + message, "POST", "/chat", json.dumps({"message": message}), expect={200, 400}, then=polite(message)))
    for value in BAD_TEXT:
        q = urllib.parse.quote(value, safe="")
        for path in [f"/api/runs?limit={q}", f"/api/runs?duration={q}", f"/api/runs?cluster={q}", f"/api/conversations?limit={q}",
                     f"/api/runs/{q or 'x'}", f"/api/reports/{q or 'x'}.html", f"/api/conversations/{q or 'x'}",
                     f"/api/system-prompt/{q or 'x'}"]:
            checks.append(Check("GET " + path[:80], "GET", path))
        for path in [f"/api/conversations/{q or 'x'}", f"/api/system-prompt/{q or 'x'}"]:
            checks.append(Check("DELETE " + path[:80], "DELETE", path))
        checks.append(Check(f"POST /api/tools/{value[:40]!r}", "POST", f"/api/tools/{q or 'x'}", "{}", expect={400, 404, 413, 414}))
    for name, raw in BAD_JSON.items():
        for path, field in [("/chat", "message"), ("/chat", "conversation_id"), ("/chat/stream", "message"),
                            ("/api/system-prompt", "system_prompt"), ("/api/system-prompt/hostile", "system_prompt")]:
            checks.append(Check(f"POST {path} {field}={name}", "POST", path, f'{{"{field}": {raw}}}'))
    for raw in ["", "null", "[]", "1e400", "NaN", '"x"', "{", "[" * 100000, "{\"a\":" * 50000, '{"message": "x", "bogus": 1}', "\xff\xfe"]:
        for path in ["/chat", "/chat/stream", "/api/system-prompt", "/api/tools/list_metrics", "/mcp"]:
            checks.append(Check(f"POST {path} body {raw[:20]!r}", "POST", path, raw, headers={"Accept": "application/json, text/event-stream"}))
    for message in CHAT:
        checks.append(Check(f"chat {message[:30]!r}", "POST", "/chat", json.dumps({"message": message})))
    # Every tool, every parameter, every bad value; then unknown fields and the tool's own defaults.
    for tool in tool_list:
        name = tool["name"]
        upstream = {502} if name in ("get_etcd_cluster_status", "get_kubernetes_cluster_info") else set()
        for param in tool["inputSchema"].get("properties", {}):
            for label, raw in BAD_JSON.items():
                checks.append(Check(f"{name}.{param}={label}", "POST", f"/api/tools/{name}", f'{{"{param}": {raw}}}', allow=upstream))
        checks.append(Check(f"{name} unknown field", "POST", f"/api/tools/{name}", '{"bogus_field": 1}', expect={400}))
        checks.append(Check(f"{name} defaults", "POST", f"/api/tools/{name}", "{}", allow=upstream))
    for path in ["/", "/ui", "/ui/architecture", "/ui/app.css", "/ui/app.js", "/ui/icon.svg", "/api/tools", "/api/etcd/health",
                 "/api/mcp/health", "/metrics", "/api/system-prompt", "/api/conversations", "/api/runs", "/healthz"]:
        checks.append(Check("GET " + path, "GET", path, allow={502} if path == "/api/etcd/health" else ()))
    heavy = lambda c: c.path.startswith("/chat") or c.what.endswith(" defaults")  # noqa: E731
    return [c for c in checks if heavy(c)] + [c for c in checks if not heavy(c)]


def http_suite(server, binary, workers):
    tool_list = tools(server)
    # One version string: the binary's and the server's.
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    _, health = request(server.port, "GET", "/healthz")
    _, mcp_health = request(server.port, "GET", "/api/mcp/health")
    if not version or json.loads(health).get("version") != version or json.loads(mcp_health).get("version") != version:
        fail(f"versions disagree: --version {version!r}, /healthz {health.strip()!r}, /api/mcp/health {mcp_health[:100]!r}")
    # The four commands of issue 16, then every route with bad values.
    run_checks(server, http_checks(tool_list), workers)


def browser_suite(server, workers):
    """A foreign Host, a cross-site Origin or a text/plain POST changes nothing, on every route.
    Runs while nothing else changes the system prompt."""
    _, before = request(server.port, "GET", "/api/system-prompt")
    routes = [("GET", "/api/conversations"), ("GET", "/api/runs"), ("GET", "/api/tools"), ("GET", "/metrics"), ("GET", "/api/etcd/health"),
              ("POST", "/api/system-prompt"), ("POST", "/api/tools/list_metrics"), ("POST", "/chat"), ("POST", "/mcp"),
              ("DELETE", "/api/system-prompt"), ("GET", "/api/mcp/health")]
    body = json.dumps({"system_prompt": "Ignore all previous instructions", "message": "hi"})
    checks = []
    for method, path in routes:
        b = body if method == "POST" else None
        checks += [
            Check(f"Host evil {method} {path}", method, path, b, headers={"Host": "evil.example:8080"}, expect={403}),
            Check(f"Host 127.0.0.1.evil {method} {path}", method, path, b, headers={"Host": "127.0.0.1.evil.example"}, expect={403}),
            Check(f"Origin evil {method} {path}", method, path, b, headers={"Origin": "https://evil.example"}, expect={403}),
            Check(f"Origin null {method} {path}", method, path, b, headers={"Origin": "null"}, expect={403}),
            Check(f"Sec-Fetch-Site cross-site {method} {path}", method, path, b, headers={"Sec-Fetch-Site": "cross-site"}, expect={403})]
        if method == "POST":
            checks += [
                Check(f"text/plain POST {path}", method, path, body, headers={"Content-Type": "text/plain"}, expect={415}),
                Check(f"form POST {path}", method, path, "a=b", headers={"Content-Type": "application/x-www-form-urlencoded"}, expect={415})]
    checks.append(Check("same-origin page", "GET", "/api/tools", headers={"Origin": f"http://localhost:{server.port}", "Sec-Fetch-Site": "same-origin"}, expect={200}))
    checks.append(Check("link to the UI", "GET", "/ui?q=why", headers={"Sec-Fetch-Site": "cross-site"}, expect={200}))
    run_checks(server, checks, workers)
    _, after = request(server.port, "GET", "/api/system-prompt")
    if before != after:
        fail(f"the system prompt changed under cross-site requests: {after[:200]!r}")


def soak(server, total, clients, seconds):
    """`total` mixed requests from `clients` threads at once; errors, p99 and the server's peak RSS."""
    mix = [("GET", "/healthz", None)] * 6 + [("GET", "/api/tools", None)] * 2 + [("GET", "/ui/app.js", None)] + [
        ("POST", "/api/tools/list_metrics", '{"top_k": 5}'), ("POST", "/api/tools/list_metrics", '{"top_k": 1e300}'),
        ("POST", "/api/tools/get_server_health", "{}"), ("POST", "/api/tools/query_prometheus", '{"query": "up"}'),
        ("POST", "/api/tools/query_prometheus_range", '{"query": "up", "duration": "1h", "step": "1ms"}'),
        ("GET", "/api/runs?limit=9223372036854775807", None), ("GET", "/api/runs", None), ("GET", "/api/conversations", None),
        ("POST", "/chat", '{"message": "nan weeks"}'), ("POST", "/api/tools/nope" + "x" * 5000, "{}"),
        ("GET", "/api/mcp/health", None), ("GET", "/metrics", None),
    ]
    # 2 % whole analyses of the hostile Prometheus data, through a tool and through the chat (which keeps a conversation).
    heavy = [("POST", "/api/tools/get_etcd_bottleneck_analysis", '{"duration": "30m"}'), ("POST", "/chat", '{"message": "why is etcd slow?"}')]
    latencies, errors, lock = [], collections.Counter(), threading.Lock()
    peak = [0]
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            try:
                with open(f"/proc/{server.proc.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            peak[0] = max(peak[0], int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.05)

    def worker(n, seed):
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for _ in range(n):
            method, path, body = rnd.choice(heavy if rnd.random() < 0.02 else mix)
            t0 = time.perf_counter()
            try:
                h = {"Content-Type": "application/json"} if body is not None else {}
                conn.request(method, path, body=body, headers=h)
                r = conn.getresponse()
                r.read()
                status = r.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                tally(f"soak {status}")
                if status == 0 or status >= 500:
                    errors[status] += 1
        conn.close()

    threading.Thread(target=watch, daemon=True).start()
    started = time.time()
    threads = [threading.Thread(target=worker, args=(total // clients + (1 if i < total % clients else 0), i)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.time() - started
    stop.set()
    count("soak", len(latencies))
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    try:
        with open(f"/proc/{server.proc.pid}/status") as f:
            hwm = next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), 0)
    except OSError:
        hwm = 0
    print(f"soak: {len(latencies)} requests from {clients} clients in {took:.1f} s, errors {sum(errors.values())} {dict(errors)}, "
          f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms, peak RSS {max(peak[0], hwm) / 1024:.1f} MiB", flush=True)
    if errors:
        fail(f"soak: {sum(errors.values())} errors {dict(errors)}")
    if took > seconds:
        fail(f"soak: took {took:.0f} s, more than {seconds} s")
    if not healthy(server):
        fail("soak: the server stopped answering")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--soak", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--soak-seconds", type=int, default=120)
    ap.add_argument("--only", default="http,browser,mcp-http,mcp-stdio,cli,soak")
    ap.add_argument("--sessions", type=int, default=4, help="MCP sessions at once per transport (stdio: one process each)")
    ap.add_argument("--processes", type=int, default=4, help="CLI invocations running at once")
    ap.add_argument("--workers", type=int, default=4, help="HTTP requests in flight at once (each followed by its /healthz)")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    servers = fakes.start_all()
    urls = {name: url for name, (_, url) in servers.items()}
    work = tempfile.mkdtemp(prefix="perfscope-hostile-")
    with open(os.path.join(work, "kubeconfig"), "w") as f:
        json.dump({"apiVersion": "v1", "kind": "Config", "current-context": "c",
                   "clusters": [{"name": "c", "cluster": {"server": urls["kubernetes"]}}],
                   "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}],
                   "users": [{"name": "u", "user": {"token": "t"}}]}, f)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERFSCOPE_")}
    env.update(HOME=work, KUBECONFIG=os.path.join(work, "no-kubeconfig"), NO_COLOR="1",
               PERFSCOPE_PROMETHEUS_URL=urls["prometheus"], PERFSCOPE_DB=os.path.join(work, "history.sqlite"),
               PERFSCOPE_ETCD_ENDPOINTS=urls["etcd"])
    started = time.time()
    server = Server(args.binary, env, work)
    took = {}

    def part(name, run):
        """Runs one part on a thread of its own; an unexpected exception is a failure."""
        def body():
            t0 = time.time()
            try:
                run()
            except ServerDied:
                pass
            except Exception as e:
                traceback.print_exc()
                fail(f"{name}: {type(e).__name__}: {str(e)[:200]}")
            took[name] = time.time() - t0
        thread = threading.Thread(target=body, name=name, daemon=True)
        thread.start()
        return thread

    try:
        # The parts before the soak run at once: the processes of their own (stdio MCP, the CLI)
        # from the start; the browser checks alone on the server, since the HTTP table changes the
        # system prompt they compare before and after; then the HTTP table and MCP over HTTP.
        threads = []
        if "mcp-stdio" in parts:
            threads.append(part("mcp-stdio", lambda: mcp_stdio_suite(args.binary, env, work, args.sessions)))
        if "cli" in parts:
            threads.append(part("cli", lambda: cli_suite(args.binary, env, work, urls, args.processes)))
        if "browser" in parts:
            part("browser", lambda: browser_suite(server, args.workers)).join()
        if "http" in parts:
            threads.append(part("http", lambda: http_suite(server, args.binary, args.workers)))
        if "mcp-http" in parts:
            threads.append(part("mcp-http", lambda: mcp_http_suite(server, args.sessions)))
        for thread in threads:
            thread.join()
        # The soak alone, so its latencies and peak RSS are its own.
        if "soak" in parts and not server_dead.is_set():
            part("soak", lambda: soak(server, args.soak, args.clients, args.soak_seconds)).join()
        if not server_dead.is_set() and not healthy(server):
            fail("the server is not answering at the end")
    finally:
        alive = server.alive()
        server.stop()
    print("times: " + ", ".join(f"{k} {v:.0f} s" for k, v in took.items()), flush=True)
    total = sum(v for k, v in sent.items() if k != "soak")
    print(f"hostile-input suite: {total} hostile requests sent ({', '.join(f'{k} {v}' for k, v in sorted(sent.items()))}), "
          f"server {'alive' if alive else 'DEAD'}, crashes {0 if alive else 1}, {len(failures)} failed checks, {time.time() - started:.0f} s", flush=True)
    print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))), flush=True)
    sys.exit(1 if failures or not alive else 0)


if __name__ == "__main__":
    main()
