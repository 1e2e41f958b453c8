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
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { Case } from '../case.js';
import { ingestBitcoin } from '../bitcoin/ingest.js';
import { clusterCase } from '../cluster/case-clustering.js';
import { caseSpendGraph } from '../flow/case-spend-graph.js';
import { wildlifeFlags, type PersonLike, type ServiceTag } from '../flow/wildlife-flags.js';
import { FlagView } from '../flow/flag-view.js';
import { buildEntityGraph, type AttributeEdgeInput, type EntityNodeInput, type FlowInput } from '../graph/entity-graph.js';
import { louvainCommunities } from '../graph/louvain.js';
import { summarizeCommunities } from '../graph/summary.js';
import { detectWildlifeListings } from '../wildlife/scan-listings.js';
import type { Address, Listing, Page, Tag, Transfer, Tx, Vendor } from '../model/index.js';
import { pairwiseQuality, setQuality, type PrecisionRecall } from '../report/quality.js';
import { renderHtmlReport } from '../report/html.js';
import { renderJsonReport } from '../report/json.js';
import type { ReportData, ReportEdge, ReportListing, ReportNode } from '../report/model.js';
import { archiveInBatch } from '../../adapters/tor/archive.js';
import { MARKET_PROFILES, parseMarketPage, withHosts } from '../../adapters/markets/index.js';
import { blkFileSource } from '../../adapters/bitcoin-core/index.js';
import { importTags, parseTagPack } from '../../adapters/tags/index.js';
import { linkVendorPersons } from './persons.js';

