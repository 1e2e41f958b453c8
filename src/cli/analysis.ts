/**
 * The analysis of a case, after ingestion: cluster, link vendors into persons, detect wildlife,
 * flag the flows, build the entity graph and its communities, and shape the report. The demo and
 * the CLI's `cluster`, `flags`, `communities`, `report` and `export` commands all run it.
 */
import type { Case } from '../case.js';
import { clusterCase, type CaseClustering } from '../cluster/case-clustering.js';
import { caseSpendGraph } from '../flow/case-spend-graph.js';
import { FlagView } from '../flow/flag-view.js';
import { wildlifeFlags, type PersonLike, type ServiceTag } from '../flow/wildlife-flags.js';
import { entityGraph } from '../graph/case-graph.js';
import type { EntityGraph } from '../graph/entity-graph.js';
import { louvainCommunities } from '../graph/louvain.js';
import { summarizeCommunities } from '../graph/summary.js';
import type { Address, Flag, Listing, Tag, Transfer, Vendor } from '../model/index.js';
import type { ReportCommunity, ReportData, ReportEdge, ReportListing, ReportNode } from '../report/model.js';
import { detectWildlifeListings, type WildlifeListingScan } from '../wildlife/scan-listings.js';
import { linkVendorPersons } from './persons.js';

/** The analysis steps, for progress reporting. */
export type AnalysisStep = 'cluster' | 'vendors' | 'wildlife' | 'flags' | 'graph';

/** Options of {@link analyseCase}. */
export interface AnalyseOptions {
  /** Louvain seed (default 1) */
  seed?: number;
  /** stop after this step (default `graph`) */
  until?: AnalysisStep;
  onProgress?: (step: AnalysisStep, done: boolean, detail?: string) => void;
}

/** What {@link analyseCase} found. */
export interface Analysis {
  listings: Listing[];
  vendors: Vendor[];
  transfers: Transfer[];
  tags: Tag[];
  clustering: CaseClustering;
  /** cluster id → its Bitcoin addresses */
  clusterMembers: Map<number, string[]>;
  clusterOfAddress: Map<string, number>;
  persons: PersonLike[];
  scan?: WildlifeListingScan;
  flags: Flag[];
  graph?: EntityGraph;
  partition?: Record<string, number>;
  modularity?: number;
  communities: ReportCommunity[];
}

const ORDER: AnalysisStep[] = ['cluster', 'vendors', 'wildlife', 'flags', 'graph'];

