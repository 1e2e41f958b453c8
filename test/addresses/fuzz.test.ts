// fast-check fuzzing of extractAddresses: any string, and strings built from address fragments,
// armour markers and base64 — never throws, stays fast, and every result is a real address at
// its offsets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractAddresses, validateAddress } from '../../src/addresses/index.js';

const VALID = [
  '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx',
  'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  'LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb',
  'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre',
  '49Xgwx3RfyV3ZMEVyrUNuUMzgQ1WHjkWL5T6Xk7QaTszggbtPbRPEkZQau9yACYEmUCHPNrU2MBdnJf4s4xLK5AyLDP5ucd',
];
const fragment = fc.oneof(
  fc.constantFrom(...VALID),
  fc.constantFrom(...VALID).map((a) => a.slice(0, a.length - 3)),
  fc.constantFrom(' ', '\n', '\r\n', '+', '/', '=', ':', '%', '"', '\uD800', '😀', '-----BEGIN PGP MESSAGE-----', '-----END PGP MESSAGE-----', '-----BEGIN PGP SIGNED MESSAGE-----'),
  fc.string({ unit: fc.constantFrom(...'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0x+/'), maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

function checkResult(text: string): void {
  const found = extractAddresses(text);
  let last = -1;
  for (const f of found) {
    expect(f.start).toBeGreaterThanOrEqual(last);
    expect(f.end).toBeGreaterThan(f.start);
    const written = text.slice(f.start, f.end);
    expect(validateAddress(written)?.address).toBe(f.address);
    last = f.end;
  }
}

describe('extractAddresses fuzzing', () => {
  it('any unicode string: no throw, ordered results that validate', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), checkResult), { numRuns: 500 });
  });

  it('texts built from address fragments, armour markers and base64: same guarantees', () => {
    fc.assert(fc.property(fc.array(fragment, { maxLength: 60 }).map((a) => a.join('')), checkResult), { numRuns: 1000 });
  });

  it('an address planted between spaces in text without armour or base64 is always found there', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abc xyz.,;!?\n'), maxLength: 300 }),
        fc.constantFrom(...VALID),
        fc.string({ unit: fc.constantFrom(...'abc xyz.,;!?\n'), maxLength: 300 }),
        (before, address, after) => {
          const text = `${before} ${address} ${after}`;
          const found = extractAddresses(text);
          expect(found.some((f) => f.start === before.length + 1 && f.end === before.length + 1 + address.length)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays fast: 300 random 50 kB texts in bounded time', () => {
    const t = performance.now();
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 400, maxLength: 800 }).map((a) => a.join('')), (text) => {
        extractAddresses(text);
      }),
      { numRuns: 300 },
    );
    expect(performance.now() - t).toBeLessThan(25_000);
  });
});
