extension WebUI {
    /// The architecture page: perfscope's components and data flow (DESIGN.md, "Data flow") as
    /// an interactive SVG. The diagram is data — boxes with what each does and where its code
    /// lives, and edges between them — so it stays easy to keep in step with the code. Hovering
    /// or focusing a component lights its edges; clicking (or Enter) pins its description.
    static let scriptArchitecture = #"""
const ARCH = {
  groups: [
    {x: 10, y: 318, w: 150, h: 262, label: 'sources'},
    {x: 180, y: 318, w: 220, h: 262, label: 'collectors'},
    {x: 450, y: 318, w: 340, h: 262, label: 'pure core (no I/O)'},
  ],
  nodes: [
    {id: 'llm', x: 10, y: 40, w: 150, h: 60, kind: 'ext', title: 'LLM (optional)', sub: 'OpenAI-compatible API',
     text: 'Any chat-completions endpoint with tool calling and streaming. Only the chat agent talks to it; everything works without one.', code: 'Sources/PerfScopeAgent/Chat/LLMClient.swift'},
    {id: 'chat', x: 190, y: 40, w: 134, h: 60, kind: 'front', title: 'Chat agent', sub: 'offline + LLM',
     text: 'Answers questions by calling tools. Offline, an intent parser maps phrases ("node usage", "why is etcd slow", "over the last 2 hours") to a tool and a window. With an LLM, the model picks tools in a loop. Both emit the same steps (tool_call, tool_result, message) that /chat/stream sends as Server-Sent Events.', code: 'Sources/PerfScopeAgent/Chat'},
    {id: 'cli', x: 342, y: 40, w: 134, h: 60, kind: 'front', title: 'CLI', sub: 'perfscope analyze …',
     text: 'The perfscope binary: analyze, etcd, host, history, grafana, chat, tools, serve, mcp. Thin commands over the same tools; text, markdown, HTML or JSON; exit code 3 on --fail-on.', code: 'Sources/PerfScopeCLI'},
    {id: 'http', x: 494, y: 40, w: 134, h: 60, kind: 'front', title: 'HTTP + web UI', sub: 'perfscope serve',
     text: 'Hummingbird server: /api/tools, /api/runs, /api/reports/ID.html, /chat/stream (SSE), health and /metrics, plus this web UI, whose files are compiled into the binary. A bearer token guards the APIs.', code: 'Sources/PerfScopeServer/HTTP, Sources/PerfScopeServer/UI'},
    {id: 'mcp', x: 646, y: 40, w: 134, h: 60, kind: 'front', title: 'MCP server', sub: 'stdio + streamable HTTP',
     text: 'Model Context Protocol for AI assistants: perfscope mcp (stdio) and /mcp on the server. It lists the registry\'s tools with their JSON Schemas and calls them.', code: 'Sources/PerfScopeServer/MCP'},
    {id: 'registry', x: 190, y: 140, w: 590, h: 50, kind: 'hub', title: 'One tool registry', sub: 'name · description · JSON-schema input · handler → summary + structured JSON',
     text: 'Every capability (cluster status, WAL fsync, USE, report, history…) is declared once. MCP, /api/tools, the LLM\'s function calling and the CLI all expose this one list, so no capability is written twice for two front ends.', code: 'Sources/PerfScopeAgent/Tools'},
    {id: 'runtime', x: 190, y: 225, w: 590, h: 50, kind: 'hub', title: 'Analysis runtime', sub: 'window · config · bounded concurrent collection · report',
     text: 'Resolves the time window and the configuration (thresholds, instance mapping), runs the collectors concurrently with a bound, hands typed values to the pure core, and returns the report (stored as a run).', code: 'Sources/PerfScopeAgent/Runtime'},
    {id: 'store', x: 830, y: 140, w: 160, h: 135, kind: 'store', title: 'Run store', sub: 'SQLite (default) · PostgreSQL',
     text: 'Every analysis is kept as a run: SQLite in a file by default (PERFSCOPE_DB), PostgreSQL when a team shares it (a postgres:// URL). Baselines, trends, compare_with_baseline and the run history in this UI read it.', code: 'Sources/PerfScopeStore'},
    {id: 'src-prom', x: 20, y: 340, w: 130, h: 48, kind: 'ext', title: 'Prometheus', sub: 'etcd + node-exporter',
     text: 'The usual source: Prometheus scraping the etcd members and node-exporter on their hosts.'},
    {id: 'src-etcd', x: 20, y: 400, w: 130, h: 48, kind: 'ext', title: 'etcd members', sub: '/metrics · v3 gateway',
     text: 'The members themselves, when there is no Prometheus (or for live status: leader, DB size, raft index).'},
    {id: 'src-k8s', x: 20, y: 460, w: 130, h: 48, kind: 'ext', title: 'Kubernetes API', sub: 'kubeconfig',
     text: 'A Kubernetes or OpenShift cluster that runs etcd as pods.'},
    {id: 'src-grafana', x: 20, y: 520, w: 130, h: 48, kind: 'ext', title: 'Grafana', sub: 'API or JSON files',
     text: 'Dashboards the team already trusts, from a Grafana server or exported JSON files.'},
    {id: 'prom', x: 190, y: 340, w: 200, h: 48, kind: 'collect', title: 'Prometheus client', sub: 'one query per metric, by (instance)',
     text: 'The Prometheus HTTP API client. One batched PromQL query per metric returns every member, so query count does not grow with members or clusters.', code: 'Sources/PrometheusAPI, Sources/PerfScopeCollect/Collector'},
    {id: 'etcd', x: 190, y: 400, w: 200, h: 48, kind: 'collect', title: 'etcd /metrics', sub: 'scrape + exposition parser',
     text: 'Scrapes the members\' /metrics directly (two snapshots make rates) and reads status through the etcd v3 gateway.', code: 'Sources/PerfScopeCollect/Snapshot, Sources/PerfScopeCollect/Etcd'},
    {id: 'k8s', x: 190, y: 460, w: 200, h: 48, kind: 'collect', title: 'Kubernetes discovery', sub: 'etcd pods, nodes',
     text: 'Finds the etcd pods and their nodes from a kubeconfig and adds the cluster context to the report.', code: 'Sources/PerfScopeCollect/Kubernetes'},
    {id: 'grafana', x: 190, y: 520, w: 200, h: 48, kind: 'collect', title: 'Grafana', sub: 'dashboards → queries',
     text: 'Reads dashboard JSON, substitutes template variables, runs the panels\' queries and judges them by the panels\' own thresholds.', code: 'Sources/PerfScopeCollect/Grafana'},
    {id: 'catalog', x: 462, y: 340, w: 152, h: 64, kind: 'core', title: 'Catalog', sub: 'PromQL · unit · thresholds',
     text: 'Every metric\'s query template, unit and thresholds in one place, so the report and a deep-dive never judge one metric by two thresholds.', code: 'Sources/PerfScopeCore/Catalog, Sources/PerfScopeCollect/Catalog/*.yaml'},
    {id: 'rules', x: 626, y: 340, w: 152, h: 64, kind: 'core', title: 'Rules', sub: 'etcd guidance · mixin alerts',
     text: 'Typed values in, findings with evidence out: catalog thresholds and the etcd-mixin / node-mixin alerts. No I/O, so they run the same on Prometheus data, scrapes and scenarios.', code: 'Sources/PerfScopeCore/Analysis, Sources/PerfScopeCore/Rules'},
    {id: 'use', x: 462, y: 420, w: 152, h: 64, kind: 'core', title: 'USE method', sub: 'U · S · E per resource',
     text: 'Brendan Gregg\'s USE method for every host resource (CPU, memory, disks, network), with drill-down and workload characterisation.', code: 'Sources/PerfScopeCore/Host'},
    {id: 'latency', x: 626, y: 420, w: 152, h: 64, kind: 'core', title: 'Latency', sub: 'percentiles · outliers · steps',
     text: 'Latency as a distribution over time: percentiles from histograms, outliers by median absolute deviation, and step changes that date a cause.', code: 'Sources/PerfScopeCore/Host/LatencyAnalysis.swift'},
    {id: 'rca', x: 462, y: 500, w: 152, h: 64, kind: 'core', title: 'Root-cause engine', sub: 'ranked, with evidence',
     text: 'Correlates findings across members and hosts — slow disk, CPU starvation, expensive requests, slow network — and ranks the causes with confidence. Empty when the system is healthy.', code: 'Sources/PerfScopeCore/Diagnosis'},
    {id: 'render', x: 626, y: 500, w: 152, h: 64, kind: 'core', title: 'Report renderers', sub: 'text · md · HTML · JSON',
     text: 'One Report value rendered for every front end: terminal text, markdown, self-contained HTML with SVG charts, and the JSON contract.', code: 'Sources/PerfScopeCore/Render'},
  ],
  edges: [
    {from: 'chat', to: 'llm', d: 'M190,70 L164,70'},
    {from: 'chat', to: 'registry', d: 'M257,100 L257,136'},
    {from: 'cli', to: 'registry', d: 'M409,100 L409,136'},
    {from: 'http', to: 'registry', d: 'M561,100 L561,136'},
    {from: 'mcp', to: 'registry', d: 'M713,100 L713,136'},
    {from: 'http', to: 'chat', d: 'M540,40 Q420,0 300,36', label: '/chat'},
    {from: 'cli', to: 'chat', d: 'M390,40 Q350,20 316,36'},
    {from: 'registry', to: 'runtime', d: 'M485,190 L485,221'},
    {from: 'registry', to: 'store', d: 'M780,165 L826,165', label: 'history'},
    {from: 'runtime', to: 'store', d: 'M780,250 L826,250', label: 'runs'},
    {from: 'runtime', to: ['prom', 'etcd', 'k8s', 'grafana'], d: 'M290,275 L290,314'},
    {from: 'runtime', to: ['catalog', 'rules', 'use', 'latency', 'rca', 'render'], d: 'M620,275 L620,314'},
    {from: 'src-prom', to: 'prom', d: 'M150,364 L186,364'},
    {from: 'src-etcd', to: 'etcd', d: 'M150,424 L186,424'},
    {from: 'src-k8s', to: 'k8s', d: 'M150,484 L186,484'},
    {from: 'src-grafana', to: 'grafana', d: 'M150,544 L186,544'},
    {from: ['prom', 'etcd', 'k8s', 'grafana'], to: ['catalog', 'rules', 'use', 'latency', 'rca'], d: 'M400,450 L446,450', label: 'metrics'},
  ],
};
const KIND_FILL = {front: 'var(--c-front)', hub: 'var(--c-hub)', collect: 'var(--c-collect)', core: 'var(--c-core)', store: 'var(--c-store)', ext: 'var(--c-ext)'};
const list = v => Array.isArray(v) ? v : [v];

function architectureSVG() {
  const s = svg('svg', {viewBox: '0 0 1000 590', id: 'arch-svg', role: 'group', 'aria-label': 'perfscope components and data flow'});
  s.append(svg('defs', {}, svg('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse'},
    svg('path', {d: 'M0,0 L10,5 L0,10 z'}))));
  for (const g of ARCH.groups) s.append(svg('rect', {class: 'group', x: g.x, y: g.y, width: g.w, height: g.h, rx: 10}),
                                         svg('text', {class: 'grouplabel', x: g.x + 8, y: g.y + 14}, g.label));
  const edges = ARCH.edges.map(e => {
    const p = svg('path', {class: 'edge', d: e.d, 'marker-end': 'url(#arrow)'});
    p.dataset.from = list(e.from).join(' ');
    p.dataset.to = list(e.to).join(' ');
    s.append(p);
    if (e.label) {
      const m = e.d.match(/-?\d+(\.\d+)?/g).map(Number);
      const [x1, y1, x2, y2] = [m[0], m[1], m[m.length - 2], m[m.length - 1]];
      s.append(svg('text', {class: 'edgelabel', x: (x1 + x2) / 2, y: Math.min(y1, y2) - 5, 'text-anchor': 'middle'}, e.label));
    }
    return p;
  });
  const boxes = ARCH.nodes.map(n => {
    const g = svg('g', {class: 'comp', tabindex: 0, role: 'button', 'data-component': n.id, 'aria-label': n.title + ': ' + n.sub},
      svg('rect', {x: n.x, y: n.y, width: n.w, height: n.h, rx: 8, fill: KIND_FILL[n.kind], 'stroke-dasharray': n.kind === 'ext' ? '5 3' : null}),
      svg('text', {x: n.x + n.w / 2, y: n.y + n.h / 2 - 3, 'text-anchor': 'middle', 'font-weight': 600}, n.title),
      svg('text', {class: 'sub', x: n.x + n.w / 2, y: n.y + n.h / 2 + 13, 'text-anchor': 'middle'}, n.sub));
    g.addEventListener('mouseenter', () => highlight(n.id));
    g.addEventListener('focus', () => highlight(n.id));
    g.addEventListener('mouseleave', () => highlight(perfscope.archSelected));
    g.addEventListener('blur', () => highlight(perfscope.archSelected));
    g.addEventListener('click', () => selectComponent(n.id));
    g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectComponent(n.id); } });
    s.append(g);
    return g;
  });
  function highlight(id) {
    const linked = new Set(id ? [id] : []);
    for (const p of edges) {
      const hot = !!id && (p.dataset.from.split(' ').includes(id) || p.dataset.to.split(' ').includes(id));
      p.classList.toggle('hot', hot);
      if (hot) for (const x of [...p.dataset.from.split(' '), ...p.dataset.to.split(' ')]) linked.add(x);
    }
    for (const b of boxes) b.classList.toggle('dim', !!id && !linked.has(b.dataset.component));
  }
  perfscope.archHighlight = highlight;
  return s;
}

