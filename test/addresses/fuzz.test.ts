// Property of extractAddresses beyond "never crashes" (that, with validity at offsets and speed, is
// the `addresses` target of the fuzz harness in test/fuzz): an address planted between spaces in
// plain text is always found exactly there.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractAddresses } from '../../src/addresses/index.js';
import { VALID_ADDRESSES } from '../fuzz/addresses.js';

describe('extractAddresses fuzzing', () => {
  it('an address planted between spaces in text without armour or base64 is always found there', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abc xyz.,;!?\n'), maxLength: 300 }),
        fc.constantFrom(...VALID_ADDRESSES),
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
});
