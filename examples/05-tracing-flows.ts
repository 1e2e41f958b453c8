/**
 * Lesson 5 — tracing the money.
 *
 * What it teaches: after a buyer pays a vendor, where does the money go? Taint tracing follows it
 * forward through later transactions. When a transaction mixes "dirty" and "clean" coins, a
 * policy decides how much of each output is dirty, and the policies give different answers:
 *   - poison: any output touched by dirty money is dirty in full (the most suspicious reading);
 *   - haircut: each output carries the dirty share in proportion (dirty / total inputs);
 *   - fifo: coins leave in the order they arrived, first in first out (an accounting rule).
 * Tracing stops where the money reaches a known service, here an exchange from a TagPack (the
 * point where an investigator sends a production order). Then `wildlifeFlags` chains it all:
 * wildlife listing → vendor → posted address → its cluster → payments in → flows out to an
 * exchange or mixer, and each flag explains itself link by link.
 *
 * Run it:   npx tsx examples/05-tracing-flows.ts
 *
 * What to look for: one vendor address traced with the three policies, the different amounts
 * each says reached the tagged exchanges; the flags raised on the training case with their
 * precision and recall against the ground truth; and one flag's full explanation.
 */
import path from 'node:path';
import {
  Case,
  caseSpendGraph,
  clusterCase,
  detectWildlifeListings,
  FlagView,
  ingestBitcoin,
  setQuality,
  wildlifeFlags,
  type Listing,
  type ServiceTag,
  type StopRule,
  type TraceResult,
  type Vendor,
} from '../src/index.js';
import { blkFileSource } from '../adapters/bitcoin-core/index.js';
import { MARKET_PROFILES, parseMarketPage, withHosts } from '../adapters/markets/index.js';
import { importTags, parseTagPack } from '../adapters/tags/index.js';
import { readFile } from 'node:fs/promises';
import { TRAINING_CASE, btc, heading, readManifest, readPages, readTruth } from './lib/training-case.js';

// 1. A case with the blocks and the tags.
heading('1. Blocks and tags into a case');
const c = await Case.memory();
const ingest = await ingestBitcoin(c, blkFileSource(path.join(TRAINING_CASE, 'blocks')));
const pack = parseTagPack(await readFile(path.join(TRAINING_CASE, 'tags.yaml'), 'utf8'));
const imported = await importTags(c, pack.tags);
console.log(`${ingest.txs} transactions; ${imported.imported} tags imported from "${pack.title}"`);
for (const t of pack.tags) console.log(`  ${t.address.chain} ${t.address.address} — ${t.label} (${t.category ?? 'no category'}${t.concepts?.length ? `; ${t.concepts.join(', ')}` : ''})`);

// Clusters, so a tag on an exchange's hot wallet covers the exchange's other addresses too.
const clustering = await clusterCase(c);
const tagOf = new Map(pack.tags.filter((t) => t.address.chain === 'btc').map((t) => [t.address.address, t]));
const clusterTag = new Map<number, ServiceTag>();
for (const [address, t] of tagOf) {
  const id = await clustering.clusterOf(address);
  if (id !== undefined && t.isClusterDefiner !== false) clusterTag.set(id, { label: t.label, category: t.category, concepts: t.concepts });
}
const serviceOf = async (address: string): Promise<ServiceTag | undefined> => {
  const own = tagOf.get(address);
  if (own) return { label: own.label, category: own.category, concepts: own.concepts };
  const id = await clustering.clusterOf(address);
  return id === undefined ? undefined : clusterTag.get(id);
};
const stopAt = async (address: string): Promise<StopRule | undefined> => serviceOf(address);

