/**
 * Ingestion of a Bitcoin source into a case.
 *
 * Rule per unit (a block, or one loose transaction): resolve every input's prevout — first from
 * the source's own prevouts, then from outputs earlier in the same unit, then from the case's
 * output index (one `getMany` per unit) — cross-check addresses the input revealed against its
 * prevout, then write the transactions, the block record, the output, spend and address indexes,
 * the interned addresses and the checkpoint as ONE atomic batch. A crash leaves a unit wholly
 * written or not at all; a unit already in the case is skipped, so re-running is idempotent and
 * resuming is re-running (a source given as a function also gets the checkpoint to start after).
 */
import type { Case } from '../case.js';
import type { Block, Tx, TxInput } from '../model/tx.js';
import { InvalidInputError } from '../model/errors.js';
import { bitcoinIndexes, ROLE_RECEIVED, ROLE_SPENT, type BitcoinIndexedOutput } from './indexes.js';
import type { BitcoinCheckpoint, BitcoinItemWithPrevouts, BitcoinPrevout, BitcoinSkipped, BitcoinSource, BitcoinSourceItem } from './source.js';

/** Progress of {@link ingestBitcoin}, reported after each committed unit. */
export interface BitcoinIngestProgress {
  readonly blocks: number;
  readonly txs: number;
  /** the block just committed (absent for loose transactions) */
  readonly hash?: string;
  readonly height?: number;
}

/** Options of {@link ingestBitcoin}. */
export interface BitcoinIngestOptions {
  /** checkpoint name (default `bitcoin`); use one per source when a case has several */
  checkpoint?: string;
  /** `count` (default): unresolved inputs are counted and listed; `fail`: a unit with one is refused (`BTC_UNRESOLVED_INPUTS`) */
  onUnresolved?: 'count' | 'fail';
  /**
   * `fail` (default): an input whose revealed address differs from its prevout's address stops the
   * ingestion with `BTC_INPUT_ADDRESS_MISMATCH` before that unit is written; `report`: the prevout's
   * address is kept and the disagreement listed in the result
   */
  onAddressMismatch?: 'fail' | 'report';
  /** called after each committed unit */
  onProgress?: (progress: BitcoinIngestProgress) => void;
  /** stops between units; what was committed stays, and a later run resumes after it */
  signal?: AbortSignal;
  /** at most this many unresolved inputs are listed in the result (all are counted; default 100) */
  maxListed?: number;
}

/** An input whose own address and its prevout's address disagree. */
export interface BitcoinAddressMismatch {
  readonly txid: string;
  readonly vin: number;
  readonly revealed: string;
  readonly prevout: string;
}

/** What {@link ingestBitcoin} did. */
export interface BitcoinIngestResult {
  /** blocks written in this run */
  blocks: number;
  /** transactions written in this run */
  txs: number;
  inputs: number;
  outputs: number;
  /** inputs (not coinbase) whose prevout was neither in the source nor in the case */
  unresolved: number;
  /** up to `maxListed` unresolved inputs as `txid:vin` */
  unresolvedInputs: string[];
  /** blocks and transactions already in the case, not written again */
  alreadyPresent: number;
  /** items the source reported as skipped (stale blocks, malformed items) */
  skipped: BitcoinSkipped[];
  mismatches: BitcoinAddressMismatch[];
  /** the checkpoint this run started from */
  resumedFrom?: BitcoinCheckpoint;
  /** the checkpoint after this run */
  checkpoint?: BitcoinCheckpoint;
}

function isBlock(item: BitcoinSourceItem): item is Block {
  return (item as Block).txs !== undefined && (item as Block).hash !== undefined;
}
function isTx(item: BitcoinSourceItem): item is Tx {
  return (item as Tx).txid !== undefined && (item as Tx).inputs !== undefined;
}
function isSkipped(item: BitcoinSourceItem): item is { skipped: BitcoinSkipped } {
  return (item as { skipped?: unknown }).skipped !== undefined;
}

const outpoint = (txid: string, vout: number) => `${txid}:${vout}`;

/**
 * Ingests a Bitcoin source (blocks or transactions, see {@link BitcoinSource}) into a case, one
 * atomic batch per block with its checkpoint. Returns the counts of what was written, what was
 * already there, what stayed unresolved and what the source skipped. Throws
 * {@link InvalidInputError} `BTC_UNRESOLVED_INPUTS` / `BTC_INPUT_ADDRESS_MISMATCH` (per the
 * options), a source's own error, or the signal's reason — always between units, never mid-unit.
 * A second ingestion under the same checkpoint while one runs on the case is refused with
 * {@link StoreError} `CASE_BUSY` (it would count from a stale checkpoint); other checkpoints may
 * run alongside.
 */
