/**
 * Lesson 4 — detecting wildlife in listings.
 *
 * What it teaches: most darknet listings are drugs, counterfeits and digital goods; a few percent
 * sell protected species. Sellers hide them: code words ("white gold" for ivory, "unicorn" for
 * rhino horn), spelling tricks ("1v0ry", "r.h.i.n.o"), other languages. Words also mislead:
 * "ivory wedding dress" is a colour, "tiger balm" is an ointment. The detector scores evidence in
 * context, names the CITES taxon and its Appendix (I: trade banned; II: permit needed), and gives
 * the exact character spans, so a report can quote the listing. `explainWildlife` shows every
 * piece of evidence, including what the context rules cancelled and why.
 *
 * Run it:   npx tsx examples/04-wildlife-detection.ts
 *
 * What to look for: each sample text's verdict with taxon, Appendix, score and the words quoted by
 * their spans; the hard negatives judged not wildlife, and the word that cancelled the evidence;
 * then the scan of all training listings with precision and recall against the ground truth.
 */
import { detectListingWildlife, detectWildlife, detectWildlifeListings, explainWildlife, setQuality, WILDLIFE_THRESHOLD, type Listing } from '../src/index.js';
import { MARKET_PROFILES, parseMarketPage, withHosts } from '../adapters/markets/index.js';
import { heading, readManifest, readPages, readTruth } from './lib/training-case.js';

// 1. Sample texts: plain, code word, obfuscated, other languages, and hard negatives.
heading('1. Sample texts');
const samples: [label: string, text: string][] = [
  ['plain', 'Raw elephant ivory tusk, 2.3 kg, ships from Lagos'],
  ['code word', 'White gold carvings, hand carved buddha figures, discreet shipping worldwide'],
  ['code word', 'Unicorn horn powder 50g, best for fever and hangover'],
  ['obfuscated', 'R.h.i.n.o h0rn pieces, genuine African, 100g'],
  ['French', "Défense d'éléphant brute, ivoire véritable, 3 kg"],
  ['Chinese', '象牙手镯 天然 老料'],
  ['scientific name', 'Live Psittacus erithacus chicks, hand fed'],
  ['hard negative', 'Ivory wedding dress, size 38, worn once'],
  ['hard negative', 'Tiger Balm red ointment 30g, original'],
  ['hard negative', 'Mammoth ivory pendant, legal fossil, certificate included'],
];
for (const [label, text] of samples) {
  const matches = detectWildlife(text);
  if (matches.length === 0) {
    console.log(`[${label}] "${text}"\n   → not wildlife`);
    continue;
  }
  const m = matches[0];
  const quoted = m.spans.map(([s, e]) => `"${text.slice(s, e)}"@${s}`).join(' ');
  const taxon = m.taxon ? `${m.taxon.name}, CITES Appendix ${m.taxon.appendix || '—'} (via ${m.taxon.via})` : 'no taxon';
  console.log(`[${label}] "${text}"\n   → WILDLIFE ${m.category}: ${taxon}; score ${m.score.toFixed(2)}; evidence ${quoted}`);
}
console.log(`(a text is wildlife when a match scores at least ${WILDLIFE_THRESHOLD})`);

// 2. Why was something not flagged? explainWildlife lists the cancelled evidence.
heading('2. explainWildlife on the hard negatives');
for (const [, text] of samples.filter(([label]) => label === 'hard negative')) {
  const ex = explainWildlife(text);
  console.log(`"${text}": wildlife ${ex.isWildlife}, best score ${ex.matches[0]?.score.toFixed(2) ?? '0.00'}`);
  for (const c of ex.cancelled) console.log(`   "${c.text}" (${c.category}) cancelled by rule ${c.rule}${c.by ? ` — the word "${c.by.text}"` : ''}`);
}

// 3. A listing: title and description read together; spans say which field.
heading('3. A listing (title + description)');
const listing = { title: 'White gold bangle', description: 'Hand carved from one elephant tusk, old stock, 45 g' };
for (const m of detectListingWildlife(listing)) {
  console.log(`${m.category} ${m.taxon?.name ?? ''} (Appendix ${m.taxon?.appendix ?? '—'}), score ${m.score.toFixed(2)}`);
  m.spans.forEach(([s, e], i) => console.log(`   ${m.fields[i]}[${s},${e}) = "${listing[m.fields[i]].slice(s, e)}"`));
}

// 4. Scan every listing of the training case and measure against the ground truth.
heading('4. Scan of all training listings');
const manifest = await readManifest();
const profileOfHost = new Map(manifest.markets.map((m) => [m.onionHost, withHosts(MARKET_PROFILES[m.id], [m.onionHost])]));
const listings: Listing[] = [];
for (const page of await readPages()) {
  const profile = profileOfHost.get(new URL(page.url).hostname);
  if (profile) listings.push(...(await parseMarketPage(page, profile)).listings);
}
const started = performance.now();
const scan = detectWildlifeListings(listings);
const ms = performance.now() - started;
const truth = await readTruth();
const q = setQuality(scan.matches.keys(), Object.keys(truth.wildlifeListings));
console.log(`scanned ${scan.scanned} listings in ${ms.toFixed(0)} ms: ${scan.matches.size} judged wildlife (the truth has ${Object.keys(truth.wildlifeListings).length})`);
console.log(`wildlife detection: precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}`);
const byCategory = new Map<string, number>();
for (const ms of scan.matches.values()) byCategory.set(ms[0].category, (byCategory.get(ms[0].category) ?? 0) + 1);
console.log(`by category: ${[...byCategory].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
const missed = Object.keys(truth.wildlifeListings).filter((id) => !scan.matches.has(id));
for (const id of missed.slice(0, 3)) {
  const l = listings.find((x) => x.id === id);
  console.log(`missed: ${id} (${truth.wildlifeListings[id]}): "${l?.title}"`);
}
const falseAlarms = [...scan.matches.keys()].filter((id) => !(id in truth.wildlifeListings));
for (const id of falseAlarms.slice(0, 3)) {
  const l = listings.find((x) => x.id === id);
  console.log(`false alarm: ${id}: "${l?.title}" (matched "${scan.matches.get(id)![0].term}")`);
}
