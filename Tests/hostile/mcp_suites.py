"""The hostile-input suite over MCP (Tests/hostile/hostile.py): every tool with every bad value of
the MCP table, through the official Python SDK, over streamable HTTP (`perfscope serve`'s /mcp)
and over stdio (`perfscope mcp`), then a tool name of 100 000 characters; and raw stdio lines no
SDK would send. The tools are dealt out to several sessions that run at once (over stdio, each
session is a `perfscope mcp` process of its own); each call is still followed by its liveness
check: the server's /healthz over HTTP, an MCP ping over stdio."""
import asyncio
import json
import queue
import subprocess
import threading
import time

from harness import Client, count, fail, healthy, request, server_dead, tally
from tables import BAD_MCP


def schema_of(tool):
    return getattr(tool, "input_schema", None) or getattr(tool, "inputSchema", None) or {}  # mcp 2.x / 1.x


async def exercise(session, transport, alive, tools, long_name):
    for tool in tools:
        params = list(schema_of(tool).get("properties", {})) or ["bogus"]
        # Every bad value once per tool, to its parameters in turn: the registry's checks are the
        # HTTP table's; here it is the transports' conversions (JSON-RPC numbers, nesting, size).
        for i, (label, value) in enumerate(BAD_MCP.items()):
            if transport == "http" and server_dead.is_set():
                return
            param = params[i % len(params)]
            count("mcp-" + transport)
            try:
                result = await session.call_tool(tool.name, {param: value})
                tally("mcp-error" if getattr(result, "is_error", getattr(result, "isError", False)) else "mcp-ok")
            except Exception as e:  # a JSON-RPC error is an answer too; a dead transport is not
                tally("mcp-jsonrpc-error")
                if not await alive():
                    fail(f"mcp {transport} {tool.name}.{param}={label}: server gone ({type(e).__name__}: {str(e)[:120]})")
                    return
            if not await alive():
                fail(f"mcp {transport} {tool.name}.{param}={label}: server gone")
                return
    if long_name:
        count("mcp-" + transport)
        try:
            await session.call_tool("x" * 100000, {})
        except Exception:
            pass
        if not await alive():
            fail(f"mcp {transport}: long tool name took the server down")


async def sessions_at_once(transport, run, n):
    """`run(k, n)` for k in 0..<n at once; an exception in one is a failure, not a lost run."""
    results = await asyncio.gather(*(run(k, n) for k in range(n)), return_exceptions=True)
    for k, r in enumerate(results):
        while isinstance(r, BaseExceptionGroup) and r.exceptions:  # the SDK's task groups wrap the cause
            r = r.exceptions[0]
        if isinstance(r, BaseException):
            fail(f"mcp {transport} session {k}: {type(r).__name__}: {str(r)[:200]}")


def mcp_http_suite(server, sessions=4):
    from mcp import ClientSession
    try:
        from mcp.client.streamable_http import streamable_http_client as client
    except ImportError:
        from mcp.client.streamable_http import streamablehttp_client as client

    async def run(k, n):
        async with client(f"http://127.0.0.1:{server.port}/mcp") as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                init = await session.initialize()
                if k == 0:
                    info = getattr(init, "server_info", None) or getattr(init, "serverInfo", None)
                    _, health = request(server.port, "GET", "/healthz")
                    if info is None or info.version != json.loads(health).get("version"):
                        fail(f"MCP server version {getattr(info, 'version', None)!r} differs from /healthz {health.strip()!r}")
                health = Client(server.port)

                async def alive():
                    ok = await asyncio.to_thread(healthy, server, health)
                    if not ok:
                        server_dead.set()
                    return ok
                try:
                    listed = await session.list_tools()
                    await exercise(session, "http", alive, listed.tools[k::n], long_name=k == 0)
                finally:
                    health.close()
    asyncio.run(sessions_at_once("http", run, sessions))


def mcp_stdio_suite(binary, env, cwd, sessions=4):
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    async def run(k, n):
        params = StdioServerParameters(command=binary, args=["mcp"], env=env, cwd=cwd)
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()

                async def alive():
                    try:
                        await asyncio.wait_for(session.send_ping(), 30)
                        return True
                    except Exception:
                        return False
                listed = await session.list_tools()
                await exercise(session, "stdio", alive, listed.tools[k::n], long_name=k == 0)

    async def main():
        raw = asyncio.to_thread(raw_stdio_lines, binary, env, cwd)
        await asyncio.gather(sessions_at_once("stdio", run, sessions), raw)
    asyncio.run(main())


def raw_stdio_lines(binary, env, cwd):
    """Raw lines the SDK client would never send: deep nesting, NaN, garbage, then a ping must still be answered."""
    proc = subprocess.Popen([binary, "mcp"], env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-03-26", "capabilities": {},
                                                                            "clientInfo": {"name": "hostile", "version": "1"}}}
    lines = [json.dumps(init), '{"jsonrpc":"2.0","method":"notifications/initialized"}', "[" * 100000, "NaN", "\xff", '{"jsonrpc":"2.0","id":1e400,"method":"ping"}',
             '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_metrics","arguments":{"top_k":1e400}}}',
             '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_metrics","arguments":' + "[" * 50000 + "]" * 50000 + "}}",
             '{"jsonrpc":"2.0","id":99,"method":"ping"}']
    # Its output is read on a thread of its own, so a process that hangs cannot outlast the deadline.
    out = queue.Queue()
    threading.Thread(target=lambda: [out.put(line) for line in iter(proc.stdout.readline, b"")] + [out.put(b"")], daemon=True).start()
    try:
        for line in lines:
            count("mcp-stdio")
            proc.stdin.write(line.encode(errors="replace") + b"\n")
        proc.stdin.flush()
    except BrokenPipeError:
        pass  # it stopped reading: no ping answer below, and its exit status in the failure
    got_ping = False
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            line = out.get(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            break
        if not line:
            break
        if b'"id":99' in line.replace(b" ", b""):
            got_ping = True
            break
    try:
        proc.stdin.close()
    except BrokenPipeError:
        pass
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if not got_ping:
        fail(f"mcp stdio: no answer to a ping after raw hostile lines (exit {proc.returncode})")
