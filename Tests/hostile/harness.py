"""The hostile-input suite's plumbing, shared by its parts that run at once (Tests/hostile/hostile.py):
thread-safe counts and failures, the `perfscope serve` under test, a keep-alive HTTP client, and
a pool of workers that sends HTTP checks concurrently, each followed by its own /healthz check.

Concurrency is for wall time only: every request is still sent, answered and checked on its own;
what changes is that several are in flight at once (the server bounds concurrent tool calls and
refuses more than it can queue with a 503, which the pool stays well under)."""
import collections
import http.client
import random
import signal
import subprocess
import threading

lock = threading.Lock()
failures = []
statuses = collections.Counter()
sent = collections.Counter()
# Set when the server under test stops answering: the parts that talk to it stop early.
server_dead = threading.Event()


class ServerDied(Exception):
    pass


def fail(what):
    with lock:
        failures.append(what)
    print("FAIL " + what, flush=True)


def count(kind, n=1):
    with lock:
        sent[kind] += n


def tally(status, n=1):
    with lock:
        statuses[status] += n


class Server:
    """`perfscope serve` on a random port ≥ 20000, stopped by its PID."""

    def __init__(self, binary, env, cwd, extra=()):
        for _ in range(5):
            self.port = random.randint(20000, 60000)
            self.proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra],
                                         env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            line = self.proc.stderr.readline()
            if "listening on" in line:
                threading.Thread(target=lambda: self.proc.stderr.read(), daemon=True).start()
                return
            self.proc.wait()
        raise SystemExit("perfscope serve did not start: " + line)

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# A reused connection the server closed in between fails with one of these before any answer:
# the request is sent once more on a new connection. A timeout is never retried.
STALE = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.BadStatusLine)


class Client:
    """One keep-alive connection to 127.0.0.1:port; not shared between threads."""

    def __init__(self, port):
        self.port, self.conn = port, None

    def request(self, method, path, body=None, headers=None, timeout=120):
        """(status, body text); status 0 when the connection failed (on a new connection)."""
        h = {"Host": f"127.0.0.1:{self.port}"}
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        data = body.encode() if isinstance(body, str) else body
        while True:
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            elif self.conn.sock is not None:
                self.conn.sock.settimeout(timeout)
            try:
                self.conn.timeout = timeout
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                text = r.read().decode(errors="replace")
                if r.will_close:
                    self.close()
                return r.status, text
            except STALE as e:
                self.close()
                if fresh:
                    return 0, str(e)
                tally("keep-alive retry")
            except (OSError, http.client.HTTPException) as e:
                self.close()
                return 0, str(e)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def request(port, method, path, body=None, headers=None, timeout=120):
    """One request on a connection of its own."""
    c = Client(port)
    try:
        return c.request(method, path, body, headers, timeout)
    finally:
        c.close()


def healthy(server, client=None):
    status, body = (client or Client(server.port)).request("GET", "/healthz", timeout=30)
    return server.alive() and status == 200 and '"ok"' in body


class Check:
    """One HTTP request and what its answer may be: never 0 (no answer) and never a 5xx outside
    `allow`; one of `expect` when given; `then(status, text)` checks the body further."""

    def __init__(self, what, method, path, body=None, headers=None, allow=(), expect=None, then=None):
        self.what, self.method, self.path, self.body, self.headers = what, method, path, body, headers
        self.allow, self.expect, self.then = allow, expect, then


def judge(check, status, text):
    count("http")
    tally(status)
    if status == 0 or (status >= 500 and status not in check.allow):
        fail(f"{check.what}: HTTP {status} {text[:200]!r}")
    elif check.expect is not None and status not in check.expect:
        fail(f"{check.what}: HTTP {status}, expected {sorted(check.expect)}: {text[:200]!r}")
    if check.then is not None:
        check.then(status, text)


def run_checks(server, checks, workers=4):
    """Sends `checks` from `workers` threads, each on its own keep-alive connection, and checks
    /healthz (on a second connection of the worker's) after every request. Raises ServerDied,
    naming the requests in flight, when the server stops answering."""
    queue = collections.deque(checks)
    in_flight = set()

    def worker():
        client, health = Client(server.port), Client(server.port)
        try:
            while not server_dead.is_set():
                with lock:
                    if not queue:
                        return
                    check = queue.popleft()
                    in_flight.add(check.what)
                status, text = client.request(check.method, check.path, check.body, check.headers)
                judge(check, status, text)
                ok = healthy(server, health)
                with lock:
                    others = sorted(w for w in in_flight if w != check.what)
                    in_flight.discard(check.what)
                if not ok:
                    fail(f"{check.what}: the server stopped answering /healthz"
                         + (f" (also in flight: {', '.join(o[:60] for o in others)})" if others else ""))
                    server_dead.set()
        finally:
            client.close()
            health.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if server_dead.is_set():
        raise ServerDied("the server stopped answering")
