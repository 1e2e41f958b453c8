/**
 * The whole investigation on a bundled-style case directory, offline, step by step:
 * archive the market pages, parse them with the shipped profiles, ingest the Bitcoin blocks and
 * the token transfers, import the tags, cluster, link vendors, detect wildlife, flag the flows,
 * build the entity graph and its communities, and write `report.html` and `report.json`.
 * When the directory holds a ground truth (`truth.json`), the quality of each step is measured.
 *
 * This is what `wildtrace demo` runs on the training case; the CLI's other commands run the
 * same steps one at a time on an analyst's own data.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Case } from '../case.js';
import { ingestBitcoin } from '../bitcoin/ingest.js';
import { pairwiseQuality, setQuality, type PrecisionRecall } from '../report/quality.js';
import { renderHtmlReport } from '../report/html.js';
import { renderJsonReport } from '../report/json.js';
import type { ReportData } from '../report/model.js';
import { blkFileSource } from '../../adapters/bitcoin-core/index.js';
import { importTags, parseTagPack } from '../../adapters/tags/index.js';
import { analyseCase, reportData, type AnalysisStep } from './analysis.js';
import { importPages, importTransfers } from './imports.js';
import { importRates, parseRatesCsv } from '../market/rates.js';
import { readSnapshots } from '../market/sightings.js';
import { caseTrends } from './trends.js';
import { SnapshotParser } from './record-pages.js';

/** A step of the investigation, for progress reporting. */
export type InvestigationStep = 'pages' | 'bitcoin' | 'ethereum' | 'tags' | AnalysisStep | 'trends' | 'report';

/** Options of {@link investigate}. */
export interface InvestigateOptions {
  /** the case directory (created afresh) */
  caseDir: string;
  /** where `report.html` and `report.json` go */
  outDir: string;
  /** called when a step starts and when it ends */
  onProgress?: (step: InvestigationStep, done: boolean, detail?: string) => void;
  /** Louvain seed (default 1) */
  seed?: number;
}

/** Quality against the ground truth. */
export interface Quality {
  clustering: PrecisionRecall;
  vendors: PrecisionRecall;
  flags: PrecisionRecall;
  wildlife: PrecisionRecall;
}

/** What {@link investigate} found. */
export interface InvestigationResult {
  summary: Record<string, number | string>;
  quality?: Quality;
  reportHtml: string;
  reportJson: string;
}

interface ManifestMarket {
  id: string;
  onionHost: string;
}

