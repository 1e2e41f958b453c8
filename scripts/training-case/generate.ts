/**
 * Generates the bundled training case (`data/training-case/`) from a seed:
 *
 *   npx tsx scripts/training-case/generate.ts [--seed S] [--out DIR]
 *
 * Files written (all deterministic for a seed):
 * - `manifest.json`   seed, markets with their onion hosts, counts, the USD/BTC rate used
 * - `pages.jsonl.gz`  the market pages as the latest crawl (2026-03-02) archived them (one JSON
 *                     per line: url, finalUrl, status, headers, retrievedAt, identity, body)
 * - `pages-history.jsonl.br`  the three crawls before it, a month apart (history.ts), same
 *                     lines, Brotli (16 MiB window: a page that did not change costs a few bytes)
 * - `rates.csv`       US dollars per BTC and EUR on each crawl date, for the trend tables
 * - `blocks/blk00000.dat`  the Bitcoin blocks in Bitcoin Core's blk-file framing (magic, size)
 * - `eth-transfers.jsonl`  the USDT-like token transfers (values as decimal strings)
 * - `tags.yaml`       a TagPack of the exchanges, the mixer and the sanctioned service
 * - `truth.json`      the ground truth: entities, persons, wildlife listings (of the latest crawl,
 *                     and `historyWildlifeListings` seen only in earlier ones), trafficking flows
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { buildFixtureSite } from '../../adapters/markets/fixtures/site.js';
import { FIXTURE_MARKETS, type FixtureCatalogue, type FixtureMarketId } from '../../adapters/markets/fixtures/index.js';
import { fixtureOnionHost } from '../../adapters/markets/fixtures/onion.js';
import { buildHistory, HISTORY_DATES, LATEST_CRAWL, type History } from './history.js';
import { buildWorld, type World } from './world.js';

/** The seed of the committed training case. */
export const TRAINING_SEED = 'wildtrace-training-2026';

const MAINNET_MAGIC = Uint8Array.from([0xf9, 0xbe, 0xb4, 0xd9]);

/** Writes the training case for `seed` into `out`; returns the manifest. */
export async function generateTrainingCase(seed: string, out: string): Promise<Record<string, unknown>> {
  const markets = Object.keys(FIXTURE_MARKETS) as FixtureMarketId[];
  const idStyles = Object.fromEntries(markets.map((m) => [m, FIXTURE_MARKETS[m].catalogue.listingIds]));
  const world = buildWorld(seed, markets, { idStyles });
  return writeCaseDirectory(world, out, undefined, buildHistory(world, { idStyles }));
}

/** The archive lines of one crawl of `catalogues`, starting at `start` (ISO), one page every 3.5 s. */
function crawlLines(catalogues: readonly FixtureCatalogue[], start: string): string[] {
  const lines: string[] = [];
  let clock = Date.parse(start);
  for (const catalogue of catalogues) {
    const market = catalogue.market as FixtureMarketId;
    const host = fixtureOnionHost(market);
    const site = buildFixtureSite(catalogue, FIXTURE_MARKETS[market].skin);
    for (const p of [site.paths.home, ...site.paths.index, ...site.paths.listings, ...site.paths.vendors]) {
      const url = `http://${host}${p}`;
      lines.push(
        JSON.stringify({
          url,
          finalUrl: url,
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          retrievedAt: new Date((clock += 3_500)).toISOString(),
          identity: 'anonymous',
          body: site.page(p),
        }),
      );
    }
  }
  return lines;
}

/**
 * Writes `world` into `out` in the training case's layout (the files listed above); returns the
 * manifest. Tests use it to build small or doctored cases (e.g. with hostile scraped text) that
 * `investigate()` and the CLI read like the bundled one. With `historyIn` (history.ts) it also
 * writes the earlier crawls and the rates.
 */