/** Runs the analysis steps on the evidence already in `c`, storing the flags it raises. */
export async function analyseCase(c: Case, options: AnalyseOptions = {}): Promise<Analysis> {
  const last = ORDER.indexOf(options.until ?? 'graph');
  const run = async <T>(name: AnalysisStep, work: () => Promise<T> | T, detail?: (r: T) => string): Promise<T> => {
    options.onProgress?.(name, false);
    const r = await work();
    options.onProgress?.(name, true, detail?.(r));
    return r;
  };
  const [listings, vendors, transfers, tags] = await Promise.all([c.all('listing'), c.all('vendor'), c.all('transfer'), c.all('tag')]);

  const clustering = await run('cluster', async () => {
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
  const result: Analysis = { listings, vendors, transfers, tags, clustering, clusterMembers, clusterOfAddress, persons: [], flags: [], communities: [] };
  if (last < 1) return result;

  result.persons = await run('vendors', () => linkVendorPersons(vendors, listings), (r) => `${r.length} persons from ${vendors.length} vendor accounts`);
  if (last < 2) return result;
  const scan = (result.scan = await run('wildlife', () => detectWildlifeListings(listings), (r) => `${r.matches.size} wildlife listings of ${r.scanned}`));
  if (last < 3) return result;

  const membersOf = (a: string) => {
    const id = clusterOfAddress.get(a);
    return id === undefined ? [a] : clusterMembers.get(id)!;
  };
  const tagged = new Map<string, Tag>();
  for (const t of tags) tagged.set(`${t.address.chain}:${t.address.address}`, t);
  const serviceOf = (a: Address): ServiceTag | undefined => {
    const candidates = a.chain === 'btc' ? membersOf(a.address) : [a.address.toLowerCase()];
    for (const m of candidates) {
      const t = tagged.get(`${a.chain}:${m}`);
      // a tag covers its address, and its cluster unless it says it does not define the cluster
      if (t && (m === a.address || a.chain !== 'btc' || t.isClusterDefiner !== false)) return { label: t.label, category: t.category, concepts: t.concepts };
    }
    return undefined;
  };
  result.flags = await run('flags', async () => {
    const list = await wildlifeFlags({
      listings,
      vendors,
      matches: scan.matches,
      persons: result.persons,
      clusterMembers: membersOf,
      explainLink: (a, b) => clustering.explainLink({ chain: 'btc', address: a }, { chain: 'btc', address: b }),
      spendGraph: caseSpendGraph(c),
      transfers,
      serviceOf,
    });
    await c.store.write(async (batch) => {
      for await (const key of c.store.collection('flag').keys()) batch.del('flag', key);
      for (const f of list) batch.put('flag', f.id, f);
    });
    return list;
  }, (r) => `${r.length} flags`);
  if (last < 4) return result;

  await run('graph', async () => {
    const personOf = new Map<string, string>();
    for (const p of result.persons) for (const v of p.vendorIds) personOf.set(v, p.id);
    const { graph } = await entityGraph(c, {
      clustering: (address, chain) => (chain === 'btc' ? clusterOfAddress.get(address) : undefined),
      personOf: (v) => (personOf.get(v) ?? `person:${v}`).replace(/^person:/, ''),
    });
    const louvain = louvainCommunities(graph, { seed: options.seed ?? 1, weight: 'weight' });
    result.graph = graph;
    result.partition = louvain.partition;
    result.modularity = louvain.modularity;
    result.communities = summarizeCommunities(graph, louvain.partition)
      .sort((a, b) => b.members.length - a.members.length || a.id - b.id)
      .map((s) => ({ id: s.id, size: s.members.length, members: s.members, valueIn: String(s.valueIn), valueOut: String(s.valueOut), tags: s.tags, vendors: s.vendors, flaggedListings: s.flaggedListings }));
    return result.communities;
  }, (r) => `${result.graph?.order ?? 0} nodes, ${result.graph?.size ?? 0} edges, ${r.length} communities (modularity ${result.modularity?.toFixed(3)})`);
  return result;
}

/** Shapes an analysis into the report's data. */
export function reportData(a: Analysis, meta: { title: string; source: string; summary?: Record<string, string | number>; quality?: ReportData['quality']; trends?: ReportData['trends'] }): ReportData {
  const flaggedVendors = new Set(a.flags.flatMap((f) => f.vendorIds));
  const flaggedPersons = new Set(a.flags.map((f) => f.person));
  const personOfVendor = new Map<string, PersonLike>();
  for (const p of a.persons) for (const v of p.vendorIds) personOfVendor.set(v, p);
  const nodes: ReportNode[] = [];
  a.graph?.forEachNode((id, attrs) => {
    const members = id.startsWith('cluster:') ? a.clusterMembers.get(Number(id.slice('cluster:'.length))) : undefined;
    const vendors = attrs.vendors ? attrs.vendors.split(';') : [];
    const person = vendors.map((v) => personOfVendor.get(v)).find((p) => p !== undefined);
    const flagged = attrs.kind === 'person' ? vendors.some((v) => flaggedVendors.has(v)) || (person !== undefined && flaggedPersons.has(person.id)) : false;
    nodes.push({
      id,
      label: attrs.label || id,
      kind: attrs.kind,
      community: a.partition?.[id],
      flagged,
      search: [...(members ?? []).slice(0, 50), ...vendors, ...(attrs.tags ? attrs.tags.split(';') : [])],
      details: {
        ...(members ? { addresses: `${members.length}: ${members.slice(0, 8).join(', ')}${members.length > 8 ? ', …' : ''}` } : { addresses: String(attrs.addressCount) }),
        ...(vendors.length ? { vendors: vendors.join(', ') } : {}),
        ...(person?.evidence?.length ? { 'linked by': person.evidence.map((e) => `${e.heuristic} ${e.proof}`).join('; ') } : {}),
        ...(attrs.tags ? { tags: attrs.tags.split(';').join(', ') } : {}),
      },
    });
  });
  const flaggedNodes = new Set(nodes.filter((n) => n.flagged).map((n) => n.id));
  const edges: ReportEdge[] = [];
  a.graph?.forEachEdge((_e, attrs, source, target) => {
    edges.push({
      source,
      target,
      kind: attrs.kind,
      ...(attrs.kind === 'flow' ? { value: attrs.value, txCount: attrs.txCount } : {}),
      flagged: (flaggedNodes.has(source) || flaggedNodes.has(target)) && (attrs.kind !== 'flow' || target.startsWith('service:')),
    });
  });
  const listings: ReportListing[] = a.listings.map((l) => ({
    id: l.id,
    market: l.market,
    ...(l.vendorId ? { vendor: l.vendorId } : {}),
    title: l.title,
    ...(l.description ? { description: l.description } : {}),
    ...(l.price ? { price: l.price } : {}),
    ...(l.currency ? { currency: l.currency } : {}),
    wildlife: a.scan?.matches.has(l.id) ?? false,
    matches: (a.scan?.matches.get(l.id) ?? []).map((m) => ({ term: m.term, category: m.category, score: m.score, ...(m.taxon ? { taxon: m.taxon.name, appendix: m.taxon.appendix } : {}), spans: m.spans.map((s, i) => ({ field: m.fields[i], span: s })) })),
    ...(l.source ? { page: l.source.sha256 } : {}),
  }));
  return {
    title: meta.title,
    source: meta.source,
    summary: meta.summary ?? {},
    ...(meta.quality ? { quality: meta.quality } : {}),
    flags: a.flags.map((f) => ({
      id: f.id,
      kind: f.kind,
      severity: f.severity,
      ...(f.person ? { person: f.person } : {}),
      vendorIds: f.vendorIds,
      listingIds: f.listingIds,
      amounts: Object.fromEntries(Object.entries(f.amounts).map(([k, v]) => [k, v.toString()])),
      flows: f.flows?.length ?? 0,
      explanation: new FlagView(f).explain(),
    })),
    communities: a.communities,
    listings,
    graph: { nodes, edges },
    ...(meta.trends ? { trends: meta.trends } : {}),
  };
}
