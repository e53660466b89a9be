extension WebUI {
    /// Shared helpers every view uses: the theme (applied at once, before the body paints, so a
    /// dark-mode user never sees a white flash), DOM building with `textContent` only (data from
    /// the server or a tool is never parsed as HTML, so it cannot inject markup), the API client
    /// with the optional bearer token, value formatting by metric unit, and hash routing.
    static let scriptCore = #"""
'use strict';
const perfscope = {};
(function () {
  const saved = localStorage.getItem('perfscope-theme');
  const dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = saved === 'dark' || saved === 'light' ? saved : (dark ? 'dark' : 'light');
})();

/** el('div', {className: 'x', onclick: f}, child, 'text'): children are nodes or text, never parsed as HTML. */
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && k !== 'list') e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}
const SVGNS = 'http://www.w3.org/2000/svg';
/** An SVG element with attributes (presentation attributes, not inline styles: CSP-safe). */
function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
  return e;
}
const $ = id => document.getElementById(id);

function token() { return localStorage.getItem('perfscope-token') || ''; }
function headers(json) {
  const h = {};
  if (json) h['Content-Type'] = 'application/json';
  if (token()) h['Authorization'] = 'Bearer ' + token();
  return h;
}
/** fetch with the token; resolves to {ok, status, data}, data parsed as JSON when it is JSON. */
async function api(path, options) {
  const o = Object.assign({method: 'GET'}, options || {});
  const r = await fetch(path, {method: o.method, headers: headers(o.body !== undefined), body: o.body === undefined ? undefined : JSON.stringify(o.body)});
  const text = await r.text();
  let data = text;
  try { data = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
  return {ok: r.ok, status: r.status, data};
}
function errorText(r) {
  const detail = r.data && r.data.error ? r.data.error : (typeof r.data === 'string' ? r.data.slice(0, 200) : '');
  return 'HTTP ' + r.status + (r.status === 401 ? ' (set the bearer token in Chat → Token)' : '') + (detail ? ': ' + detail : '');
}

/** A number in a metric unit, the way the CLI prints it (`0.0342` seconds → `34.2 ms`). */
function formatValue(v, unit) {
  if (typeof v !== 'number' || !isFinite(v)) return String(v);
  if (v === 0 && unit !== 'boolean') return '0';
  const a = Math.abs(v);
  const bin = (x, suffix) => { const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; let i = 0; while (Math.abs(x) >= 1024 && i < u.length - 1) { x /= 1024; i++; } return (i ? x.toFixed(1) : Math.round(x)) + ' ' + u[i] + suffix; };
  switch (unit) {
    case 'seconds': return a < 1e-3 ? Math.round(v * 1e6) + ' µs' : a < 1 ? (v * 1e3).toFixed(1) + ' ms' : v.toFixed(2) + ' s';
    case 'bytes': return bin(v, '');
    case 'bytes/s': return bin(v, '/s');
    case 'ratio': return (v * 100).toFixed(1) + ' %';
    case '1/s': return short(v) + '/s';
    case 'cores': return short(v) + ' cores';
    case 'boolean': return v ? 'yes' : 'no';
    default: return short(v);
  }
}
function short(v) {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 1 ? String(Number(v.toFixed(2))) : String(Number(v.toPrecision(3)));
}
function formatTime(seconds, withDate) {
  const d = new Date(seconds * 1000);
  const hm = d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', hour12: false});
  return withDate ? d.toLocaleDateString([], {month: 'short', day: 'numeric'}) + ' ' + hm : hm;
}

/** The tooltip shared by charts and the diagram; positioned through the CSSOM (CSP-safe). */
function showTooltip(text, x, y) {
  const t = $('tooltip');
  t.textContent = text;
  t.hidden = false;
  const w = t.offsetWidth, h = t.offsetHeight;
  t.style.left = Math.min(x + 14, window.innerWidth - w - 8) + 'px';
  t.style.top = Math.max(8, Math.min(y + 14, window.innerHeight - h - 8)) + 'px';
}
function hideTooltip() { $('tooltip').hidden = true; }

/** Views by name; each has `show(arg)`. The path `/ui/architecture` and `#view/arg` pick one. */
perfscope.views = {};
function route() {
  const hash = location.hash.replace(/^#/, '');
  let [name, ...rest] = hash.split('/');
  if (!name) name = location.pathname.replace(/\/+$/, '').endsWith('/architecture') ? 'architecture' : 'chat';
  if (!perfscope.views[name]) name = 'chat';
  const key = name + '/' + rest.join('/');
  if (perfscope.current === key) return;  // hashchange and popstate both fire for one change
  perfscope.current = key;
  for (const v of Object.keys(perfscope.views)) $('view-' + v).hidden = v !== name;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.view === name);
  let arg = rest.join('/');
  try { arg = decodeURIComponent(arg); } catch (e) { arg = ''; }  // a malformed #runs/%zz opens the list
  perfscope.views[name].show(arg);
}
function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('perfscope-theme', theme);
  $('theme').textContent = theme === 'dark' ? '☀ light' : '☾ dark';
}
"""#

    /// Wires the page once the DOM exists, then opens the view the URL names.
    static let scriptStart = #"""
document.addEventListener('DOMContentLoaded', () => {
  setTheme(document.documentElement.dataset.theme);
  $('theme').addEventListener('click', () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
  // Switching views keeps the page (and a streaming answer) alive: history, not a reload.
  for (const a of document.querySelectorAll('#nav a')) a.addEventListener('click', e => {
    e.preventDefault();
    history.pushState(null, '', '/ui#' + a.dataset.view);
    route();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('popstate', route);
  for (const init of [initChat, initConversations, initRuns, initArchitecture]) init();
  route();
});
"""#
}
