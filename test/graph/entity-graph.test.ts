import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildEntityGraph,
  Case,
  entityGraph,
  extractSubgraph,
  InvalidInputError,
  louvainCommunities,
  summarizeCommunities,
  type Flag,
  type Tx,
} from '../../src/index.js';

// GraphSense's golden UTXO chain (../shared/data/graphsense-golden-utxo, MIT): 10 real-format
// transactions with the reference address clusters (CoinJoin excluded)
const DATA = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'graphsense-golden-utxo');
const lines = (file: string) =>
  readFileSync(path.join(DATA, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
interface GoldenIo {
  address: string[];
  value: number;
}
const addressById = new Map(lines('reference/address_ids.json').map((r) => [r.addressId as number, r.address as string]));
const clusterOf = new Map(lines('reference/address_cluster.json').map((r) => [addressById.get(r.addressId as number)!, r.clusterId as number]));
const txs: Tx[] = lines('test_txs.json').map((r) => ({
  chain: 'btc',
  txid: r.txHash as string,
  time: r.timestamp as number,
  coinjoin: r.coinjoin as boolean,
  // multisig ins/outs name several addresses: no single address (an unresolved input for the graph)
  inputs: (r.inputs as GoldenIo[]).map((i, k) => ({ prevTxid: `${r.txHash as string}-in`, prevVout: k, value: BigInt(i.value), ...(i.address.length === 1 ? { address: i.address[0] } : {}) })),
  outputs: (r.outputs as GoldenIo[]).map((o, n) => ({ n, value: BigInt(o.value), scriptType: o.address.length === 1 ? 'p2pkh' : 'multisig', ...(o.address.length === 1 ? { address: o.address[0] } : {}) })),
}));

async function goldenCase(): Promise<Case> {
  const c = await Case.memory();
  const flag: Flag = { id: 'f1', kind: 'wildlife-vendor-address', severity: 80, listingIds: ['aurora/1'], vendorIds: ['aurora/IvoryKing'], amounts: {}, paths: [], pages: [], evidence: [] };
  await c.store.write(async (b) => {
    for (const tx of txs) b.put('tx', `btc:${tx.txid}`, tx);
    b.put('tag', 'btc:1AGMAXWELLayCyS1vkLXEszESHEcB3LWqa:t:Maxwell', {
      address: { chain: 'btc', address: '1AGMAXWELLayCyS1vkLXEszESHEcB3LWqa' },
      label: 'Maxwell Exchange',
      category: 'exchange',
      source: 'test',
    });
    b.put('vendor', 'aurora/IvoryKing', { id: 'aurora/IvoryKing', market: 'aurora', handle: 'IvoryKing', addresses: [{ chain: 'btc', address: '1Fm1rJe1CtGuTKxWjQ4MyU7GEwrgkHYn5k' }] });
    b.put('vendor', 'mangrove/IvoryKing2', { id: 'mangrove/IvoryKing2', market: 'mangrove', handle: 'IvoryKing2' });
    b.put('listing', 'aurora/1', { id: 'aurora/1', market: 'aurora', vendorId: 'aurora/IvoryKing', title: 'Raw ivory tusk 2kg' });
    b.put('flag', 'f1', flag);
    b.put('link', 'l1', { a: { kind: 'vendor', vendorId: 'aurora/IvoryKing' }, b: { kind: 'vendor', vendorId: 'mangrove/IvoryKing2' }, evidence: { heuristic: 'shared-pgp', proof: 'page:ab', confidence: 0.9 } });
  });
  return c;
}

const clustering = { clusterOf: (a: string) => clusterOf.get(a) };

describe('entityGraph on the GraphSense golden UTXO chain', () => {
  it('aggregates flows between clusters exactly, drops change, splits multi-entity inputs pro rata', async () => {
    const c = await goldenCase();
    const { graph, skipped, txs: used } = await entityGraph(c, { clustering, listings: true });
    // tx 6 and tx 9: cluster 4 → cluster 10, 140000 + 340000 (the change back to cluster 4 is dropped)
    expect(graph.getEdgeAttributes('flow:cluster:4>cluster:10')).toMatchObject({ kind: 'flow', value: '480000', weight: 480000, txCount: 2, firstSeen: 1231552800, lastSeen: 1231639200 });
    expect(graph.hasEdge('flow:cluster:4>cluster:4')).toBe(false);
    // tx 5 (a CoinJoin, clusters 3 and 2 stay apart) pays cluster 7 twice, 1325000 and 100000, each split
    // 1480000 : 2500000 by what the payers put in, the floor-division remainder to the first payer:
    // cluster 3: 492713 + 1 and 37185 + 1; cluster 2: 832286 and 62814
    expect(graph.getEdgeAttribute('flow:cluster:3>cluster:7', 'value')).toBe(String(492714 + 37186));
    expect(graph.getEdgeAttribute('flow:cluster:2>cluster:7', 'value')).toBe(String(832286 + 62814));
    // tx 8: the tagged exchange address becomes the service node; the multisig input is unresolved
    expect(graph.getNodeAttributes('service:Maxwell Exchange')).toMatchObject({ kind: 'service', tags: 'exchange' });
    expect(graph.getEdgeAttribute('flow:cluster:5>service:Maxwell Exchange', 'value')).toBe('4300000');
    expect(skipped).toEqual({ unresolvedInputs: 1, untimedTxs: 0, txsWithoutInputs: 0 });
    expect(used).toBe(6);
    // attribute edges: advertised address, same person, listing sold (flagged)
    expect(graph.getEdgeAttributes('advertised:person:aurora/IvoryKing>cluster:14')).toMatchObject({ kind: 'advertised' });
    expect(graph.hasEdge('same-person:person:aurora/IvoryKing>person:mangrove/IvoryKing2')).toBe(true);
    expect(graph.getNodeAttributes('listing:aurora/1')).toMatchObject({ kind: 'listing', flagged: true, label: 'Raw ivory tusk 2kg' });
    // value is conserved per tx: all flows out of cluster 5 equal tx 8's outputs
    let out5 = 0n;
    graph.forEachOutEdge('cluster:5', (_e, a) => {
      if (a.kind === 'flow') out5 += BigInt(a.value);
    });
    expect(out5).toBe(4300000n + 149000n);
    await c.close();
  });

  it('cuts to seeds, hops, direction, time window and minimum value', async () => {
    const c = await goldenCase();
    const oneHopIn = await entityGraph(c, { clustering, seeds: ['btc:1Fm1rJe1CtGuTKxWjQ4MyU7GEwrgkHYn5k'], hops: 1, direction: 'in' });
    expect(oneHopIn.graph.nodes().sort()).toEqual(['cluster:14', 'cluster:7', 'person:aurora/IvoryKing']);
    const twoHops = await entityGraph(c, { clustering, seeds: ['aurora/IvoryKing'], hops: 2, direction: 'in' });
    expect(twoHops.graph.nodes().sort()).toEqual(['cluster:14', 'cluster:7', 'person:aurora/IvoryKing', 'person:mangrove/IvoryKing2']);
    const out = await entityGraph(c, { clustering, seeds: ['cluster:14'], hops: 3, direction: 'out' });
    expect(out.graph.nodes().sort()).toEqual(['cluster:14', 'person:aurora/IvoryKing', 'person:mangrove/IvoryKing2']);
    const late = await entityGraph(c, { clustering, from: 1231639200 });
    expect(late.graph.hasEdge('flow:cluster:4>cluster:10')).toBe(true);
    expect(late.graph.getEdgeAttribute('flow:cluster:4>cluster:10', 'value')).toBe('340000');
    expect(late.graph.hasEdge('flow:cluster:1>cluster:3')).toBe(false);
    const big = await entityGraph(c, { clustering, minValue: 1_000_000n });
    big.graph.forEachEdge((_e, a) => {
      if (a.kind === 'flow') expect(BigInt(a.value) >= 1_000_000n).toBe(true);
    });
    await expect(entityGraph(c, { seeds: ['nobody'] })).rejects.toThrow(InvalidInputError);
    await c.close();
  });

  it('finds communities and summarises them: members, value in/out, tags, vendors, flagged listings', async () => {
    const c = await goldenCase();
    const { graph } = await entityGraph(c, { clustering, listings: true });
    const { partition } = louvainCommunities(graph, { seed: 1 });
    const summaries = summarizeCommunities(graph, partition);
    expect(summaries.flatMap((s) => s.members).sort()).toEqual(graph.nodes().sort());
    const vendorCommunity = summaries.find((s) => s.members.includes('person:aurora/IvoryKing'))!;
    expect(vendorCommunity.vendors).toContain('aurora/IvoryKing');
    expect(vendorCommunity.flaggedListings).toEqual(['listing:aurora/1']);
    const exchange = summaries.find((s) => s.members.includes('service:Maxwell Exchange'))!;
    expect(exchange.tags).toContain('exchange');
    // value entering all communities = value leaving them (every cross flow counted once each side)
    const totalIn = summaries.reduce((t, s) => t + s.valueIn, 0n);
    const totalOut = summaries.reduce((t, s) => t + s.valueOut, 0n);
    expect(totalIn).toBe(totalOut);
    let all = 0n;
    graph.forEachEdge((_e, a) => {
      if (a.kind === 'flow') all += BigInt(a.value);
    });
    expect(totalIn + summaries.reduce((t, s) => t + s.valueInternal, 0n)).toBe(all);
    // weight by tx count instead of value also works (attribute edges count 0 tx → weight 0)
    expect(louvainCommunities(graph, { weight: 'txCount', seed: 1 }).count).toBeGreaterThan(0);
    await c.close();
  });
});

describe('buildEntityGraph', () => {
  it('sums bigint flows beyond 2^64 exactly, merges repeated nodes, rejects bad input', () => {
    const g = buildEntityGraph({
      nodes: [
        { id: 'cluster:1', kind: 'cluster', tags: ['mixer'] },
        { id: 'cluster:1', kind: 'cluster', tags: ['sanctioned'] },
      ],
      flows: [
        { from: 'cluster:1', to: 'cluster:2', value: 2n ** 70n, time: 5 },
        { from: 'cluster:1', to: 'cluster:2', value: 1n, time: 3 },
        { from: 'cluster:1', to: 'cluster:1', value: 9n },
      ],
    });
    expect(g.getEdgeAttribute('flow:cluster:1>cluster:2', 'value')).toBe((2n ** 70n + 1n).toString());
    expect(g.getEdgeAttributes('flow:cluster:1>cluster:2')).toMatchObject({ txCount: 2, firstSeen: 3, lastSeen: 5 });
    expect(g.getNodeAttribute('cluster:1', 'tags')).toBe('mixer;sanctioned');
    expect(g.size).toBe(1);
    expect(() => buildEntityGraph({ flows: [{ from: 'a', to: 'b', value: -1n }] })).toThrow(InvalidInputError);
    expect(() => buildEntityGraph({ flows: [{ from: 'a', to: 'b', value: 5 as unknown as bigint }] })).toThrow(/bigint/);
    expect(() => buildEntityGraph({ nodes: [{ id: 'x', kind: 'planet' as 'cluster' }] })).toThrow(/kind/);
    expect(() => buildEntityGraph({ flows: [{ from: 'a', to: 'b', value: 1n }] }, { createMissing: false })).toThrow(/not among the nodes/);
    expect(() => extractSubgraph(g, { seeds: ['cluster:9'] })).toThrow(/not a node/);
    expect(() => extractSubgraph(g, { seeds: ['cluster:1'], hops: -1 })).toThrow(InvalidInputError);
  });
});
