/**
 * The `wildtrace` command. Parses argv, runs one command, exits with a meaningful code:
 * 0 success, 1 the work failed, 2 wrong usage, 3 a source or the Tor proxy could not be reached.
 * Every command takes `--json` (one JSON object on stdout, for scripts); progress goes to stderr.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { Case } from '../case.js';
import { ingestBitcoin, type BitcoinSource } from '../bitcoin/index.js';
import { ingestEthereum } from '../ethereum/index.js';
import { SourceError, WildtraceError } from '../model/errors.js';
import { redactText, urlSecrets } from '../model/redact.js';
import type { Tag } from '../model/tag.js';
import { FlagView } from '../flow/flag-view.js';
import { toGexf, toGraphml, toGraphologyJson, toCsv } from '../graph/index.js';
import { renderHtmlReport } from '../report/html.js';
import { renderJsonReport } from '../report/json.js';
import type { ReportData } from '../report/model.js';
import { VERSION } from '../version.js';
import { analyseCase, reportData, type AnalysisStep } from './analysis.js';
import { runDemo } from './demo.js';
import { blkFileSource, rpcBlockSource } from '../../adapters/bitcoin-core/index.js';
import { esploraBlockSource } from '../../adapters/esplora/index.js';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { importTags, parseTagPack, parseOfacList, parseTagCsv } from '../../adapters/tags/index.js';
import { TorClient, crawlMarket, parseProxyUrl } from '../../adapters/tor/index.js';
import { MARKET_PROFILES, crawlPolicy, withHosts } from '../../adapters/markets/index.js';
import { importPages, importTransfers } from './imports.js';
import { parseArchive } from './record-pages.js';
import { caseTrends, TREND_SELECTIONS, trendText, writeTrendFiles, type TrendSelection } from './trends.js';
import { importRates, parseRatesCsv } from '../market/rates.js';
import type { AssignSnapshotsOptions } from '../market/snapshots.js';
import type { TrendPeriod, TrendScope } from '../report/trends.js';

const HELP = `wildtrace ${VERSION} — investigate wildlife trafficking paid in cryptocurrency

Start here:
  wildtrace demo [--out DIR] [--json]
      The whole investigation on the bundled training case, offline: writes DIR/report.html
      (open it in a browser) and DIR/report.json, and prints the quality against the truth.

Your own case, step by step (every command takes --case DIR, default ./case):
  wildtrace case init DIR                       create an empty case (a LevelDB directory)
  wildtrace ingest btc --blocks DIR             Bitcoin Core blocks/ directory (blk*.dat, xor.dat)
  wildtrace ingest btc --rpc URL [--rpc-user U --rpc-password P | --rpc-cookie FILE] [--from H] [--to H]
  wildtrace ingest btc --esplora URL [--from H] [--to H] [--tor socks5h://127.0.0.1:9050]
  wildtrace ingest eth --rpc URL --from N --to N [--address 0x… …] [--tor socks5h://…]
  wildtrace crawl --profile NAME --tor socks5h://127.0.0.1:9050 [--host ONION] [--max-pages N] [--recrawl]
      a complete crawl is parsed into a snapshot of the market (--snapshot, --snapshot-gap as for
      pages import); --recrawl starts the next crawl of a market crawled before (every page again)
  wildtrace pages import FILE.jsonl[.gz] [--snapshot LABEL] [--snapshot-gap HOURS]
      archived pages (url, body, retrievedAt, …), parsed by the shipped profiles; a market's pages
      with no pause over HOURS (default 12) are one snapshot (crawl), or all go into LABEL
  wildtrace pages parse [--market ID] [--snapshot LABEL] [--snapshot-gap HOURS]
      parse archived pages no snapshot holds yet (crawled pages, cases from older versions)
  wildtrace rates import FILE.csv               exchange rates: date,currency,usd (US dollars per unit)
  wildtrace trends [--by TABLE] [--period day|week|month|quarter] [--format csv|json] [--scope wildlife|all] [--out FILE|DIR]
      trends across the snapshots: TABLE is taxon (default), category, market, person, vendor,
      ships-from, ships-to, route, currency, payments, tracks, snapshots, or all (--out DIR: every
      table as CSV and JSON); each row with its snapshot dates and the SHA-256 of its pages
  wildtrace transfers import FILE.jsonl         token transfers (model Transfer, value as decimal string)
  wildtrace tags import FILE [--format tagpack|ofac|csv] [--currency BTC]
  wildtrace cluster                             multi-input clusters (CoinJoins excluded)
  wildtrace flags [--explain]                   wildlife listings → vendors → money, with evidence
  wildtrace communities                         Louvain communities of the entity graph
  wildtrace report --out DIR                    report.html and report.json (with the trends)
  wildtrace export --format gexf|graphml|csv|json --out FILE

Options: --json (machine-readable output), --help, --version
Exit codes: 0 success · 1 the work failed · 2 wrong usage · 3 a source or the Tor proxy is unreachable
Market profiles: ${Object.keys(MARKET_PROFILES).join(', ')}. Network access only through what you name;
.onion hosts only through --tor, and only socks5h:// (names resolved by Tor, never locally).
`;

class UsageError extends Error {}

type Values = Record<string, string | boolean | string[] | undefined>;

const str = (v: Values, k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
const num = (v: Values, k: string): number | undefined => {
  const s = str(v, k);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${k} must be a whole number, got ${JSON.stringify(s)}`);
  return n;
};
const need = (v: Values, k: string): string => {
  const s = str(v, k);
  if (s === undefined) throw new UsageError(`--${k} is required`);
  return s;
};

/** The snapshot options of `pages import` and `pages parse`. */
function snapshotOptions(v: Values): AssignSnapshotsOptions {
  const gap = str(v, 'snapshot-gap');
  const hours = gap === undefined ? undefined : Number(gap);
  if (hours !== undefined && !(Number.isFinite(hours) && hours >= 0)) throw new UsageError(`--snapshot-gap must be a number of hours ≥ 0, got ${JSON.stringify(gap)}`);
  return { ...(str(v, 'snapshot') !== undefined ? { label: str(v, 'snapshot') } : {}), ...(hours !== undefined ? { gapMs: hours * 3_600_000 } : {}) };
}

