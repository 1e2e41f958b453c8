/**
 * Taint tracing on an account chain (ETH and tokens): haircut in time order.
 *
 * Rule: transfers are replayed in chain order (block, then log or trace index). Each address has
 * an observed balance (what the replay has seen it receive minus send, never below zero) and a
 * tainted part of it. The source is wholly tainted: all it sends carries taint. Any other address
 * sending `v` sends `floor(v × tainted / max(balance, v))` of taint — its holdings are mixed
 * (haircut), and when the replay has not seen enough inflow to cover `v` the unseen part counts
 * as clean. Each asset is traced on its own; ETH never mixes with a token.
 *
 * Backward ("where did the target's funds come from") is the same replay run from the latest
 * transfer to the earliest with sender and receiver swapped.
 *
 * Taint stops at addresses a stop rule names (recorded as deposits), and does not move further
 * than `hops` transfers from the source.
 */
import type { Transfer } from '../model/transfer.js';
import type { Direction } from './distribute.js';
import type { StopRule } from './trace-utxo.js';

/** Options of {@link traceTransfers}. */
export interface AccountTraceOptions {
  /** default `forward` */
  direction?: Direction;
  /** maximum transfers between the source and a tainted address (default 6) */
  hops?: number;
  /** trace only this asset (`native` or a token contract, lower-case); default: each asset seen */
  asset?: string;
  /** names addresses where taint is recorded and not passed on (exchange deposits, services) */
  stopAt?: (address: string) => StopRule | undefined;
}

/** Taint that moved along one transfer. */
export interface TaintedTransfer {
  readonly txHash: string;
  readonly blockNumber: number;
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  /** tainted part of the transfer, base units */
  readonly amount: bigint;
  /** the whole transfer */
  readonly value: bigint;
  readonly hop: number;
}

/** Where taint rests at the end of the replay, per address and asset. */
export interface AccountEndpoint {
  readonly address: string;
  readonly asset: string;
  readonly amount: bigint;
  readonly end: 'held' | 'stop';
  readonly stop?: StopRule;
}

/** The answer of {@link traceTransfers}. */
export interface AccountTraceResult {
  readonly direction: Direction;
  readonly source: string;
  /** every transfer that carried taint, in replay order */
  readonly transfers: readonly TaintedTransfer[];
  /** largest first */
  readonly endpoints: readonly AccountEndpoint[];
  /** taint the source sent, per asset */
  readonly sent: Readonly<Record<string, bigint>>;
}

const order = (a: Transfer, b: Transfer) =>
  a.blockNumber - b.blockNumber || (a.index ?? 0) - (b.index ?? 0) || (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : 0);

/** Traces taint from (or, backward, into) `source` through `transfers`. */
export function traceTransfers(transfers: Iterable<Transfer>, source: string, options: AccountTraceOptions = {}): AccountTraceResult {
  const direction = options.direction ?? 'forward';
  const hops = options.hops ?? 6;
  const src = source.toLowerCase();
  const list = [...transfers].filter((t) => t.kind !== 'erc721' && (options.asset === undefined || t.asset === options.asset)).sort(order);
  if (direction === 'backward') list.reverse();

  const balance = new Map<string, bigint>();
  const taint = new Map<string, bigint>();
  const hop = new Map<string, number>([[src, 0]]);
  const stops = new Map<string, { amount: bigint; stop: StopRule }>();
  const sent: Record<string, bigint> = {};
  const moved: TaintedTransfer[] = [];
  const key = (asset: string, a: string) => `${asset}\u0000${a}`;

  for (const t of list) {
    const from = (direction === 'forward' ? t.from : t.to).toLowerCase();
    const to = (direction === 'forward' ? t.to : t.from).toLowerCase();
    const kf = key(t.asset, from);
    const kt = key(t.asset, to);
    const bal = balance.get(kf) ?? 0n;
    let amount = 0n;
    const h = hop.get(from);
    if (from === src) amount = t.value;
    else if (h !== undefined && h < hops) {
      const tainted = taint.get(kf) ?? 0n;
      if (tainted > 0n) {
        amount = (t.value * tainted) / (bal > t.value ? bal : t.value);
        if (amount > tainted) amount = tainted;
        taint.set(kf, tainted - amount);
      }
    }
    balance.set(kf, bal > t.value ? bal - t.value : 0n);
    balance.set(kt, (balance.get(kt) ?? 0n) + t.value);
    if (amount === 0n || to === src) continue;
    const nextHop = (h ?? 0) + 1;
    if (from === src) sent[t.asset] = (sent[t.asset] ?? 0n) + amount;
    moved.push({ txHash: t.txHash, blockNumber: t.blockNumber, from: direction === 'forward' ? from : to, to: direction === 'forward' ? to : from, asset: t.asset, amount, value: t.value, hop: nextHop });
    const stop = options.stopAt?.(to);
    if (stop) {
      const s = stops.get(kt) ?? { amount: 0n, stop };
      s.amount += amount;
      stops.set(kt, s);
      continue;
    }
    taint.set(kt, (taint.get(kt) ?? 0n) + amount);
    if ((hop.get(to) ?? Infinity) > nextHop) hop.set(to, nextHop);
  }

  const endpoints: AccountEndpoint[] = [];
  for (const [k, amount] of taint) {
    if (amount === 0n) continue;
    const [asset, address] = k.split('\u0000');
    endpoints.push({ address, asset, amount, end: 'held' });
  }
  for (const [k, { amount, stop }] of stops) {
    const [asset, address] = k.split('\u0000');
    endpoints.push({ address, asset, amount, end: 'stop', stop });
  }
  endpoints.sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : a.address < b.address ? -1 : 1));
  return { direction, source: src, transfers: moved, endpoints, sent };
}
