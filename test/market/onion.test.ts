// v3 onion addresses: the Tor rend-spec-v3 examples, every single-character change, every other
// version byte, subdomains (random and mutated hosts: the `onion` target of test/fuzz).
import { sha3_256 } from '@noble/hashes/sha3.js';
import { base32nopad } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { extractOnionAddresses, isValidOnionAddress, onionAddressFromPublicKey, parseOnionAddress } from '../../src/market/index.js';
import { isValidOnionAddress as fromRoot } from '../../src/index.js';

// Tor rendezvous spec v3 §6 examples.
const SPEC = [
  'pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion',
  'sp3k262uwy4r2k3ycr5awluarykdpag6a7y33jxop4cs2lu5uz5sseqd.onion',
  'xa4r2iadxm55fbnqgwwi5mymqdcofiu3w6rpbtqn7b2dyn7mgwj64jyd.onion',
];
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Encodes pubkey | checksum | version with the checksum computed FOR that version. */
function encodeWithVersion(publicKey: Uint8Array, version: number): string {
  const sum = sha3_256(new Uint8Array([...new TextEncoder().encode('.onion checksum'), ...publicKey, version]));
  return `${base32nopad.encode(new Uint8Array([...publicKey, sum[0], sum[1], version])).toLowerCase()}.onion`;
}

describe('isValidOnionAddress', () => {
  it('accepts the three Tor spec examples (also from the package root)', () => {
    for (const a of SPEC) {
      expect(isValidOnionAddress(a), a).toBe(true);
      expect(fromRoot(a)).toBe(true);
      expect(onionAddressFromPublicKey(parseOnionAddress(a)!.publicKey)).toBe(a);
    }
  });

  it('rejects every single-character change of every example', () => {
    let tried = 0;
    for (const a of SPEC) {
      for (let i = 0; i < 56; i++) {
        for (const c of BASE32) {
          if (c === a[i]) continue;
          const changed = a.slice(0, i) + c + a.slice(i + 1);
          expect(isValidOnionAddress(changed), changed).toBe(false);
          tried++;
        }
      }
    }
    expect(tried).toBe(3 * 56 * 31);
  });

  it('rejects every version byte but 3, even with a checksum computed for that version', () => {
    for (const a of SPEC) {
      const key = parseOnionAddress(a)!.publicKey;
      expect(encodeWithVersion(key, 3)).toBe(a);
      for (let v = 0; v < 256; v++) if (v !== 3) expect(isValidOnionAddress(encodeWithVersion(key, v))).toBe(false);
    }
  });

  it('allows subdomains and upper case; rejects bad labels, v2, other TLDs and junk', () => {
    const [a] = SPEC;
    expect(isValidOnionAddress(`www.${a}`)).toBe(true);
    expect(isValidOnionAddress(`a.b-c.${a}`)).toBe(true);
    expect(isValidOnionAddress(a.toUpperCase())).toBe(true);
    expect(parseOnionAddress(`Shop.${a.toUpperCase()}`)).toMatchObject({ onion: a, subdomain: 'shop' });
    for (const bad of [
      `-x.${a}`, `.${a}`, `a..${a}`, `${a}.`, a.replace('.onion', '.com'), a.slice(1), `x${a}`,
      'expyuzz4wqqyqhjn.onion', '', 'onion', `${a}:80`, `http://${a}`,
    ]) {
      expect(isValidOnionAddress(bad), bad).toBe(false);
    }
    expect(isValidOnionAddress(undefined as unknown as string)).toBe(false);
  });

});

describe('hostile input', () => {
  it('rejects 5 MB host names and scans 5 MB texts of base32 in bounded time', () => {
    const t = performance.now();
    expect(isValidOnionAddress(`${'a'.repeat(5_000_000)}.onion`)).toBe(false);
    expect(extractOnionAddresses(`${'a'.repeat(5_000_000)}.onion`)).toEqual([]);
    expect(extractOnionAddresses(`${'ab2.'.repeat(1_000_000)}onion ${SPEC[0]}`).map((f) => f.onion)).toEqual([SPEC[0]]);
    expect(performance.now() - t).toBeLessThan(10_000);
  });
});

describe('extractOnionAddresses', () => {
  it('finds valid onions in text with offsets and drops checksum failures', () => {
    const broken = SPEC[1].replace('sp3k', 'sp3l');
    const text = `mirror: http://${SPEC[0]}/shop, old ${broken}, and ${SPEC[2].toUpperCase()}.`;
    const found = extractOnionAddresses(text);
    expect(found.map((f) => f.onion)).toEqual([SPEC[0], SPEC[2]]);
    for (const f of found) expect(text.slice(f.start, f.end).toLowerCase()).toBe(f.onion);
  });
});
