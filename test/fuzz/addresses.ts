/**
 * Fuzz target of address extraction (src/addresses extractAddresses, validateAddress): any
 * unicode string; texts built from valid addresses (BTC legacy and SegWit, ETH, LTC, TRX, XMR),
 * their truncations, armour markers, base64 and separators; the real OnionScan page with 100
 * hidden Bitcoin addresses, mutated; and large texts of the same fragments (to expose
 * super-linear work). Options vary per case.
 *
 * Every result is a valid address at its offsets, in text order, without overlap.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { extractAddresses, validateAddress, type ExtractOptions } from '../../src/addresses/index.js';
import type { Chain } from '../../src/model/index.js';
import type { FuzzTarget } from './harness.js';
import { applyTextOps, textOps, type TextOp } from './mutate.js';

/** Valid addresses of every chain (the Silk Road seizure pair, the EIP-55 vector, …). */
export const VALID_ADDRESSES = [
  '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx',
  'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  'LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb',
  'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre',
  '49Xgwx3RfyV3ZMEVyrUNuUMzgQ1WHjkWL5T6Xk7QaTszggbtPbRPEkZQau9yACYEmUCHPNrU2MBdnJf4s4xLK5AyLDP5ucd',
];

const fragment = fc.oneof(
  fc.constantFrom(...VALID_ADDRESSES),
  fc.constantFrom(...VALID_ADDRESSES).map((a) => a.slice(0, a.length - 3)),
  fc.constantFrom(' ', '\n', '\r\n', '+', '/', '=', ':', '%', '"', 'bitcoin:', '?amount=1', '\uD800', '😀', '-----BEGIN PGP MESSAGE-----', '-----END PGP MESSAGE-----', '-----BEGIN PGP SIGNED MESSAGE-----', '-----BEGIN PGP SIGNATURE-----'),
  fc.string({ unit: fc.constantFrom(...'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0x+/'), maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const options: fc.Arbitrary<ExtractOptions> = fc.record(
  {
    chains: fc.subarray<Chain>(['btc', 'eth', 'ltc', 'trx', 'xmr']),
    testnets: fc.boolean(),
    skipPgpArmour: fc.boolean(),
    skipBase64: fc.boolean(),
  },
  { requiredKeys: [] },
);

type AddressCase = { readonly text: string; readonly options: ExtractOptions } | { readonly page: TextOp[]; readonly options: ExtractOptions };

let page: string | undefined;
const onionScanPage = () => (page ??= readFileSync(path.resolve(import.meta.dirname, '../../../shared/data/onion/onionscan-bitcoin.html'), 'utf8'));

/** Address extraction from text. */
export const addresses: FuzzTarget<AddressCase> = {
  name: 'addresses',
  description: 'extractAddresses / validateAddress: unicode, address fragments, armour, base64, the OnionScan page mutated, 50 kB texts',
  runs: { test: 1000, full: 10_000 },
  boundMs: 2000,
  setup: () => void onionScanPage(),
  arbitrary: () =>
    fc.oneof(
      { weight: 2, arbitrary: fc.record({ text: fc.string({ unit: 'binary', maxLength: 2000 }), options }) },
      { weight: 4, arbitrary: fc.record({ text: fc.array(fragment, { maxLength: 60 }).map((a) => a.join('')), options }) },
      { weight: 3, arbitrary: fc.record({ page: textOps(['bitcoin:', ' ', '<', '>', '"', '=', '-----BEGIN PGP MESSAGE-----\n', '-----END PGP MESSAGE-----\n', 'A'.repeat(64), ...VALID_ADDRESSES], { maxRepeat: 200 }), options }) },
      { weight: 1, arbitrary: fc.record({ text: fc.array(fragment, { minLength: 400, maxLength: 800 }).map((a) => a.join('')), options }) },
    ),
  run(c) {
    const text = 'text' in c ? c.text : applyTextOps(onionScanPage(), c.page);
    const found = extractAddresses(text, c.options);
    let last = -1;
    for (const f of found) {
      if (f.start < last || f.end <= f.start) throw new Error(`results out of order or overlapping at ${f.start}..${f.end}`);
      const written = text.slice(f.start, f.end);
      const v = validateAddress(written, { testnets: c.options.testnets });
      if (v?.address !== f.address) throw new Error(`${written} at ${f.start} is not the valid address ${f.address}`);
      if (c.options.chains && !c.options.chains.includes(f.chain)) throw new Error(`found ${f.chain} outside the chains asked`);
      last = f.end;
    }
  },
};
