/**
 * Taint tracing: poison, haircut and FIFO give their documented, different answers. Expected
 * amounts are worked out by hand in the comments, from the transactions written next to them.
 */
import { describe, expect, it } from 'vitest';
import { spendGraphFromTxs, traceTaint, type TraceResult, type Tx } from '../../src/index.js';
import { goldenTxs } from '../cluster/helpers/graphsense.js';

const coinbase = (txid: string, address: string, value: bigint): Tx => ({
  txid,
  inputs: [{ prevTxid: '0'.repeat(64), prevVout: 0xffffffff, coinbase: true }],
  outputs: [{ n: 0, value, scriptType: 'p2pkh', address }],
});
const input = (prevTxid: string, prevVout: number, address: string, value: bigint) => ({ prevTxid, prevVout, address, value });

/*
 *  A: coinbase → S 100          B: coinbase → X 300
 *  T1: [X 300 (B:0), S 100 (A:0)] → [P 250, Q 140]   fee 10
 *  T2: [Q 140 (T1:1)]             → [R 70, E 70]      E is an exchange (stop rule)
 */
const TXS: Tx[] = [
  coinbase('A', 'S', 100n),
  coinbase('B', 'X', 300n),
  { txid: 'T1', inputs: [input('B', 0, 'X', 300n), input('A', 0, 'S', 100n)], outputs: [{ n: 0, value: 250n, scriptType: 'p2pkh', address: 'P' }, { n: 1, value: 140n, scriptType: 'p2pkh', address: 'Q' }] },
  { txid: 'T2', inputs: [input('T1', 1, 'Q', 140n)], outputs: [{ n: 0, value: 70n, scriptType: 'p2pkh', address: 'R' }, { n: 1, value: 70n, scriptType: 'p2pkh', address: 'E' }] },
];
const graph = spendGraphFromTxs(TXS);
const stopAt = (a: string) => (a === 'E' ? { label: 'Exchange E', category: 'exchange' } : undefined);
const ends = (r: TraceResult) => Object.fromEntries(r.endpoints.map((e) => [`${e.address}:${e.end}`, e.amount]));

describe('forward taint from S (100 sat)', () => {
  it('poison taints every output downstream in full', async () => {
    const r = await traceTaint(graph, 'S', { policy: 'poison', stopAt });
    expect(r.start).toBe(100n);
    expect(ends(r)).toEqual({ 'P:unspent': 250n, 'R:unspent': 70n, 'E:stop': 70n });
  });

  it('haircut shares by value over the input total', async () => {
    // T1: P = 100·250/400 = 62.5 → 62; Q = 100·140/400 = 35; lost 3 (fee share 2.5 + rounding)
    // T2: R = 35·70/140 = 17.5 → 17; E = 17; lost 1
    const r = await traceTaint(graph, 'S', { policy: 'haircut', stopAt });
    expect(ends(r)).toEqual({ 'P:unspent': 62n, 'R:unspent': 17n, 'E:stop': 17n });
    expect(r.lost).toBe(4n);
    expect(r.start).toBe(62n + 17n + 17n + r.lost);
  });

  it('FIFO keeps satoshi order', async () => {
    // T1 inputs: X [0,300) S [300,400); outputs: P [0,250) Q [250,390) fee [390,400)
    //   S → P: nothing; S → Q: [300,390) = 90; fee 10
    // T2: Q's tainted sats are Q[50,140); R [0,70) gets [50,70) = 20; E [70,140) gets 70
    const r = await traceTaint(graph, 'S', { policy: 'fifo', stopAt });
    expect(ends(r)).toEqual({ 'R:unspent': 20n, 'E:stop': 70n });
    expect(r.lost).toBe(10n);
  });

  it('records the path to the exchange deposit as steps with amounts', async () => {
    const r = await traceTaint(graph, 'S', { policy: 'fifo', stopAt });
    const toExchange = r.paths.find((p) => p.end === 'stop')!;
    expect(toExchange.stop).toEqual({ label: 'Exchange E', category: 'exchange' });
    expect(toExchange.steps).toEqual([
      { txid: 'T1', from: 'S', to: 'Q', amount: 90n },
      { txid: 'T2', from: 'Q', to: 'E', amount: 70n },
    ]);
  });

  it('stops after the hop limit and drops arrivals under the threshold', async () => {
    const oneHop = await traceTaint(graph, 'S', { policy: 'haircut', hops: 1 });
    expect(ends(oneHop)).toEqual({ 'P:unspent': 62n, 'Q:hops': 35n });
    const threshold = await traceTaint(graph, 'S', { policy: 'haircut', minAmount: 40n });
    expect(ends(threshold)).toEqual({ 'P:unspent': 62n, 'Q:threshold': 35n });
    expect(threshold.dropped).toBe(35n);
  });
});

