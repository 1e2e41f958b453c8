/**
 * `report.html`: one self-contained file. sigma.js and graphology are inlined from their
 * published browser bundles; no CDN, no request at view time. A strict Content-Security-Policy
 * allows only the inline scripts and style whose SHA-256 it names, and no connection at all.
 * Every scraped string is escaped: in the HTML tables by {@link escapeHtml}, in the embedded
 * JSON by escaping `<`, `>` and `&` so no `</script>` can close the block, and in the graph
 * through `textContent` and canvas text.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPORT_APP_JS } from './app.js.js';
import type { ReportData, ReportListing, ReportMatch } from './model.js';
import { renderTrendSection } from './trends-html.js';

const require = createRequire(import.meta.url);
let bundles: { graphology: string; sigma: string } | undefined;

/** The browser bundles of graphology and sigma.js, read once from their packages. */
function browserBundles(): { graphology: string; sigma: string } {
  // neither package exports its dist/ folder, so find it next to the package's own entry point
  const dist = (pkg: string) => path.dirname(require.resolve(pkg));
  bundles ??= {
    graphology: readFileSync(path.join(dist('graphology'), 'graphology.umd.min.js'), 'utf8'),
    sigma: readFileSync(path.join(dist('sigma'), 'sigma.min.js'), 'utf8'),
  };
  return bundles;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe to embed in a `<script type="application/json">` block. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** `text` with the spans of `field` wrapped in `<mark>`, everything escaped. */
export function highlight(text: string, matches: readonly ReportMatch[], field: 'title' | 'description'): string {
  const spans = matches
    .flatMap((m) => m.spans.filter((s) => s.field === field).map((s) => [Math.max(0, s.span[0]), Math.min(text.length, s.span[1])] as const))
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    if (a < at) continue; // overlapping spans: keep the first
    out += `${escapeHtml(text.slice(at, a))}<mark>${escapeHtml(text.slice(a, b))}</mark>`;
    at = b;
  }
  return out + escapeHtml(text.slice(at));
}

/**
 * Deterministic positions: services in the middle; communities, largest first, on a sunflower
 * spiral (golden angle) around them, each community's members on a circle sized to it.
 */