// 2. Trace one vendor's takings forward with the three policies.
heading('2. One vendor address, three policies');
const truth = await readTruth();
const reached = (r: TraceResult) => r.endpoints.filter((e) => e.end === 'stop').reduce((s, e) => s + e.amount, 0n);
let chosen: { address: string; owner: string; results: TraceResult[] } | undefined;
for (const flow of truth.flows.filter((f) => f.kind === 'wildlife-payment-in')) {
  const tx = await c.get('tx', `btc:${flow.txid}`);
  const out = tx?.outputs.find((o) => o.address && truth.entities[o.address] === flow.person);
  if (!out?.address) continue;
  const results: TraceResult[] = [];
  for (const policy of ['poison', 'haircut', 'fifo'] as const) results.push(await c.trace(out.address, { policy, stopAt, hops: 6 }));
  if (new Set(results.map(reached)).size === 3 && results.every((r) => reached(r) > 0n)) {
    chosen = { address: out.address, owner: flow.person!, results };
    break;
  }
}
if (!chosen) throw new Error('no vendor address whose three policies differ');
console.log(`vendor address ${chosen.address} (truly ${chosen.owner}); hops 6, stop at tagged services`);
for (const r of chosen.results) {
  console.log(`  ${r.policy.padEnd(8)} start ${btc(r.start)}; reached tagged services ${btc(reached(r))}; ${r.paths.length} paths; lost to fees ${btc(r.lost)}`);
  for (const e of r.endpoints.filter((x) => x.end === 'stop').slice(0, 3)) console.log(`           → ${e.stop?.label}: ${btc(e.amount)} over ${e.paths} path(s)`);
}
const [poison, haircut, fifo] = chosen.results.map(reached);
console.log(`poison says ${btc(poison)}, haircut ${btc(haircut)}, fifo ${btc(fifo)}: the same coins, three readings.`);
console.log('Poison overstates: a drop of dirty money taints a whole output, so it can report more than the');
console.log(`vendor ever received (${btc(poison)} > ${btc(chosen.results[0].start)}). Haircut spreads the taint in proportion; fifo follows the order coins arrived.`);
const path0 = chosen.results[1].paths.find((p) => p.end === 'stop');
if (path0) {
  console.log('one haircut path, step by step:');
  for (const s of path0.steps) console.log(`   tx ${s.txid.slice(0, 16)}… ${s.from ?? '?'} → ${s.to ?? '?'}: ${btc(s.amount)}`);
}

// 3. The flags: the whole rule chain.
heading('3. Wildlife flags');
const manifest = await readManifest();
const profileOfHost = new Map(manifest.markets.map((m) => [m.onionHost, withHosts(MARKET_PROFILES[m.id], [m.onionHost])]));
const listings: Listing[] = [];
const vendors: Vendor[] = [];
for (const page of await readPages()) {
  const profile = profileOfHost.get(new URL(page.url).hostname);
  if (!profile) continue;
  const parsed = await parseMarketPage(page, profile);
  listings.push(...parsed.listings);
  vendors.push(...parsed.vendors);
}
const scan = detectWildlifeListings(listings);
const members = new Map<number, string[]>();
for await (const k of clustering.clusters()) members.set(k.id, k.addresses.filter((a) => a.startsWith('btc:')).map((a) => a.slice(4)));
const clusterOf = new Map<string, number>();
for (const [id, list] of members) for (const a of list) clusterOf.set(a, id);
const serviceTags = new Map<string, ServiceTag | undefined>();
for (const a of clusterOf.keys()) serviceTags.set(a, await serviceOf(a));
const flags = await wildlifeFlags({
  listings,
  vendors,
  matches: scan.matches,
  clusterMembers: (a) => members.get(clusterOf.get(a) ?? -1) ?? [a],
  explainLink: (a, b) => clustering.explainLink(a, b),
  spendGraph: caseSpendGraph(c),
  serviceOf: (a) => (a.chain === 'btc' ? serviceTags.get(a.address) : undefined),
});
const kinds = new Map<string, number>();
for (const f of flags) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
console.log(`${flags.length} flags: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
const found = flags.flatMap((f) => (f.flows ?? []).map((x) => `${f.kind}|${x.chain}|${x.txid}`));
const btcTruth = truth.flows.filter((f) => f.chain === 'btc').map((f) => `${f.kind}|${f.chain}|${f.txid}`);
const q = setQuality(found.filter((k) => k.includes('|btc|')), btcTruth);
console.log(`flagged Bitcoin flows against the ground truth: precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}`);
console.log('(lesson 6 runs the full pipeline, Ethereum token transfers and vendor linking included)');

// 4. One flag, explained.
heading('4. The gravest flag, explained');
console.log(new FlagView(flags[0]).explain());
await c.close();