/** `--value` checked against the values it may take. */
function oneOf<T extends string>(v: Values, k: string, allowed: readonly T[], fallback: T): T {
  const s = str(v, k) ?? fallback;
  if (!allowed.includes(s as T)) throw new UsageError(`--${k} must be ${allowed.join(', ')}; got ${JSON.stringify(s)}`);
  return s as T;
}

/** A SOCKS agent for `--tor`, refusing anything but socks5h (remote DNS). */
function torAgent(v: Values): SocksProxyAgent | undefined {
  const tor = str(v, 'tor');
  if (!tor) return undefined;
  parseProxyUrl(tor); // throws on socks5:// and socks4:// with the DNS-leak explanation
  return new SocksProxyAgent(tor);
}

/** Writes a progress line to stderr (overwritten in place on a terminal). */
function progress(json: boolean): (text: string, done?: boolean) => void {
  const tty = process.stderr.isTTY;
  return (text, done = false) => {
    if (json && !tty) return;
    process.stderr.write(tty ? `\r\x1b[2K${text}${done ? '\n' : ''}` : done ? `${text}\n` : '');
  };
}

async function withCase<T>(v: Values, work: (c: Case) => Promise<T>): Promise<T> {
  const c = await Case.open(str(v, 'case') ?? 'case', { create: false });
  try {
    return await work(c);
  } finally {
    await c.close();
  }
}

