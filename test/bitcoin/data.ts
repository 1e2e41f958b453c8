/** Paths and loaders of the real Bitcoin data in ../shared/data/bitcoin (see PROVENANCE.md). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as bitcoin from 'bitcoinjs-lib';

export const DATA_DIR = path.resolve(import.meta.dirname, '../../../shared/data/bitcoin');

/** Block 413,567 (mainnet, 2016), raw bytes. */
export const block413567 = (): Buffer => readFileSync(path.join(DATA_DIR, 'block413567.raw'));

export const BLOCK_413567_HASH = '0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069';

/** One row of blockfilters.json: a real testnet block and the scripts its inputs spend. */
export interface FilterBlock {
  height: number;
  hash: string;
  hex: string;
  /** prevout scripts of every non-coinbase input, in block order */
  prevScripts: string[];
  notes: string;
}

export function blockfilterBlocks(): FilterBlock[] {
  const rows = JSON.parse(readFileSync(path.join(DATA_DIR, 'blockfilters.json'), 'utf8')) as unknown[][];
  return rows.slice(1).map((r) => ({
    height: r[0] as number,
    hash: r[1] as string,
    hex: r[2] as string,
    prevScripts: r[3] as string[],
    notes: r[7] as string,
  }));
}

export function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(DATA_DIR, name), 'utf8')) as T;
}

/**
 * [start, end) of each transaction of a raw block without witnesses (as block 413,567), found from
 * the end by bitcoinjs-lib's sizes: with no witness a txid is the SHA-256d of exactly these bytes.
 */
export function blockTxRanges(raw: Buffer): Int32Array {
  const txs = bitcoin.Block.fromBuffer(raw).transactions!;
  const ranges = new Int32Array(2 * txs.length);
  let at = raw.length;
  for (let i = txs.length - 1; i >= 0; i--) {
    ranges[2 * i + 1] = at;
    at -= txs[i].byteLength();
    ranges[2 * i] = at;
  }
  return ranges;
}
