"""The hostile-input suite's CLI part (Tests/hostile/hostile.py): every option that takes a number,
duration, time or header with each bad value, a malformed --header, and each client (Prometheus,
Grafana, Kubernetes, etcd gateway) reading the in-test stand-ins' hostile answers. Invocations
are independent processes: a few run at once."""
import concurrent.futures
import os
import subprocess

from harness import count, fail, tally

NUMERIC = ["nan", "inf", "1e400", "9223372036854775808", "-1", "", "a" * 100000, "\x1b[2J"]


def cli(binary, env, cwd, args, timeout=60):
    count("cli")
    try:
        r = subprocess.run([binary, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, ""
    tally(f"exit {r.returncode}")
    return r.returncode, r.stdout + r.stderr


def option_check(before, option, value):
    """A bad value to one option: a usage error (2) for serve and mcp, never a crash or an escape."""
    what = f"perfscope {' '.join(before[:2])} {option} {value[:30]!r}"

    def check(code, out):
        if code is None:
            if before[0] in ("serve", "mcp"):
                fail(what + ": accepted (the server started) instead of a usage error")
            return
        if code < 0 or code > 3:
            fail(f"{what}: exit {code}: {out[-300:]!r}")
        elif before[0] in ("serve", "mcp") and code != 2:
            fail(f"{what}: exit {code}, expected the usage error 2: {out[-200:]!r}")
        if "\x1b[2J" in out:
            fail(f"{what}: an escape sequence reached the terminal")
    return check


def header_check(code, out):
    """A malformed --header never echoes its value."""
    if "s3cr3t" in out or code != 2:
        fail(f"--header without ':' echoed its value or did not exit 2 (exit {code}): {out[-200:]!r}")


def client_check(args):
    """A client reading hostile answers: no crash, no live tag in HTML or Markdown, no escape sequence."""
    what = "perfscope " + " ".join(a if len(a) < 40 else a[:37] + "…" for a in args)

    def check(code, out):
        if code is None or code < 0 or code > 3:
            fail(f"{what}: exit {code}: {out[-300:]!r}")
        if ("html" in args or "markdown" in args) and ("<img" in out or "<script" in out or "<svg onload" in out):
            fail(f"{what}: a live tag in the output")
        if "\x1b]0;" in out or "\x1b[2J" in out:
            fail(f"{what}: an escape sequence reached the terminal")
    return check


def cli_jobs(cwd, urls):
    """(arguments, check) for every invocation: the clients (whole analyses, a 1 s snapshot) first."""
    prom = ["--prometheus", urls["prometheus"]]
    # The same bad values through each client, from the in-test servers.
    clients = [
        ["analyze", *prom, "--duration", "10m", "--format", f] for f in ["text", "json", "markdown", "html"]
    ] + [
        ["use", *prom, "--duration", "10m"], ["query", "up", *prom], ["query", "up", *prom, "--duration", "5m"],
        ["grafana", "analyze", "bad", "--grafana", urls["grafana"], *prom, "--format", "html"],
        ["grafana", "analyze", "bad", "--grafana", urls["grafana"], *prom, "--format", "markdown"],
        ["grafana", "list", "--grafana", urls["grafana"]],
        ["etcd", "status", "--endpoints", urls["etcd"]], ["snapshot", "--endpoints", urls["etcd"], "--interval", "1s"],
        ["connect", "--kubeconfig", os.path.join(cwd, "kubeconfig")], ["doctor", *prom],
    ]
    jobs = [(args, client_check(args)) for args in clients]
    # (arguments before the value, option, arguments after): every option that takes a number, duration, time or header.
    table = [
        (["analyze", *prom], o, []) for o in ["--duration", "--start", "--end", "--rate-window", "--timeout", "--concurrency", "--top"]
    ] + [
        (["use", *prom], o, []) for o in ["--duration", "--rate-window"]
    ] + [
        (["latency", "etcd_disk_wal_fsync_duration_seconds", *prom], o, []) for o in ["--duration", "--threshold"]
    ] + [
        (["query", "up", *prom], o, []) for o in ["--time", "--start", "--step", "--duration"]
    ] + [
        (["history", "list"], o, []) for o in ["--duration", "--limit", "--start"]
    ] + [
        (["history", "prune"], "--older-than", []), (["history", "prune", "--older-than", "1000d"], "--keep-conversations", []),
        (["history", "trend", "wal_fsync_p99"], "--duration", []),
        (["serve"], "--port", []), (["serve"], "--max-concurrent-calls", []), (["serve"], "--call-deadline", []),
        (["serve"], "--max-window", []), (["serve"], "--max-mcp-sessions", []), (["serve"], "--raw-query-max-mib", []),
        (["serve"], "--mcp-idle-timeout", []), (["serve"], "--schedule", []), (["mcp"], "--max-rate-window", []),
        (["snapshot", "--endpoints", urls["etcd"]], "--interval", []),
        (["grafana", "analyze", "bad", "--grafana", urls["grafana"], *prom], "--duration", []),
        (["tools", "call", "list_metrics"], "--args", []),
    ]
    jobs += [([*before, option, value, *after], option_check(before, option, value)) for before, option, after in table for value in NUMERIC]
    jobs.append((["query", "up", *prom, "--header", "Authorization Bearer s3cr3t-value"], header_check))
    return jobs


def cli_suite(binary, env, cwd, urls, processes=4):
    def run(job):
        args, check = job
        check(*cli(binary, env, cwd, args))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, processes)) as pool:
        for future in [pool.submit(run, job) for job in cli_jobs(cwd, urls)]:
            future.result()
