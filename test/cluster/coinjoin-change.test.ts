/**
 * CoinJoin detectors and change heuristics on constructed transactions shaped like each
 * implementation's (mock shapes: the shared data holds no Wasabi, Whirlpool or JoinMarket
 * transaction), including the near misses each threshold must reject.
 */
import { describe, expect, it } from 'vitest';
import { clusterAddresses, type ScriptType, type Tx } from '../../src/index.js';
import { CHANGE_HEURISTICS, detectCoinJoin, guessChange, changeHeuristics, type ChangeContext } from '../../src/bitcoin/heuristics/index.js';

let seq = 0;
const hex = (n: number) => n.toString(16).padStart(64, '0');
function tx(ins: (bigint | [bigint, string, ScriptType?])[], outs: (bigint | [bigint, string, ScriptType?])[], extra: Partial<Tx> = {}): Tx {
  const id = ++seq;
  return {
    txid: hex(id),
    inputs: ins.map((i, k) => {
      const [value, address, scriptType] = Array.isArray(i) ? i : [i, `in${id}_${k}`, 'p2wpkh' as ScriptType];
      return { prevTxid: hex(1_000_000 + id * 100 + k), prevVout: 0, value, address, scriptType: scriptType ?? 'p2wpkh' };
    }),
    outputs: outs.map((o, n) => {
      const [value, address, scriptType] = Array.isArray(o) ? o : [o, `out${id}_${n}`, 'p2wpkh' as ScriptType];
      return { n, value, address, scriptType: scriptType ?? 'p2wpkh' };
    }),
    ...extra,
  };
}
const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
const fired = (t: Tx) => detectCoinJoin(t).fired.map((d) => d.detector);

describe('CoinJoin detectors (constructed shapes)', () => {
  it('Whirlpool mix: 5 × 5 at a pool denomination; not with 4 inputs or a non-pool value', () => {
    const mix = tx(times(5, () => 1_000_000n + 2_000n), times(5, () => 1_000_000n));
    expect(detectCoinJoin(mix).isCoinJoin).toBe(true);
    expect(fired(mix)).toContain('whirlpool');
    expect(fired(tx(times(4, () => 1_000_000n), times(5, () => 1_000_000n)))).not.toContain('whirlpool');
    expect(fired(tx(times(5, () => 1_200_000n), times(5, () => 1_200_000n)))).not.toContain('whirlpool');
    const why = detectCoinJoin(mix).fired.find((d) => d.detector === 'whirlpool')!;
    expect(why.reason).toMatch(/1000000 sat pool/);
  });

  it('Whirlpool Tx0 is reported but is not a CoinJoin', () => {
    const tx0 = tx([60_000_000n], [...times(5, () => 5_000_000n + 30_000n), [0n, 'opr', 'op_return'], 100_000n, 34_000_000n]);
    const v = detectCoinJoin(tx0);
    expect(v.fired.map((d) => d.detector)).toContain('whirlpool-tx0');
    expect(v.isCoinJoin).toBe(false);
  });

  it('Wasabi 1.x: ≥ 10 inputs and ≥ 10 outputs near 0.1 BTC; 9 inputs is not enough', () => {
    const w1 = tx(times(12, () => 25_000_000n), [...times(11, () => 10_020_000n), ...times(9, (i) => 3_000_000n + BigInt(i) * 77_777n)]);
    expect(fired(w1)).toContain('wasabi-1');
    const small = tx(times(9, () => 25_000_000n), times(11, () => 10_020_000n));
    expect(fired(small)).not.toContain('wasabi-1');
    expect(fired(tx(times(12, () => 25_000_000n), times(11, () => 10_600_000n)))).not.toContain('wasabi-1'); // 6% off
  });

  it('Wasabi 2.0: ≥ 20 inputs, standard denomination tiers, nothing under 5,000 sat', () => {
    const denoms = [5_000n, 10_000n, 20_000n, 50_000n, 100_000n, 131_072n, 200_000n, 1_000_000n];
    const outs = denoms.flatMap((d) => [d, d, d]);
    const w2 = tx(times(25, (i) => 400_000n + BigInt(i) * 1_234n), outs);
    expect(fired(w2)).toContain('wasabi-2');
    expect(fired(tx(times(25, () => 400_000n), [...outs, 4_999n]))).not.toContain('wasabi-2');
    expect(fired(tx(times(19, () => 400_000n), outs))).not.toContain('wasabi-2');
  });

  it('JoinMarket: n equal arbitrary outputs, n … 2n outputs, one script type', () => {
    const jm = tx(times(5, (i) => 30_000_000n + BigInt(i) * 1_111_111n), [...times(4, () => 12_345_678n), ...times(3, (i) => 5_000_000n + BigInt(i) * 999n)]);
    expect(fired(jm)).toEqual(expect.arrayContaining(['joinmarket', 'equal-output']));
    const mixedTypes = tx(times(5, () => 30_000_000n), [[12_345_678n, 'a', 'p2pkh'], [12_345_678n, 'b', 'p2wpkh'], [12_345_678n, 'c', 'p2wpkh']]);
    expect(fired(mixedTypes)).not.toContain('joinmarket');
  });

  it('plain payments are not CoinJoins; a coinbase never is', () => {
    expect(detectCoinJoin(tx([5_000_000n, 3_000_000n], [7_000_000n, 999_000n])).isCoinJoin).toBe(false);
    expect(detectCoinJoin(tx([9_000_000n], [1_000_000n, 1_000_000n, 1_000_000n])).isCoinJoin).toBe(false); // one input
    const coinbase: Tx = { txid: hex(999), inputs: [{ prevTxid: '0'.repeat(64), prevVout: 0xffffffff, coinbase: true }], outputs: times(5, (n) => ({ n, value: 1_000_000n, scriptType: 'p2pkh' as const, address: `cb${n}` })) };
    expect(detectCoinJoin(coinbase)).toEqual({ isCoinJoin: false, fired: [] });
  });

  it('detected CoinJoins are excluded from multi-input clustering by default', () => {
    const mix = tx(times(5, () => 1_000_000n), times(5, () => 1_000_000n));
    expect(clusterAddresses([mix]).clusterCount).toBe(10);
    expect(clusterAddresses([mix], { coinjoin: 'include' }).clusterCount).toBe(6);
    expect(clusterAddresses([mix], { detectors: [] }).clusterCount).toBe(6); // only external verdicts
  });
});

