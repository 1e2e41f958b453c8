/**
 * Address extraction throughput (MB/s of text) on a ~4 MB corpus of market-like pages built from
 * real data: OnionScan's bitcoin.html, the OFAC SDN addresses of every chain written into
 * sentences, transaction hashes, a base64 data URI and a PGP key block per page.
 *
 * Baseline in the same run: the usual approach — one global regex per address format over the
 * whole text, each match decoded and checksum-verified (no token prefilter, no skipping). Both
 * validate with the same decoders, so the ratio measures the scanner, not the hashing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractAddresses, validateAddress } from '../../src/addresses/index.js';
import { opsPerSecond, type BenchContext } from '../lib.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

const NAIVE_PATTERNS: readonly RegExp[] = [
  /[13][a-km-zA-HJ-NP-Z1-9]{25,34}/g, // BTC Base58
  /[LM][a-km-zA-HJ-NP-Z1-9]{26,33}/g, // LTC Base58
  /\b(?:bc|ltc)1[02-9ac-hj-np-z]{8,87}\b/gi, // bech32
  /0x[0-9a-fA-F]{40}/g, // ETH
  /T[a-km-zA-HJ-NP-Z1-9]{33}/g, // TRON
  /[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?/g, // Monero
];

/** The baseline: every regex over the whole text, every match decoded. */
function naiveExtract(text: string): { chain: string; address: string; start: number }[] {
  const out: { chain: string; address: string; start: number }[] = [];
  for (const re of NAIVE_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const d = validateAddress(m[0]);
      if (d) out.push({ chain: d.chain, address: d.address, start: m.index });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function corpus(): string {
  const onionscan = readFileSync(path.join(DATA, 'onion/onionscan-bitcoin.html'), 'utf8');
  const ofacDir = path.join(DATA, 'tags/ofac');
  const ofac = ['XBT', 'ETH', 'LTC', 'TRX', 'XMR', 'USDT']
    .flatMap((c) => readFileSync(path.join(ofacDir, `sanctioned_addresses_${c}.txt`), 'utf8').split('\n'))
    .map((l) => l.trim())
    .filter(Boolean);
  const words = 'pangolin scales ivory rhino horn shipping worldwide escrow vendor feedback stealth tracking days'.split(' ');
  const b64 = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)).toString('base64');
  const pgp = `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${b64.slice(0, 640).replace(/(.{64})/g, '$1\n')}\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----`;
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  while (size < 4_000_000) {
    const sentence: string[] = [];
    for (let w = 0; w < 40; w++) sentence.push(words[(i * 31 + w * 7) % words.length]);
    const page = [
      `<div class="listing"><p>${sentence.join(' ')}</p>`,
      `<p>pay to ${ofac[i % ofac.length]} or ${ofac[(i * 13) % ofac.length]}, tx 0x${'ab12'.repeat(16)}</p>`,
      `<img src="data:image/png;base64,${b64}"><pre>${pgp}</pre></div>`,
      i % 20 === 0 ? onionscan : '',
    ].join('\n');
    parts.push(page);
    size += page.length;
    i++;
  }
  return parts.join('\n');
}

export default async function addressesSuite(ctx: BenchContext): Promise<void> {
  const text = corpus();
  const mb = text.length / 1e6;
  const ours = extractAddresses(text);
  const naive = naiveExtract(text);
  ctx.record({ name: 'corpus size', value: mb, unit: 'MB (UTF-16 code units / 1e6)' });
  ctx.record({ name: 'addresses found (extractAddresses)', value: ours.length, unit: 'addresses' });
  ctx.record({
    name: 'addresses found (naive regex + decode)',
    value: naive.length,
    unit: 'addresses',
    note: 'the baseline also reports matches inside longer tokens and armour',
  });

  const bench = ctx.bench({ time: 3000, iterations: 5 });
  bench.add('extractAddresses', () => {
    extractAddresses(text);
  });
  bench.add('naive: regex per format + decode every match', () => {
    naiveExtract(text);
  });
  await bench.run();
  const oursHz = opsPerSecond(bench, 'extractAddresses');
  const naiveHz = opsPerSecond(bench, 'naive: regex per format + decode every match');
  ctx.record({ name: 'extractAddresses throughput', value: oursHz * mb, unit: 'MB/s' });
  ctx.record({ name: 'naive baseline throughput', value: naiveHz * mb, unit: 'MB/s' });
  ctx.ratio('extractAddresses / naive', oursHz, naiveHz, 1);
}
