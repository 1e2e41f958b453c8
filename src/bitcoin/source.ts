/**
 * What a Bitcoin source is: an (async) iterable of model objects (DESIGN.md), here blocks or loose
 * transactions, optionally with the prevouts the source already knows (Bitcoin Core verbosity 3,
 * Esplora `prevout`), and reports of blocks it refused (stale, malformed) for the ingest result.
 * `rawBlockSource` and `rawTxSource` turn raw bytes or hex into such a source; the adapters
 * (adapters/bitcoin-core, adapters/esplora) produce the same shapes from files and servers.
 */
import type { Block, ScriptType, Tx } from '../model/tx.js';
import { InvalidInputError } from '../model/errors.js';
import { decodeBitcoinBlock, decodeBitcoinTx, type DecodeBitcoinOptions } from './decode.js';
import { fromHex } from './hex.js';

/** The output an input spends, as a source reports it. */
export interface BitcoinPrevout {
  readonly value: bigint;
  readonly scriptType: ScriptType;
  readonly address?: string;
}

/** A block (or loose transactions) with the prevouts of its inputs, keyed `txid:vout`. */
export interface BitcoinItemWithPrevouts {
  readonly block?: Block;
  readonly txs?: readonly Tx[];
  readonly prevouts: ReadonlyMap<string, BitcoinPrevout>;
}

/** Something a source could not or would not give (a stale block, a malformed one), with why. */
export interface BitcoinSkipped {
  /** a block hash, a txid, a file position … */
  readonly id: string;
  /** machine-readable reason, e.g. `BTC_STALE_BLOCK`, `BTC_TRUNCATED` */
  readonly code: string;
  readonly reason: string;
}

/** One item of a Bitcoin source. */
export type BitcoinSourceItem = Block | Tx | BitcoinItemWithPrevouts | { readonly skipped: BitcoinSkipped };

/** Where an earlier ingestion stopped: the last block committed under a checkpoint name. */
export interface BitcoinCheckpoint {
  readonly hash: string;
  readonly height?: number;
  /** blocks committed under this checkpoint so far */
  readonly blocks: number;
}

/**
 * A Bitcoin source: an iterable or async iterable of {@link BitcoinSourceItem}, or a function that
 * is given the last checkpoint (or `undefined`) and returns one, so that it can resume where the
 * previous run stopped (for example at `checkpoint.height + 1`).
 */
export type BitcoinSource =
  | AsyncIterable<BitcoinSourceItem>
  | Iterable<BitcoinSourceItem>
  | ((resume: BitcoinCheckpoint | undefined) => AsyncIterable<BitcoinSourceItem> | Iterable<BitcoinSourceItem>);

/** Options of {@link rawBlockSource} and {@link rawTxSource}. */
export interface RawSourceOptions extends Pick<DecodeBitcoinOptions, 'network' | 'scripts'> {
  /** `fail` (default): a malformed item throws its {@link InvalidInputError}; `skip`: it is reported as skipped */
  onInvalid?: 'fail' | 'skip';
}

async function* decodeEach<T>(
  items: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
  what: string,
  decode: (bytes: Uint8Array) => T,
  options: RawSourceOptions,
): AsyncGenerator<T | { skipped: BitcoinSkipped }> {
  let i = 0;
  for await (const item of items) {
    try {
      const bytes = typeof item === 'string' ? fromHex(item, `${what} #${i}`) : item;
      yield decode(bytes);
    } catch (err) {
      if (options.onInvalid !== 'skip' || !(err instanceof InvalidInputError)) throw err;
      yield { skipped: { id: `${what} #${i}`, code: err.code, reason: err.message } };
    }
    i++;
  }
}

/** A source of raw blocks given as bytes or hex (in chain order). */
export function rawBlockSource(
  blocks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
  options: RawSourceOptions = {},
): AsyncIterable<Block | { skipped: BitcoinSkipped }> {
  return decodeEach(blocks, 'raw block', (b) => decodeBitcoinBlock(b, options), options);
}

/** A source of raw transactions given as bytes or hex (parents before children). */
export function rawTxSource(
  txs: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
  options: RawSourceOptions = {},
): AsyncIterable<Tx | { skipped: BitcoinSkipped }> {
  return decodeEach(txs, 'raw transaction', (b) => decodeBitcoinTx(b, options), options);
}
