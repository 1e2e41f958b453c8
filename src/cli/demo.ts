/**
 * `wildtrace demo`: runs what the library can do end to end on data inside the repository,
 * with no network. (Until the training case lands this exercises the case store: it writes
 * evidence, reopens the case and checks that everything came back.)
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Case } from '../case.js';
import type { Listing, Tag, Vendor } from '../model/index.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** output directory (default `out`) */
  outDir: string;
  /** print the summary as JSON */
  json: boolean;
}

/** Public facts used until the bundled training case exists (see docs/demo.md). */
const SEIZURE_TAGS: Tag[] = [
  {
    address: { chain: 'btc', address: '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx' },
    label: 'Silk Road (Individual X)',
    category: 'market',
    source: 'US DoJ, civil forfeiture complaint, Nov 2020',
    confidence: 'authority_data',
    confidenceLevel: 100,
    tagpack: 'demo',
  },
  {
    address: { chain: 'btc', address: 'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6' },
    label: 'US Government seizure',
    category: 'law_enforcement',
    source: 'US DoJ, civil forfeiture complaint, Nov 2020',
    confidence: 'authority_data',
    confidenceLevel: 100,
    tagpack: 'demo',
  },
];

/** Runs the demo and returns the process exit code. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const started = performance.now();
  const caseDir = path.join(options.outDir, 'demo-case');
  await rm(caseDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });

  const vendor: Vendor = { id: 'demo/ivorytrader', market: 'demo', handle: 'ivorytrader', addresses: [SEIZURE_TAGS[0].address] };
  const listing: Listing = {
    id: 'demo/1',
    market: 'demo',
    vendorId: vendor.id,
    title: 'White gold carvings, organic gemstone',
    price: '0.25',
    currency: 'BTC',
  };

  let c = await Case.open(caseDir);
  await c.store.write(async (batch) => {
    await batch.intern(SEIZURE_TAGS.map((t) => t.address));
    for (const t of SEIZURE_TAGS) batch.put('tag', `${t.address.chain}:${t.address.address}:${t.tagpack}:${t.label}`, t);
    batch.put('vendor', vendor.id, vendor);
    batch.put('listing', listing.id, listing);
    batch.checkpoint('demo', { step: 'seeded' });
  });
  await c.close();

  c = await Case.open(caseDir);
  const summary = {
    case: caseDir,
    schemaVersion: c.store.schemaVersion,
    addresses: c.store.addressCount,
    tags: await c.store.collection('tag').count(),
    vendors: await c.store.collection('vendor').count(),
    listings: await c.store.collection('listing').count(),
    checkpoint: await c.store.checkpoint('demo'),
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
  };
  await c.close();
  await writeFile(path.join(options.outDir, 'report.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    process.stdout.write(
      `wildtrace demo: case ${summary.case} (schema ${summary.schemaVersion})\n` +
        `  ${summary.addresses} addresses interned, ${summary.tags} tags, ${summary.vendors} vendors, ${summary.listings} listings\n` +
        `  reopened and verified in ${summary.seconds}s; wrote ${path.join(options.outDir, 'report.json')}\n`,
    );
  }
  return 0;
}