function layoutNodes(data: ReportData): { x: number[]; y: number[] } {
  const groups = new Map<string, number[]>();
  data.graph.nodes.forEach((n, i) => {
    const key = n.kind === 'service' ? 'service' : String(n.community ?? -1);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const x = new Array<number>(data.graph.nodes.length).fill(0);
  const y = new Array<number>(data.graph.nodes.length).fill(0);
  const keys = [...groups.keys()].filter((k) => k !== 'service').sort((a, b) => groups.get(b)!.length - groups.get(a)!.length || (a < b ? -1 : 1));
  const place = (members: number[], cx: number, cy: number) => {
    const r = members.length === 1 ? 0 : 1.5 + Math.sqrt(members.length) * 1.2;
    members.forEach((i, k) => {
      const a = (2 * Math.PI * k) / members.length;
      x[i] = Number((cx + r * Math.cos(a)).toFixed(3));
      y[i] = Number((cy + r * Math.sin(a)).toFixed(3));
    });
  };
  place(groups.get('service') ?? [], 0, 0);
  keys.forEach((key, g) => {
    const angle = g * 2.399963;
    const radius = 14 * Math.sqrt(g + 1);
    place(groups.get(key)!, radius * Math.cos(angle), radius * Math.sin(angle));
  });
  return { x, y };
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{padding:12px 20px;background:#16324f;color:#fff}
header h1{margin:0;font-size:20px}
main{padding:12px 20px}
#graph-wrap{display:flex;gap:12px}
#graph{flex:3;height:560px;border:1px solid #ccc;background:#fff}
#side{flex:1;min-width:260px}
#details{border:1px solid #ccc;padding:8px;min-height:200px;overflow-wrap:anywhere}
#details dt{font-weight:bold}
#details dd{margin:0 0 6px 0}
table{border-collapse:collapse;width:100%;margin:8px 0 20px}
th,td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}
mark{background:#ffe066}
pre{white-space:pre-wrap;font-size:12px;margin:4px 0}
.sev{font-weight:bold}
.summary{display:flex;flex-wrap:wrap;gap:12px}
.summary div{background:#f3f6f9;padding:6px 10px;border-radius:4px}
.route-maps{display:flex;flex-wrap:wrap;gap:12px}
.route-map{margin:0;flex:1;min-width:320px}
.route-map svg{width:100%;height:auto}
table.trend td{white-space:nowrap}
`;

/** Renders the report as one self-contained HTML document. */
export function renderHtmlReport(data: ReportData): string {
  const { graphology, sigma } = browserBundles();
  const csp = [
    "default-src 'none'",
    `script-src ${hash(graphology)} ${hash(sigma)} ${hash(REPORT_APP_JS)}`,
    `style-src ${hash(STYLE)}`,
    'img-src data:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const summary = Object.entries(data.summary)
    .map(([k, v]) => `<div><b>${escapeHtml(String(v))}</b> ${escapeHtml(k)}</div>`)
    .join('');
  const quality = data.quality
    ? `<h2>Quality against the ground truth</h2><table><tr><th>part</th>${['precision', 'recall'].map((m) => `<th>${m}</th>`).join('')}</tr>${Object.entries(data.quality)
        .map(([part, q]) => `<tr><td>${escapeHtml(part)}</td><td>${(q.precision ?? NaN).toFixed(3)}</td><td>${(q.recall ?? NaN).toFixed(3)}</td></tr>`)
        .join('')}</table>`
    : '';
  const flags = data.flags
    .map(
      (f) => `<tr id="flag-${escapeHtml(f.id)}"><td class="sev">${f.severity}</td><td>${escapeHtml(f.kind)}</td><td>${escapeHtml(f.person ?? '')}</td><td>${escapeHtml(f.vendorIds.join(', '))}</td><td>${escapeHtml(
        Object.entries(f.amounts)
          .map(([a, v]) => `${v} ${a}`)
          .join(', '),
      )}</td><td>${f.flows}</td><td><details><summary>explain</summary><pre>${escapeHtml(f.explanation)}</pre></details></td></tr>`,
    )
    .join('\n');
  const listingRow = (l: ReportListing) =>
    `<tr id="listing-${escapeHtml(l.id)}"><td>${escapeHtml(l.id)}</td><td>${escapeHtml(l.vendor ?? '')}</td><td>${highlight(l.title, l.matches, 'title')}</td><td>${highlight(l.description ?? '', l.matches, 'description')}</td><td>${escapeHtml(
      l.matches.map((m) => `${m.category}${m.taxon ? ` (${m.taxon}, CITES ${m.appendix || '–'})` : ''}`).join('; '),
    )}</td></tr>`;
  const wildlife = data.listings.filter((l) => l.wildlife);
  const communities = data.communities
    .slice(0, 50)
    .map((c) => `<tr><td>${c.id}</td><td>${c.size}</td><td>${escapeHtml(c.vendors.join(', '))}</td><td>${escapeHtml(c.tags.join(', '))}</td><td>${escapeHtml(c.flaggedListings.join(', '))}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(data.title)}</h1><div>${escapeHtml(data.source)}</div></header>
<main>
<div class="summary">${summary}</div>
${quality}
<h2>Entity graph</h2>
<p>Colours are communities; red nodes and edges are flagged. Search by address, handle or label; click a node for its details.</p>
<div id="graph-wrap"><div id="graph"></div><div id="side"><input id="search" type="search" placeholder="address, handle, tag…" autocomplete="off"><div id="details"><p>Click a node.</p></div></div></div>
<h2>Flags (${data.flags.length})</h2>
<table id="flags"><tr><th>severity</th><th>kind</th><th>person</th><th>vendors</th><th>amounts (base units)</th><th>flows</th><th>evidence</th></tr>
${flags}
</table>
<h2>Wildlife listings (${wildlife.length} of ${data.listings.length})</h2>
<table id="listings"><tr><th>listing</th><th>vendor</th><th>title</th><th>description</th><th>matched</th></tr>
${wildlife.map(listingRow).join('\n')}
</table>
${renderTrendSection(data.trends)}
<h2>Communities (${data.communities.length})</h2>
<table id="communities"><tr><th>id</th><th>size</th><th>vendors</th><th>tags</th><th>flagged listings</th></tr>
${communities}
</table>
</main>
<script type="application/json" id="wildtrace-data">${embedJson({ graph: data.graph })}</script>
<script type="application/json" id="wildtrace-layout">${embedJson(layoutNodes(data))}</script>
<script>${graphology}</script>
<script>${sigma}</script>
<script>${REPORT_APP_JS}</script>
</body>
</html>
`;
}
