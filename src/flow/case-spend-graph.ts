/**
 * The spend graph of a case: transactions from its `tx` collection, spenders from the Bitcoin
 * spend index, and an address's outputs from the address → transactions index (all written by
 * `ingestBitcoin`). Transactions read once are kept for the life of the graph.
 */
import type { Case } from '../case.js';
import { bitcoinAddressTxs, bitcoinSpender } from '../bitcoin/indexes.js';
import type { Tx } from '../model/tx.js';
import type { Outpoint, SpendGraph } from './spend-graph.js';

/** A {@link SpendGraph} over the Bitcoin transactions ingested into `c`. */
export function caseSpendGraph(c: Case): SpendGraph {
  const txs = new Map<string, Promise<Tx | undefined>>();
  const getTx = (txid: string) => {
    let tx = txs.get(txid);
    if (!tx) txs.set(txid, (tx = c.get('tx', `btc:${txid}`)));
    return tx;
  };
  return {
    getTx,
    spenderOf: (o) => bitcoinSpender(c, o.txid, o.vout),
    async outputsOf(address) {
      const out: Outpoint[] = [];
      for (const ref of await bitcoinAddressTxs(c, address)) {
        if (!ref.received) continue;
        const tx = await getTx(ref.txid);
        for (const o of tx?.outputs ?? []) if (o.address === address) out.push({ txid: ref.txid, vout: o.n });
      }
      return out;
    },
  };
}
