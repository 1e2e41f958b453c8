/**
 * Lesson 3 — darknet market vendors.
 *
 * What it teaches: an archived market page is evidence. A market profile (CSS selectors for one
 * market's markup, shipped for the known markets in `MARKET_PROFILES`) turns each page into
 * listings and vendor accounts, and every record keeps the SHA-256 of the page it came from.
 * Vendor pages carry what identifies a seller across markets: the handle, the PGP key
 * fingerprint, the payout addresses they post, and contacts (Jabber, Telegram, e-mail…).
 * `linkVendors` joins accounts into persons: a shared payout address, a shared PGP key backed by
 * a second signal, or a near-identical handle backed by a second signal. Handles are cheap to
 * imitate: the lesson measures linking on strong evidence only against the defaults.
 *
 * Run it:   npx tsx examples/03-darknet-vendors.ts
 *
 * What to look for: listings and vendor accounts per market; one vendor's fingerprint, addresses
 * and contacts with the page hash that proves them; precision and recall of vendor linking
 * against the ground truth with strong evidence only and with the defaults (similar handles
 * over-merge on this case); one person active on several markets and the evidence that joined
 * the accounts.
 */
import { linkVendors, pairwiseQuality, type Listing, type Vendor, type VendorLinkResult, type VendorPerson } from '../src/index.js';
import { MARKET_PROFILES, parseMarketPage, withHosts } from '../adapters/markets/index.js';
import { heading, readManifest, readPages, readTruth } from './lib/training-case.js';

// 1. Parse every archived page with its market's profile.
heading('1. Parse the archived pages');
const manifest = await readManifest();
const profileOfHost = new Map(manifest.markets.map((m) => [m.onionHost, withHosts(MARKET_PROFILES[m.id], [m.onionHost])]));
const listings: Listing[] = [];
const vendors: Vendor[] = [];
const kinds = new Map<string, number>();
for (const page of await readPages()) {
  const profile = profileOfHost.get(new URL(page.url).hostname);
  if (!profile) continue;
  const parsed = await parseMarketPage(page, profile);
  kinds.set(parsed.kind, (kinds.get(parsed.kind) ?? 0) + 1);
  listings.push(...parsed.listings);
  vendors.push(...parsed.vendors);
}
console.log(`pages by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
for (const m of manifest.markets) {
  console.log(`  ${m.id.padEnd(9)} ${listings.filter((l) => l.market === m.id).length} listings, ${vendors.filter((v) => v.market === m.id).length} vendor accounts (${m.onionHost.slice(0, 16)}….onion)`);
}
console.log(`total: ${listings.length} listings, ${vendors.length} vendor accounts`);

// 2. One vendor, in detail.
heading('2. What a vendor page tells us');
const rich = [...vendors].sort((a, b) => (b.contacts?.length ?? 0) + (b.addresses?.length ?? 0) - (a.contacts?.length ?? 0) - (a.addresses?.length ?? 0))[0];
console.log(`vendor ${rich.id} (handle "${rich.handle}"), rating ${rich.rating ?? '—'}, sales ${rich.sales ?? '—'}, ships from ${rich.shipsFrom ?? '—'}`);
for (const f of rich.pgpFingerprints ?? []) console.log(`  PGP fingerprint ${f}`);
for (const a of rich.addresses ?? []) console.log(`  posted ${a.chain} address ${a.address}`);
for (const ct of rich.contacts ?? []) console.log(`  contact ${JSON.stringify(ct)}`);
console.log(`  source page sha256 ${rich.source?.sha256} (${rich.source?.url})`);
const withPgp = vendors.filter((v) => v.pgpFingerprints?.length).length;
const withAddr = vendors.filter((v) => v.addresses?.length).length;
console.log(`accounts with a PGP fingerprint: ${withPgp} of ${vendors.length}; with a posted address: ${withAddr}`);

// 3. Link accounts into persons: first with strong evidence only (links of confidence >= 0.9:
//    a shared payout address, a shared PGP key), then with the defaults (similar handles too).
heading('3. Linking vendor accounts into persons');
const truth = await readTruth();
const truthPersons = new Map(Object.entries(truth.persons));
const quality = (persons: readonly VendorPerson[]) => {
  const personOf = new Map<string, string>();
  for (const p of persons) for (const v of p.vendorIds) personOf.set(v, p.entity.id);
  return pairwiseQuality(personOf, truthPersons);
};
const describe = (name: string, r: VendorLinkResult) => {
  const byHeuristic = new Map<string, number>();
  for (const l of r.links) byHeuristic.set(l.evidence.heuristic, (byHeuristic.get(l.evidence.heuristic) ?? 0) + 1);
  const q = quality(r.persons);
  console.log(`${name}: ${vendors.length} accounts → ${r.persons.length} persons (${r.persons.filter((p) => p.vendorIds.length > 1).length} hold 2+ accounts)`);
  console.log(`  links by evidence: ${[...byHeuristic].map(([h, n]) => `${h} ${n}`).join(', ') || 'none'}; shared-PGP candidates left unlinked ${r.candidates.length}`);
  console.log(`  vendor linking: precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}`);
  return q;
};
const strong = linkVendors(vendors, listings, { minConfidence: 0.9 });
const byDefault = linkVendors(vendors, listings);
describe('strong evidence only (minConfidence 0.9)', strong);
describe('defaults (similar handles count too)', byDefault);
console.log(`the truth: ${truthPersons.size} accounts held by ${new Set(truthPersons.values()).size} persons.`);
console.log('A handle alone is weak: "JungleFox" and "JungleOwl" look alike to a string metric but are');
console.log('different people. A PGP key or payout address published by two accounts is strong evidence.');

// 4. One person active on several markets, and what joined the accounts.
heading('4. One person behind several accounts');
const markets = (ids: readonly string[]) => new Set(ids.map((id) => id.split('/')[0])).size;
const showcase = strong.persons.filter((p) => p.vendorIds.length > 1).sort((a, b) => markets(b.vendorIds) - markets(a.vendorIds) || b.links.length - a.links.length)[0];
console.log(`person ${showcase.entity.id}: accounts ${showcase.vendorIds.join(', ')} on ${markets(showcase.vendorIds)} markets`);
console.log(`  in the ground truth: ${showcase.vendorIds.map((v) => `${v} = ${truth.persons[v]}`).join(', ')}`);
for (const l of showcase.links) console.log(`  ${l.evidence.heuristic} (confidence ${l.evidence.confidence}): ${l.evidence.note ?? ''}`);
