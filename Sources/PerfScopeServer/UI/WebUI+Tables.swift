extension WebUI {
    /// Tool results as tables. Tools return arbitrary structured JSON, so the shape decides:
    /// an array of objects is a table (columns = the union of keys, in first-seen order); an
    /// object's array-of-object members become one captioned table each (recursing one level
    /// into object members, where tools nest their lists); its scalar members become a small
    /// field/value table. Nested values are shown compactly, long tables are cut with a note, and a
    /// `truncated` string from the tool is shown as a note. Cells are text nodes only.
    static let scriptTables = #"""
const MAX_ROWS = 100;

function isRecord(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
function isTable(v) { return Array.isArray(v) && v.length > 0 && v.every(isRecord); }

/** A compact one-line rendering of a nested value: `a, b, c` for scalar lists, JSON otherwise. */
function compact(v) {
  const s = Array.isArray(v) && v.every(isScalar) ? v.map(x => typeof x === 'number' ? short(x) : String(x)).join(', ') : JSON.stringify(v);
  return s.length > 160 ? s.slice(0, 157) + '…' : s;
}
function isScalar(v) { return v === null || typeof v !== 'object'; }

function cell(v) {
  if (v === null || v === undefined) return el('td', {className: 'muted'}, '—');
  if (typeof v === 'number') return el('td', {className: 'num', title: String(v)}, short(v));
  if (typeof v === 'boolean') return el('td', {}, v ? 'yes' : 'no');
  if (typeof v === 'object') return el('td', {className: 'nested', title: (Array.isArray(v) && v.every(isScalar) ? v.join('\n') : JSON.stringify(v, null, 1)).slice(0, 4000)}, compact(v));
  return el('td', {}, String(v));
}

/** rows (objects) → <table class="data">, with an optional caption and row click handler. */
function dataTable(rows, caption, onRow) {
  const columns = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const body = el('tbody');
  for (const r of rows.slice(0, MAX_ROWS)) {
    const tr = el('tr', {}, columns.map(c => cell(r[c])));
    if (onRow) { tr.className = 'click'; tr.tabIndex = 0; tr.addEventListener('click', () => onRow(r)); tr.addEventListener('keydown', e => { if (e.key === 'Enter') onRow(r); }); }
    body.append(tr);
  }
  const table = el('table', {className: 'data'},
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, columns.map(c => el('th', {scope: 'col'}, c)))), body);
  if (rows.length <= MAX_ROWS) return table;
  return el('div', {}, table, el('div', {className: 'note'}, `showing ${MAX_ROWS} of ${rows.length} rows`));
}

/** Every table a structured result holds, as [caption, rows] pairs: arrays of objects; objects
 *  of scalars as one row (healthScores, window); long scalar lists as one column; the scalar
 *  members of an object as field/value rows, first. */
function tablesIn(value, prefix, depth) {
  if (isTable(value)) return [[prefix || 'result', value]];
  if (!isRecord(value) || depth > 2) return [];
  const found = [], scalars = [];
  for (const [k, v] of Object.entries(value)) {
    const name = prefix ? prefix + '.' + k : k;
    if (k === 'truncated' && typeof v === 'string') continue;  // shown as a note
    if (isTable(v)) found.push([name, v]);
    else if (isRecord(v) && Object.keys(v).length && Object.values(v).every(isScalar)) found.push([name, [v]]);
    else if (isRecord(v)) found.push(...tablesIn(v, name, depth + 1));
    else if (Array.isArray(v) && v.length > 3 && v.every(isScalar)) found.push([name, v.map(x => ({[k]: x}))]);
    else if (isScalar(v) || (Array.isArray(v) && v.length && v.every(isScalar))) scalars.push({field: k, value: v});
  }
  if (scalars.length) found.unshift([prefix || 'summary', scalars]);
  return found;
}

/** The rendered tables of one tool result, or null when it holds nothing tabular. */
function renderResult(result) {
  const tables = tablesIn(result, '', 0);
  if (!tables.length) return null;
  // Small results open at once; big ones (a whole report) stay folded under the summary line.
  const rows = tables.reduce((n, [, r]) => n + Math.min(r.length, MAX_ROWS), 0);
  const box = el('details', {className: 'results', open: rows <= 40 && tables.length <= 6},
    el('summary', {}, (tables.length === 1 ? '1 table' : tables.length + ' tables') + ', ' + rows + ' rows'),
    tables.map(([caption, rows]) => dataTable(rows, caption)));
  const notes = [];
  (function collect(v) {
    if (!isRecord(v)) return;
    if (typeof v.truncated === 'string') notes.push(v.truncated);
    for (const x of Object.values(v)) if (isRecord(x)) collect(x);
  })(result);
  for (const n of notes) box.append(el('div', {className: 'note'}, 'truncated: ' + n));
  return box;
}
"""#
}