function selectComponent(id) {
  const n = ARCH.nodes.find(x => x.id === id);
  if (!n) return;
  perfscope.archSelected = id;
  for (const g of document.querySelectorAll('#arch-svg .comp')) g.classList.toggle('selected', g.dataset.component === id);
  perfscope.archHighlight(id);
  const names = ids => [...new Set(ids)].map(i => (ARCH.nodes.find(x => x.id === i) || {title: i}).title);
  const out = ARCH.edges.filter(e => list(e.from).includes(id)).flatMap(e => list(e.to));
  const into = ARCH.edges.filter(e => list(e.to).includes(id)).flatMap(e => list(e.from));
  $('arch-detail').replaceChildren(el('h3', {}, n.title), el('div', {className: 'muted'}, n.sub), el('p', {}, n.text),
    n.code ? el('p', {}, el('b', {}, 'Code: '), el('code', {}, n.code)) : null,
    into.length ? el('p', {}, el('b', {}, 'Called by / fed by: '), names(into).join(', ')) : null,
    out.length ? el('p', {}, el('b', {}, 'Uses: '), names(out).join(', ')) : null);
}

function initArchitecture() {
  $('arch-diagram').replaceChildren(architectureSVG());
  $('arch-detail').replaceChildren(el('h3', {}, 'Data flow'), el('p', {}, 'Sources → collectors (typed values) → pure core (findings, ranked root causes, a report) → front ends, with every run kept in the store. ' +
    'Every front end reaches the same analysis through the one tool registry.'), el('p', {className: 'muted'}, 'Select a component for what it does and where its code lives.'));
}
perfscope.views.architecture = {show() {}};
"""#
}
