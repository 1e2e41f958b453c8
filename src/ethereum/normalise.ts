/**
 * One block of node answers → wildtrace model objects.
 *
 * - {@link EthTx}: from, to, value (wei), nonce, status, fee = gasUsed × effectiveGasPrice (the
 *   transaction's gasPrice before London, when receipts lack effectiveGasPrice), block number
 *   and time, and the created contract. A receipt without `status` (before Byzantium) counts as
 *   success: the chain recorded no failure flag then.
 * - {@link Transfer}s: `native` for a successful transaction's own value (index 0), `internal`
 *   from traces (see traces.ts), `erc20`/`erc721` from `Transfer` logs (see transfer-log.ts).
 *   Zero-value token transfers are kept (address poisoning sends them); zero-value ETH moves
 *   are not transfers.
 * - Everything is validated: a block whose required fields are malformed is refused as a whole
 *   (`ETH_MALFORMED_RESPONSE`); an odd log inside a good block is skipped and counted.
 */
import type { EthTx, Transfer } from '../model/transfer.js';
import { InvalidInputError } from '../model/errors.js';
import type { RpcBlock, RpcLog, RpcReceipt } from './source.js';
import { decodeTransferLog, type TransferLogSkip } from './transfer-log.js';
import * as hex from './hex.js';

/** Something inside a good block that was not ingested, and why. */
export interface SkippedItem {
  readonly reason: TransferLogSkip | 'log-removed';
  /** what was skipped: `tx:<hash>:log:<index>` */
  readonly ref: string;
  readonly detail: string;
}

/** The header fields of a block. */
export interface EthBlockHeader {
  readonly number: number;
  readonly hash: string;
  readonly parentHash: string;
  readonly time: number;
  readonly txHashes: string[];
}

/** A block, normalised. */
export interface NormalisedBlock {
  readonly header: EthBlockHeader;
  readonly txs: EthTx[];
  readonly transfers: Transfer[];
  readonly skipped: SkippedItem[];
  /** addresses known to be contracts from this block alone (created here, or emitting logs) */
  readonly contracts: Set<string>;
  /** token contracts seen, with their standard */
  readonly tokens: Map<string, 'erc20' | 'erc721'>;
}

/** Options of {@link normaliseBlock}. */
export interface NormaliseOptions {
  /** the block's internal transfers (from traces.ts), or `null` when traces are unavailable */
  internal: Transfer[] | null;
  /**
   * address-centric reads: keep only the transactions in `txHashes` and the transfers that touch
   * `addresses` (canonical)
   */
  only?: { addresses: ReadonlySet<string>; txHashes: ReadonlySet<string> };
  /** token logs to read instead of the receipts' (address-centric reads get them from `eth_getLogs`) */
  logs?: readonly RpcLog[];
}

/** Reads and validates the header of a block. */
export function blockHeader(block: RpcBlock): EthBlockHeader {
  hex.expect(typeof block === 'object' && block !== null, 'block', block, 'a block object (is the block number beyond the chain head?)');
  hex.expect(Array.isArray(block.transactions), 'block.transactions', block.transactions, 'an array of transaction objects');
  const txHashes = block.transactions.map((tx, i) => {
    hex.expect(typeof tx === 'object' && tx !== null, `block.transactions[${i}]`, tx, 'a full transaction object (ask with hydrated = true)');
    return hex.hash(tx.hash, 'tx.hash');
  });
  return {
    number: hex.smallQuantity(block.number, 'block.number'),
    hash: hex.hash(block.hash, 'block.hash'),
    parentHash: hex.hash(block.parentHash, 'block.parentHash'),
    time: hex.smallQuantity(block.timestamp, 'block.timestamp'),
    txHashes,
  };
}

/**
 * Normalises one block with its receipts (all of them, or those of `only.txHashes`) and its
 * internal transfers. Throws {@link InvalidInputError} `ETH_MALFORMED_RESPONSE` when the node's
 * answer is not a valid block or a receipt is missing.
 */
