extension WebUI {
    /// A report `Chart` (`{metric, title, unit, lines: [{name, points: [[unixSeconds, value]]}],
    /// threshold?}`) drawn as inline SVG in the browser: one polyline per member, axes labelled
    /// in the metric's unit, the threshold as a dashed line, a legend, and a hover tooltip with
    /// every member's value at the nearest time. Drawn client-side (not the server's static SVG)
    /// for the tooltip and so it follows the theme; the scale matches `SVGChart` in the core.
    static let scriptCharts = #"""
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** A 1-2-5 step so that `span / step` is about `count` ticks. */
function niceStep(span, count) {
  const raw = span / Math.max(1, count), p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function chartView(chart) {
  const W = 560, H = 220, L = 70, R = 14, T = 14, B = 30;
  const lines = (chart.lines || []).filter(l => l.points && l.points.length);
  const all = lines.flatMap(l => l.points);
  const box = el('div', {className: 'chart', dataset: {metric: chart.metric}}, el('h4', {}, chart.title || chart.metric, el('span', {className: 'muted'}, ' · ' + chart.metric + ' (' + chart.unit + ')')));
  if (!all.length) { box.append(el('p', {className: 'muted'}, 'no data')); return box; }
  // Loops, not Math.min(...spread): a week of samples would overflow the argument stack.
  let t0 = Infinity, t1 = -Infinity, vmax = -Infinity, vmin = 0;
  for (const [t, v] of all) { t0 = Math.min(t0, t); t1 = Math.max(t1, t); vmax = Math.max(vmax, v); vmin = Math.min(vmin, v); }
  const th = typeof chart.threshold === 'number' ? chart.threshold : null;
  if (th !== null && th <= vmax * 3) vmax = Math.max(vmax, th);
  vmax = vmax <= vmin ? vmin + 1 : vmax * 1.1;
  const x = t => L + (t1 === t0 ? (W - L - R) / 2 : (t - t0) / (t1 - t0) * (W - L - R));
  const y = v => T + (1 - (v - vmin) / (vmax - vmin)) * (H - T - B);

  const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': (chart.title || chart.metric) + ' per member over the window'});
  const step = niceStep(vmax - vmin, 4);
  for (let v = Math.ceil(vmin / step) * step; v <= vmax + 1e-12; v += step) {
    s.append(svg('line', {class: 'gridline', x1: L, x2: W - R, y1: y(v), y2: y(v)}),
             svg('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end'}, formatValue(v, chart.unit)));
  }
  const days = (t1 - t0) > 86400;
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (t1 - t0) * i / 4;
    s.append(svg('text', {x: x(t), y: H - 10, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}, formatTime(t, days)));
  }
  s.append(svg('line', {class: 'axis', x1: L, x2: L, y1: T, y2: H - B}), svg('line', {class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B}));
  if (th !== null && th <= vmax) {
    s.append(svg('line', {class: 'threshold', x1: L, x2: W - R, y1: y(th), y2: y(th)}),
             svg('text', {class: 'threshold', x: W - R - 4, y: y(th) - 4, 'text-anchor': 'end'}, 'threshold ' + formatValue(th, chart.unit)));
  }
  lines.forEach((l, i) => s.append(svg('polyline', {fill: 'none', stroke: PALETTE[i % PALETTE.length], 'stroke-width': 1.8, 'stroke-linejoin': 'round',
    points: l.points.map(p => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' ')}, svg('title', {}, l.name))));

  // Hover: a guide at the nearest sample time, a dot per member, the values in the tooltip.
  const guide = svg('line', {class: 'guide', y1: T, y2: H - B, visibility: 'hidden'});
  const dots = lines.map((l, i) => svg('circle', {r: 3.5, fill: PALETTE[i % PALETTE.length], visibility: 'hidden'}));
  const hit = svg('rect', {x: L, y: T, width: W - L - R, height: H - T - B, fill: 'transparent'});
  s.append(guide, ...dots, hit);
  hit.addEventListener('mousemove', e => {
    const pt = s.createSVGPoint();
    pt.x = e.clientX; pt.y = e.clientY;
    const p = pt.matrixTransform(s.getScreenCTM().inverse());
    const t = t0 + (p.x - L) / (W - L - R) * (t1 - t0);
    const rows = [];
    let tNear = t0;
    lines.forEach((l, i) => {
      let best = l.points[0];
      for (const q of l.points) if (Math.abs(q[0] - t) < Math.abs(best[0] - t)) best = q;
      if (i === 0) tNear = best[0];
      dots[i].setAttribute('cx', x(best[0])); dots[i].setAttribute('cy', y(best[1])); dots[i].setAttribute('visibility', 'visible');
      rows.push(l.name + ': ' + formatValue(best[1], chart.unit));
    });
    guide.setAttribute('x1', x(tNear)); guide.setAttribute('x2', x(tNear)); guide.setAttribute('visibility', 'visible');
    showTooltip(formatTime(tNear, true) + '\n' + rows.join('\n'), e.clientX, e.clientY);
  });
  hit.addEventListener('mouseleave', () => {
    hideTooltip();
    guide.setAttribute('visibility', 'hidden');
    for (const d of dots) d.setAttribute('visibility', 'hidden');
  });
  box.append(s, el('div', {className: 'legend'}, lines.map((l, i) => {
    const swatch = el('i');
    swatch.style.background = PALETTE[i % PALETTE.length];
    return el('span', {}, swatch, l.name);
  })));
  return box;
}
"""#
}