export async function writeCaseDirectory(world: World, out: string, name = 'wildtrace training case', historyIn?: History): Promise<Record<string, unknown>> {
  const seed = world.seed;
  await mkdir(path.join(out, 'blocks'), { recursive: true });

  // market pages, as archived by a crawl on one day, one page a few seconds after the other
  const lines = crawlLines(world.catalogues, `${LATEST_CRAWL}T09:00:00Z`);
  const hosts: Record<string, string> = Object.fromEntries(world.catalogues.map((c) => [c.market, fixtureOnionHost(c.market as FixtureMarketId)]));
  await writeFile(path.join(out, 'pages.jsonl.gz'), gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
  // the earlier crawls, in time order, Brotli with a 16 MiB window (a page that did not change
  // between crawls costs a few bytes); and the rates of every crawl date
  const history = historyIn?.crawls.flatMap((crawl) => crawlLines(crawl.catalogues, `${crawl.date}T09:00:00Z`)) ?? [];
  if (historyIn) {
    const text = Buffer.from(`${history.join('\n')}\n`);
    const br = brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 24, [zlib.BROTLI_PARAM_SIZE_HINT]: text.length } });
    await writeFile(path.join(out, 'pages-history.jsonl.br'), br);
    await writeFile(path.join(out, 'rates.csv'), `date,currency,usd\n${historyIn.rates.map((r) => `${r.date},${r.currency},${r.usd}`).join('\n')}\n`);
  }

  // Bitcoin blocks in blk-file framing
  const frames: Uint8Array[] = [];
  for (const raw of world.rawBlocks) {
    const size = new Uint8Array(4);
    new DataView(size.buffer).setUint32(0, raw.length, true);
    frames.push(MAINNET_MAGIC, size, raw);
  }
  await writeFile(path.join(out, 'blocks', 'blk00000.dat'), Buffer.concat(frames));

  await writeFile(
    path.join(out, 'eth-transfers.jsonl'),
    world.transfers.map((t) => JSON.stringify({ ...t, value: t.value.toString() })).join('\n') + '\n',
  );

  const tagpack = {
    title: 'wildtrace training case attributions',
    creator: 'wildtrace training-case generator',
    description: 'Synthetic attributions for the bundled training case; none of these addresses exists on a real chain.',
    is_public: true,
    lastmod: '2026-03-01',
    source: 'wildtrace:training-case',
    confidence: 'ownership',
    tags: world.tags.map((t) => ({
      address: t.address,
      currency: t.chain.toUpperCase(),
      label: t.label,
      category: t.category,
      ...(t.concepts ? { concepts: t.concepts } : {}),
      ...(t.clusterDefiner ? { is_cluster_definer: true } : {}),
    })),
  };
  await writeFile(path.join(out, 'tags.yaml'), stringify(tagpack));
  await writeFile(path.join(out, 'truth.json'), `${JSON.stringify(historyIn ? { ...world.truth, historyWildlifeListings: historyIn.wildlifeListings } : world.truth)}\n`);

  const manifest = {
    name,
    seed,
    generator: 'scripts/training-case/generate.ts',
    markets: world.catalogues.map((c) => ({ id: c.market, onionHost: hosts[c.market], vendors: c.vendors.length, listings: c.listings.length })),
    pages: lines.length,
    ...(historyIn
      ? {
          crawls: [...HISTORY_DATES, LATEST_CRAWL],
          historyPages: history.length,
          historyWildlifeListings: Object.keys(historyIn.wildlifeListings).length,
          churn: historyIn.stats,
        }
      : {}),
    blocks: world.rawBlocks.length,
    ethTransfers: world.transfers.length,
    tags: world.tags.length,
    wildlifeListings: Object.keys(world.truth.wildlifeListings).length,
    trafficking: world.truth.flows.length,
    usdPerBtc: world.usdPerBtc,
    note: 'Synthetic world: every market, vendor, address and transaction is invented. Blocks parse as Bitcoin; signatures are placeholders.',
  };
  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, out: { type: 'string' } } });
  const out = values.out ?? path.join(import.meta.dirname, '../../data/training-case');
  const manifest = await generateTrainingCase(values.seed ?? TRAINING_SEED, out);
  console.log(JSON.stringify(manifest, null, 2));
}
