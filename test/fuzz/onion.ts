/**
 * Fuzz target of onion-address validation (src/market/onion.ts): random strings, mutated valid
 * v3 addresses (the Tor rend-spec-v3 examples and the fixture markets' hosts: character changes,
 * case, subdomains, ports, truncation), texts with addresses planted in noise, and public keys of
 * any length.
 *
 * Accepted addresses round-trip through their public key; every address planted between spaces
 * is extracted at its offsets; a key of 32 bytes gives a valid address, any other length an
 * `ONION_BAD_KEY` error.
 */
import fc from 'fast-check';
import { fixtureOnionHost } from '../../adapters/markets/fixtures/index.js';
import { extractOnionAddresses, isValidOnionAddress, onionAddressFromPublicKey, parseOnionAddress } from '../../src/market/index.js';
import type { FuzzTarget } from './harness.js';
import { applyTextOps, textOps, type TextOp } from './mutate.js';

/** Tor rend-spec-v3 §6 examples. */
const SPEC = [
  'pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion',
  'sp3k262uwy4r2k3ycr5awluarykdpag6a7y33jxop4cs2lu5uz5sseqd.onion',
  'xa4r2iadxm55fbnqgwwi5mymqdcofiu3w6rpbtqn7b2dyn7mgwj64jyd.onion',
];
const VALID = [...SPEC, ...['aurora', 'mangrove', 'pangolin'].map(fixtureOnionHost)];
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const HOST_TOKENS = ['.', '-', 'www.', 'shop.', ':80', '.onion', 'onion', 'http://', '/', 'A', '2', '7', '8', '1', '0', 'xn--', '..', '_', ' '];

type OnionCase =
  | { readonly kind: 'string'; readonly s: string }
  | { readonly kind: 'mutated'; readonly base: number; readonly ops: TextOp[] }
  | { readonly kind: 'text'; readonly noise: string[]; readonly planted: number[] }
  | { readonly kind: 'key'; readonly key: Uint8Array };

function checkParsed(host: string): void {
  const p = parseOnionAddress(host);
  if (isValidOnionAddress(host) !== (p !== undefined)) throw new Error(`isValidOnionAddress disagrees with parseOnionAddress on ${host}`);
  if (!p) return;
  if (!/^[a-z2-7]{56}\.onion$/.test(p.onion)) throw new Error(`non-canonical onion ${p.onion}`);
  if (onionAddressFromPublicKey(p.publicKey) !== p.onion) throw new Error(`${host} does not round-trip through its public key`);
  if (!host.toLowerCase().endsWith(p.onion)) throw new Error(`${p.onion} is not the end of ${host}`);
}

/** Onion validation and extraction. */
export const onion: FuzzTarget<OnionCase> = {
  name: 'onion',
  description: 'parseOnionAddress / isValidOnionAddress / extractOnionAddresses / onionAddressFromPublicKey',
  runs: { test: 3000, full: 25_000 },
  boundMs: 1000,
  codes: /^ONION_BAD_KEY$/,
  arbitrary: () =>
    fc.oneof(
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('string' as const), s: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: fc.constantFrom(...`${BASE32}.-`), minLength: 50, maxLength: 80 }).map((s) => `${s}.onion`)) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('mutated' as const), base: fc.nat(), ops: fc.oneof({ weight: 1, arbitrary: fc.constant<TextOp[]>([]) }, { weight: 8, arbitrary: textOps([...HOST_TOKENS, ...BASE32], { maxOps: 3, maxRepeat: 300 }) }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), noise: fc.array(fc.string({ unit: fc.constantFrom(...`${BASE32}.-:/ \nxyz`), maxLength: 80 }), { minLength: 1, maxLength: 6 }), planted: fc.array(fc.nat(), { maxLength: 5 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('key' as const), key: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 })) }) },
    ),
  run(c) {
    switch (c.kind) {
      case 'string':
        checkParsed(c.s);
        for (const f of extractOnionAddresses(c.s)) checkParsed(c.s.slice(f.start, f.end));
        return;
      case 'mutated':
        checkParsed(applyTextOps(VALID[c.base % VALID.length], c.ops));
        return;
      case 'text': {
        let text = '';
        const at: [number, string][] = [];
        c.noise.forEach((n, i) => {
          text += n;
          if (i < c.planted.length) {
            const a = VALID[c.planted[i] % VALID.length];
            text += ' ';
            at.push([text.length, a]);
            text += `${a} `;
          }
        });
        const found = extractOnionAddresses(text);
        for (const f of found) if (f.onion !== text.slice(f.start, f.end).toLowerCase()) throw new Error(`offsets of ${f.onion} are wrong`);
        for (const [start, a] of at) if (!found.some((f) => f.start === start && f.onion === a)) throw new Error(`planted ${a} at ${start} not found`);
        return;
      }
      case 'key': {
        const a = onionAddressFromPublicKey(c.key);
        if (!isValidOnionAddress(a)) throw new Error(`address of a 32-byte key is not valid: ${a}`);
        return;
      }
    }
  },
};
