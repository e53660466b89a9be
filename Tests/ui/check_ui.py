#!/usr/bin/env python3
"""Drives the web UI in headless Chromium through WebDriver (Selenium + chromedriver), as a
person would: opens /ui, waits for the tool list, types a question and presses Ask, waits for
the streamed answer, asks an example that returns a table, switches the theme, opens the run
history and a report with its SVG charts, and the architecture page. Saves screenshots and
prints `number …` timings. Exit 0 when every check passed.
Usage: check_ui.py --url http://127.0.0.1:PORT [--chromium PATH] [--chromedriver PATH] [--screenshots DIR]"""
import argparse, os, shutil, sys, tempfile, time

from selenium import webdriver
from selenium.common.exceptions import JavascriptException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

failures = []


def check(cond, what):
    print(f"{'ok  ' if cond else 'FAIL'} {what}", flush=True)
    if not cond:
        failures.append(what)
    return cond


def wait_js(driver, expression, timeout=60):
    """True once `expression` (JavaScript) is truthy, False after the timeout."""
    def probe(d):
        try:
            return d.execute_script("return !!(" + expression + ")")
        except JavascriptException:
            return False
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.2).until(probe)
        return True
    except TimeoutException:
        return False


def js(driver, expression):
    return driver.execute_script("return " + expression)


def shot(driver, directory, name, shots):
    if not directory:
        return
    path = os.path.join(directory, f"ui-{name}.png")
    driver.save_screenshot(path)
    shots.append(path)
    print(f"screenshot {path}", flush=True)


def console_errors(driver):
    """Severe browser console entries (JS errors, CSP violations), minus expected HTTP 404s."""
    try:
        entries = driver.get_log("browser")
    except Exception as e:
        return [f"the browser log could not be read ({e})"]
    return [e["message"] for e in entries if e.get("level") == "SEVERE" and "status of 404" not in e["message"]]


