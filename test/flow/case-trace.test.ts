/**
 * `case.trace` over an on-disk case: blocks built with bitcoinjs-lib are ingested with
 * `ingestBitcoin`, and tracing over the case's indexes gives the same answer as tracing over the
 * same transactions in memory. Also `case.flags()` reads stored flags back with explain().
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case, ingestBitcoin, rawBlockSource, spendGraphFromTxs, traceTaint, type Flag, type Tx } from '../../src/index.js';
import { BitcoinWorld } from '../../scripts/training-case/bitcoin-world.js';

let dir: string;
let c: Case;
let txs: Tx[];
let vendor: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-trace-'));
  const w = new BitcoinWorld('case-trace');
  const miner = w.newAddress('miner', 'p2wpkh');
  w.mine(miner);
  w.mine(miner);
  const buyers = (['p2pkh', 'p2tr', 'p2sh-p2wpkh'] as const).map((t, i) => w.newAddress(`buyer${i}`, t));
  w.pay('miner', buyers.map((addr) => ({ addr, value: 100_000_000n })));
  w.mine(miner);
  const shop = w.newAddress('vendor', 'p2wpkh');
  vendor = shop.address;
  buyers.forEach((b, i) => w.pay(`buyer${i}`, [{ addr: shop, value: BigInt(10_000_000 * (i + 1)) }]));
  w.mine(miner);
  const exchange = w.newAddress('exchange', 'p2wpkh');
  w.pay('vendor', [{ addr: exchange, value: 25_000_000n }]);
  w.mine(miner);
  c = await Case.open(path.join(dir, 'case'));
  const result = await ingestBitcoin(c, rawBlockSource(w.rawBlocks()));
  expect(result.unresolved).toBe(0);
  txs = [];
  for await (const tx of c.list('tx')) txs.push(tx);
}, 60_000);

afterAll(async () => {
  await c.close();
  await rm(dir, { recursive: true, force: true });
});

describe('case.trace', () => {
  for (const policy of ['poison', 'haircut', 'fifo'] as const) {
    for (const direction of ['forward', 'backward'] as const) {
      it(`${policy} ${direction} equals tracing the same transactions in memory`, async () => {
        const fromCase = await c.trace(vendor, { policy, direction });
        const inMemory = await traceTaint(spendGraphFromTxs(txs), vendor, { policy, direction });
        expect(fromCase.start).toBeGreaterThan(0n);
        expect(fromCase).toEqual(inMemory);
      });
    }
  }

  it('reads stored flags back, most severe first, with explain()', async () => {
    const flag = (id: string, severity: number): Flag => ({ id, kind: 'wildlife-payment-in', severity, listingIds: ['m/1'], vendorIds: ['m/v'], amounts: { btc: 5n }, paths: [], pages: [], evidence: [] });
    await c.store.write((b) => {
      b.put('flag', 'a', flag('a', 50));
      b.put('flag', 'b', flag('b', 90));
    });
    const flags = await c.flags();
    expect(flags.map((f) => f.id)).toEqual(['b', 'a']);
    expect(flags[0].explain()).toContain('m/1');
    expect(flags[0].toJSON().amounts).toEqual({ btc: '5' });
  });
});
