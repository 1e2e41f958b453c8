/**
 * Reads GraphSense's golden UTXO chain (../shared/data/graphsense-golden-utxo) into wildtrace
 * model `Tx`s, and its reference clusters into partitions of address strings.
 *
 * Conversion: a GraphSense input/output `address` array of one element is the address; an array
 * of several (the bare multisig output of tx 5, spent by tx 8) has no single address, so the
 * output gets `scriptType: 'multisig'` and no `address` — exactly what `decodeBitcoinBlock` gives
 * for a bare multisig script, and what GraphSense does (it gives such outputs no address id).
 * The chain gives no prevouts; each input's `prevTxid:prevVout` is found as the earlier output
 * with the same address (or multisig) and value.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tx, TxInput, TxOutput } from '../../../src/index.js';

export const GOLDEN_DIR = path.join(import.meta.dirname, '../../../../shared/data/graphsense-golden-utxo');

interface GsIo {
  address: string[];
  value: number;
  txType: number;
}
interface GsTx {
  txId: number;
  txHash: string;
  coinbase: boolean;
  coinjoin: boolean;
  blockId: number;
  inputs: GsIo[];
  outputs: GsIo[];
  timestamp: number;
}

const jsonLines = <T>(file: string): T[] =>
  readFileSync(path.join(GOLDEN_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);

const scriptTypeOf = (io: GsIo) => (io.address.length > 1 ? 'multisig' : io.address[0].startsWith('3') ? 'p2sh' : 'p2pkh') as TxOutput['scriptType'];
const addressOf = (io: GsIo) => (io.address.length === 1 ? io.address[0] : undefined);

/** The golden chain's transactions as model `Tx`s, in chain order, keeping the `coinjoin` flag. */
export function goldenTxs(): Tx[] {
  const gs = jsonLines<GsTx>('test_txs.json').sort((a, b) => a.txId - b.txId);
  const txs: Tx[] = [];
  const spent = new Set<string>();
  const findPrevout = (i: GsIo, txId: number): { prevTxid: string; prevVout: number } => {
    const key = i.address.join('+');
    // by address and value; the chain's multisig output says 150,000 sat where its spender says
    // 1,500,000, so fall back to the address alone
    for (const sameValue of [true, false]) {
      for (const prev of gs) {
        if (prev.txId >= txId) break;
        const n = prev.outputs.findIndex(
          (o, k) => o.address.join('+') === key && (!sameValue || o.value === i.value) && !spent.has(`${prev.txHash}:${k}`),
        );
        if (n >= 0) {
          spent.add(`${prev.txHash}:${n}`);
          return { prevTxid: prev.txHash, prevVout: n };
        }
      }
    }
    throw new Error(`golden chain: no earlier output for input ${key} of tx ${txId}`);
  };
  for (const t of gs) {
    const outputs: TxOutput[] = t.outputs.map((o, n) => ({ n, value: BigInt(o.value), scriptType: scriptTypeOf(o), address: addressOf(o) }));
    const inputs: TxInput[] = t.coinbase
      ? [{ prevTxid: '0'.repeat(64), prevVout: 0xffffffff, coinbase: true }]
      : t.inputs.map((i) => ({
          ...findPrevout(i, t.txId),
          address: addressOf(i),
          value: BigInt(i.value),
          scriptType: scriptTypeOf(i),
          addressSource: 'prevout' as const,
        }));
    txs.push({ chain: 'btc', txid: t.txHash, blockHeight: t.blockId, time: t.timestamp, inputs, outputs, coinjoin: t.coinjoin });
  }
  return txs;
}

/** The golden blocks: hash, height (GraphSense block id) and their txids in order. */
export function goldenBlocks(): { hash: string; height: number; time: number; txids: string[] }[] {
  const blocks = jsonLines<{ blockId: number; blockHash: string; timestamp: number }>('test_blocks.json');
  const txs = jsonLines<GsTx>('test_txs.json');
  return blocks
    .sort((a, b) => a.blockId - b.blockId)
    .map((b) => ({ hash: b.blockHash, height: b.blockId, time: b.timestamp, txids: txs.filter((t) => t.blockId === b.blockId).sort((x, y) => x.txId - y.txId).map((t) => t.txHash) }));
}

/** A reference clustering as `address → GraphSense cluster id` (the `coinbase` pseudo-address left out). */
export function goldenClusters(file: 'address_cluster.json' | 'address_cluster_with_coinjoin.json'): Map<string, number> {
  const ids = new Map(jsonLines<{ addressId: number; address: string }>('reference/address_ids.json').map((r) => [r.addressId, r.address]));
  const out = new Map<string, number>();
  for (const r of jsonLines<{ addressId: number; clusterId: number }>(`reference/${file}`)) {
    const address = ids.get(r.addressId);
    if (address === undefined) throw new Error(`reference ${file}: address id ${r.addressId} has no address`);
    if (address !== 'coinbase') out.set(address, r.clusterId);
  }
  return out;
}

/** A partition as a canonical, comparable value: sorted groups of sorted members. */
export function canonicalPartition(groups: Iterable<Iterable<string>>): string[][] {
  return [...groups].map((g) => [...g].sort()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Groups `address → cluster id` into a canonical partition. */
export function partitionOf(map: Map<string, number>): string[][] {
  const groups = new Map<number, string[]>();
  for (const [a, c] of map) (groups.get(c) ?? groups.set(c, []).get(c)!).push(a);
  return canonicalPartition(groups.values());
}