export function ingestBitcoin(c: Case, source: BitcoinSource, options: BitcoinIngestOptions = {}): Promise<BitcoinIngestResult> {
  // one ingestion per checkpoint at a time: each keeps its checkpoint's counters from its own start
  const name = options.checkpoint ?? 'bitcoin';
  return c.store.exclusive(`bitcoin-ingest:${name}`, `a Bitcoin ingestion (checkpoint ${name})`, () => ingestAlone(c, source, options, name));
}

async function ingestAlone(c: Case, source: BitcoinSource, options: BitcoinIngestOptions, name: string): Promise<BitcoinIngestResult> {
  const resumedFrom = await c.store.checkpoint<BitcoinCheckpoint>(name);
  const result: BitcoinIngestResult = {
    blocks: 0,
    txs: 0,
    inputs: 0,
    outputs: 0,
    unresolved: 0,
    unresolvedInputs: [],
    alreadyPresent: 0,
    skipped: [],
    mismatches: [],
    ...(resumedFrom ? { resumedFrom, checkpoint: resumedFrom } : {}),
  };
  const iterable = typeof source === 'function' ? source(resumedFrom) : source;
  options.signal?.throwIfAborted();
  for await (const item of iterable as AsyncIterable<BitcoinSourceItem>) {
    options.signal?.throwIfAborted();
    if (isSkipped(item)) {
      result.skipped.push(item.skipped);
      continue;
    }
    let block: Block | undefined;
    let txs: readonly Tx[];
    let prevouts: ReadonlyMap<string, BitcoinPrevout> | undefined;
    if (isBlock(item)) {
      block = item;
      txs = item.txs;
    } else if (isTx(item)) {
      txs = [item];
    } else {
      const withPrevouts = item as BitcoinItemWithPrevouts;
      block = withPrevouts.block;
      txs = withPrevouts.block?.txs ?? withPrevouts.txs ?? [];
      prevouts = withPrevouts.prevouts;
    }
    if (block ? await c.store.collection('block').has(block.hash) : await allPresent(c, txs)) {
      result.alreadyPresent++;
      continue;
    }
    await ingestUnit(c, block, txs, prevouts, name, result, options);
    options.onProgress?.({ blocks: result.blocks, txs: result.txs, hash: block?.hash, height: block?.height });
  }
  return result;
}

async function allPresent(c: Case, txs: readonly Tx[]): Promise<boolean> {
  const found = await c.store.collection('tx').getMany(txs.map((t) => `btc:${t.txid}`));
  return found.every((t) => t !== undefined);
}