/** Runs the whole investigation on the case directory `dataDir` (the training case's layout). */
export async function investigate(dataDir: string, options: InvestigateOptions): Promise<InvestigationResult> {
  const step = async <T>(name: InvestigationStep, work: () => Promise<T>, detail?: (r: T) => string): Promise<T> => {
    options.onProgress?.(name, false);
    const r = await work();
    options.onProgress?.(name, true, detail?.(r));
    return r;
  };
  const manifest = JSON.parse(await readFile(path.join(dataDir, 'manifest.json'), 'utf8')) as { name: string; seed: string; markets: ManifestMarket[] };
  await rm(options.caseDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  const c = await Case.open(options.caseDir);
  try {
    const marketOfHost = new Map(manifest.markets.map((m) => [m.onionHost, m.id]));

    // 1–2. archive the pages as the crawls would have, and parse them with the shipped profiles:
    // the latest crawl of each market, and the earlier crawls when the case has them (each crawl
    // of a market is a snapshot), with the exchange rates for the trend tables
    const files = ['pages.jsonl.gz', 'pages-history.jsonl.br'].filter((f) => existsSync(path.join(dataDir, f)));
    const { pages, snapshots, sightings } = await step('pages', async () => {
      let pages = 0;
      let sightings = 0;
      const parser = new SnapshotParser(); // a page unchanged between crawls is parsed once
      for (const f of files) {
        const r = await importPages(c, path.join(dataDir, f), marketOfHost, { parser });
        pages += r.pages;
        sightings += r.sightings;
      }
      const rates = existsSync(path.join(dataDir, 'rates.csv')) ? parseRatesCsv(await readFile(path.join(dataDir, 'rates.csv'), 'utf8')).rates : [];
      await importRates(c.store, rates);
      return { pages, sightings, snapshots: (await readSnapshots(c.store)).length };
    }, (r) => `${r.pages} pages archived and parsed: ${r.snapshots} snapshots, ${r.sightings} listing sightings`);

    // 3. the Bitcoin blocks
    const btc = await step('bitcoin', () => ingestBitcoin(c, blkFileSource(path.join(dataDir, 'blocks'))), (r) => `${r.blocks} blocks, ${r.txs} txs, ${r.unresolved} unresolved inputs`);

    // 4. the token transfers
    const transfers = await step('ethereum', () => importTransfers(c, path.join(dataDir, 'eth-transfers.jsonl')), (r) => `${r.length} transfers`);

    // 5. tags
    await step('tags', async () => {
      const pack = parseTagPack(await readFile(path.join(dataDir, 'tags.yaml'), 'utf8'));
      await importTags(c, pack.tags);
      return pack.tags;
    }, (r) => `${r.length} tags`);

    // 6–10. cluster, persons, wildlife, flags, graph and communities
    const analysis = await analyseCase(c, { seed: options.seed, onProgress: options.onProgress });
    const { clusterOfAddress, persons, flags, scan, listings, vendors } = analysis;

    // trends across the snapshots: the figures a CITES Party reports
    const trends = await step('trends', () => caseTrends(c, {}, { scan, persons, listings }), (r) => (r ? `${r.snapshots.length} snapshots, ${r.tracks.length} wildlife listings followed, ${r.tables.route.rows.length} route rows` : 'no snapshots'));

    // 11. quality against the ground truth, when there is one
    let quality: Quality | undefined;
    const truthFile = path.join(dataDir, 'truth.json');
    const truth = await readFile(truthFile, 'utf8').then(
      (t) => JSON.parse(t) as { entities: Record<string, string>; persons: Record<string, string>; wildlifeListings: Record<string, string>; historyWildlifeListings?: Record<string, string>; flows: { kind: string; chain: string; txid: string }[] },
      () => undefined,
    );
    if (truth) {
      const predictedClusters = new Map<string, number>([...clusterOfAddress].filter(([a]) => truth.entities[a] !== undefined));
      const personOfVendor = new Map<string, string>();
      for (const p of persons) for (const v of p.vendorIds) personOfVendor.set(v, p.id);
      quality = {
        clustering: pairwiseQuality(predictedClusters, new Map(Object.entries(truth.entities))),
        vendors: pairwiseQuality(personOfVendor, new Map(Object.entries(truth.persons))),
        flags: setQuality(flags.flatMap((f) => (f.flows ?? []).map((x) => `${f.kind}|${x.chain}|${x.txid}`)), truth.flows.map((f) => `${f.kind}|${f.chain}|${f.txid}`)),
        // the listings of every crawl: the latest one's and those seen only in earlier crawls
        wildlife: setQuality(scan?.matches.keys() ?? [], [...Object.keys(truth.wildlifeListings), ...Object.keys(truth.historyWildlifeListings ?? {})]),
      };
    }

    // 11. the report
    const summary: Record<string, number | string> = {
      'market pages': pages,
      snapshots,
      'listing sightings': sightings,
      listings: listings.length,
      'vendor accounts': vendors.length,
      persons: persons.length,
      'wildlife listings': scan?.matches.size ?? 0,
      blocks: btc.blocks,
      transactions: btc.txs,
      'token transfers': transfers.length,
      addresses: analysis.clustering.addressCount,
      clusters: analysis.clusterMembers.size,
      communities: analysis.communities.length,
      flags: flags.length,
    };
    const qualityJson = quality
      ? Object.fromEntries(Object.entries(quality).map(([k, q]) => [k, { precision: Number(q.precision.toFixed(4)), recall: Number(q.recall.toFixed(4)) }]))
      : undefined;
    const data = reportData(analysis, { title: `wildtrace report — ${manifest.name}`, source: `${manifest.name} (seed ${manifest.seed})`, summary, ...(qualityJson ? { quality: qualityJson } : {}), ...(trends ? { trends } : {}) });
    const reportHtml = renderHtmlReport(data);
    const reportJson = renderJsonReport(data as ReportData & Record<string, unknown>);
    await step('report', async () => {
      await writeFile(path.join(options.outDir, 'report.html'), reportHtml);
      await writeFile(path.join(options.outDir, 'report.json'), reportJson);
    });
    return { summary, ...(quality ? { quality } : {}), reportHtml, reportJson };
  } finally {
    await c.close();
  }
}