def run(driver, url, shots_dir, shots, expect_conversations):
    # --- chat: tools, a typed question, a streamed answer -------------------------------------
    t0 = time.monotonic()
    driver.get(url + "/ui")
    check(wait_js(driver, "document.getElementById('status').textContent.includes('tools ready')", 20), "the tool list loaded")
    tools = js(driver, "document.querySelectorAll('#tools li').length")
    check((tools or 0) >= 19, f"at least 19 tools listed (got {tools})")
    print(f"number ui load to tools ready ms: {round((time.monotonic() - t0) * 1000)}", flush=True)

    box = driver.find_element(By.ID, "q")
    box.send_keys("Why is etcd slow over the last 15 minutes?")
    t0 = time.monotonic()
    driver.find_element(By.CSS_SELECTOR, "#ask button").click()
    check(wait_js(driver, "[...document.querySelectorAll('.tool')].some(e => e.textContent.includes('get_etcd_bottleneck_analysis'))", 20),
          "the tool call is shown while the answer streams")
    check(wait_js(driver, "document.querySelector('.answer') && document.querySelector('.answer').dataset.state === 'complete'", 90), "the answer completed")
    print(f"number ui question to complete answer ms: {round((time.monotonic() - t0) * 1000)}", flush=True)
    answer = js(driver, "document.querySelector('.answer').textContent") or ""
    check(any(s in answer for s in ["Most likely cause", "Nothing points to a cause", "No etcd symptom"]), f"the answer explains the cause: {answer[:300]!r}")
    check("Grade:" in answer, "the answer gives the grade")
    results = js(driver, "[...document.querySelectorAll('.tool')].map(e => e.textContent).join(' | ')") or ""
    check("←" in results, f"the tool result is shown: {results[:200]!r}")

    # --- an example button asks too, and its tool result is drawn as a table ------------------
    t0 = time.monotonic()
    driver.execute_script("[...document.querySelectorAll('.examples button')].find(b => b.textContent.includes('node usage')).click()")
    check(wait_js(driver, "document.querySelectorAll('.answer').length === 2 && document.querySelectorAll('.answer')[1].dataset.state === 'complete'", 90),
          "an example question gets a complete answer")
    print(f"number ui example to complete answer ms: {round((time.monotonic() - t0) * 1000)}", flush=True)
    second = js(driver, "document.querySelectorAll('.answer')[1].textContent") or ""
    check(len(second) > 20, f"the example answer has text: {second[:200]!r}")
    table = "[...document.querySelectorAll('.msg.tool table.data')].find(t => t.querySelectorAll('tbody tr').length > 0)"
    if not wait_js(driver, table, 5):
        # `result` may be missing for that tool (too large, or an older server): try a smaller one.
        driver.execute_script("[...document.querySelectorAll('.examples button')].find(b => b.textContent.includes('Cluster status')).click()")
        wait_js(driver, "document.querySelectorAll('.answer').length === 3 && document.querySelectorAll('.answer')[2].dataset.state === 'complete'", 90)
    check(wait_js(driver, table, 5), "a tool result is rendered as a table with rows")
    shape = js(driver, f"(t => t ? t.querySelectorAll('th').length + ' columns x ' + t.querySelectorAll('tbody tr').length + ' rows: ' + (t.caption ? t.caption.textContent : '') : '')({table})")
    print(f"table {shape}", flush=True)
    check(js(driver, "document.querySelectorAll('.msg.tool script, .msg.tool iframe').length") == 0, "tool output adds no markup of its own")
    # The newest visible table (small results open at once; a whole report stays folded).
    driver.execute_script("const t = [...document.querySelectorAll('.msg.tool table.data')].filter(t => t.offsetParent).pop();"
                          "if (t) t.closest('.msg').scrollIntoView({block: 'center'})")
    shot(driver, shots_dir, "chat", shots)

    # --- theme toggle: flips data-theme on <html>, remembered across a reload -----------------
    before = js(driver, "document.documentElement.dataset.theme")
    driver.find_element(By.ID, "theme").click()
    after = js(driver, "document.documentElement.dataset.theme")
    check(before in ("light", "dark") and after in ("light", "dark") and before != after, f"the theme toggle flips data-theme ({before} → {after})")
    shot(driver, shots_dir, f"chat-{after}", shots)

    # --- conversations (when the server keeps them): listed, and restored on reload ------------
    kept = js(driver, "localStorage.getItem('perfscope-conversation')")
    check(kept or not expect_conversations, "the server kept the conversation (a `conversation` event set its id)")
    if kept:
        check(wait_js(driver, "document.querySelectorAll('#convs li').length >= 1", 10), "the conversation is listed")
    driver.refresh()
    check(wait_js(driver, f"document.documentElement.dataset.theme === '{after}'", 5), "the chosen theme is remembered after a reload")
    wait_js(driver, "document.getElementById('status').textContent.includes('tools ready')", 20)
    if kept:
        check(wait_js(driver, "document.querySelectorAll('.answer').length >= 2 && document.querySelectorAll('.msg.user').length >= 2", 15),
              "a reload restores the conversation from the server")
    else:
        print("note: the server keeps no conversations (no `conversation` event); skipped those checks", flush=True)

    driver.find_element(By.ID, "theme").click()  # back, for the other screenshots

    # --- run history and a report with SVG charts ---------------------------------------------
    t0 = time.monotonic()
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=runs]").click()
    check(wait_js(driver, "document.querySelectorAll('#runs-table tbody tr').length >= 1", 20), "the run history lists at least one run")
    print(f"number ui runs listed ms: {round((time.monotonic() - t0) * 1000)}", flush=True)
    runs = js(driver, "document.querySelectorAll('#runs-table tbody tr').length")
    print(f"runs listed: {runs}", flush=True)
    t0 = time.monotonic()
    driver.find_element(By.CSS_SELECTOR, "#runs-table tbody tr").click()
    check(wait_js(driver, "document.querySelectorAll('#report-charts svg polyline').length >= 1", 20), "the report view draws an SVG chart polyline")
    print(f"number ui report drawn ms: {round((time.monotonic() - t0) * 1000)}", flush=True)
    charts = js(driver, "document.querySelectorAll('#report-charts .chart svg').length")
    lines = js(driver, "document.querySelectorAll('#report-charts svg polyline').length")
    print(f"report charts: {charts}, lines: {lines}", flush=True)
    check(js(driver, "!!document.querySelector('#report-head .grade')"), "the report shows its grade")
    check(js(driver, "[...document.querySelectorAll('#report-head a')].some(a => a.getAttribute('href').endsWith('.html'))"), "the report links the HTML report")
    chart = driver.find_element(By.CSS_SELECTOR, "#report-charts .chart svg")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    ActionChains(driver).move_to_element(chart).move_by_offset(40, 0).perform()
    check(wait_js(driver, "!document.getElementById('tooltip').hidden && /\\d/.test(document.getElementById('tooltip').textContent)", 5),
          "hovering a chart shows a tooltip with values")
    tip = js(driver, "document.getElementById('tooltip').textContent") or ""
    print(f"tooltip {tip!r}", flush=True)
    shot(driver, shots_dir, "report", shots)

    # --- architecture page: an SVG of the components, a click explains one ---------------------
    driver.get(url + "/ui/architecture")
    check(wait_js(driver, "!document.getElementById('view-architecture').hidden && document.querySelectorAll('#arch-svg [data-component]').length >= 15", 10),
          "the architecture page shows the components as SVG")
    names = js(driver, "[...document.querySelectorAll('#arch-svg [data-component]')].map(g => g.dataset.component).join(' ')") or ""
    for c in ["cli", "http", "mcp", "chat", "registry", "runtime", "prom", "etcd", "k8s", "grafana", "rca", "render", "store"]:
        if c not in names.split():
            check(False, f"the architecture has component {c}")
    driver.find_element(By.CSS_SELECTOR, "#arch-svg [data-component=registry]").click()
    detail = js(driver, "document.getElementById('arch-detail').textContent") or ""
    check("registry" in detail.lower() and "declared once" in detail, f"clicking a component explains it: {detail[:120]!r}")
    check(js(driver, "document.querySelectorAll('#arch-svg .edge.hot').length") >= 3, "its connections are highlighted")
    shot(driver, shots_dir, "architecture", shots)
    driver.find_element(By.ID, "theme").click()
    shot(driver, shots_dir, f"architecture-{js(driver, 'document.documentElement.dataset.theme')}", shots)

    errors = console_errors(driver)
    check(not errors, f"no JavaScript errors or CSP violations in the console: {errors[:3]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--chromium", default=None)
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ap.add_argument("--screenshots", default=None, help="directory for ui-*.png")
    ap.add_argument("--expect-conversations", action="store_true", help="the server has a history: conversations must be kept")
    a = ap.parse_args()
    if a.screenshots:
        os.makedirs(a.screenshots, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="perfscope-ui-")
    options = webdriver.ChromeOptions()
    if a.chromium:
        options.binary_location = a.chromium
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                "--window-size=1400,1000"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    shots = []
    driver = webdriver.Chrome(service=Service(a.chromedriver), options=options)
    try:
        run(driver, a.url.rstrip("/"), a.screenshots, shots, a.expect_conversations)
    except Exception as e:  # a crash is a failure with its reason, not a traceback to dig through
        check(False, f"the UI check ran to the end: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"ui-check: {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
