import * as ecc from '@bitcoinerlab/secp256k1';
import * as bitcoin from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { memoLookup, memoStore, resetAddressMemo } from '../../src/bitcoin/address-memo.js';
import { classifyScript } from '../../src/bitcoin/script.js';
import { decodeBitcoinBlock } from '../../src/index.js';
import { block413567 } from './data.js';

bitcoin.initEccLib(ecc);

describe('per-block address memo', () => {
  it('gives back exactly the job stored for a key, and nothing for another key or kind, even with colliding slots', () => {
    resetAddressMemo();
    const keys: Uint8Array[] = [];
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 16) & 0xff;
    // 3x more keys than slots: most slots are claimed several times, so evictions happen
    for (let i = 0; i < 3 * 8192; i++) keys.push(Uint8Array.from({ length: 20 + (i % 3) * 6 }, rnd));
    keys.forEach((k, i) => {
      if (memoLookup(i % 2, k, 0, k.length) < 0) memoStore(i);
    });
    let hits = 0;
    keys.forEach((k, i) => {
      const got = memoLookup(i % 2, k, 0, k.length);
      if (got >= 0) {
        hits++;
        expect(got).toBe(i);
      } else memoStore(i);
      expect(memoLookup((i % 2) + 2, k, 0, k.length), 'another kind never hits').toBe(-1);
      memoStore(100_000 + i);
    });
    expect(hits).toBeGreaterThan(0);
    resetAddressMemo();
    expect(memoLookup(0, keys[0], 0, keys[0].length), 'a reset empties it').toBe(-1);
  });

  it('decoding block 413,567 twice gives identical results, equal to bitcoinjs-lib for every output', () => {
    const raw = block413567();
    const a = decodeBitcoinBlock(raw);
    const b = decodeBitcoinBlock(raw);
    expect(b).toEqual(a);
    const ref = bitcoin.Block.fromBuffer(raw);
    ref.transactions!.forEach((tx, t) =>
      tx.outs.forEach((out, n) => {
        let want: string | undefined;
        try {
          want = bitcoin.address.fromOutputScript(out.script);
        } catch {
          want = undefined;
        }
        if (a.txs[t].outputs[n].scriptType !== 'p2pk') expect(a.txs[t].outputs[n].address).toBe(want);
      }),
    );
  });

  it('keeps networks apart: the same witness program gets the bech32 prefix of the network asked for', () => {
    const program = new Uint8Array(20).fill(7);
    const script = Uint8Array.from([0x00, 0x14, ...program]);
    const test = classifyScript(script, 'testnet').address;
    const reg = classifyScript(script, 'regtest').address;
    const main = classifyScript(script, 'bitcoin').address;
    expect(test).toBe(bitcoin.address.fromOutputScript(script, bitcoin.networks.testnet));
    expect(reg).toBe(bitcoin.address.fromOutputScript(script, bitcoin.networks.regtest));
    expect(main).toBe(bitcoin.address.fromOutputScript(script, bitcoin.networks.bitcoin));
  });
});