function out(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}\n` : `${text}\n`);
}

async function analyse(c: Case, json: boolean, until: AnalysisStep) {
  const show = progress(json);
  return analyseCase(c, { until, onProgress: (step, done, detail) => show(`${step}: ${done ? detail ?? 'done' : '…'}`, done) });
}

async function run(command: string[], v: Values): Promise<number> {
  const json = v.json === true;
  const show = progress(json);
  switch (command.join(' ')) {
    case 'demo':
      return runDemo({ outDir: str(v, 'out') ?? 'out', json });
    case 'case init':
      throw new UsageError('case init takes a directory: wildtrace case init DIR');
    case 'ingest btc':
      return withCase(v, async (c) => {
        let source: BitcoinSource;
        const from = num(v, 'from');
        const to = num(v, 'to');
        if (str(v, 'blocks')) source = blkFileSource(need(v, 'blocks'));
        else if (str(v, 'rpc'))
          source = rpcBlockSource({ url: need(v, 'rpc'), user: str(v, 'rpc-user'), password: str(v, 'rpc-password'), cookieFile: str(v, 'rpc-cookie'), from, to, agent: torAgent(v) });
        else if (str(v, 'esplora')) source = esploraBlockSource({ baseUrl: need(v, 'esplora'), from, to, agent: torAgent(v) });
        else throw new UsageError('ingest btc needs --blocks DIR, --rpc URL or --esplora URL');
        const r = await ingestBitcoin(c, source, { onProgress: (p) => show(`bitcoin: ${p.blocks} blocks, ${p.txs} txs${p.height !== undefined ? ` (height ${p.height})` : ''}`) });
        show(`bitcoin: ${r.blocks} blocks, ${r.txs} txs`, true);
        out(json, r, `ingested ${r.blocks} blocks, ${r.txs} transactions (${r.inputs} inputs, ${r.outputs} outputs); ${r.unresolved} unresolved inputs, ${r.alreadyPresent} already present, ${r.skipped.length} skipped`);
        return 0;
      });
    case 'ingest eth':
      return withCase(v, async (c) => {
        const source = new EthereumRpcSource(need(v, 'rpc'), { agent: torAgent(v) });
        const fromBlock = num(v, 'from') ?? 0;
        const to = str(v, 'to');
        const addresses = (v.address as string[] | undefined) ?? undefined;
        const r = await ingestEthereum(c, source, { fromBlock, toBlock: to === undefined || to === 'latest' ? 'latest' : (num(v, 'to') as number), ...(addresses ? { addresses } : {}), onProgress: (p) => show(`ethereum: ${JSON.stringify(p)}`) });
        show('ethereum: done', true);
        out(json, r, `ingested ${JSON.stringify(r, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}`);
        return 0;
      });
    case 'crawl':
      return withCase(v, async (c) => {
        const name = need(v, 'profile');
        const profile = MARKET_PROFILES[name];
        if (!profile) throw new UsageError(`unknown profile ${JSON.stringify(name)}; shipped: ${Object.keys(MARKET_PROFILES).join(', ')}`);
        const policy = crawlPolicy(str(v, 'host') ? withHosts(profile, [need(v, 'host')]) : profile);
        const client = new TorClient({ proxy: need(v, 'tor'), allowedHosts: policy.hosts });
        const crawl = crawlMarket(c, client, policy, { maxPages: num(v, 'max-pages'), recrawl: v.recrawl === true, onProgress: (p) => show(`crawl ${p.market}: ${p.fetched} fetched, ${p.queued} queued`) });
        const summary = await crawl.run();
        show('crawl: done', true);
        // a complete crawl is a snapshot of the market: parse it now (an incomplete one would make the listings it missed look removed)
        const parsed = summary.complete ? await parseArchive(c, { ...snapshotOptions(v), market: policy.market }) : undefined;
        out(
          json,
          { ...summary, ...(parsed ? { parsed: { pages: parsed.pages, listings: parsed.listings, vendors: parsed.vendors, snapshots: parsed.snapshots } } : {}) },
          `crawl finished: ${JSON.stringify(summary)}\n${parsed ? `parsed ${parsed.pages} pages into ${parsed.snapshots.length} snapshot(s): ${parsed.listings} listings, ${parsed.vendors} vendors` : 'crawl incomplete: run it again to finish, then `wildtrace pages parse`'}`,
        );
        return 0;
      });
    case 'tags import':
      throw new UsageError('tags import takes a file: wildtrace tags import FILE');
    case 'cluster':
      return withCase(v, async (c) => {
        const a = await analyse(c, json, 'cluster');
        const sizes = [...a.clusterMembers.values()].map((m) => m.length).sort((x, y) => y - x);
        const result = { addresses: a.clustering.addressCount, clusters: a.clusterMembers.size, largest: sizes.slice(0, 5), alarms: a.clustering.alarms.length };
        out(json, result, `${result.addresses} addresses in ${result.clusters} clusters; largest ${result.largest.join(', ')}; ${result.alarms} size alarms`);
        return 0;
      });
    case 'flags':
      return withCase(v, async (c) => {
        const a = await analyse(c, json, 'flags');
        const views = a.flags.map((f) => new FlagView(f));
        out(json, { flags: views.map((f) => f.toJSON()) }, views.map((f) => (v.explain ? `${f.explain()}\n` : `${String(f.severity).padStart(3)}  ${f.kind.padEnd(26)} ${f.flag.person ?? ''}  ${f.flag.flows?.length ?? 0} flows`)).join('\n') || 'no flags');
        return 0;
      });
    case 'communities':
      return withCase(v, async (c) => {
        const a = await analyse(c, json, 'graph');
        out(json, { modularity: a.modularity, communities: a.communities }, [`${a.communities.length} communities, modularity ${a.modularity?.toFixed(3)}`, ...a.communities.slice(0, 20).map((x) => `  #${x.id}: ${x.size} members${x.vendors.length ? `, vendors ${x.vendors.join(', ')}` : ''}${x.tags.length ? `, tags ${x.tags.join(', ')}` : ''}`)].join('\n'));
        return 0;
      });
    case 'report':
      return withCase(v, async (c) => {
        const a = await analyse(c, json, 'graph');
        const dir = str(v, 'out') ?? 'out';
        await mkdir(dir, { recursive: true });
        const trends = await caseTrends(c, {}, { scan: a.scan, persons: a.persons, listings: a.listings });
        const data = reportData(a, {
          title: `wildtrace report — ${path.basename(path.resolve(c.location))}`,
          source: c.location,
          summary: { listings: a.listings.length, 'vendor accounts': a.vendors.length, flags: a.flags.length, communities: a.communities.length, ...(trends ? { snapshots: trends.snapshots.length } : {}) },
          ...(trends ? { trends } : {}),
        });
        await writeFile(path.join(dir, 'report.html'), renderHtmlReport(data));
        await writeFile(path.join(dir, 'report.json'), renderJsonReport(data as ReportData & Record<string, unknown>));
        out(json, { html: path.join(dir, 'report.html'), json: path.join(dir, 'report.json') }, `wrote ${path.join(dir, 'report.html')} and report.json`);
        return 0;
      });
    case 'trends':
      return withCase(v, async (c) => {
        const by = oneOf<TrendSelection | 'all'>(v, 'by', [...TREND_SELECTIONS, 'all'], 'taxon');
        const period = oneOf<TrendPeriod>(v, 'period', ['day', 'week', 'month', 'quarter'], 'month');
        const format = oneOf(v, 'format', ['csv', 'json'], 'csv');
        const scope = oneOf<TrendScope>(v, 'scope', ['wildlife', 'all'], 'wildlife');
        const file = str(v, 'out');
        if (by === 'all' && !file) throw new UsageError('--by all writes every table: give a directory with --out DIR');
        const report = await caseTrends(c, { period, scope });
        if (!report) {
          process.stderr.write('wildtrace: this case holds no snapshot yet: import pages (wildtrace pages import) or parse its archive (wildtrace pages parse)\n');
          return 1;
        }
        if (by === 'all') {
          const files = await writeTrendFiles(report, file!);
          out(json, { files, snapshots: report.snapshots.length }, `wrote ${files.length} files to ${file} (${report.snapshots.length} snapshots)`);
          return 0;
        }
        const text = trendText(report, by, format);
        if (file) {
          await mkdir(path.dirname(path.resolve(file)), { recursive: true });
          await writeFile(file, text);
          out(json, { file, by, period, format, snapshots: report.snapshots.length }, `wrote the ${by} table (${period}) to ${file}`);
        } else process.stdout.write(text);
        return 0;
      });
    case 'export':
      return withCase(v, async (c) => {
        const format = need(v, 'format');
        const file = need(v, 'out');
        if (!['gexf', 'graphml', 'csv', 'json'].includes(format)) throw new UsageError(`--format must be gexf, graphml, csv or json, got ${JSON.stringify(format)}`);
        const a = await analyse(c, json, 'graph');
        const graph = a.graph!;
        if (format === 'csv') {
          const csv = toCsv(graph, { partition: a.partition });
          await writeFile(`${file.replace(/\.csv$/, '')}.nodes.csv`, csv.nodes);
          await writeFile(`${file.replace(/\.csv$/, '')}.edges.csv`, csv.edges);
        } else {
          graph.forEachNode((id) => graph.setNodeAttribute(id, 'community', a.partition?.[id] ?? -1));
          await writeFile(file, format === 'gexf' ? toGexf(graph) : format === 'graphml' ? toGraphml(graph) : toGraphologyJson(graph));
        }
        out(json, { format, file, nodes: graph.order, edges: graph.size }, `exported ${graph.order} nodes and ${graph.size} edges as ${format} to ${file}`);
        return 0;
      });
  }
  if (command[0] === 'case' && command[1] === 'init' && command[2]) {
    const c = await Case.open(command[2]);
    await c.close();
    out(json, { case: command[2], created: true }, `case ready at ${command[2]}`);
    return 0;
  }
  if (command[0] === 'pages' && command[1] === 'import' && command[2]) {
    return withCase(v, async (c) => {
      const r = await importPages(c, command[2], new Map(), snapshotOptions(v));
      out(
        json,
        { pages: r.pages, listings: r.listings.length, vendors: r.vendors.length, sightings: r.sightings, snapshots: r.snapshots, skipped: r.skipped },
        `archived ${r.pages} pages: ${r.listings.length} listings, ${r.vendors.length} vendors in ${r.snapshots.length} snapshot(s) (${r.skipped.length} lines skipped)`,
      );
      return 0;
    });
  }
  if (command.join(' ') === 'pages parse') {
    return withCase(v, async (c) => {
      const r = await parseArchive(c, { ...snapshotOptions(v), ...(str(v, 'market') !== undefined ? { market: str(v, 'market') } : {}) });
      out(json, r, `parsed ${r.pages} archived pages into ${r.snapshots.length} snapshot(s): ${r.listings} listings, ${r.vendors} vendors (${r.unknownHost} pages of hosts without a profile left alone)`);
      return 0;
    });
  }
  if (command[0] === 'rates' && command[1] === 'import' && command[2]) {
    return withCase(v, async (c) => {
      const r = parseRatesCsv(await readFile(command[2], 'utf8'));
      await importRates(c.store, r.rates);
      out(json, { imported: r.rates.length, skipped: r.skipped }, `imported ${r.rates.length} rates (${r.skipped.length} rows skipped${r.skipped.length ? `: ${r.skipped.slice(0, 3).map((x) => `line ${x.line} ${x.reason}`).join('; ')}` : ''})`);
      return 0;
    });
  }
  if (command[0] === 'transfers' && command[1] === 'import' && command[2]) {
    return withCase(v, async (c) => {
      const list = await importTransfers(c, command[2]);
      out(json, { transfers: list.length }, `imported ${list.length} transfers`);
      return 0;
    });
  }
  if (command[0] === 'tags' && command[1] === 'import' && command[2]) {
    return withCase(v, async (c) => {
      const text = await readFile(command[2], 'utf8');
      const format = str(v, 'format') ?? (/\.ya?ml$/i.test(command[2]) ? 'tagpack' : /\.csv$/i.test(command[2]) ? 'csv' : 'ofac');
      let tags: readonly Tag[];
      if (format === 'tagpack') tags = parseTagPack(text).tags;
      else if (format === 'csv') tags = parseTagCsv(text).tags;
      else if (format === 'ofac') tags = parseOfacList(text, { currency: str(v, 'currency') ?? 'XBT', name: path.basename(command[2]) }).tags;
      else throw new UsageError(`--format must be tagpack, ofac or csv, got ${JSON.stringify(format)}`);
      const r = await importTags(c, tags);
      out(json, { imported: r.imported, skipped: r.skipped.length }, `imported ${r.imported} tags (${r.skipped.length} skipped)`);
      return 0;
    });
  }
  throw new UsageError(`unknown command: ${command.join(' ')}`);
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        json: { type: 'boolean' },
        explain: { type: 'boolean' },
        out: { type: 'string' },
        case: { type: 'string' },
        blocks: { type: 'string' },
        rpc: { type: 'string' },
        'rpc-user': { type: 'string' },
        'rpc-password': { type: 'string' },
        'rpc-cookie': { type: 'string' },
        esplora: { type: 'string' },
        tor: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        address: { type: 'string', multiple: true },
        profile: { type: 'string' },
        host: { type: 'string' },
        'max-pages': { type: 'string' },
        format: { type: 'string' },
        currency: { type: 'string' },
        by: { type: 'string' },
        period: { type: 'string' },
        scope: { type: 'string' },
        snapshot: { type: 'string' },
        'snapshot-gap': { type: 'string' },
        market: { type: 'string' },
        recrawl: { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  // what an error message must never show: RPC passwords and the userinfo of any URL given
  const secrets = [values['rpc-password'], ...urlSecrets(values.rpc), ...urlSecrets(values.esplora), ...urlSecrets(values.tor)];
  try {
    return await run(positionals, values);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`wildtrace: ${redactText(err.message, secrets)}\n(see wildtrace --help)\n`);
      return 2;
    }
    const code = err instanceof WildtraceError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'ERROR');
    process.stderr.write(`wildtrace: ${redactText((err as Error).message, secrets)} [${code}]\n`);
    // an unsafe or malformed proxy URL, or a .onion source without --tor, is wrong usage; a source or proxy that does not answer is 3
    if (code === 'TOR_PROXY_LEAKS_DNS' || code === 'TOR_PROXY_URL_INVALID' || code === 'ONION_WITHOUT_TOR') return 2;
    return err instanceof SourceError || /UNREACHABLE|CONNECT_FAILED|TIMEOUT|ECONNREFUSED/.test(code) ? 3 : 1;
  }
}
