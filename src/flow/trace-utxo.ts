/**
 * Taint tracing over a UTXO spend graph.
 *
 * Rule: taint starts on the source outputs (every output paying the source address, or the
 * outputs named) at their full value. Forward, each arrival of taint at an output follows the
 * input that spends it into the spending transaction and is shared over that transaction's
 * outputs by the policy (see `distribute.ts`). Backward, each arrival at an output is shared over
 * the inputs of the transaction that created it, and follows each input to the output it spent.
 *
 * A branch ends when its output is unspent (forward) or a coinbase (backward), when it reaches an
 * address a stop rule names (an exchange deposit, say: recorded, not crossed), after `hops`
 * transactions, when its amount falls below `minAmount` (dropped and counted), or when the data
 * runs out (an unknown transaction or an unresolved input value).
 *
 * Every arrival remembers the arrival it came from, so each end has a path of {@link FlowStep}s
 * (transaction, from-address, to-address, amount) back to a source: the chain of evidence.
 */
import type { FlowStep } from '../model/flag.js';
import type { Tx } from '../model/tx.js';
import { InvalidInputError } from '../model/errors.js';
import { distribute, type Direction, type Taint, type TaintPolicy } from './distribute.js';
import { outpointKey, type Outpoint, type SpendGraph } from './spend-graph.js';

/** What a stop rule says about an address it stops at. */
export interface StopRule {
  readonly label: string;
  readonly category?: string;
}

/** Options of {@link traceTaint}. */
export interface TraceOptions {
  /** how taint is shared at each transaction (default `haircut`) */
  policy?: TaintPolicy;
  /** follow the money forward (where did it go) or backward (where did it come from); default `forward` */
  direction?: Direction;
  /** maximum transactions crossed along a path (default 6) */
  hops?: number;
  /** arrivals smaller than this are dropped and counted in `dropped` (default 1 base unit) */
  minAmount?: bigint;
  /** names the addresses where tracing stops and records the arrival (exchanges, services) */
  stopAt?: (address: string) => StopRule | undefined | Promise<StopRule | undefined>;
  /** bound on arrivals processed; past it the result is marked `truncated` (default 100,000) */
  maxSteps?: number;
}

/** Why a path ended. */
export type PathEnd = 'unspent' | 'stop' | 'hops' | 'threshold' | 'coinbase' | 'unknown' | 'fee' | 'truncated';

/** One path of taint from a source to where it ended. */
export interface TracePath {
  /**
   * steps in the direction money moved; each step's amount is the taint on this branch at that
   * step (forward it can only shrink along the path, backward it can only grow toward the target)
   */
  readonly steps: readonly FlowStep[];
  /** taint that arrived at the end of this path, base units */
  readonly amount: bigint;
  readonly end: PathEnd;
  /** the output where the path ended */
  readonly at: Outpoint;
  readonly address?: string;
  readonly stop?: StopRule;
}

/** Taint that ended at one address for one reason, summed over paths. */
export interface TraceEndpoint {
  readonly address?: string;
  readonly end: PathEnd;
  readonly amount: bigint;
  readonly paths: number;
  readonly stop?: StopRule;
}

/** The answer of {@link traceTaint}. */
export interface TraceResult {
  readonly policy: TaintPolicy;
  readonly direction: Direction;
  readonly sources: readonly Outpoint[];
  /** taint at the start: the sum of the source outputs' values */
  readonly start: bigint;
  readonly paths: readonly TracePath[];
  /** ends summed per address and reason, largest amount first */
  readonly endpoints: readonly TraceEndpoint[];
  /** taint lost to fees and rounding */
  readonly lost: bigint;
  /** taint dropped below `minAmount` */
  readonly dropped: bigint;
  /** inputs whose value was unknown, so a branch could not go on */
  readonly unresolved: number;
  readonly truncated: boolean;
}

interface Arrival {
  readonly at: Outpoint;
  readonly taint: Taint;
  readonly hop: number;
  readonly parent: number;
  readonly step?: FlowStep;
  address?: string;
}

/** Where tracing starts: an address (all outputs paying it), or outputs. */
export type TraceSource = string | Outpoint | readonly Outpoint[];

/**
 * Traces taint from `source` through `graph`. Deterministic: the same graph, source and options
 * give the same paths in the same order.
 */
