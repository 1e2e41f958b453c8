/**
 * The trend section of `report.html`: snapshots, trade-route maps (src/report/route-map.ts) and
 * the route table, one pivot per grouping (groups × periods: active listings, new, removed), the
 * payment mix and the listings that changed. Every scraped string is escaped; the full rows with
 * the SHA-256 of the pages behind each figure are in `report.json` and `wildtrace trends`.
 */
import { escapeHtml } from './html.js';
import { renderRouteMap, type RouteFlow } from './route-map.js';
import { formatPriceMedians, TREND_GROUPINGS, type TrendGrouping, type TrendReport, type TrendRow, type TrendTable } from './trends.js';

/** Rows of a pivot shown per grouping (the rest are in report.json). */
const MAX_GROUPS = 30;

const TITLES: Record<TrendGrouping, string> = {
  taxon: 'By taxon (CITES appendix)',
  category: 'By category',
  market: 'By market',
  person: 'By vendor person',
  vendor: 'By vendor account',
  'ships-from': 'By ships-from',
  'ships-to': 'By ships-to',
  route: 'By route (ships-from → ships-to)',
  currency: 'By currency',
};

/** The route table's rows as flows for the route map. */
export function routeFlows(table: TrendTable): RouteFlow[] {
  return table.rows.map((r) => ({ from: r.from ?? '', to: r.to ?? '', listings: r.active, period: r.period }));
}

const date = (iso: string) => iso.slice(0, 10);

function cellTitle(r: TrendRow): string {
  const prices = formatPriceMedians(r.prices);
  return [
    `${r.active} active, ${r.new} new, ${r.removed} removed, ${r.priceChanges} price changes, ${r.vendorChanges} vendor changes`,
    prices ? `median price ${prices}` : '',
    r.medianUsd !== undefined ? `median ${r.medianUsd} USD (${r.usdListings} converted)` : '',
    `${r.vendors} vendors; ${r.pages} pages`,
  ]
    .filter(Boolean)
    .join('\n');
}

function pivot(table: TrendTable): string {
  const periods = table.periods.map((p) => p.period);
  const groups = new Map<string, { appendix?: string; total: number; cells: Map<string, TrendRow> }>();
  for (const r of table.rows) {
    const g = groups.get(r.key) ?? { appendix: r.appendix, total: 0, cells: new Map() };
    g.total += r.active;
    g.cells.set(r.period, r);
    groups.set(r.key, g);
  }
  const keys = [...groups.keys()].sort((a, b) => groups.get(b)!.total - groups.get(a)!.total || (a < b ? -1 : 1));
  const last = periods[periods.length - 1];
  const head = `<tr><th>${escapeHtml(table.by)}</th>${table.by === 'taxon' ? '<th>CITES</th>' : ''}${periods.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}<th>median price, ${escapeHtml(last ?? '')}</th><th>vendors</th></tr>`;
  const body = keys.slice(0, MAX_GROUPS).map((k) => {
    const g = groups.get(k)!;
    const cells = periods
      .map((p) => {
        const r = g.cells.get(p);
        if (!r) return '<td></td>';
        const change = `${r.new ? ` +${r.new}` : ''}${r.removed ? ` −${r.removed}` : ''}`;
        return `<td title="${escapeHtml(cellTitle(r))}"><b>${r.active}</b>${change}</td>`;
      })
      .join('');
    const lr = last === undefined ? undefined : g.cells.get(last);
    const price = lr ? [...lr.prices.map((p) => `${p.median} ${p.currency}`), ...(lr.medianUsd !== undefined ? [`≈ ${lr.medianUsd} USD`] : [])].join('; ') : '';
    return `<tr><td>${escapeHtml(k)}</td>${table.by === 'taxon' ? `<td>${escapeHtml(g.appendix ?? '')}</td>` : ''}${cells}<td>${escapeHtml(price)}</td><td>${lr?.vendors ?? ''}</td></tr>`;
  });
  const more = keys.length > MAX_GROUPS ? `<p>${keys.length - MAX_GROUPS} more groups in report.json.</p>` : '';
  return `<table class="trend" data-by="${escapeHtml(table.by)}">${head}\n${body.join('\n')}</table>${more}`;
}

