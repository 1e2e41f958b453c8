/**
 * Case-level incremental clustering: blocks ingested with `ingestBitcoin` are clustered one at a
 * time into an on-disk case (closed and reopened between blocks, so the state really comes back
 * from LevelDB), and the final partition equals the in-memory `clusterAddresses` partition.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Case, CaseClustering, ClusterError, clusterAddresses, clusterCase, decodeBitcoinBlock, ingestBitcoin, type Block } from '../../src/index.js';
import { canonicalPartition, goldenBlocks, goldenTxs } from './helpers/graphsense.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-cluster-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const strip = (key: string) => key.slice(key.indexOf(':') + 1);

function goldenChain(): Block[] {
  const txs = goldenTxs();
  let prev = '0'.repeat(64);
  return goldenBlocks().map((b) => {
    const block: Block = { chain: 'btc', hash: b.hash, height: b.height, prevHash: prev, time: b.time, txs: b.txids.map((id) => txs.find((t) => t.txid === id)!) };
    prev = b.hash;
    return block;
  });
}

describe('clusterCase', () => {
  for (const coinjoin of ['exclude', 'include'] as const) {
    it(`golden chain, block by block with reopen, equals clusterAddresses (coinjoin: ${coinjoin})`, async () => {
      const blocks = goldenChain();
      const where = path.join(dir, `case-${coinjoin}`);
      for (const block of blocks) {
        const c = await Case.open(where);
        await ingestBitcoin(c, [block]);
        const clustering = await clusterCase(c, { coinjoin });
        expect(clustering.stats.txs).toBe(block.txs.length);
        await c.close();
      }
      const c = await Case.open(where);
      const clustering = await CaseClustering.load(c, { coinjoin });
      expect((await clustering.update()).blocks).toBe(0);
      const ours = canonicalPartition((await fromAsync(clustering.clusters())).map((cl) => cl.addresses.map(strip)));
      const memory = clusterAddresses(blocks.flatMap((b) => b.txs), { coinjoin });
      expect(ours).toEqual(canonicalPartition([...memory.clusters()].map((cl) => cl.addresses)));
      // explainLink from the persisted merge log
      for (const cl of await fromAsync(clustering.clusters())) {
        for (const b of cl.addresses.slice(1)) {
          const chain = await clustering.explainLink(cl.addresses[0], b);
          expect(chain.length).toBeGreaterThan(0);
          expect(chain[0].a).toMatchObject({ address: { address: strip(cl.addresses[0]) } });
          expect(chain.at(-1)!.b).toMatchObject({ address: { address: strip(b) } });
          expect(chain[0].evidence.proof).toMatch(/^tx:[0-9a-f]{64}$/);
        }
      }
      await expect(clustering.explainLink('1HxbaBMF2jXBVnagoHvaA6rLxmaYL8gb8T', '138cWsiAGpW9yqfjMVCCsFcnaiSHyoWMnJ')).rejects.toMatchObject({ code: 'NOT_LINKED' });
      expect(await clustering.clusterOf('1NeverSeen')).toBeUndefined();
      await c.close();
    });
  }

  it('refuses to continue with other options, and rebuilds on request', async () => {
    const c = await Case.memory();
    await ingestBitcoin(c, goldenChain());
    await clusterCase(c);
    await expect(CaseClustering.load(c, { coinjoin: 'include' })).rejects.toBeInstanceOf(ClusterError);
    await expect(CaseClustering.load(c, { coinjoin: 'include' })).rejects.toMatchObject({ code: 'CLUSTER_OPTIONS_CHANGED' });
    const rebuilt = await clusterCase(c, { coinjoin: 'include', rebuild: true });
    expect(await rebuilt.clusterOf('1HxbaBMF2jXBVnagoHvaA6rLxmaYL8gb8T')).toBe(await rebuilt.clusterOf('1FDCgJ8m2xDyVmYuankk13XReVC2Zvs5cz'));
    await c.close();
  });

  it('clusters each block once when updates run together, and refuses an object another one has overtaken', async () => {
    // update() listed the unclustered blocks, then awaited per block: a second update of the same
    // object running beside it listed the same blocks and clustered them again, writing duplicate
    // chunks under new sequence numbers (doubled stats, a digest no single run gives)
    const golden = async () => {
      const c = await Case.memory();
      await ingestBitcoin(c, goldenChain());
      return c;
    };
    const reference = await golden();
    const once = await clusterCase(reference);
    const want = await reference.store.digest();
    const partition = await fromAsync(once.clusters());

    const c1 = await golden();
    const one = await CaseClustering.load(c1);
    const results = await Promise.all([one.update(), one.update()]);
    expect(results.map((r) => r.blocks)).toEqual([4, 0]);
    expect(one.stats.txs).toBe(once.stats.txs);
    expect(await c1.store.digest()).toEqual(want);

    const c2 = await golden();
    const [a, b] = await Promise.all([clusterCase(c2), clusterCase(c2)]);
    expect(await c2.store.digest()).toEqual(want);
    expect(await fromAsync(a.clusters())).toEqual(partition);
    expect(await fromAsync(b.clusters())).toEqual(partition);

    // an object loaded before another one clustered the case: its next update wrote its chunks from
    // sequence 0 again, over the other object's, and the blocks those held were lost
    const c3 = await Case.memory();
    const chain = goldenChain();
    await ingestBitcoin(c3, chain.slice(0, 2));
    const [x, y] = await Promise.all([CaseClustering.load(c3), CaseClustering.load(c3)]);
    expect((await x.update()).blocks).toBe(2);
    await ingestBitcoin(c3, chain.slice(2));
    await expect(y.update()).rejects.toMatchObject({ code: 'CLUSTER_STATE_STALE' });
    expect((await x.update()).blocks).toBe(2);
    expect(await fromAsync((await CaseClustering.load(c3)).clusters())).toEqual(partition);
    for (const c of [reference, c1, c2, c3]) await c.close();
  });

  it('block 413,567 ingested into a case clusters to the same partition as clusterAddresses', async () => {
    const block = decodeBitcoinBlock(readFileSync(path.join(import.meta.dirname, '../../../shared/data/bitcoin/block413567.raw')));
    const c = await Case.memory();
    await ingestBitcoin(c, [block]);
    const clustering = await clusterCase(c);
    const ours = canonicalPartition((await fromAsync(clustering.clusters())).map((cl) => cl.addresses.map(strip)));
    const memory = clusterAddresses(block.txs);
    expect(ours).toEqual(canonicalPartition([...memory.clusters()].map((cl) => cl.addresses)));
    await c.close();
  });
});

async function fromAsync<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
