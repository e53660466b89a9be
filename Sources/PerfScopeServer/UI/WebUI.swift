/// The web UI: static files kept as Swift string constants, so the single `perfscope` binary
/// serves them with no build step, no CDN and no SwiftPM resources (it works offline, and from
/// a copied binary). `UIRoutes` serves them at `/ui/…` with a strict Content-Security-Policy.
///
/// The page is a shell (this file) plus one stylesheet (`WebUI+Style.swift`) and one script
/// assembled from small parts: shared helpers, tables, chat, run history, charts, architecture.
/// Scripts are external files rather than inline so the policy can say `script-src 'self'`
/// with no `'unsafe-inline'`: injected markup could not run code even if some escaped.
enum WebUI {
    /// One page for every view; the script picks the view from the path and the hash
    /// (`/ui#chat`, `/ui#runs`, `/ui#runs/ID`, `/ui/architecture`), so links and reloads keep it.
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>perfscope</title>
<link rel="icon" href="/ui/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/ui/app.css">
<script src="/ui/app.js"></script>
</head><body>
<header class="bar">
  <a class="brand" href="/ui#chat"><img src="/ui/icon.svg" alt="" width="20" height="20"> perfscope</a>
  <nav id="nav">
    <a href="/ui#chat" data-view="chat">Chat</a>
    <a href="/ui#runs" data-view="runs">Runs</a>
    <a href="/ui/architecture" data-view="architecture">Architecture</a>
  </nav>
  <span class="muted" id="status">connecting…</span>
  <button type="button" id="theme" class="ghost" title="Switch between light and dark">theme</button>
</header>

<section id="view-chat" class="view chat">
  <aside>
    <h2>Conversations <button type="button" id="conv-new" class="small">New</button></h2>
    <ul class="convs" id="convs"></ul>
    <p class="muted" id="conv-note"></p>
    <details id="prompt-box"><summary>System prompt <span class="muted" id="prompt-source"></span></summary>
      <textarea id="prompt" rows="6" placeholder="the agent's instructions for this conversation"></textarea>
      <div class="row"><button type="button" id="prompt-save" class="small">Save</button>
        <button type="button" id="prompt-reset" class="small ghost">Reset</button></div>
      <p class="muted" id="prompt-note"></p>
    </details>
    <h2>Ask</h2><div class="examples" id="examples"></div>
    <h2>Tools</h2><ul class="tools" id="tools"></ul>
    <h2>Token</h2><input type="password" id="token" placeholder="bearer token (if the server needs one)" autocomplete="off">
  </aside>
  <main>
    <div id="log" aria-live="polite"></div>
    <form id="ask"><input type="text" id="q" placeholder="Why is etcd slow?" autocomplete="off"><button>Ask</button></form>
  </main>
</section>

<section id="view-runs" class="view runs" hidden>
  <div class="runs-head"><h1>Run history</h1>
    <label>window <select id="runs-window"><option>1d</option><option selected>7d</option><option>30d</option><option>365d</option></select></label>
    <input type="text" id="runs-cluster" placeholder="cluster (all)">
    <button type="button" id="runs-refresh" class="small">Refresh</button></div>
  <div id="runs"></div>
  <div id="report"></div>
</section>

<section id="view-architecture" class="view architecture" hidden>
  <h1>How perfscope fits together</h1>
  <p class="muted">Every front end calls one tool registry; collectors fetch, the pure core decides, the store remembers.
    Hover or click a component (or tab to it and press Enter).</p>
  <div class="arch"><div id="arch-diagram"></div><div id="arch-detail" class="card" aria-live="polite"></div></div>
</section>
<div id="tooltip" class="tooltip" hidden></div>
</body></html>
"""#

    /// The favicon and brand mark: a magnifier over a three-member cluster. SVG, so it is text.
    static let icon = #"""
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2563eb"/><circle cx="14" cy="14" r="7.5" fill="none" stroke="#fff" stroke-width="2.5"/><path d="M19.5 19.5l6 6" stroke="#fff" stroke-width="3" stroke-linecap="round"/><circle cx="11.5" cy="12" r="1.6" fill="#fff"/><circle cx="16.5" cy="12" r="1.6" fill="#fff"/><circle cx="14" cy="16.5" r="1.6" fill="#fff"/></svg>
"""#

    /// The whole script, in dependency order: helpers first, then each view, then start-up.
    static let script = [scriptCore, scriptTables, scriptChat, scriptConversations, scriptRuns, scriptCharts, scriptArchitecture, scriptStart]
        .joined(separator: "\n")
}
