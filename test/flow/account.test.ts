/** Ethereum haircut tracing in time order, on transfers whose expected taint is worked by hand. */
import { describe, expect, it } from 'vitest';
import { traceTransfers, type Transfer } from '../../src/index.js';

let n = 0;
const t = (from: string, to: string, value: bigint, blockNumber: number, asset = 'native'): Transfer => ({
  chain: 'eth', asset, from, to, value, blockNumber, txHash: `0x${(++n).toString(16).padStart(64, '0')}`, kind: asset === 'native' ? 'native' : 'erc20', index: 0,
});

/*
 * block 1: V (vendor, source) → M 60          M is fully tainted: 60 of 60
 * block 2: C (clean)          → M 40          M holds 100, 60 tainted
 * block 3: M → X 50                           50·60/100 = 30 tainted; M keeps 30 of 50
 * block 4: X → EX 50 (exchange)               X holds 50, 30 tainted → 30 reaches the exchange
 * block 5: M → Y 50                           50·30/50 = 30
 * USDT, block 2: V → M 1000 (token)           traced on its own
 */
const transfers = [t('V', 'M', 60n, 1), t('C', 'M', 40n, 2), t('M', 'X', 50n, 3), t('X', 'EX', 50n, 4), t('M', 'Y', 50n, 5), t('V', 'M', 1000n, 2, '0xusdt')];

describe('traceTransfers (haircut in time order)', () => {
  it('mixes taint with clean funds by balance, per asset, and stops at the exchange', () => {
    const r = traceTransfers(transfers, 'V', { stopAt: (a) => (a === 'ex' ? { label: 'Exchange', category: 'exchange' } : undefined) });
    const by = Object.fromEntries(r.endpoints.map((e) => [`${e.asset}:${e.address}:${e.end}`, e.amount]));
    expect(by).toEqual({ 'native:ex:stop': 30n, 'native:y:held': 30n, '0xusdt:m:held': 1000n });
    expect(r.sent).toEqual({ native: 60n, '0xusdt': 1000n });
    expect(r.transfers.map((x) => [x.from, x.to, x.amount, x.hop])).toEqual([
      ['v', 'm', 60n, 1],
      ['v', 'm', 1000n, 1],
      ['m', 'x', 30n, 2],
      ['x', 'ex', 30n, 3],
      ['m', 'y', 30n, 2],
    ]);
  });

  it('respects the hop limit', () => {
    const r = traceTransfers(transfers, 'V', { hops: 1, asset: 'native' });
    expect(r.endpoints).toEqual([{ address: 'm', asset: 'native', amount: 60n, end: 'held' }]);
  });

  it('runs backward: where the funds at the exchange came from', () => {
    // reverse replay from EX: EX ← X 50 (all 50 tainted); X ← M 50 (block 3): all 50 to M;
    // M's replayed holdings are 100 (50 to Y and 50 to X, seen backwards), 50 tainted;
    // M ← C 40: 40·50/100 = 20, M keeps 30 of 60; M ← V 60: 60·30/60 = 30.
    // Same split as the forward view: M's 50 to X at block 3 was 30 of V's and 20 of C's.
    const r = traceTransfers(transfers, 'EX', { direction: 'backward', asset: 'native' });
    const by = Object.fromEntries(r.endpoints.map((e) => [e.address, e.amount]));
    expect(by).toEqual({ v: 30n, c: 20n });
  });
});
