import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hash160Into, ripemd160Into, sha256dInto, sha256Into } from '../../src/bitcoin/digest.js';

describe('allocation-free SHA-256 / RIPEMD-160 agree with node:crypto (OpenSSL)', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 16) & 0xff;
  const msg = Buffer.from(Array.from({ length: 1300 }, rnd));
  const out = Buffer.alloc(40);

  it('for every length 0–300 and a few long ones, at an offset', () => {
    for (const len of [...Array.from({ length: 301 }, (_, i) => i), 511, 512, 1023, 1024, 1200]) {
      const m = msg.subarray(3, 3 + len);
      sha256Into(msg, 3, 3 + len, out, 4);
      expect(out.subarray(4, 36).toString('hex'), `sha256 len ${len}`).toBe(hash('sha256', m));
      ripemd160Into(msg, 3, 3 + len, out, 1);
      expect(out.subarray(1, 21).toString('hex'), `ripemd160 len ${len}`).toBe(hash('ripemd160', m));
      sha256dInto(msg, 3, 3 + len, out, 0);
      expect(out.subarray(0, 32).toString('hex')).toBe(hash('sha256', hash('sha256', m, 'buffer')));
      hash160Into(msg, 3, 3 + len, out, 0);
      expect(out.subarray(0, 20).toString('hex')).toBe(hash('ripemd160', hash('sha256', m, 'buffer')));
    }
  });

  it('the published test vectors', () => {
    const abc = Buffer.from('abc');
    sha256Into(abc, 0, 3, out);
    expect(out.subarray(0, 32).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    ripemd160Into(abc, 0, 3, out);
    expect(out.subarray(0, 20).toString('hex')).toBe('8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
  });
});
