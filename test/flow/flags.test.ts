/**
 * Wildlife flags end to end on a constructed case: a small world from the training-case
 * generator (markets rendered in a shipped market's markup, real Bitcoin blocks, USDT-like
 * transfers, a TagPack of services) with planted trafficking flows. The real detector, the real
 * block decoder and the real clustering run; vendor persons are given from the world's ground
 * truth (vendor linking is tested on its own), so this test measures the rule chain itself.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  clusterAddresses,
  decodeBitcoinBlock,
  detectListingWildlife,
  FlagView,
  spendGraphFromTxs,
  wildlifeFlags,
  WILDLIFE_THRESHOLD,
  type Flag,
  type Listing,
  type ListingMatchLike,
  type ServiceTag,
  type Tx,
  type Vendor,
} from '../../src/index.js';
import { buildFixtureSite } from '../../adapters/markets/fixtures/site.js';
import { FIXTURE_MARKETS, type FixtureMarketId } from '../../adapters/markets/fixtures/index.js';
import { buildWorld, type World } from '../../scripts/training-case/world.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let world: World;
let flags: Flag[];

beforeAll(async () => {
  const markets = Object.keys(FIXTURE_MARKETS) as FixtureMarketId[];
  world = buildWorld('flags-test', markets, { persons: 48, listingsPerAccount: [5, 7], idStyles: Object.fromEntries(markets.map((m) => [m, FIXTURE_MARKETS[m].catalogue.listingIds])) });
  const listings: Listing[] = [];
  const vendors: Vendor[] = [];
  for (const c of world.catalogues) {
    const skin = FIXTURE_MARKETS[c.market as FixtureMarketId].skin;
    const site = buildFixtureSite(c, skin);
    for (const l of c.listings) {
      const path = skin.listingPath(l);
      listings.push({ id: `${c.market}/${l.id}`, market: c.market, vendorId: `${c.market}/${l.vendor}`, title: l.title, description: l.description, addresses: l.addresses, source: { sha256: sha(site.page(path)!), url: path } });
    }
    for (const v of c.vendors) {
      const path = skin.vendorPath(v.handle);
      vendors.push({ id: `${c.market}/${v.handle}`, market: c.market, handle: v.handle, addresses: v.addresses, source: { sha256: sha(site.page(path)!), url: path } });
    }
  }
  const matches = new Map<string, ListingMatchLike[]>();
  for (const l of listings) {
    const m = detectListingWildlife(l).filter((x) => x.score >= WILDLIFE_THRESHOLD);
    if (m.length > 0) matches.set(l.id, m);
  }
  // decode the blocks and resolve each input's address and value from the outputs before it
  const txs: Tx[] = world.rawBlocks.flatMap((raw) => decodeBitcoinBlock(raw).txs);
  const outputs = new Map<string, { address?: string; value: bigint }>();
  for (const tx of txs) {
    for (const input of tx.inputs) {
      const prev = outputs.get(`${input.prevTxid}:${input.prevVout}`);
      if (prev) {
        input.address ??= prev.address;
        input.value = prev.value;
      }
    }
    for (const o of tx.outputs) outputs.set(`${tx.txid}:${o.n}`, { address: o.address, value: o.value });
  }
  const clustering = clusterAddresses(txs);
  const members = new Map<number, string[]>();
  for (const c of clustering.clusters()) members.set(c.id, c.addresses);
  const clusterMembers = (a: string) => {
    const id = clustering.clusterOf(a);
    return id === undefined ? [a] : members.get(id)!;
  };
  const tagged = new Map<string, ServiceTag>(world.tags.map((t) => [`${t.chain}:${t.address}`, { label: t.label, category: t.category, concepts: t.concepts }]));
  const personsById = new Map<string, string[]>();
  for (const [vendorId, person] of Object.entries(world.truth.persons)) personsById.set(person, [...(personsById.get(person) ?? []), vendorId]);
  flags = await wildlifeFlags({
    listings,
    vendors,
    matches,
    persons: [...personsById].map(([id, vendorIds]) => ({ id, vendorIds })),
    clusterMembers,
    explainLink: (a, b) => clustering.explainLink(a, b),
    spendGraph: spendGraphFromTxs(txs),
    transfers: world.transfers,
    serviceOf: (a) => (a.chain === 'btc' ? clusterMembers(a.address).map((m) => tagged.get(`btc:${m}`)).find(Boolean) : tagged.get(`eth:${a.address}`)),
  });
}, 120_000);

describe('wildlife flags on a constructed case (given the true vendor persons)', () => {
  it('finds the planted trafficking flows: precision and recall at least 0.9', () => {
    const key = (kind: string, chain: string, txid: string) => `${kind}|${chain}|${txid}`;
    const planted = new Set(world.truth.flows.map((f) => key(f.kind, f.chain, f.txid)));
    const found = new Set(flags.flatMap((f) => (f.flows ?? []).map((x) => key(f.kind, x.chain, x.txid))));
    const hits = [...found].filter((k) => planted.has(k)).length;
    const precision = hits / found.size;
    const recall = hits / planted.size;
    console.log(`flags: ${flags.length}; flows planted ${planted.size}, found ${found.size}, correct ${hits}; precision ${precision.toFixed(3)} recall ${recall.toFixed(3)}`);
    expect(planted.size).toBeGreaterThan(20);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    const kinds = new Set(flags.map((f) => f.kind));
    for (const k of ['wildlife-payment-in', 'wildlife-cashout-exchange', 'wildlife-to-mixer', 'wildlife-to-sanctioned']) expect(kinds, k).toContain(k);
  });

  it("explains every link of each flag's chain", () => {
    for (const flag of flags) {
      const text = new FlagView(flag).explain();
      for (const id of flag.listingIds) expect(text, flag.id).toContain(id);
      for (const m of flag.matches ?? []) expect(text).toContain(`"${m.term}"`);
      for (const v of flag.vendorIds) expect(text).toContain(v);
      for (const p of flag.pages) expect(text).toContain(p.sha256);
      for (const f of flag.flows ?? []) expect(text).toContain(f.txid);
      for (const e of flag.evidence.filter((x) => x.heuristic === 'multi-input')) expect(text).toContain(e.proof);
      for (const path of flag.paths) for (const step of path) expect(text).toContain(step.txid);
    }
    expect(flags.some((f) => f.evidence.some((e) => e.heuristic === 'multi-input'))).toBe(true);
  });

  it('gives stable JSON with amounts as decimal strings', () => {
    const json = new FlagView(flags[0]).toJSON();
    const again = JSON.parse(JSON.stringify(json));
    expect(again).toEqual(json);
    expect(typeof (json.amounts as Record<string, unknown>)[Object.keys(flags[0].amounts)[0]]).toBe('string');
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort());
  });

  it('scores severity by kind and CITES appendix, within 0..100', () => {
    for (const f of flags) {
      expect(f.severity).toBeGreaterThan(0);
      expect(f.severity).toBeLessThanOrEqual(100);
    }
    const sanctioned = flags.find((f) => f.kind === 'wildlife-to-sanctioned')!;
    const paymentsOfSame = flags.find((f) => f.kind === 'wildlife-payment-in' && f.person === sanctioned.person)!;
    expect(sanctioned.severity).toBeGreaterThan(paymentsOfSame.severity);
  });
});
