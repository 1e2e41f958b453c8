/**
 * Taint policies: how the taint carried into a transaction through one of its slots (an input
 * going forward, an output going backward) is shared out over the slots on the other side.
 *
 * A transaction is seen as two sequences of satoshis laid end to end: the inputs in input order
 * and the outputs in output order (the fee is the tail of the input sequence that no output
 * covers). With `from` the slots taint enters by and `to` the slots it leaves by:
 *
 * - **poison**: every `to` slot becomes wholly tainted (its full value), whatever the amount in.
 * - **haircut**: each `to` slot gets the taint in proportion to its value over the input total:
 *   `floor(taint × value_to / Σ inputs)`. Forward, the fee's share is lost to the fee; backward
 *   (the `to` slots are the inputs) the shares add up to the whole. Rounding down never creates
 *   taint; the remainder (a few base units per hop at most) is counted as lost.
 * - **fifo**: first in, first out. Tainted satoshis keep their position: the tainted ranges of the
 *   entering slot are placed at its offset in the `from` sequence and cut by the `to` slots'
 *   ranges. Exact, in base units; satoshis that fall in the fee tail are lost to the fee.
 *
 * All three are additive in the entering taint, so a transaction reached by tainted value along
 * several paths can be processed once per arrival and the sums are exact.
 */

/** A taint policy name. */
export type TaintPolicy = 'poison' | 'haircut' | 'fifo';

/** Tainted base units, and for FIFO which ones: half-open ranges `[start, end)` within the slot. */
export interface Taint {
  readonly amount: bigint;
  readonly ranges?: readonly (readonly [bigint, bigint])[];
}

/** The result of sharing one arrival of taint out over the other side. */
export interface Distribution {
  /** taint per `to` slot, same order (amount 0 where nothing arrives) */
  readonly out: Taint[];
  /** taint that reached no `to` slot: the fee tail (FIFO, haircut forward) or rounding */
  readonly lost: bigint;
}

const ZERO: Taint = { amount: 0n };

function sum(values: readonly bigint[]): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

/** Total of the ranges, which are disjoint and sorted. */
function rangesAmount(ranges: readonly (readonly [bigint, bigint])[]): bigint {
  let s = 0n;
  for (const [a, b] of ranges) s += b - a;
  return s;
}

/** Which way the taint crosses the transaction. */
export type Direction = 'forward' | 'backward';

/**
 * Shares `taint`, entering by slot `slot` of `fromValues`, over the slots of `toValues`. Going
 * forward `from` is the inputs and `to` the outputs; backward the other way round.
 * `alreadyTainted` (poison only) lists, per `to` slot, the taint it already holds, so a slot is
 * never counted twice.
 */
export function distribute(
  policy: TaintPolicy,
  direction: Direction,
  taint: Taint,
  slot: number,
  fromValues: readonly bigint[],
  toValues: readonly bigint[],
  alreadyTainted?: readonly bigint[],
): Distribution {
  if (taint.amount <= 0n) return { out: toValues.map(() => ZERO), lost: 0n };
  switch (policy) {
    case 'poison': {
      const out = toValues.map((v, j) => ({ amount: v - (alreadyTainted?.[j] ?? 0n) > 0n ? v - (alreadyTainted?.[j] ?? 0n) : 0n }));
      return { out, lost: 0n };
    }
    case 'haircut': {
      const total = sum(direction === 'forward' ? fromValues : toValues);
      if (total === 0n) return { out: toValues.map(() => ZERO), lost: taint.amount };
      let given = 0n;
      const out = toValues.map((v) => {
        const amount = (taint.amount * v) / total;
        given += amount;
        return { amount };
      });
      return { out, lost: taint.amount - given };
    }
    case 'fifo': {
      const ranges = taint.ranges ?? [[0n, taint.amount] as const];
      let offset = 0n;
      for (let i = 0; i < slot; i++) offset += fromValues[i];
      const shifted = ranges.map(([a, b]) => [a + offset, b + offset] as const);
      const out: Taint[] = [];
      let start = 0n;
      let given = 0n;
      for (const v of toValues) {
        const end = start + v;
        const mine: [bigint, bigint][] = [];
        for (const [a, b] of shifted) {
          const lo = a > start ? a : start;
          const hi = b < end ? b : end;
          if (lo < hi) mine.push([lo - start, hi - start]);
        }
        const amount = rangesAmount(mine);
        given += amount;
        out.push(amount > 0n ? { amount, ranges: mine } : ZERO);
        start = end;
      }
      return { out, lost: rangesAmount(ranges) - given };
    }
  }
}
