#!/usr/bin/env python3
"""Drives the web UI in headless Chromium over the DevTools protocol: opens /ui, waits for the
tool list, asks a question by typing it and pressing the button, waits until the streamed
answer is complete, and checks what the page shows. Exit 0 when every check passed.
Usage: check_ui.py --chromium PATH --url http://127.0.0.1:PORT [--screenshot FILE]"""
import argparse, asyncio, base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request

import websockets

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL {what}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page:
    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    async def call(self, method, **params):
        self.next_id += 1
        my = self.next_id
        await self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(await self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def js(self, expression):
        r = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return r.get("result", {}).get("value")

    async def wait(self, expression, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.js(expression):
                return True
            await asyncio.sleep(0.2)
        return False


async def run(chromium, url, screenshot):
    port = free_port()
    profile = tempfile.mkdtemp(prefix="perfscope-ui-")
    browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                f"--user-data-dir={profile}", f"--remote-debugging-port={port}", "--remote-allow-origins=*",
                                "--window-size=1280,900", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        targets = None
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=1))
                if any(t.get("type") == "page" for t in targets):
                    break
            except Exception:
                pass
            time.sleep(0.1)
        page_target = next(t for t in targets if t.get("type") == "page")
        async with websockets.connect(page_target["webSocketDebuggerUrl"], max_size=50_000_000) as ws:
            page = Page(ws)
            await page.call("Page.enable")
            await page.call("Runtime.enable")
            t0 = time.monotonic()
            await page.call("Page.navigate", url=url + "/ui")
            check(await page.wait("document.getElementById('status') && document.getElementById('status').textContent.includes('tools ready')", 20),
                  "the tool list loaded")
            tools = await page.js("document.querySelectorAll('#tools li').length")
            check((tools or 0) >= 19, f"at least 19 tools listed (got {tools})")
            print(f"number ui load to tools ready ms: {round((time.monotonic() - t0) * 1000)}")
            # Type a question and submit the form, as a person would.
            await page.js("document.getElementById('q').value = 'Why is etcd slow over the last 15 minutes?'")
            t0 = time.monotonic()
            await page.js("document.querySelector('#ask button').click()")
            check(await page.wait("[...document.querySelectorAll('.tool')].some(e => e.textContent.includes('get_etcd_bottleneck_analysis'))", 20),
                  "the tool call is shown while the answer streams")
            done = await page.wait("document.querySelector('.answer') && document.querySelector('.answer').dataset.state === 'complete'", 90)
            check(done, "the answer completed")
            print(f"number ui question to complete answer ms: {round((time.monotonic() - t0) * 1000)}")
            answer = await page.js("document.querySelector('.answer').textContent") or ""
            check(any(s in answer for s in ["Most likely cause", "Nothing points to a cause", "No etcd symptom"]), f"the answer explains the cause: {answer[:300]!r}")
            check("Grade:" in answer, "the answer gives the grade")
            results = await page.js("[...document.querySelectorAll('.tool')].map(e => e.textContent).join(' | ')") or ""
            check("←" in results, f"the tool result is shown: {results[:300]!r}")
            # An example button asks too.
            await page.js("[...document.querySelectorAll('.examples button')].find(b => b.textContent.includes('node usage')).click()")
            check(await page.wait("document.querySelectorAll('.answer').length === 2 && document.querySelectorAll('.answer')[1].dataset.state === 'complete'", 90),
                  "an example question gets a complete answer")
            second = await page.js("document.querySelectorAll('.answer')[1].textContent") or ""
            check(len(second) > 20, f"the example answer has text: {second[:200]!r}")
            if screenshot:
                shot = await page.call("Page.captureScreenshot", format="png")
                with open(screenshot, "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--screenshot")
    a = ap.parse_args()
    asyncio.run(run(a.chromium, a.url, a.screenshot))
    print(f"ui-check: {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
