/// The web UI: one self-contained page (inline CSS and JavaScript, no build step, no CDN), so
/// it works offline and from a single binary. It lists the tools, chats over `/chat/stream`
/// (Server-Sent Events read with fetch, since EventSource cannot POST), shows each tool call
/// and its result as it happens, and renders the answer. `?q=…` asks a question on load.
enum WebUI {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>perfscope</title>
<style>
:root{--bg:#fff;--fg:#1d1f23;--muted:#6b7280;--line:#e5e7eb;--accent:#2563eb;--tool:#f3f4f6}
@media (prefers-color-scheme:dark){:root{--bg:#16181c;--fg:#e6e6e6;--muted:#9ca3af;--line:#2d3139;--accent:#60a5fa;--tool:#23262c}}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg);display:grid;grid-template-columns:280px 1fr;height:100vh}
aside{border-right:1px solid var(--line);padding:1rem;overflow:auto}main{display:flex;flex-direction:column;height:100vh}
h1{font-size:18px;margin:0 0 .5rem}h2{font-size:13px;text-transform:uppercase;color:var(--muted);margin:1rem 0 .3rem}
#log{flex:1;overflow:auto;padding:1rem 1.5rem}.msg{margin:.6rem 0;max-width:900px;white-space:pre-wrap}
.user{font-weight:600}.tool{background:var(--tool);border-radius:6px;padding:.3rem .6rem;font-size:12px;color:var(--muted)}
.tool.err{color:#c62828}.answer{border-left:3px solid var(--accent);padding-left:.8rem}
form{display:flex;gap:.5rem;padding:1rem 1.5rem;border-top:1px solid var(--line)}
input[type=text]{flex:1;padding:.6rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
button{padding:.6rem 1rem;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
.tools li{cursor:pointer;margin:.15rem 0}.tools{padding-left:1rem;font-size:12px}.muted{color:var(--muted);font-size:12px}
.examples button{display:block;width:100%;margin:.25rem 0;text-align:left;background:var(--tool);color:var(--fg);font-size:12px}
</style></head><body>
<aside>
<h1>perfscope</h1><div class="muted" id="status">connecting…</div>
<h2>Ask</h2><div class="examples" id="examples"></div>
<h2>Tools</h2><ul class="tools" id="tools"></ul>
<h2>Token</h2><input type="text" id="token" placeholder="bearer token (if the server needs one)">
</aside>
<main><div id="log" aria-live="polite"></div>
<form id="ask"><input type="text" id="q" placeholder="Why is etcd slow?" autocomplete="off"><button>Ask</button></form></main>
<script>
const log = document.getElementById('log'), q = document.getElementById('q'), tokenBox = document.getElementById('token');
tokenBox.value = localStorage.getItem('perfscope-token') || '';
tokenBox.addEventListener('change', () => { localStorage.setItem('perfscope-token', tokenBox.value); loadTools(); });
const headers = () => { const h = {'Content-Type': 'application/json'}; if (tokenBox.value) h['Authorization'] = 'Bearer ' + tokenBox.value; return h; };
function add(cls, text) { const d = document.createElement('div'); d.className = 'msg ' + cls; d.textContent = text; log.appendChild(d); log.scrollTop = log.scrollHeight; return d; }
async function loadTools() {
  try {
    const r = await fetch('/api/tools', {headers: headers()});
    if (!r.ok) { document.getElementById('status').textContent = 'tools: HTTP ' + r.status + (r.status == 401 ? ' (set the token)' : ''); return; }
    const tools = await r.json(), ul = document.getElementById('tools'); ul.innerHTML = '';
    for (const t of tools) { const li = document.createElement('li'); li.textContent = t.name; li.title = t.description; ul.appendChild(li); }
    document.getElementById('status').textContent = tools.length + ' tools ready';
  } catch (e) { document.getElementById('status').textContent = 'server unreachable'; }
}
for (const ex of ['Why is etcd slow?', 'WAL fsync over the last 2 hours', 'Show node usage', 'USE method on the hosts', 'Who is loading etcd?', 'Cluster status']) {
  const b = document.createElement('button'); b.type = 'button'; b.textContent = ex; b.onclick = () => ask(ex); document.getElementById('examples').appendChild(b);
}
async function ask(question) {
  add('user', question);
  const answer = add('answer', ''); answer.dataset.state = 'streaming';
  const r = await fetch('/chat/stream', {method: 'POST', headers: headers(), body: JSON.stringify({message: question})});
  if (!r.ok || !r.body) { answer.textContent = 'error: HTTP ' + r.status + ' ' + await r.text(); answer.dataset.state = 'error'; return; }
  const reader = r.body.getReader(), decoder = new TextDecoder(); let buffer = '', text = '';
  for (;;) {
    const {value, done} = await reader.read(); if (done) break;
    buffer += decoder.decode(value, {stream: true});
    let i; while ((i = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, i); buffer = buffer.slice(i + 2);
      const event = (block.match(/^event: (.*)$/m) || [])[1], data = JSON.parse((block.match(/^data: (.*)$/m) || [, '{}'])[1]);
      if (event === 'tool_call') log.insertBefore(Object.assign(document.createElement('div'), {className: 'msg tool', textContent: '→ ' + data.name + ' ' + JSON.stringify(data.arguments)}), answer);
      else if (event === 'tool_result') log.insertBefore(Object.assign(document.createElement('div'), {className: 'msg tool' + (data.isError ? ' err' : ''), textContent: '← ' + data.summary}), answer);
      else if (event === 'message') { text += data.text; answer.textContent = text; }
      else if (event === 'message_complete') { answer.textContent = data.text; answer.dataset.state = 'complete'; }
      else if (event === 'error') { answer.textContent = 'error: ' + data.error; answer.dataset.state = 'error'; }
    }
    log.scrollTop = log.scrollHeight;
  }
}
document.getElementById('ask').addEventListener('submit', e => { e.preventDefault(); if (q.value.trim()) { ask(q.value.trim()); q.value = ''; } });
loadTools();
const preset = new URLSearchParams(location.search).get('q'); if (preset) ask(preset);
</script></body></html>
"""#
}