describe('change heuristics', () => {
  const ctx = (seen: string[] = [], peels: string[] = []): ChangeContext => ({ seenBefore: (a) => seen.includes(a), wasPeelOutput: (t, v) => peels.includes(`${t}:${v}`) });
  const one = (name: string, t: Tx, c = ctx()) => CHANGE_HEURISTICS[name].guess(t, c)?.output;

  it('each rule names the output its rule points at, and abstains when ambiguous', () => {
    expect(one('address-reuse', tx([[5n, 'A']], [[2n, 'B'], [2n, 'A']]))).toBe(1);
    expect(one('one-time-change', tx([[5n, 'A']], [[2n, 'B'], [2n, 'C']]), ctx(['B']))).toBe(1);
    expect(one('one-time-change', tx([[5n, 'A']], [[2n, 'B'], [2n, 'C']]), ctx([]))).toBeUndefined();
    expect(one('script-type', tx([[5n, 'A', 'p2pkh']], [[2n, 'B', 'p2sh'], [2n, 'C', 'p2pkh']]))).toBe(1);
    expect(one('round-number', tx([[5_000_000n, 'A']], [[1_000_000n, 'B'], [3_987_654n, 'C']]))).toBe(1);
    expect(one('round-number', tx([[5_000_000n, 'A']], [[1_000_000n, 'B'], [3_000_000n, 'C']]))).toBeUndefined();
    expect(one('optimal-change', tx([[5_000_000n, 'A'], [4_000_000n, 'D']], [[8_000_000n, 'B'], [900_000n, 'C']]))).toBe(1);
    const first = tx([[10_000_000n, 'A']], [[500_000n, 'B'], [9_400_000n, 'C']]);
    const second: Tx = tx([[9_400_000n, 'C']], [[300_000n, 'E'], [9_000_000n, 'F']]);
    second.inputs[0] = { ...second.inputs[0], prevTxid: first.txid, prevVout: 1 };
    expect(one('peeling-chain', second, ctx([], [`${first.txid}:1`]))).toBe(1);
    expect(one('peeling-chain', second, ctx())).toBeUndefined();
  });

  it('combined: agreeing rules raise confidence, disagreeing rules give a conflict', () => {
    const t = tx([[5_000_000n, 'A', 'p2pkh']], [[1_000_000n, 'B', 'p2sh'], [3_987_654n, 'C', 'p2pkh']]);
    const v = guessChange(t, changeHeuristics(['script-type', 'round-number']), ctx());
    expect(v).toMatchObject({ output: 1 });
    expect(v !== 'conflict' && v!.confidence).toBeCloseTo(1 - 0.4 * 0.5);
    const clash = tx([[5_000_000n, 'A', 'p2pkh']], [[1_000_000n, 'B', 'p2pkh'], [3_987_654n, 'C', 'p2sh']]);
    expect(guessChange(clash, changeHeuristics(['script-type', 'round-number']), ctx())).toBe('conflict');
    expect(() => changeHeuristics(['nope'])).toThrow(expect.objectContaining({ code: 'UNKNOWN_HEURISTIC' }));
  });

  it('change links are opt-in in clusterAddresses, with their own evidence', () => {
    const t = tx([[5_000_000n, 'A', 'p2pkh'], [1_000_000n, 'Z', 'p2pkh']], [[1_000_000n, 'B', 'p2sh'], [4_987_654n, 'C', 'p2pkh']]);
    expect(clusterAddresses([t]).clusterOf('C')).not.toBe(clusterAddresses([t]).clusterOf('A'));
    const r = clusterAddresses([t], { change: ['script-type', 'round-number'] });
    expect(r.clusterOf('C')).toBe(r.clusterOf('A'));
    const chain = r.explainLink('A', 'C');
    expect(chain.map((l) => l.evidence.heuristic)).toEqual(['change:script-type+round-number']);
    expect(r.stats.changeLinks).toBe(1);
  });
});

describe('hostile input', () => {
  it('malformed transactions are skipped and counted, never crash the clustering', () => {
    const good = tx([[5n, 'A'], [6n, 'B']], [[10n, 'C']]);
    const hostile = [
      null,
      42,
      { txid: 'x' },
      { txid: 'y', inputs: 'no', outputs: [] },
      { txid: 'z', inputs: [{ prevTxid: 'p', prevVout: 0, address: 7 }], outputs: [] },
      { txid: 'w', inputs: [], outputs: [{ n: 0, value: 5, scriptType: 'p2pkh', address: 'Q' }] },
      good,
    ] as unknown as Tx[];
    const r = clusterAddresses(hostile);
    expect(r.stats.skipped).toBe(6);
    expect(r.stats.skippedTxs.map((s) => s.reason)).toContain('an output value is not a bigint (amounts are bigint satoshi)');
    expect(r.stats.txs).toBe(1);
    expect(r.clusterOf('A')).toBe(r.clusterOf('B'));
  });
});
