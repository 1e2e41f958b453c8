/**
 * The spend graph that UTXO tracing walks: transactions, which input spends each output, and
 * which outputs pay an address. A case answers it from its indexes; {@link spendGraphFromTxs}
 * answers it from transactions held in memory (a notebook's own data, a test's constructed case).
 */
import type { Tx } from '../model/tx.js';

/** An output of a transaction. */
export interface Outpoint {
  readonly txid: string;
  readonly vout: number;
}

/** The input that spends an output. */
export interface Spender {
  readonly txid: string;
  readonly vin: number;
}

/** What tracing needs to know about the chain. Async so that a store can answer it. */
export interface SpendGraph {
  /** the transaction `txid`, or `undefined` when it is not known */
  getTx(txid: string): Promise<Tx | undefined>;
  /** the input spending `outpoint`, or `undefined` when it is unspent (as far as is known) */
  spenderOf(outpoint: Outpoint): Promise<Spender | undefined>;
  /** every output paying `address` */
  outputsOf(address: string): Promise<Outpoint[]>;
}

/** The key of an outpoint in maps: `txid:vout`. */
export function outpointKey(o: Outpoint): string {
  return `${o.txid}:${o.vout}`;
}

/**
 * A {@link SpendGraph} over transactions in memory. Inputs must name their prevout
 * (`prevTxid`, `prevVout`); coinbase inputs are ignored.
 */
export function spendGraphFromTxs(txs: Iterable<Tx>): SpendGraph {
  const byId = new Map<string, Tx>();
  const spenders = new Map<string, Spender>();
  const paying = new Map<string, Outpoint[]>();
  for (const tx of txs) {
    byId.set(tx.txid, tx);
    tx.inputs.forEach((input, vin) => {
      if (!input.coinbase) spenders.set(`${input.prevTxid}:${input.prevVout}`, { txid: tx.txid, vin });
    });
    for (const out of tx.outputs) {
      if (out.address === undefined) continue;
      let list = paying.get(out.address);
      if (!list) paying.set(out.address, (list = []));
      list.push({ txid: tx.txid, vout: out.n });
    }
  }
  return {
    getTx: async (txid) => byId.get(txid),
    spenderOf: async (o) => spenders.get(outpointKey(o)),
    outputsOf: async (address) => paying.get(address) ?? [],
  };
}
