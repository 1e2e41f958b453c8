/**
 * GraphSense's golden UTXO chain: the clusters must equal GraphSense's reference clusters, with
 * CoinJoin filtering (address_cluster.json) and without it (address_cluster_with_coinjoin.json).
 * The chain marks its CoinJoin (tx 5) only by its precomputed `coinjoin: true` field.
 */
import { describe, expect, it } from 'vitest';
import { clusterAddresses, ClusterError } from '../../src/index.js';
import { detectCoinJoin } from '../../src/bitcoin/heuristics/index.js';
import { canonicalPartition, goldenClusters, goldenTxs, partitionOf } from './helpers/graphsense.js';

describe('GraphSense golden UTXO chain', () => {
  const txs = goldenTxs();

  it('reads 10 transactions, one flagged CoinJoin, one bare multisig output with no address', () => {
    expect(txs).toHaveLength(10);
    expect(txs.filter((t) => t.coinjoin)).toHaveLength(1);
    const multisig = txs.flatMap((t) => t.outputs).filter((o) => o.scriptType === 'multisig');
    expect(multisig).toHaveLength(1);
    expect(multisig[0].address).toBeUndefined();
    // the CoinJoin is known only by the flag: no built-in detector recognises its shape
    expect(detectCoinJoin(txs.find((t) => t.coinjoin)!).isCoinJoin).toBe(false);
  });

  it('with CoinJoin filtering (the default), the clusters equal reference/address_cluster.json', () => {
    const ref = goldenClusters('address_cluster.json');
    const result = clusterAddresses(txs);
    const ours = canonicalPartition([...result.clusters()].map((c) => c.addresses));
    expect(ours).toEqual(partitionOf(ref));
    expect(result.stats.coinjoinsExcluded).toBe(1);
    // ids follow first appearance as GraphSense's do (GraphSense's id 0 is its `coinbase`
    // pseudo-address), so every cluster id is GraphSense's minus one
    for (const [address, gsCluster] of ref) expect(result.clusterOf(address)).toBe(gsCluster - 1);
  });

  it('without CoinJoin filtering, the clusters equal reference/address_cluster_with_coinjoin.json', () => {
    const ref = goldenClusters('address_cluster_with_coinjoin.json');
    const result = clusterAddresses(txs, { coinjoin: 'include' });
    const ours = canonicalPartition([...result.clusters()].map((c) => c.addresses));
    expect(ours).toEqual(partitionOf(ref));
    for (const [address, gsCluster] of ref) expect(result.clusterOf(address)).toBe(gsCluster - 1);
  });

  it('an external verdict through isCoinJoin works like the flag', () => {
    const unflagged = txs.map((t) => ({ ...t, coinjoin: undefined }));
    const cjTxid = txs.find((t) => t.coinjoin)!.txid;
    const without = clusterAddresses(unflagged);
    expect(partitionOf(new Map([...without.clusters()].flatMap((c) => c.addresses.map((a) => [a, c.id] as [string, number]))))).toEqual(
      partitionOf(goldenClusters('address_cluster_with_coinjoin.json')),
    );
    const withVerdict = clusterAddresses(unflagged, { isCoinJoin: (t) => t.txid === cjTxid });
    expect(canonicalPartition([...withVerdict.clusters()].map((c) => c.addresses))).toEqual(partitionOf(goldenClusters('address_cluster.json')));
  });

  it('the multisig output takes no part, as in GraphSense: its keys are not clustered with tx 8 inputs', () => {
    const result = clusterAddresses(txs);
    expect(result.clusterOf('1E5UPs8bXBq7v7D2b7BYNU19ZviX2LMgEe')).toBeUndefined();
    expect(result.clusterOf('1KLWBUTPXtRB7wvTYq9TYdeo93fAKvWPKs')).toBeUndefined();
    expect(result.stats.unresolvedInputs).toBe(1);
  });

  it('explainLink gives the chain of evidence for every same-cluster pair and fails clearly otherwise', () => {
    for (const mode of ['exclude', 'include'] as const) {
      const result = clusterAddresses(txs, { coinjoin: mode });
      for (const c of result.clusters()) {
        for (const a of c.addresses) {
          for (const b of c.addresses) {
            const chain = result.explainLink(a, b);
            if (a === b) expect(chain).toEqual([]);
            else {
              expect(chain[0].a).toMatchObject({ kind: 'address', address: { chain: 'btc', address: a } });
              expect(chain.at(-1)!.b).toMatchObject({ address: { address: b } });
              for (let i = 1; i < chain.length; i++) expect(chain[i].a).toEqual(chain[i - 1].b);
              for (const link of chain) {
                expect(link.evidence.heuristic).toBe('multi-input');
                expect(link.evidence.confidence).toBeGreaterThan(0.9);
                // the proof is a transaction that really spends from both ends
                const tx = txs.find((t) => `tx:${t.txid}` === link.evidence.proof)!;
                const ins = tx.inputs.map((i) => i.address);
                expect(ins).toContain(link.a.kind === 'address' ? link.a.address.address : '');
                expect(ins).toContain(link.b.kind === 'address' ? link.b.address.address : '');
              }
            }
          }
        }
      }
    }
    const result = clusterAddresses(txs);
    expect(() => result.explainLink('1HxbaBMF2jXBVnagoHvaA6rLxmaYL8gb8T', '1FDCgJ8m2xDyVmYuankk13XReVC2Zvs5cz')).toThrow(ClusterError);
    try {
      result.explainLink('1HxbaBMF2jXBVnagoHvaA6rLxmaYL8gb8T', '1FDCgJ8m2xDyVmYuankk13XReVC2Zvs5cz');
    } catch (err) {
      expect((err as ClusterError).code).toBe('NOT_LINKED');
    }
    expect(() => result.explainLink('1HxbaBMF2jXBVnagoHvaA6rLxmaYL8gb8T', '1NotAnAddressSeen')).toThrow(/never appeared/);
  });
});
