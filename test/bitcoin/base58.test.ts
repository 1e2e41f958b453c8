import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { base58Of25, base58Of25Many } from '../../src/bitcoin/address.js';

describe('Base58 of 25-byte payloads, one and two at a time, agrees with @scure/base', () => {
  let seed = 20261129;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 16) & 0xff;
  const payloads: Uint8Array[] = [
    new Uint8Array(25), // all zero: 25 '1's
    new Uint8Array(25).fill(0xff), // the largest number
    Uint8Array.from({ length: 25 }, (_, i) => (i === 24 ? 1 : 0)), // 24 zero bytes then 1
  ];
  // every count of leading zero bytes, before random and before 0xff bytes (carries through every limb)
  for (let z = 0; z <= 25; z++) {
    payloads.push(Uint8Array.from({ length: 25 }, (_, i) => (i < z ? 0 : rnd())));
    payloads.push(Uint8Array.from({ length: 25 }, (_, i) => (i < z ? 0 : 0xff)));
  }
  // powers of 58 and their neighbours: numbers where the quotient by 58⁵ lands on an integer
  for (let e = 1; e < 34; e++) {
    const n = 58n ** BigInt(e);
    for (const d of [-1n, 0n, 1n]) {
      const v = n + d;
      const bytes = new Uint8Array(25);
      let x = v;
      for (let i = 24; i >= 0; i--, x >>= 8n) bytes[i] = Number(x & 0xffn);
      payloads.push(bytes);
    }
  }
  for (let i = 0; i < 2000; i++) payloads.push(Uint8Array.from({ length: 25 }, rnd));

  it('one at a time', () => {
    for (const p of payloads) expect(base58Of25(p, 0)).toBe(base58.encode(p));
  });

  it('many, for odd and even counts, into the slots named by the index', () => {
    for (const count of [0, 1, 2, 3, 7, payloads.length]) {
      const flat = new Uint8Array(25 * count);
      payloads.slice(0, count).forEach((p, k) => flat.set(p, 25 * k));
      const index = Int32Array.from({ length: count }, (_, k) => count - 1 - k); // reversed slots
      const out: string[] = new Array(count).fill('');
      base58Of25Many(flat, count, out, index);
      payloads.slice(0, count).forEach((p, k) => expect(out[count - 1 - k], `payload ${k} of ${count}`).toBe(base58.encode(p)));
    }
  });
});