/** A step of the investigation, for progress reporting. */
export type InvestigationStep = 'pages' | 'parse' | 'bitcoin' | 'ethereum' | 'tags' | 'cluster' | 'vendors' | 'wildlife' | 'flags' | 'graph' | 'report';

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

    // 1. archive the pages as a crawl would have
    const pages = await step('pages', async () => {
      const lines = gunzipSync(await readFile(path.join(dataDir, 'pages.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean);
      const out: { page: Page; market: string }[] = [];
      for (let i = 0; i < lines.length; i += 250) {
        const chunk = lines.slice(i, i + 250).map((line) => {
          const raw = JSON.parse(line) as Omit<Page, 'body' | 'sha256'> & { body: string };
          const body = new TextEncoder().encode(raw.body);
          const page: Page = { ...raw, body, sha256: createHash('sha256').update(body).digest('hex') };
          return { page, market: marketOfHost.get(new URL(raw.url).hostname) ?? 'unknown' };
        });
        await c.store.write(async (batch) => {
          for (const { page, market } of chunk) await archiveInBatch(c, batch, page, page.url, market);
        });
        out.push(...chunk);
      }
      return out;
    }, (r) => `${r.length} pages archived`);

    // 2. parse them with the shipped profiles
    const { listings, vendors } = await step('parse', async () => {
      const profiles = new Map(manifest.markets.map((m) => [m.id, withHosts(MARKET_PROFILES[m.id], [m.onionHost])]));
      const listings: Listing[] = [];
      const vendors: Vendor[] = [];
      for (const { page, market } of pages) {
        const profile = profiles.get(market);
        if (!profile) continue;
        const parsed = await parseMarketPage(page, profile);
        listings.push(...parsed.listings);
        vendors.push(...parsed.vendors);
      }
      await c.store.write(async (batch) => {
        const addresses: Address[] = [];
        for (const l of listings) {
          batch.put('listing', l.id, l);
          addresses.push(...(l.addresses ?? []));
        }
        for (const v of vendors) {
          batch.put('vendor', v.id, v);
          addresses.push(...(v.addresses ?? []));
        }
        await batch.intern(addresses);
      });
      return { listings, vendors };
    }, (r) => `${r.listings.length} listings, ${r.vendors.length} vendors`);

    // 3. the Bitcoin blocks
    const btc = await step('bitcoin', () => ingestBitcoin(c, blkFileSource(path.join(dataDir, 'blocks'))), (r) => `${r.blocks} blocks, ${r.txs} txs, ${r.unresolved} unresolved inputs`);

    // 4. the token transfers
    const transfers = await step('ethereum', async () => {
      const text = await readFile(path.join(dataDir, 'eth-transfers.jsonl'), 'utf8');
      const list: Transfer[] = text.split('\n').filter(Boolean).map((l) => {
        const t = JSON.parse(l) as Transfer & { value: string };
        return { ...t, value: BigInt(t.value) };
      });
      await c.store.write(async (batch) => {
        await batch.intern(list.flatMap((t) => [{ chain: 'eth' as const, address: t.from }, { chain: 'eth' as const, address: t.to }]));
        for (const t of list) batch.put('transfer', `${t.txHash}:${t.kind}:${t.index ?? 0}`, t);
      });
      return list;
    }, (r) => `${r.length} transfers`);

    // 5. tags
    const tags = await step('tags', async () => {
      const pack = parseTagPack(await readFile(path.join(dataDir, 'tags.yaml'), 'utf8'));
      await importTags(c, pack.tags);
      return pack.tags;
    }, (r) => `${r.length} tags`);

    // 6. clustering (multi-input, CoinJoins excluded)
    const clustering = await step('cluster', async () => {
      const cl = await clusterCase(c);
      await cl.update();
      return cl;
    }, (r) => `${r.addressCount} addresses`);
    const clusterMembers = new Map<number, string[]>();
    const clusterOfAddress = new Map<string, number>();
    for await (const cl of clustering.clusters()) {
      const members = cl.addresses.filter((k) => k.startsWith('btc:')).map((k) => k.slice(4));
      if (members.length === 0) continue;
      clusterMembers.set(cl.id, members);
      for (const a of members) clusterOfAddress.set(a, cl.id);
    }
    const membersOf = (a: string) => {
      const id = clusterOfAddress.get(a);
      return id === undefined ? [a] : clusterMembers.get(id)!;
    };

    // 7. vendor persons
    const persons = await step('vendors', async () => linkVendorPersons(vendors, listings), (r) => `${r.length} persons from ${vendors.length} vendor accounts`);

    // 8. wildlife
    const scan = await step('wildlife', async () => detectWildlifeListings(listings), (r) => `${r.matches.size} wildlife listings of ${r.scanned}`);

    // 9. flags
    const tagged = new Map<string, Tag>();
    for (const t of tags) tagged.set(`${t.address.chain}:${t.address.address}`, t);
    const serviceOf = (a: Address): ServiceTag | undefined => {
      const candidates = a.chain === 'btc' ? membersOf(a.address) : [a.address.toLowerCase()];
      for (const m of candidates) {
        const t = tagged.get(`${a.chain}:${m}`);
        if (t && (m === a.address || a.chain !== 'btc' || t.isClusterDefiner !== false)) return { label: t.label, category: t.category, concepts: t.concepts };
      }
      return undefined;
    };
    const flags = await step('flags', async () => {
      const list = await wildlifeFlags({
        listings,
        vendors,
        matches: scan.matches,
        persons,
        clusterMembers: membersOf,
        explainLink: (a, b) => clustering.explainLink({ chain: 'btc', address: a }, { chain: 'btc', address: b }),
        spendGraph: caseSpendGraph(c),
        transfers,
        serviceOf,
      });
      await c.store.write((batch) => {
        for (const f of list) batch.put('flag', f.id, f);
      });
      return list;
    }, (r) => `${r.length} flags`);

    // 10. entity graph and communities
    const { graphData, communities } = await step('graph', async () => {
      const txs: Tx[] = [];
      for await (const tx of c.list('tx')) txs.push(tx);
      const entityOf = (address: string | undefined) => (address === undefined ? undefined : `cluster:${clusterOfAddress.get(address) ?? address}`);
      const flows: FlowInput[] = [];
      for (const tx of txs) {
        const from = [...new Set(tx.inputs.map((i) => entityOf(i.address)).filter((x): x is string => x !== undefined))];
        if (from.length !== 1) continue; // coinbase, CoinJoin or unresolved: no single payer
        for (const o of tx.outputs) {
          const to = entityOf(o.address);
          if (to && to !== from[0] && o.value > 0n) flows.push({ from: from[0], to, value: o.value, ...(tx.time ? { time: tx.time } : {}) });
        }
      }
      const flagged = new Set(flags.flatMap((f) => f.vendorIds));
      const personOf = new Map<string, PersonLike>();
      for (const p of persons) for (const v of p.vendorIds) personOf.set(v, p);
      const nodes: EntityNodeInput[] = [];
      const seen = new Set<string>();
      for (const f of flows) for (const id of [f.from, f.to]) seen.add(id);
      for (const id of seen) {
        const members = clusterMembers.get(Number(id.slice('cluster:'.length))) ?? [id.slice('cluster:'.length)];
        const tag = members.map((m) => tagged.get(`btc:${m}`)).find(Boolean);
        nodes.push({ id, kind: tag ? 'service' : 'cluster', label: tag ? tag.label : `${members[0].slice(0, 12)}… (${members.length})`, addressCount: members.length, ...(tag?.category ? { tags: [tag.category] } : {}) });
      }
      const links: AttributeEdgeInput[] = [];
      for (const p of persons) {
        nodes.push({ id: p.id, kind: 'person', label: p.vendorIds.join(' / '), vendors: p.vendorIds });
        for (const v of vendors.filter((x) => p.vendorIds.includes(x.id))) {
          for (const a of v.addresses ?? []) {
            if (a.chain !== 'btc') continue;
            const e = entityOf(a.address)!;
            if (seen.has(e)) links.push({ from: p.id, to: e, kind: 'advertised', evidence: v.source ? `page:${v.source.sha256}` : undefined });
          }
        }
      }
      const graph = buildEntityGraph({ nodes, flows, links });
      const louvain = louvainCommunities(graph, { seed: options.seed ?? 1, weight: 'weight' });
      const summaries = summarizeCommunities(graph, louvain.partition);
      const flaggedPersons = new Set(flags.map((f) => f.person));
      const flaggedEdges = new Set(flags.flatMap((f) => f.paths.flatMap((p) => p.map((s) => `${entityOf(s.from)}>${entityOf(s.to)}`))));
      const reportNodes: ReportNode[] = [];
      graph.forEachNode((id, attrs) => {
        const members = clusterMembers.get(Number(id.slice('cluster:'.length)));
        const person = persons.find((p) => p.id === id);
        reportNodes.push({
          id,
          label: String(attrs.label ?? id),
          kind: String(attrs.kind),
          community: louvain.partition[id],
          flagged: flaggedPersons.has(id) || (person?.vendorIds.some((v) => flagged.has(v)) ?? false) || (members?.some((m) => flags.some((f) => f.flows?.some((x) => x.counterparty === m))) ?? false),
          search: [...(members ?? []).slice(0, 50), ...(person?.vendorIds ?? [])],
          details: {
            ...(members ? { addresses: `${members.length}: ${members.slice(0, 8).join(', ')}${members.length > 8 ? ', …' : ''}` } : {}),
            ...(person ? { vendors: person.vendorIds.join(', '), evidence: (person.evidence ?? []).map((e) => `${e.heuristic} ${e.proof}`).join('; ') } : {}),
            ...(attrs.tags ? { tags: String(attrs.tags) } : {}),
          },
        });
      });
      const reportEdges: ReportEdge[] = [];
      graph.forEachEdge((_e, attrs, source, target) => {
        reportEdges.push({
          source,
          target,
          kind: String(attrs.kind),
          ...(attrs.value !== undefined ? { value: String(attrs.value) } : {}),
          ...(attrs.txCount !== undefined ? { txCount: Number(attrs.txCount) } : {}),
          flagged: flaggedEdges.has(`${source}>${target}`),
        });
      });
      return {
        graphData: { nodes: reportNodes, edges: reportEdges },
        communities: summaries.sort((a, b) => b.members.length - a.members.length).map((s) => ({ id: s.id, size: s.members.length, members: s.members, valueIn: String(s.valueIn), valueOut: String(s.valueOut), tags: s.tags, vendors: s.vendors, flaggedListings: s.flaggedListings })),
        modularity: louvain.modularity,
      };
    }, (r) => `${r.graphData.nodes.length} nodes, ${r.graphData.edges.length} edges, ${r.communities.length} communities`);

    // 11. quality against the ground truth, when there is one
    let quality: Quality | undefined;
    const truthFile = path.join(dataDir, 'truth.json');
    const truth = await readFile(truthFile, 'utf8').then((t) => JSON.parse(t) as { entities: Record<string, string>; persons: Record<string, string>; wildlifeListings: Record<string, string>; flows: { kind: string; chain: string; txid: string }[] }, () => undefined);
    if (truth) {
      const predictedClusters = new Map<string, number>([...clusterOfAddress].filter(([a]) => truth.entities[a] !== undefined));
      const personOfVendor = new Map<string, string>();
      for (const p of persons) for (const v of p.vendorIds) personOfVendor.set(v, p.id);
      quality = {
        clustering: pairwiseQuality(predictedClusters, new Map(Object.entries(truth.entities))),
        vendors: pairwiseQuality(personOfVendor, new Map(Object.entries(truth.persons))),
        flags: setQuality(flags.flatMap((f) => (f.flows ?? []).map((x) => `${f.kind}|${x.chain}|${x.txid}`)), truth.flows.map((f) => `${f.kind}|${f.chain}|${f.txid}`)),
        wildlife: setQuality(scan.matches.keys(), Object.keys(truth.wildlifeListings)),
      };
    }

    // 12. the report
    const reportListings: ReportListing[] = listings.map((l) => ({
      id: l.id,
      market: l.market,
      ...(l.vendorId ? { vendor: l.vendorId } : {}),
      title: l.title,
      ...(l.description ? { description: l.description } : {}),
      ...(l.price ? { price: l.price } : {}),
      ...(l.currency ? { currency: l.currency } : {}),
      wildlife: scan.matches.has(l.id),
      matches: (scan.matches.get(l.id) ?? []).map((m) => ({ term: m.term, category: m.category, score: m.score, ...(m.taxon ? { taxon: m.taxon.name, appendix: m.taxon.appendix } : {}), spans: m.spans.map((s, i) => ({ field: m.fields[i], span: s })) })),
      ...(l.source ? { page: l.source.sha256 } : {}),
    }));
    const summary: Record<string, number | string> = {
      'market pages': pages.length,
      listings: listings.length,
      'vendor accounts': vendors.length,
      persons: persons.length,
      'wildlife listings': scan.matches.size,
      blocks: btc.blocks,
      transactions: btc.txs,
      'token transfers': transfers.length,
      addresses: clustering.addressCount,
      clusters: clusterMembers.size,
      communities: communities.length,
      flags: flags.length,
    };
    const qualityJson = quality
      ? Object.fromEntries(Object.entries(quality).map(([k, q]) => [k, { precision: Number(q.precision.toFixed(4)), recall: Number(q.recall.toFixed(4)) }]))
      : undefined;
    const data: ReportData & Record<string, unknown> = {
      title: `wildtrace report — ${manifest.name}`,
      source: `${manifest.name} (seed ${manifest.seed})`,
      summary,
      ...(qualityJson ? { quality: qualityJson } : {}),
      flags: flags.map((f) => {
        const view = new FlagView(f);
        return { id: f.id, kind: f.kind, severity: f.severity, ...(f.person ? { person: f.person } : {}), vendorIds: f.vendorIds, listingIds: f.listingIds, amounts: Object.fromEntries(Object.entries(f.amounts).map(([a, v]) => [a, v.toString()])), flows: f.flows?.length ?? 0, explanation: view.explain(), nodes: f.person ? [f.person] : [] };
      }),
      communities,
      listings: reportListings,
      graph: graphData,
    };
    const reportHtml = renderHtmlReport(data);
    const reportJson = renderJsonReport(data);
    await step('report', async () => {
      await writeFile(path.join(options.outDir, 'report.html'), reportHtml);
      await writeFile(path.join(options.outDir, 'report.json'), reportJson);
    });
    return { summary, ...(quality ? { quality } : {}), reportHtml, reportJson };
  } finally {
    await c.close();
  }
}
