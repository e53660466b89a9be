extension WebUI {
    /// The stylesheet. Colours are custom properties under `html[data-theme=…]` so the theme
    /// toggle is one attribute flip; the script sets it before first paint (from localStorage,
    /// else `prefers-color-scheme`). Charts and the architecture diagram use the same variables,
    /// so SVG follows the theme too. An external file keeps `style-src 'self'` in the policy.
    static let css = #"""
:root,html[data-theme=light]{--bg:#fff;--bg2:#f7f8fa;--fg:#1d1f23;--muted:#6b7280;--line:#e5e7eb;--accent:#2563eb;--accent-fg:#fff;
  --tool:#f3f4f6;--err:#c62828;--warn:#b45309;--ok:#15803d;--grid:#e5e7eb;--card:#fff;--shadow:0 1px 3px rgba(0,0,0,.08);
  --c-front:#dbeafe;--c-hub:#ede9fe;--c-collect:#dcfce7;--c-core:#fef3c7;--c-store:#fce7f3;--c-ext:#f3f4f6}
html[data-theme=dark]{--bg:#16181c;--bg2:#1d2026;--fg:#e6e6e6;--muted:#9ca3af;--line:#2d3139;--accent:#60a5fa;--accent-fg:#0b1220;
  --tool:#23262c;--err:#f87171;--warn:#fbbf24;--ok:#4ade80;--grid:#2d3139;--card:#1d2026;--shadow:none;
  --c-front:#1e3a5f;--c-hub:#3b2f63;--c-collect:#1f4d33;--c-core:#5a4415;--c-store:#5b2340;--c-ext:#2a2d33}
*{box-sizing:border-box}
html,body{height:100%}
body{margin:0;font:14px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg);display:flex;flex-direction:column}
a{color:var(--accent)}
h1{font-size:18px;margin:0 0 .5rem}
h2{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);margin:1rem 0 .3rem;display:flex;align-items:center;gap:.5rem}
h3{font-size:15px;margin:1.2rem 0 .4rem}
.muted{color:var(--muted);font-size:12px}
[hidden]{display:none!important}
button{padding:.55rem 1rem;border:0;border-radius:6px;background:var(--accent);color:var(--accent-fg);cursor:pointer;font:inherit}
button.small{padding:.2rem .6rem;font-size:12px}
button.ghost{background:transparent;color:var(--fg);border:1px solid var(--line)}
input,select,textarea{padding:.5rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}
textarea{width:100%;font:12px/1.4 ui-monospace,monospace}
.row{display:flex;gap:.4rem;margin:.3rem 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;box-shadow:var(--shadow)}

/* top bar */
.bar{display:flex;align-items:center;gap:1rem;padding:.5rem 1rem;border-bottom:1px solid var(--line);background:var(--bg2)}
.brand{display:flex;align-items:center;gap:.4rem;font-weight:700;color:var(--fg);text-decoration:none}
#nav{display:flex;gap:.25rem}
#nav a{padding:.3rem .7rem;border-radius:6px;color:var(--fg);text-decoration:none}
#nav a.active{background:var(--accent);color:var(--accent-fg)}
#status{flex:1}
.view{flex:1;min-height:0}

/* chat */
.chat{display:grid;grid-template-columns:290px 1fr}
.chat aside{border-right:1px solid var(--line);padding:.5rem 1rem 1rem;overflow:auto}
.chat main{display:flex;flex-direction:column;min-height:0;min-width:0}
#log{flex:1;overflow:auto;padding:1rem 1.5rem}
.msg{margin:.6rem 0;max-width:1000px;white-space:pre-wrap;overflow-wrap:anywhere}
.user{font-weight:600}
.tool{background:var(--tool);border-radius:6px;padding:.3rem .6rem;font-size:12px;color:var(--muted);white-space:normal}
.tool.err{color:var(--err)}
.tool .line{white-space:pre-wrap}
.answer{border-left:3px solid var(--accent);padding-left:.8rem}
.answer[data-state=streaming]::after{content:"▍";animation:blink 1s steps(2) infinite}
@keyframes blink{50%{opacity:0}}
form#ask{display:flex;gap:.5rem;padding:1rem 1.5rem;border-top:1px solid var(--line)}
form#ask input{flex:1}
.tools{padding-left:1rem;font-size:12px;margin:0}.tools li{cursor:pointer;margin:.1rem 0}
.examples button{display:block;width:100%;margin:.25rem 0;text-align:left;background:var(--tool);color:var(--fg);font-size:12px;padding:.4rem .6rem}
.convs{list-style:none;padding:0;margin:0;font-size:13px}
.convs li{display:flex;align-items:center;gap:.3rem;padding:.15rem .3rem;border-radius:5px;cursor:pointer}
.convs li.current{background:var(--tool);font-weight:600}
.convs li span{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.convs li button{padding:0 .35rem;background:transparent;color:var(--muted)}
#prompt-box summary{cursor:pointer;font-size:12px;color:var(--muted);margin:.6rem 0 .3rem}

/* tables drawn from tool results and reports */
.results{margin:.3rem 0 .1rem;max-height:420px;overflow:auto;color:var(--fg)}
.results summary{cursor:pointer;color:var(--muted)}
table.data{border-collapse:collapse;margin:.4rem 0;font-size:12px;background:var(--bg)}
table.data caption{text-align:left;font-weight:600;padding:.2rem 0;color:var(--fg)}
table.data th,table.data td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top;max-width:420px}
table.data th{background:var(--bg2);position:sticky;top:0;white-space:nowrap}
table.data td.num{text-align:right;font-variant-numeric:tabular-nums}
table.data td.nested{font:11px ui-monospace,monospace;color:var(--muted)}
table.data tr.click{cursor:pointer}
table.data tr.click:hover td{background:var(--tool)}
.note{font-size:11px;color:var(--warn)}

/* runs and report */
.runs{overflow:auto;padding:1rem 1.5rem}
.runs-head{display:flex;align-items:center;gap:.8rem;flex-wrap:wrap}
.runs-head h1{margin:0 1rem 0 0}
.grade{display:inline-block;padding:0 .5rem;border-radius:10px;font-weight:600;font-size:12px;color:#fff;background:var(--muted)}
.grade.excellent,.grade.good{background:#15803d}.grade.fair{background:#b45309}.grade.poor{background:#c2410c}.grade.critical{background:#b91c1c}
.sev{font-weight:600}.sev.critical,.sev.high{color:var(--err)}.sev.medium{color:var(--warn)}.sev.low,.sev.info{color:var(--muted)}
#report .card{margin:.8rem 0}
.scores{display:flex;gap:.6rem;flex-wrap:wrap}
.score{min-width:110px}.score .barbg{height:6px;border-radius:3px;background:var(--line)}.score .barfg{height:6px;border-radius:3px;background:var(--ok)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:1rem}
.chart svg{width:100%;height:auto;display:block}
.chart .legend{display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:11px;color:var(--muted)}
.chart .legend i{display:inline-block;width:10px;height:3px;margin-right:.3rem;vertical-align:middle}
svg text{fill:var(--muted);font:11px system-ui,sans-serif}
svg .axis{stroke:var(--line)}svg .gridline{stroke:var(--grid);stroke-dasharray:2 3}
svg .threshold{stroke:var(--err);stroke-dasharray:6 4}svg text.threshold{fill:var(--err);stroke:none}
svg .guide{stroke:var(--muted)}
.tooltip{position:fixed;z-index:10;pointer-events:none;background:var(--card);color:var(--fg);border:1px solid var(--line);border-radius:6px;
  padding:.3rem .5rem;font-size:12px;box-shadow:0 2px 8px rgba(0,0,0,.2);white-space:pre}

/* architecture */
.architecture{overflow:auto;padding:1rem 1.5rem}
.arch{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:1rem;align-items:start}
#arch-diagram svg{width:100%;height:auto;display:block}
.arch .comp rect{stroke:var(--line);stroke-width:1.2;cursor:pointer}
.arch .comp text{fill:var(--fg);font-size:12px;pointer-events:none}
.arch .comp text.sub{fill:var(--muted);font-size:10px}
.arch .comp:hover rect,.arch .comp:focus rect,.arch .comp.selected rect{stroke:var(--accent);stroke-width:2.5}
.arch .comp:focus{outline:none}
.arch .group{fill:none;stroke:var(--line);stroke-dasharray:4 4}
.arch text.grouplabel{fill:var(--muted);font-size:11px;text-transform:uppercase}
.arch .edge{stroke:var(--muted);stroke-width:1.4;fill:none;opacity:.55}
.arch .edge.hot{stroke:var(--accent);opacity:1;stroke-width:2.4}
.arch .dim{opacity:.35}
.arch marker path{fill:var(--muted)}
.arch text.edgelabel{font-size:10px}
#arch-detail h3{margin-top:0}
#arch-detail code{font-size:11px}
@media (max-width:900px){.chat{grid-template-columns:1fr}.chat aside{display:none}.arch{grid-template-columns:1fr}}
"""#
}
