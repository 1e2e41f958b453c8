/**
 * Address extraction throughput (MB/s of text) on a ~4 MB corpus of market-like pages built from
 * real data: OnionScan's bitcoin.html, the OFAC SDN addresses of every chain written into
 * sentences, transaction hashes, a base64 data URI and a PGP key block per page.
 *
 * Baseline in the same run: the usual approach — one global regex per address format over the
 * whole text, each match decoded and checksum-verified (no token prefilter, no skipping). Both
 * validate with the same decoders, so the ratio measures the scanner, not the hashing.
 * extractAddresses decodes each distinct token once per call; pages repeat addresses (OFAC's
 * cycle here), so a second corpus with every posted address distinct measures it without that
 * help.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractAddresses, validateAddress } from '../../src/addresses/index.js';
import { base58checkSha256d } from '../../src/addresses/bitcoin.js';
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

/** Addresses that never repeat: P2PKH of pseudo-random hash160s (so no decode is ever reused). */
function distinctAddresses(n: number): string[] {
  const out: string[] = [];
  let x = 0x12345678;
  for (let i = 0; i < n; i++) {
    const payload = new Uint8Array(21);
    for (let j = 1; j < 21; j++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      payload[j] = x >>> 24;
    }
    out.push(base58checkSha256d.encode(payload));
  }
  return out;
}

function corpus(distinct?: string[]): string {
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
      distinct
        ? `<p>pay to ${distinct[2 * i]} or ${distinct[2 * i + 1]}, tx 0x${'ab12'.repeat(16)}</p>`
        : `<p>pay to ${ofac[i % ofac.length]} or ${ofac[(i * 13) % ofac.length]}, tx 0x${'ab12'.repeat(16)}</p>`,
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

  // The same pages, but every posted address distinct (no decode can be reused).
  const text2 = corpus(distinctAddresses(4000));
  const mb2 = text2.length / 1e6;
  const bench2 = ctx.bench({ time: 3000, iterations: 5 });
  bench2.add('extractAddresses (distinct addresses)', () => {
    extractAddresses(text2);
  });
  bench2.add('naive (distinct addresses)', () => {
    naiveExtract(text2);
  });
  await bench2.run();
  const ours2 = opsPerSecond(bench2, 'extractAddresses (distinct addresses)');
  const naive2 = opsPerSecond(bench2, 'naive (distinct addresses)');
  ctx.record({ name: 'extractAddresses throughput, distinct addresses', value: ours2 * mb2, unit: 'MB/s' });
  ctx.record({ name: 'naive baseline throughput, distinct addresses', value: naive2 * mb2, unit: 'MB/s' });
  ctx.ratio('extractAddresses / naive, distinct addresses', ours2, naive2, 1);
}