describe('backward taint from R (T2:0, 70 sat)', () => {
  const source = { txid: 'T2', vout: 0 };
  it('poison: every input upstream is a source in full', async () => {
    const r = await traceTaint(graph, source, { policy: 'poison', direction: 'backward' });
    expect(ends(r)).toEqual({ 'X:coinbase': 300n, 'S:coinbase': 100n });
  });
  it('haircut: R draws on the inputs in proportion', async () => {
    // T2: Q gives 70·140/140 = 70; T1: X 70·300/400 = 52.5 → 52, S 70·100/400 = 17.5 → 17
    const r = await traceTaint(graph, source, { policy: 'haircut', direction: 'backward' });
    expect(ends(r)).toEqual({ 'X:coinbase': 52n, 'S:coinbase': 17n });
    expect(r.lost).toBe(1n);
  });
  it('FIFO: R is Q[0,70), which is T1 output sats [250,320): 50 from X, 20 from S', async () => {
    const r = await traceTaint(graph, source, { policy: 'fifo', direction: 'backward' });
    expect(ends(r)).toEqual({ 'X:coinbase': 50n, 'S:coinbase': 20n });
    const fromS = r.paths.find((p) => p.address === 'S')!;
    expect(fromS.steps).toEqual([
      { txid: 'T1', from: 'S', to: 'Q', amount: 20n },
      { txid: 'T2', from: 'Q', to: 'R', amount: 70n }, // all of R's 70 came through Q; 20 of it from S
    ]);
  });
});

describe('on GraphSense golden chain', () => {
  const golden = spendGraphFromTxs(goldenTxs());
  const tx5 = 'ab30109910f327700e0f199972eed8ea7c6b1920e965f9cb48a92973e7325046';
  const arrived = (r: TraceResult, txid: string) =>
    r.paths.flatMap((p) => p.steps).filter((s) => s.txid === txid).reduce((m, s) => m.set(s.to, (m.get(s.to) ?? 0n) + s.amount), new Map<string, bigint>());

  it('gives three different answers for the taint of 1FDCgJ8m… through tx 5', async () => {
    // tx 3 passes all of 138cWsi…'s 2,500,000 on (single input); 1FDCgJ8m… holds 1,480,000 of it.
    // tx 5 inputs: 1FDC 1,480,000 then 1Hxb 2,500,000 (total 3,980,000); outputs: multisig 150,000,
    // 1231P 1,325,000, 1Fuf 100,000, 1iYS 2,350,000.
    const [poison, haircut, fifo] = await Promise.all(
      (['poison', 'haircut', 'fifo'] as const).map((policy) => traceTaint(golden, '138cWsiAGpW9yqfjMVCCsFcnaiSHyoWMnJ', { policy, hops: 2 })),
    );
    const multisig = `${tx5}:0`;
    expect(Object.fromEntries(arrived(poison, tx5))).toEqual({ [multisig]: 150000n, '1231PgW8KbpwKkvACPhp13fcL6fM5sKGvy': 1325000n, '1Fufjpf9RM2aQsGedhSpbSCGRHrmLMJ7yY': 100000n, '1iYSYHTpr2wMShaXTTNUzMohkpuV5p5ep': 2350000n });
    // haircut: 1,480,000 · v / 3,980,000, rounded down
    expect(Object.fromEntries(arrived(haircut, tx5))).toEqual({ [multisig]: 55778n, '1231PgW8KbpwKkvACPhp13fcL6fM5sKGvy': 492713n, '1Fufjpf9RM2aQsGedhSpbSCGRHrmLMJ7yY': 37185n, '1iYSYHTpr2wMShaXTTNUzMohkpuV5p5ep': 873869n });
    // FIFO: 1FDC is sats [0,1,480,000): multisig [0,150k) all, 1231P [150k,1,475k) all, 1Fuf 5,000 of it
    expect(Object.fromEntries(arrived(fifo, tx5))).toEqual({ [multisig]: 150000n, '1231PgW8KbpwKkvACPhp13fcL6fM5sKGvy': 1325000n, '1Fufjpf9RM2aQsGedhSpbSCGRHrmLMJ7yY': 5000n });
  });

  it('conserves taint under haircut and FIFO: start = ends + lost + dropped', async () => {
    for (const policy of ['haircut', 'fifo'] as const) {
      const r = await traceTaint(golden, '138cWsiAGpW9yqfjMVCCsFcnaiSHyoWMnJ', { policy, hops: 10 });
      const atEnds = r.endpoints.reduce((s, e) => s + e.amount, 0n);
      expect(atEnds + r.lost + r.dropped, policy).toBe(r.start);
      expect(r.truncated).toBe(false);
    }
  });

  it('is deterministic', async () => {
    const a = await traceTaint(golden, '138cWsiAGpW9yqfjMVCCsFcnaiSHyoWMnJ', { policy: 'fifo' });
    const b = await traceTaint(golden, '138cWsiAGpW9yqfjMVCCsFcnaiSHyoWMnJ', { policy: 'fifo' });
    expect(b).toEqual(a);
  });
});

describe('bad input', () => {
  it('rejects an unknown policy and an unknown source with typed errors', async () => {
    await expect(traceTaint(graph, 'S', { policy: 'magic' as never })).rejects.toMatchObject({ code: 'TRACE_BAD_OPTION' });
    await expect(traceTaint(graph, { txid: 'nope', vout: 0 })).rejects.toMatchObject({ code: 'TRACE_UNKNOWN_SOURCE' });
  });
  it('ends a branch at an input of unknown value and counts it', async () => {
    const partial = spendGraphFromTxs([coinbase('A', 'S', 100n), { txid: 'U', inputs: [{ prevTxid: 'A', prevVout: 0 }], outputs: [{ n: 0, value: 90n, scriptType: 'p2pkh', address: 'Z' }] }]);
    const r = await traceTaint(partial, 'S');
    expect(r.unresolved).toBe(1);
    expect(r.endpoints[0]).toMatchObject({ address: 'S', end: 'unknown', amount: 100n });
  });
});
