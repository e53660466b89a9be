extension WebUI {
    /// Run history and the report view. The list is `/api/runs` (the `list_runs` tool, so it
    /// matches what chat and MCP say); a row opens `#runs/ID`, which reads the full stored report
    /// from `/api/runs/ID` and draws it here — grade, health scores, root causes, charts, findings
    /// with evidence, recommendations, data gaps — with a link to the server-rendered HTML report.
    static let scriptRuns = #"""
function gradeBadge(grade) { return el('span', {className: 'grade ' + grade}, grade || '?'); }
function when(iso) { const d = new Date(iso); return isNaN(d) ? String(iso || '') : d.toLocaleString([], {dateStyle: 'medium', timeStyle: 'short'}); }
function counts(c) {
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const parts = order.filter(s => c && c[s]).map(s => c[s] + ' ' + s);
  return parts.length ? parts.join(', ') : 'none';
}

async function loadRuns() {
  const box = $('runs');
  $('report').replaceChildren();
  box.replaceChildren(el('p', {className: 'muted'}, 'loading runs…'));
  const q = new URLSearchParams({duration: $('runs-window').value, limit: '50'});
  if ($('runs-cluster').value.trim()) q.set('cluster', $('runs-cluster').value.trim());
  const r = await api('/api/runs?' + q).catch(e => ({ok: false, status: 0, data: e.message}));
  if (!r.ok) { box.replaceChildren(el('p', {className: 'note'}, 'runs: ' + errorText(r))); return; }
  const runs = (r.data && r.data.runs) || [];
  if (!runs.length) {
    box.replaceChildren(el('p', {className: 'muted'}, 'No stored runs in this window. Run `perfscope analyze`, or ask the chat to analyse, to store one.'));
    return;
  }
  const body = el('tbody', {}, runs.map(run => {
    const tr = el('tr', {className: 'click', tabIndex: 0, dataset: {id: run.id}},
      el('td', {}, when(run.createdAt)), el('td', {}, run.cluster || ''), el('td', {}, gradeBadge(run.grade)),
      el('td', {}, counts(run.findingCounts)), el('td', {}, run.topRootCause || '—'),
      el('td', {}, run.isBaseline ? '★ baseline' : ''), el('td', {className: 'nested', title: run.id}, run.id.slice(0, 12)));
    const open = () => { history.pushState(null, '', '/ui#runs/' + encodeURIComponent(run.id)); route(); };
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', e => { if (e.key === 'Enter') open(); });
    return tr;
  }));
  box.replaceChildren(el('table', {className: 'data', id: 'runs-table'},
    el('caption', {}, runs.length + ' run(s), newest first — click one for its report'),
    el('thead', {}, el('tr', {}, ['created', 'cluster', 'grade', 'findings', 'top root cause', '', 'id'].map(h => el('th', {}, h)))), body));
}

async function loadReport(id) {
  $('runs').replaceChildren();
  const box = $('report');
  box.replaceChildren(el('p', {className: 'muted'}, 'loading report ' + id + '…'));
  const r = await api('/api/runs/' + encodeURIComponent(id)).catch(e => ({ok: false, status: 0, data: e.message}));
  if (!r.ok) { box.replaceChildren(el('p', {className: 'note'}, 'report: ' + errorText(r)), backLink()); return; }
  box.replaceChildren(...reportView(r.data));
}
function backLink() {
  return el('a', {href: '/ui#runs', onclick: e => { e.preventDefault(); history.pushState(null, '', '/ui#runs'); route(); }}, '← all runs');
}
/** The HTML report needs the token when one is set, which a plain link cannot send: fetch it
 *  and save it as a file then. Without a token, a normal link opens it in a new tab. */
function htmlReportLink(id) {
  const href = '/api/reports/' + encodeURIComponent(id) + '.html';
  return el('a', {href, target: '_blank', rel: 'noopener', onclick: async e => {
    if (!token()) return;
    e.preventDefault();
    const r = await fetch(href, {headers: headers(false)});
    if (!r.ok) { e.target.textContent = 'HTML report: HTTP ' + r.status; return; }
    const url = URL.createObjectURL(await r.blob());
    el('a', {href: url, download: 'perfscope-' + id + '.html'}).click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }}, 'HTML report');
}

function reportView(rep) {
  const out = [];
  const w = rep.window || {};
  out.push(el('div', {className: 'card', id: 'report-head'},
    el('div', {className: 'row'}, backLink(), el('span', {className: 'muted'}, '·'), htmlReportLink(rep.id), el('span', {className: 'muted'}, '·'),
       el('a', {href: '/api/runs/' + encodeURIComponent(rep.id), target: '_blank', rel: 'noopener'}, 'JSON')),
    el('h1', {}, 'Run ', el('code', {}, rep.id), ' ', gradeBadge(rep.grade)),
    el('div', {className: 'muted'}, 'window ' + when(w.start) + ' → ' + when(w.end) + (rep.source ? ' · ' + rep.source : '') +
       (rep.cluster && rep.cluster.name ? ' · cluster ' + rep.cluster.name : ''))));

  const scores = Object.entries(rep.healthScores || {});
  if (scores.length) out.push(el('div', {className: 'card'}, el('h3', {}, 'Health scores'), el('div', {className: 'scores'}, scores.map(([k, v]) => {
    const fg = el('div', {className: 'barfg'});
    fg.style.width = Math.max(0, Math.min(100, v)) + '%';
    if (v < 50) fg.style.background = 'var(--err)'; else if (v < 80) fg.style.background = 'var(--warn)';
    return el('div', {className: 'score'}, el('div', {}, k + ' ', el('b', {}, String(v))), el('div', {className: 'barbg'}, fg));
  }))));

  const causes = rep.rootCauses || [];
  out.push(el('div', {className: 'card', id: 'report-causes'}, el('h3', {}, 'Root causes'), causes.length
    ? el('ol', {}, causes.map(c => el('li', {}, el('b', {}, c.category), ' (' + c.likelihood + ', confidence ' + Math.round((c.confidence || 0) * 100) + ' %) — ' + c.summary,
        c.instances && c.instances.length ? el('div', {className: 'muted'}, 'on ' + c.instances.join(', ')) : null)))
    : el('p', {}, 'No root cause: nothing points to a problem in this window.')));

  const charts = rep.charts || [];
  out.push(el('div', {className: 'card'}, el('h3', {}, 'Charts'), charts.length
    ? el('div', {className: 'charts', id: 'report-charts'}, charts.map(chartView))
    : el('p', {className: 'muted'}, 'This run stored no chart series.')));

  const findings = rep.findings || [];
  out.push(el('div', {className: 'card', id: 'report-findings'}, el('h3', {}, 'Findings (' + findings.length + ')'), findings.map(f =>
    el('details', {},
      el('summary', {}, el('span', {className: 'sev ' + f.severity}, f.severity), ' ', f.title, f.instances && f.instances.length ? el('span', {className: 'muted'}, ' — ' + f.instances.join(', ')) : null),
      el('p', {}, f.observation), f.rootCause ? el('p', {}, el('b', {}, 'Why: '), f.rootCause) : null,
      f.immediateAction ? el('p', {}, el('b', {}, 'Do now: '), f.immediateAction) : null,
      f.evidence && f.evidence.length ? dataTable(f.evidence.map(e => ({metric: e.metric, instance: e.instance, value: evidenceValue(e.value, e.unit),
        threshold: e.threshold === null || e.threshold === undefined ? null : evidenceValue(e.threshold, e.unit), query: e.query})), 'evidence') : null))));

  if ((rep.recommendations || []).length) out.push(el('div', {className: 'card'}, el('h3', {}, 'Recommendations'), dataTable(rep.recommendations)));
  if ((rep.dataGaps || []).length) out.push(el('div', {className: 'card'}, el('h3', {}, 'Data gaps'), dataTable(rep.dataGaps)));
  return out;
}
/** Evidence carries either a catalog unit (formatted like the CLI) or a label already scaled by
 *  the rule (`ms`, `%`), printed after the number as is. */
function evidenceValue(v, unit) {
  return ['seconds', 'bytes', 'bytes/s', 'ratio', '1/s', 'cores', 'boolean'].includes(unit) ? formatValue(v, unit) : short(v) + (unit ? ' ' + unit : '');
}

function initRuns() {
  $('runs-refresh').addEventListener('click', loadRuns);
  $('runs-window').addEventListener('change', loadRuns);
  $('runs-cluster').addEventListener('change', loadRuns);
}
perfscope.views.runs = {show(id) { if (id) loadReport(id); else loadRuns(); }};
"""#
}
