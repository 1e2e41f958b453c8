/**
 * Real Bitcoin block 413,567 (../shared/data/bitcoin/block413567.raw, decoded by
 * `decodeBitcoinBlock`; input addresses come from the scriptSigs). The multi-input clusters are
 * recomputed independently by a plain BFS over a Map-based graph, and the partitions must be
 * equal; `explainLink` must give a valid chain for sampled same-cluster pairs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterAddresses, decodeBitcoinBlock, type AddressClustering, type Tx } from '../../src/index.js';
import { detectCoinJoin } from '../../src/bitcoin/heuristics/index.js';
import { canonicalPartition } from './helpers/graphsense.js';

const BLOCK = path.join(import.meta.dirname, '../../../shared/data/bitcoin/block413567.raw');

/** Multi-input clusters by BFS over an adjacency Map (no union-find involved). */
function bfsClusters(txs: readonly Tx[], skip: (tx: Tx) => boolean): string[][] {
  const graph = new Map<string, Set<string>>();
  const node = (a: string) => graph.get(a) ?? graph.set(a, new Set()).get(a)!;
  for (const tx of txs) {
    for (const o of tx.outputs) if (o.address !== undefined) node(o.address);
    const ins = tx.inputs.filter((i) => !i.coinbase && i.address !== undefined).map((i) => i.address!);
    for (const a of ins) node(a);
    if (skip(tx)) continue;
    for (let i = 1; i < ins.length; i++) {
      if (ins[i] === ins[0]) continue;
      node(ins[0]).add(ins[i]);
      node(ins[i]).add(ins[0]);
    }
  }
  const done = new Set<string>();
  const groups: string[][] = [];
  for (const start of graph.keys()) {
    if (done.has(start)) continue;
    const group = [start];
    done.add(start);
    for (let k = 0; k < group.length; k++) {
      for (const next of graph.get(group[k])!) {
        if (!done.has(next)) {
          done.add(next);
          group.push(next);
        }
      }
    }
    groups.push(group);
  }
  return canonicalPartition(groups);
}

describe('block 413,567', () => {
  let txs: Tx[];
  let excluded: AddressClustering;
  beforeAll(() => {
    txs = decodeBitcoinBlock(readFileSync(BLOCK)).txs;
    excluded = clusterAddresses(txs);
  });

  it('reports the cluster count and the largest cluster (CoinJoins excluded)', () => {
    let largest = { id: -1, size: 0 };
    let multi = 0;
    for (const c of excluded.clusters()) {
      if (c.addresses.length > 1) multi++;
      if (c.addresses.length > largest.size) largest = { id: c.id, size: c.addresses.length };
    }
    const coinjoins = txs.filter((t) => detectCoinJoin(t).isCoinJoin).map((t) => ({ txid: t.txid, fired: detectCoinJoin(t).fired.map((d) => d.detector) }));
    console.log(
      `block 413567: ${txs.length} txs, ${excluded.addressCount} addresses, ${excluded.clusterCount} clusters ` +
        `(${multi} with more than one address), largest cluster ${largest.size} addresses (id ${largest.id}, ` +
        `contains ${excluded.address(largest.id)}); CoinJoins excluded: ${JSON.stringify(coinjoins)}`,
    );
    expect(excluded.clusterCount).toBeLessThan(excluded.addressCount);
    expect(largest.size).toBeGreaterThan(1);
    expect(excluded.stats.coinjoinsExcluded).toBe(coinjoins.length);
    expect(excluded.stats.txs).toBe(1557);
  });

  it('multi-input clusters equal an independent BFS over a Map graph (CoinJoins excluded)', () => {
    const ours = canonicalPartition([...excluded.clusters()].map((c) => c.addresses));
    expect(ours).toEqual(bfsClusters(txs, (tx) => detectCoinJoin(tx).isCoinJoin));
  });

  it('multi-input clusters equal an independent BFS over a Map graph (CoinJoins included)', () => {
    const included = clusterAddresses(txs, { coinjoin: 'include' });
    const ours = canonicalPartition([...included.clusters()].map((c) => c.addresses));
    expect(ours).toEqual(bfsClusters(txs, () => false));
    expect(included.clusterCount).toBeLessThanOrEqual(excluded.clusterCount);
  });

  it('explainLink gives a valid chain of evidence for 300 sampled same-cluster pairs', () => {
    const byTxid = new Map(txs.map((t) => [`tx:${t.txid}`, t]));
    const multi = [...excluded.clusters()].filter((c) => c.addresses.length > 1);
    let seed = 413567;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let k = 0; k < 300; k++) {
      const c = multi[rand(multi.length)];
      const a = c.addresses[rand(c.addresses.length)];
      const b = c.addresses[rand(c.addresses.length)];
      const chain = excluded.explainLink(a, b);
      let at = a;
      for (const link of chain) {
        if (link.a.kind !== 'address' || link.b.kind !== 'address') throw new Error('address links only');
        expect(link.a.address.address).toBe(at);
        const tx = byTxid.get(link.evidence.proof)!;
        const inputs = new Set(tx.inputs.map((i) => i.address));
        expect(inputs.has(link.a.address.address) && inputs.has(link.b.address.address)).toBe(true);
        expect(detectCoinJoin(tx).isCoinJoin).toBe(false);
        at = link.b.address.address;
      }
      expect(at).toBe(b);
    }
  });
});