/** The trend section (`''` when the report has no trends). */
export function renderTrendSection(trends: TrendReport | undefined): string {
  if (!trends || trends.snapshots.length === 0) return '';
  const markets = [...new Set(trends.snapshots.map((s) => s.market))];
  const periods = trends.tables.route.periods.map((p) => p.period);
  const flows = routeFlows(trends.tables.route);
  const maps = [...new Set([periods[0], periods[periods.length - 1]])]
    .filter((p): p is string => p !== undefined)
    .map((p) => {
      const n = trends.tables.route.rows.filter((r) => r.period === p).reduce((s, r) => s + r.active, 0);
      return `<figure class="route-map">${renderRouteMap(flows, { period: p, title: `Trade routes of wildlife listings (${n} listing–destination pairs)`, width: 720 })}</figure>`;
    })
    .join('');
  const routeRows = trends.tables.route.rows
    .map((r) => `<tr><td>${escapeHtml(r.period)}</td><td>${escapeHtml(r.from ?? '')}</td><td>${escapeHtml(r.to ?? '')}</td><td>${r.active}</td><td>${r.new}</td><td>${r.removed}</td><td>${r.vendors}</td><td>${r.pages}</td></tr>`)
    .join('\n');
  const snapshots = trends.snapshots.map((s) => `<tr><td>${escapeHtml(s.market)}</td><td>${escapeHtml(date(s.date))}</td><td>${escapeHtml(s.id)}</td><td>${s.pages}</td><td>${s.listings}</td></tr>`).join('\n');
  const payments = trends.payments.map((p) => `<tr><td>${escapeHtml(p.period)}</td><td>${escapeHtml(p.type)}</td><td>${p.addresses}</td><td>${p.vendors}</td><td>${p.pages}</td></tr>`).join('\n');
  const changed = trends.tracks.filter((t) => t.removed !== undefined || t.listingIds.length > 1 || new Set(t.history.map((h) => `${h.price} ${h.currency}`)).size > 1 || new Set(t.history.map((h) => h.vendor)).size > 1);
  const tracks = changed
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.listingIds.join(' → '))}</td><td>${escapeHtml(t.title)}</td><td>${escapeHtml(date(t.firstSeen))}</td><td>${escapeHtml(date(t.lastSeen))}</td><td>${escapeHtml(t.removed ? date(t.removed) : '')}</td><td>${escapeHtml(
          t.history.map((h) => `${date(h.date)}: ${h.price ?? '?'} ${h.currency ?? ''}${h.vendor ? ` (${h.vendor})` : ''}`).join('; '),
        )}</td></tr>`,
    )
    .join('\n');
  const scope = trends.scope === 'wildlife' ? 'wildlife listings' : 'all listings';
  return `<section id="trends">
<h2>Trends and trade routes (${trends.snapshots.length} snapshots of ${markets.length} markets)</h2>
<p>What CITES Decision 15.57 asks Parties to assess — the extent of and trends in Internet commerce of CITES-listed species, and changes in trade routes — from repeated crawls: ${escapeHtml(scope)}, by ${escapeHtml(trends.period)}. A listing followed across snapshots keeps its id, or is the same vendor's re-post with a near-identical title. Cells: listings active in the period, <b>+</b>new and <b>−</b>removed since the snapshot before; hover for medians, vendors and pages. The SHA-256 of the archived pages behind every figure are in report.json (<code>trends</code>) and in <code>wildtrace trends</code>.</p>
<h3>Snapshots</h3>
<table id="trend-snapshots"><tr><th>market</th><th>date</th><th>snapshot</th><th>pages</th><th>listings</th></tr>
${snapshots}
</table>
<h3>Trade routes</h3>
<div class="route-maps">${maps}</div>
<table id="trend-routes"><tr><th>period</th><th>ships from</th><th>ships to</th><th>listings</th><th>new</th><th>removed</th><th>vendors</th><th>pages</th></tr>
${routeRows}
</table>
${TREND_GROUPINGS.filter((g) => g !== 'route' && g !== 'vendor').map((g) => `<h3>${TITLES[g]}</h3>\n${pivot(trends.tables[g])}`).join('\n')}
<h3>Payment methods: address types wildlife vendors post</h3>
<table id="trend-payments"><tr><th>period</th><th>address type</th><th>addresses</th><th>vendors</th><th>pages</th></tr>
${payments}
</table>
<h3>Listings that changed (${changed.length} of ${trends.tracks.length})</h3>
<table id="trend-tracks"><tr><th>listing</th><th>title</th><th>first seen</th><th>last seen</th><th>removed</th><th>history</th></tr>
${tracks}
</table>
</section>`;
}