export function normaliseBlock(block: RpcBlock, receipts: readonly RpcReceipt[], options: NormaliseOptions): NormalisedBlock {
  const header = blockHeader(block);
  const { number, time } = header;
  const byHash = new Map<string, RpcReceipt>();
  hex.expect(Array.isArray(receipts), 'receipts', receipts, 'an array');
  for (const r of receipts) {
    hex.expect(typeof r === 'object' && r !== null, 'receipt', r, 'a receipt object');
    byHash.set(hex.hash(r.transactionHash, 'receipt.transactionHash'), r);
  }
  const only = options.only;
  const touches = (t: Transfer) => !only || only.addresses.has(t.from) || only.addresses.has(t.to);
  const txs: EthTx[] = [];
  const transfers: Transfer[] = [];
  const skipped: SkippedItem[] = [];
  const contracts = new Set<string>();
  const tokens = new Map<string, 'erc20' | 'erc721'>();
  const ok = new Set<string>();

  block.transactions.forEach((tx, i) => {
    const hash = header.txHashes[i];
    if (only && !only.txHashes.has(hash)) return;
    const receipt = byHash.get(hash);
    if (!receipt) {
      throw new InvalidInputError(`the node gave no receipt for transaction ${hash} of block ${number}`, { code: 'ETH_MALFORMED_RESPONSE' });
    }
    const from = hex.address(tx.from, 'tx.from');
    const to = tx.to === null || tx.to === undefined ? undefined : hex.address(tx.to, 'tx.to');
    const created = receipt.contractAddress ? hex.address(receipt.contractAddress, 'receipt.contractAddress') : undefined;
    const status = receipt.status === undefined || receipt.status === null ? 1 : Number(hex.quantity(receipt.status, 'receipt.status'));
    const gasUsed = hex.quantity(receipt.gasUsed, 'receipt.gasUsed');
    const price = hex.quantity(receipt.effectiveGasPrice ?? tx.gasPrice, 'receipt.effectiveGasPrice');
    const value = hex.quantity(tx.value, 'tx.value');
    const ethTx: EthTx = {
      chain: 'eth',
      hash,
      from,
      ...(to === undefined ? {} : { to }),
      ...(created === undefined || to !== undefined ? {} : { contractCreated: created }),
      value,
      nonce: hex.smallQuantity(tx.nonce, 'tx.nonce'),
      status,
      fee: gasUsed * price,
      blockNumber: number,
      time,
    };
    txs.push(ethTx);
    if (created && to === undefined && status === 1) contracts.add(created);
    if (status !== 1) return;
    ok.add(hash);
    const target = to ?? created;
    if (value > 0n && target !== undefined) {
      const t: Transfer = { chain: 'eth', asset: 'native', from, to: target, value, txHash: hash, blockNumber: number, kind: 'native', index: 0, time };
      if (touches(t)) transfers.push(t);
    }
    if (!options.logs) {
      hex.expect(Array.isArray(receipt.logs), 'receipt.logs', receipt.logs, 'an array');
      readLogs(receipt.logs);
    }
  });
  if (options.logs) hex.expect(Array.isArray(options.logs), 'logs', options.logs, 'an array of logs');
  if (options.logs) readLogs(options.logs.filter((l) => ok.has(hex.lowerOr(l?.transactionHash))));
  for (const t of options.internal ?? []) {
    if (ok.has(t.txHash) && touches(t)) transfers.push(t);
  }
  return { header, txs, transfers, skipped, contracts, tokens };

  function readLogs(logs: readonly RpcLog[]): void {
    for (const log of logs) {
      hex.expect(typeof log === 'object' && log !== null, 'log', log, 'a log object');
      if (log.removed === true) {
        skipped.push({ reason: 'log-removed', ref: `tx:${hex.lowerOr(log.transactionHash)}:log:${hex.lowerOr(log.logIndex)}`, detail: 'log of a reorganised-away block' });
        continue;
      }
      contracts.add(hex.address(log.address, 'log.address'));
      const r = decodeTransferLog(log, time);
      if (r === null) continue;
      if ('skip' in r) {
        skipped.push({ reason: r.skip, ref: `tx:${hex.lowerOr(log.transactionHash)}:log:${Number(log.logIndex)}`, detail: r.detail });
        continue;
      }
      hex.expect(r.transfer.blockNumber === number, 'log.blockNumber', log.blockNumber, `block ${number}`);
      tokens.set(r.transfer.asset, r.transfer.kind as 'erc20' | 'erc721');
      if (touches(r.transfer)) transfers.push(r.transfer);
    }
  }
}

/** The store key of a transfer: `txHash:kind:index` (see docs/store.md). */
export function transferKey(t: Transfer): string {
  return `${t.txHash}:${t.kind}:${t.index ?? 0}`;
}