async function ingestUnit(
  c: Case,
  block: Block | undefined,
  txs: readonly Tx[],
  prevouts: ReadonlyMap<string, BitcoinPrevout> | undefined,
  checkpointName: string,
  result: BitcoinIngestResult,
  options: BitcoinIngestOptions,
): Promise<void> {
  const ix = bitcoinIndexes(c);
  // 1. prevouts: the source's, then this unit's own earlier outputs, then the case's output index
  const local = new Map<string, BitcoinIndexedOutput>();
  const wanted: TxInput[] = [];
  const wantedKeys: string[] = [];
  const found = new Map<TxInput, BitcoinIndexedOutput | BitcoinPrevout>();
  for (const tx of txs) {
    for (const input of tx.inputs) {
      if (input.coinbase) continue;
      const key = outpoint(input.prevTxid, input.prevVout);
      const p = prevouts?.get(key) ?? local.get(key);
      if (p) found.set(input, p);
      else {
        wanted.push(input);
        wantedKeys.push(key);
      }
    }
    for (const o of tx.outputs) local.set(outpoint(tx.txid, o.n), o);
  }
  if (wantedKeys.length > 0) {
    const stored = (await ix.outputs.getMany(wantedKeys)) as (BitcoinIndexedOutput | undefined)[];
    stored.forEach((p, i) => p && found.set(wanted[i], p));
  }
  // 2. cross-check and count first, so that a refused unit leaves the caller's objects untouched
  const mismatches: BitcoinAddressMismatch[] = [];
  const unresolved: string[] = [];
  for (const tx of txs) {
    tx.inputs.forEach((input, vin) => {
      if (input.coinbase) return;
      const p = found.get(input);
      if (!p) unresolved.push(`${tx.txid}:${vin}`);
      else if (input.address !== undefined && p.address !== undefined && p.address !== input.address) {
        mismatches.push({ txid: tx.txid, vin, revealed: input.address, prevout: p.address });
      }
    });
  }
  const where = block ? `block ${block.hash}` : `transaction ${txs[0]?.txid}`;
  if (unresolved.length > 0 && options.onUnresolved === 'fail') {
    throw new InvalidInputError(
      `${where}: ${unresolved.length} input(s) spend outputs that are neither in the source nor in the case (first: ${unresolved[0]}). ` +
        'Ingest the earlier blocks first, use a source that gives prevouts (Bitcoin Core verbosity 3, Esplora), or pass onUnresolved: "count".',
      { code: 'BTC_UNRESOLVED_INPUTS' },
    );
  }
  if (mismatches.length > 0 && (options.onAddressMismatch ?? 'fail') === 'fail') {
    const m = mismatches[0];
    throw new InvalidInputError(
      `${where}: input ${m.txid}:${m.vin} reveals address ${m.revealed} but the output it spends pays ${m.prevout}` +
        (mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : '') +
        '. The prevout data of the source or the case disagrees with the chain; check the source, or pass onAddressMismatch: "report".',
      { code: 'BTC_INPUT_ADDRESS_MISMATCH' },
    );
  }
  for (const [input, p] of found) {
    input.value = p.value;
    if (input.address === undefined || (p.address !== undefined && p.address !== input.address)) {
      if (p.address !== undefined) {
        input.address = p.address;
        input.addressSource = 'prevout';
      }
      input.scriptType = p.scriptType;
    }
  }
  // 3. one atomic batch
  let nInputs = 0;
  let nOutputs = 0;
  await c.store.write(async (batch) => {
    const addressKeys: string[] = [];
    const refs: { key: number; txid: string; role: number }[] = [];
    const keyIndex = new Map<string, number>();
    const idOf = (address: string): number => {
      let k = keyIndex.get(address);
      if (k === undefined) {
        k = addressKeys.length;
        keyIndex.set(address, k);
        addressKeys.push(`btc:${address}`);
      }
      return k;
    };
    for (const tx of txs) {
      batch.put('tx', `btc:${tx.txid}`, tx);
      const roles = new Map<number, number>();
      tx.inputs.forEach((input, vin) => {
        nInputs++;
        if (input.coinbase) return;
        batch.putIn(ix.spends, outpoint(input.prevTxid, input.prevVout), { txid: tx.txid, vin });
        if (input.address !== undefined) {
          const k = idOf(input.address);
          roles.set(k, (roles.get(k) ?? 0) | ROLE_SPENT);
        }
      });
      for (const o of tx.outputs) {
        nOutputs++;
        batch.putIn(ix.outputs, outpoint(tx.txid, o.n), o);
        if (o.address !== undefined) {
          const k = idOf(o.address);
          roles.set(k, (roles.get(k) ?? 0) | ROLE_RECEIVED);
        }
      }
      for (const [key, role] of roles) refs.push({ key, txid: tx.txid, role });
    }
    const ids = await batch.internKeys(addressKeys);
    for (const r of refs) batch.putIn(ix.addressTxs, { id: ids[r.key], txid: r.txid }, r.role);
    if (block) {
      batch.put('block', block.hash, {
        chain: 'btc',
        hash: block.hash,
        ...(block.height === undefined ? {} : { height: block.height }),
        prevHash: block.prevHash,
        time: block.time,
        txids: txs.map((t) => t.txid),
      });
      const previous = result.checkpoint?.blocks ?? 0;
      batch.checkpoint(checkpointName, {
        hash: block.hash,
        ...(block.height === undefined ? {} : { height: block.height }),
        blocks: previous + 1,
      } satisfies BitcoinCheckpoint);
    }
  });
  // 4. counts, only once the batch is committed
  if (block) {
    result.blocks++;
    result.checkpoint = { hash: block.hash, ...(block.height === undefined ? {} : { height: block.height }), blocks: (result.checkpoint?.blocks ?? 0) + 1 };
  }
  result.txs += txs.length;
  result.inputs += nInputs;
  result.outputs += nOutputs;
  result.unresolved += unresolved.length;
  const room = (options.maxListed ?? 100) - result.unresolvedInputs.length;
  if (room > 0) result.unresolvedInputs.push(...unresolved.slice(0, room));
  result.mismatches.push(...mismatches);
}