export async function traceTaint(graph: SpendGraph, source: TraceSource, options: TraceOptions = {}): Promise<TraceResult> {
  const policy = options.policy ?? 'haircut';
  const direction = options.direction ?? 'forward';
  const hops = options.hops ?? 6;
  const minAmount = options.minAmount ?? 1n;
  const maxSteps = options.maxSteps ?? 100_000;
  if (!['poison', 'haircut', 'fifo'].includes(policy)) {
    throw new InvalidInputError(`unknown taint policy ${JSON.stringify(policy)}; use poison, haircut or fifo`, { code: 'TRACE_BAD_OPTION' });
  }
  const sources: Outpoint[] =
    typeof source === 'string' ? await graph.outputsOf(source) : Array.isArray(source) ? [...(source as Outpoint[])] : [source as Outpoint];
  const sourceKeys = new Set(sources.map(outpointKey));
  const txCache = new Map<string, Tx | undefined>();
  const getTx = async (txid: string) => {
    if (!txCache.has(txid)) txCache.set(txid, await graph.getTx(txid));
    return txCache.get(txid);
  };
  const held = new Map<string, bigint>(); // taint each output holds so far (poison needs it)

  const arrivals: Arrival[] = [];
  let start = 0n;
  for (const o of sources) {
    const tx = await getTx(o.txid);
    const out = tx?.outputs[o.vout];
    if (!out) throw new InvalidInputError(`source output ${outpointKey(o)} is not in the data; ingest its transaction first`, { code: 'TRACE_UNKNOWN_SOURCE' });
    start += out.value;
    held.set(outpointKey(o), out.value);
    arrivals.push({ at: o, taint: { amount: out.value, ranges: [[0n, out.value]] }, hop: 0, parent: -1, address: out.address });
  }

  const ends: { arrival: number; end: PathEnd; stop?: StopRule }[] = [];
  let lost = 0n;
  let dropped = 0n;
  let unresolved = 0;
  let truncated = false;

  for (let k = 0; k < arrivals.length; k++) {
    const a = arrivals[k];
    if (k >= maxSteps) {
      truncated = true;
      ends.push({ arrival: k, end: 'truncated' });
      continue;
    }
    if (a.taint.amount < minAmount) {
      dropped += a.taint.amount;
      ends.push({ arrival: k, end: 'threshold' });
      continue;
    }
    if (a.hop > 0 && a.address !== undefined && options.stopAt) {
      const stop = await options.stopAt(a.address);
      if (stop) {
        ends.push({ arrival: k, end: 'stop', stop });
        continue;
      }
    }
    // the transaction the taint crosses next, and the slot it enters by
    let tx: Tx | undefined;
    let slot: number;
    if (direction === 'forward') {
      const spender = await graph.spenderOf(a.at);
      if (!spender) {
        ends.push({ arrival: k, end: 'unspent' });
        continue;
      }
      tx = await getTx(spender.txid);
      slot = spender.vin;
    } else {
      tx = await getTx(a.at.txid);
      slot = a.at.vout;
      if (tx?.inputs.some((i) => i.coinbase)) {
        ends.push({ arrival: k, end: 'coinbase' });
        continue;
      }
    }
    if (a.hop >= hops) {
      ends.push({ arrival: k, end: 'hops' });
      continue;
    }
    if (!tx) {
      ends.push({ arrival: k, end: 'unknown' });
      continue;
    }
    const inValues = tx.inputs.map((i) => i.value);
    if (inValues.some((v) => v === undefined)) {
      unresolved += inValues.filter((v) => v === undefined).length;
      ends.push({ arrival: k, end: 'unknown' });
      continue;
    }
    const ins = inValues as bigint[];
    const outs = tx.outputs.map((o) => o.value);
    const toKeys =
      direction === 'forward'
        ? tx.outputs.map((o) => `${tx.txid}:${o.n}`)
        : tx.inputs.map((i) => `${i.prevTxid}:${i.prevVout}`);
    const d =
      direction === 'forward'
        ? distribute(policy, 'forward', a.taint, slot, ins, outs, toKeys.map((key) => held.get(key) ?? 0n))
        : distribute(policy, 'backward', a.taint, slot, outs, ins, toKeys.map((key) => held.get(key) ?? 0n));
    lost += d.lost;
    let children = 0;
    d.out.forEach((taint, j) => {
      if (taint.amount === 0n || sourceKeys.has(toKeys[j])) return;
      held.set(toKeys[j], (held.get(toKeys[j]) ?? 0n) + taint.amount);
      const input = direction === 'forward' ? tx.inputs[slot] : tx.inputs[j];
      const output = direction === 'forward' ? tx.outputs[j] : tx.outputs[slot];
      const at = direction === 'forward' ? { txid: tx.txid, vout: output.n } : { txid: input.prevTxid, vout: input.prevVout };
      arrivals.push({
        at,
        taint,
        hop: a.hop + 1,
        parent: k,
        step: { txid: tx.txid, from: input.address ?? `${input.prevTxid}:${input.prevVout}`, to: output.address ?? `${tx.txid}:${output.n}`, amount: taint.amount },
        address: direction === 'forward' ? output.address : input.address,
      });
      children++;
    });
    if (children === 0) ends.push({ arrival: k, end: 'fee' });
  }

  const paths: TracePath[] = ends.map(({ arrival, end, stop }) => {
    const steps: FlowStep[] = [];
    for (let i = arrival; i >= 0 && arrivals[i].step; i = arrivals[i].parent) steps.push(arrivals[i].step!);
    if (direction === 'forward') steps.reverse();
    const a = arrivals[arrival];
    return { steps, amount: a.taint.amount, end, at: a.at, ...(a.address === undefined ? {} : { address: a.address }), ...(stop ? { stop } : {}) };
  });

  const grouped = new Map<string, { address?: string; end: PathEnd; amount: bigint; paths: number; stop?: StopRule }>();
  for (const p of paths) {
    const key = `${p.end}\u0000${p.address ?? `${p.at.txid}:${p.at.vout}`}`;
    const g = grouped.get(key);
    if (g) {
      g.amount += p.amount;
      g.paths++;
    } else grouped.set(key, { address: p.address, end: p.end, amount: p.amount, paths: 1, ...(p.stop ? { stop: p.stop } : {}) });
  }
  const endpoints = [...grouped.values()].sort((x, y) => (y.amount > x.amount ? 1 : y.amount < x.amount ? -1 : 0));
  return { policy, direction, sources, start, paths, endpoints, lost, dropped, unresolved, truncated };
}
