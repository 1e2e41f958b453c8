/**
 * Ethereum ingestion into a case: a block range, for the whole chain or for a set of addresses.
 *
 * - Block-range mode (no `addresses`): every transaction, receipt, token transfer and (when the
 *   node traces) internal transfer of every block.
 * - Address-centric mode (`addresses`): token transfers to or from the addresses come from
 *   `eth_getLogs` filtered on the padded-address topics; ETH transfers (plain and internal) from
 *   a scan of the blocks and their traces; receipts are read only for the transactions kept.
 *
 * Each block is written in one atomic batch together with the checkpoint that records it, so a
 * crash or an error leaves whole blocks only, and a second run resumes where the first stopped
 * (runs of blocks with nothing to store share one batch). Writing a block again writes the same
 * keys and values: ingestion is idempotent.
 *
 * When the node offers no trace method, internal transfers cannot be seen: the result says so
 * (`tracesAvailable: false` and a warning) and no internal transfer is invented.
 */
import { createHash } from 'node:crypto';
import type { Case } from '../case.js';
import { InvalidInputError, WildtraceError } from '../model/errors.js';
import type { Address } from '../model/address.js';
import type { Transfer } from '../model/transfer.js';
import { addressTopic, canonicalEthAddress } from './address.js';
import { addressTransferKey, ethSublevels, type CodeInfo } from './case-index.js';
import { blockHeader, normaliseBlock, transferKey, type NormalisedBlock, type SkippedItem } from './normalise.js';
import type { EthereumCapabilities, EthereumSource, RawBlockBundle, RpcLog, TraceMethod } from './source.js';
import { internalTransfers } from './traces.js';
import { tokenMetadataCalls, tokenMetadataFrom, type TokenMetadata } from './token-metadata.js';
import { TRANSFER_TOPIC } from './transfer-log.js';
import * as hex from './hex.js';

/** Progress of {@link ingestEthereum}, reported after each written batch. */
export interface EthIngestProgress {
  /** the last block written */
  readonly block: number;
  /** blocks of this run written so far, and to write in all */
  readonly done: number;
  readonly total: number;
  readonly txs: number;
  readonly transfers: number;
}

/** Options of {@link ingestEthereum}. */
export interface IngestEthereumOptions {
  /** first block (inclusive) */
  fromBlock: number;
  /** last block (inclusive); `latest` = the node's head when the run starts */
  toBlock: number | 'latest';
  /** address-centric mode: only the activity of these addresses (any case; EIP-55 checked) */
  addresses?: readonly string[];
  /** called after each written batch */
  onProgress?: (progress: EthIngestProgress) => void;
  /** stops the run between two blocks; what was written stays, and the next run resumes */
  signal?: AbortSignal;
  /** read internal transfers from traces when the node has a trace method (default `true`) */
  traces?: boolean;
  /** blocks per request round (default 20) */
  chunkSize?: number;
  /** request rounds in flight ahead of the writer (default 3) */
  prefetch?: number;
  /** classify addresses as EOA or contract with `eth_getCode`, cached in the case (default `true`) */
  classifyAddresses?: boolean;
  /** read symbol, name and decimals of new tokens, cached in the case (default `true`) */
  tokenMetadata?: boolean;
}

/** What {@link ingestEthereum} did. */
export interface EthIngestResult {
  /** the source's label */
  readonly source: string;
  readonly chainId: bigint;
  readonly fromBlock: number;
  readonly toBlock: number;
  /** `blocks` for the whole chain, `addresses` for address-centric runs */
  readonly mode: 'blocks' | 'addresses';
  /** blocks ingested by this run */
  readonly blocks: number;
  /** blocks of the range already in the case from an earlier run (resumed past) */
  readonly alreadyIngested: number;
  /** transactions stored */
  readonly txs: number;
  /** plain ETH transfers (a transaction's own value) */
  readonly nativeTransfers: number;
  /** ETH moved by contracts, from traces (0 when `tracesAvailable` is false) */
  readonly internalTransfers: number;
  /** ERC-20 and ERC-721 transfers */
  readonly tokenTransfers: number;
  /** of which ERC-721 */
  readonly nftTransfers: number;
  /** items inside good blocks that were not ingested, with the reason */
  readonly skipped: readonly SkippedItem[];
  /** true when internal transfers were read from traces */
  readonly tracesAvailable: boolean;
  /** the trace method used, or `null` */
  readonly traceMethod: TraceMethod | null;
  /** how receipts were read */
  readonly receiptsMethod: 'eth_getBlockReceipts' | 'eth_getTransactionReceipt';
  /** token contracts whose metadata was read by this run */
  readonly tokens: number;
  /** addresses classified as EOA or contract by this run */
  readonly classified: number;
  /** things the analyst must know about this result (missing traces, …) */
  readonly warnings: readonly string[];
  /** the source's HTTP requests, retries and split log ranges during this run */
  readonly requests: number;
  readonly retries: number;
  readonly logRangeSplits: number;
}

type Ranges = [number, number][];

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/**
 * The checkpoint name of a run: one per chain, per address set, and per trace mode — blocks read
 * without traces (`traced` false) are read again by a later run that can trace them.
 */
export function ethCheckpointName(chainId: bigint, addresses?: readonly string[], traced = true): string {
  const suffix = traced ? '' : ':untraced';
  if (!addresses) return `eth:${chainId}:blocks${suffix}`;
  const digest = createHash('sha256').update([...addresses].sort().join(',')).digest('hex').slice(0, 16);
  return `eth:${chainId}:addresses:${digest}${suffix}`;
}

function addRange(ranges: Ranges, from: number, to: number): Ranges {
  const all = [...ranges, [from, to] as [number, number]].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function pendingBlocks(ranges: Ranges, from: number, to: number): number[] {
  const out: number[] = [];
  let r = 0;
  for (let n = from; n <= to; n++) {
    while (r < ranges.length && ranges[r][1] < n) r++;
    if (r < ranges.length && ranges[r][0] <= n) continue;
    out.push(n);
  }
  return out;
}

function checkBlockNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(`${name} must be a block number (an integer ≥ 0), got ${typeof value === 'number' ? value : typeof value}`, { code: 'ETH_INVALID_RANGE' });
  }
  return value;
}

/** One request round, fetched and normalised, waiting to be written. */
interface Round {
  blocks: NormalisedBlock[];
  code: Map<string, CodeInfo>;
  tokens: Map<string, TokenMetadata>;
}

/**
 * Ingests blocks `fromBlock..toBlock` of `source` into case `c`, for the whole chain or for
 * `addresses`. Resolves to counts and to what could not be seen; rejects with the source's
 * `SourceError` (or `InvalidInputError` `ETH_MALFORMED_RESPONSE` for a malformed block) after
 * writing only whole blocks — run it again to resume.
 */
export async function ingestEthereum(c: Case, source: EthereumSource, options: IngestEthereumOptions): Promise<EthIngestResult> {
  const fromBlock = checkBlockNumber(options.fromBlock, 'fromBlock');
  const chunkSize = Math.max(1, options.chunkSize ?? 20);
  const prefetch = Math.max(1, options.prefetch ?? 3);
  const wantTraces = options.traces ?? true;
  const classify = options.classifyAddresses ?? true;
  const readTokens = options.tokenMetadata ?? true;
  const addresses = options.addresses ? [...new Set(options.addresses.map(canonicalEthAddress))] : undefined;
  if (addresses && addresses.length === 0) {
    throw new InvalidInputError('addresses is empty: pass at least one address, or leave it out to ingest whole blocks', { code: 'ETH_INVALID_RANGE' });
  }
  const addressSet = addresses ? new Set(addresses) : undefined;
  const statsAtStart = { ...source.stats };

  const chainId = await source.chainId();
  const head = await source.blockNumber();
  const toBlock = options.toBlock === 'latest' ? head : checkBlockNumber(options.toBlock, 'toBlock');
  if (fromBlock > toBlock) {
    throw new InvalidInputError(`fromBlock ${fromBlock} is after toBlock ${toBlock}`, { code: 'ETH_INVALID_RANGE' });
  }
  if (toBlock > head) {
    throw new InvalidInputError(`toBlock ${toBlock} is beyond the node's head (${head}); ask for blocks up to ${head}`, {
      code: 'ETH_INVALID_RANGE',
    });
  }
  const caps: EthereumCapabilities = await source.capabilities();
  const traceMethod = wantTraces ? caps.trace : null;
  const warnings: string[] = [];
  if (wantTraces && caps.trace === null) {
    warnings.push(
      `${source.label} offers neither debug_traceBlockByNumber nor trace_block: internal ETH transfers (value moved by ` +
        'contracts, such as deposit-address forwarding) were NOT ingested. Use a tracing node (Geth, Erigon, Reth, Nethermind, Anvil) to see them.',
    );
  } else if (!wantTraces) {
    warnings.push('traces were turned off (traces: false): internal ETH transfers were not ingested.');
  }

  const checkpointName = ethCheckpointName(chainId, addresses, traceMethod !== null);
  let ranges: Ranges = ((await c.store.checkpoint<{ ranges: Ranges }>(checkpointName))?.ranges ?? []).map((r) => [r[0], r[1]]);
  const pending = pendingBlocks(ranges, fromBlock, toBlock);
  const subs = ethSublevels(c);
  const tokenSeen = new Map<string, TokenMetadata>();

  const counts = { blocks: 0, txs: 0, native: 0, internal: 0, token: 0, nft: 0, tokens: 0, classified: 0 };
  const skipped: SkippedItem[] = [];

  // ---- fetch stage: one round = up to chunkSize pending blocks (contiguous or not) ----
  const rounds: number[][] = [];
  for (let i = 0; i < pending.length; i += chunkSize) rounds.push(pending.slice(i, i + chunkSize));

  const fetchRound = async (numbers: number[]): Promise<Round> => {
    let bundles: RawBlockBundle[];
    let logsByBlock: Map<number, RpcLog[]> | undefined;
    const selected = new Map<number, Set<string>>();
    const internalByBlock = new Map<number, Transfer[] | null>();
    const readInternal = (b: RawBlockBundle, number: number, txHashes: string[], time: number) => {
      const internal = traceMethod && b.traces ? internalTransfers(b.traceMethod ?? traceMethod, b.traces, txHashes, number, time) : null;
      internalByBlock.set(number, internal);
      return internal;
    };
    if (!addresses) {
      bundles = await source.fetchBlocks(numbers, { traces: traceMethod !== null, signal: options.signal });
    } else {
      const topics = addresses.map(addressTopic);
      const range = { fromBlock: numbers[0], toBlock: numbers[numbers.length - 1] };
      const [out, inc, raw] = await Promise.all([
        source.getLogs({ ...range, topics: [TRANSFER_TOPIC, topics] }, options.signal),
        source.getLogs({ ...range, topics: [TRANSFER_TOPIC, null, topics] }, options.signal),
        source.fetchBlocks(numbers, { traces: traceMethod !== null, receipts: false, signal: options.signal }),
      ]);
      hex.expect(Array.isArray(out) && Array.isArray(inc), 'eth_getLogs result', Array.isArray(out) ? inc : out, 'an array of logs');
      logsByBlock = new Map();
      const seenLog = new Set<string>();
      for (const log of [...out, ...inc]) {
        hex.expect(typeof log === 'object' && log !== null, 'eth_getLogs entry', log, 'a log object');
        const key = `${hex.hash(log.transactionHash, 'log.transactionHash')}:${hex.smallQuantity(log.logIndex, 'log.logIndex')}`;
        if (seenLog.has(key)) continue; // a transfer from and to watched addresses matches both filters
        seenLog.add(key);
        const n = hex.smallQuantity(log.blockNumber, 'log.blockNumber');
        hex.expect(n >= range.fromBlock && n <= range.toBlock, 'log.blockNumber', log.blockNumber, `a block of the range asked (${range.fromBlock}..${range.toBlock})`);
        if (!logsByBlock.has(n)) logsByBlock.set(n, []);
        logsByBlock.get(n)!.push(log);
      }
      const wanted: string[] = [];
      for (const b of raw) {
        const h = blockHeader(b.block);
        const keep = new Set<string>();
        b.block.transactions.forEach((tx, i) => {
          if (addressSet!.has(hex.lowerOr(tx.from)) || addressSet!.has(hex.lowerOr(tx.to))) keep.add(h.txHashes[i]);
        });
        for (const t of readInternal(b, h.number, h.txHashes, h.time) ?? []) {
          if (addressSet!.has(t.from) || addressSet!.has(t.to)) keep.add(t.txHash);
        }
        for (const log of logsByBlock.get(h.number) ?? []) keep.add(hex.lowerOr(log.transactionHash));
        selected.set(h.number, keep);
        wanted.push(...keep);
      }
      const receipts = wanted.length > 0 ? await source.getReceipts(wanted) : [];
      const byHash = new Map(receipts.map((r) => [hex.lowerOr(r?.transactionHash), r]));
      bundles = raw.map((b) => ({ ...b, receipts: [...(selected.get(Number(b.block.number)) ?? [])].map((h) => byHash.get(h)!).filter(Boolean) }));
    }
    const blocks = bundles.map((b) => {
      const h = blockHeader(b.block);
      const internal = internalByBlock.has(h.number) ? internalByBlock.get(h.number)! : readInternal(b, h.number, h.txHashes, h.time);
      return normaliseBlock(b.block, b.receipts, {
        internal,
        ...(addressSet ? { only: { addresses: addressSet, txHashes: selected.get(h.number) ?? new Set() }, logs: logsByBlock?.get(h.number) ?? [] } : {}),
      });
    });
    blocks.forEach((b, i) => {
      if (b.header.number !== numbers[i]) {
        throw new InvalidInputError(`asked for block ${numbers[i]}, the node answered block ${b.header.number}`, { code: 'ETH_MALFORMED_RESPONSE' });
      }
    });
    return { blocks, ...(await lookups(blocks, numbers[numbers.length - 1])) };
  };

  /** EOA/contract classification and token metadata for what a round mentions and the case lacks. */
  const lookups = async (blocks: NormalisedBlock[], atBlock: number): Promise<Omit<Round, 'blocks'>> => {
    const code = new Map<string, CodeInfo>();
    const tokens = new Map<string, TokenMetadata>();
    if (classify) {
      // each address is classified at the first block of the round that mentions it, so the
      // cache entry is the same however the blocks were chunked or resumed
      const firstSeen = new Map<string, number>();
      const see = (n: number, ...list: (string | undefined)[]) => {
        for (const a of list) if (a && a !== ZERO_ADDRESS && !firstSeen.has(a)) firstSeen.set(a, n);
      };
      for (const b of blocks) {
        const n = b.header.number;
        for (const tx of b.txs) see(n, tx.from, tx.to, tx.contractCreated);
        for (const t of b.transfers) see(n, t.from, t.to);
        see(n, ...b.contracts);
      }
      const ask = [...firstSeen.keys()];
      const cached = ask.length > 0 ? ((await subs.code.getMany(ask)) as (CodeInfo | undefined)[]) : [];
      const unknown: { address: string; block: number }[] = [];
      ask.forEach((a, i) => {
        if (cached[i]) return;
        const block = firstSeen.get(a)!;
        const b = blocks.find((x) => x.header.number === block)!;
        if (b.contracts.has(a)) code.set(a, { contract: true, block });
        else if (b.txs.some((tx) => tx.from === a)) code.set(a, { contract: false, block }); // senders are EOAs
        else unknown.push({ address: a, block });
      });
      if (unknown.length > 0) {
        const answers = await source.getCode(unknown);
        unknown.forEach(({ address, block }, i) => {
          // EIP-7702: an EOA with delegated code (0xef0100 ‖ address) is still an EOA
          const hexCode = String(answers[i] ?? '0x').toLowerCase();
          code.set(address, { contract: hexCode !== '0x' && !hexCode.startsWith('0xef0100'), block });
        });
      }
    }
    if (readTokens) {
      const seen = new Map<string, 'erc20' | 'erc721'>();
      for (const b of blocks) for (const [t, kind] of b.tokens) if (!tokenSeen.has(t)) seen.set(t, kind);
      const ask = [...seen.keys()];
      const cached = ask.length > 0 ? ((await subs.tokens.getMany(ask)) as (TokenMetadata | undefined)[]) : [];
      const missing = ask.filter((t, i) => {
        if (cached[i]) tokenSeen.set(t, cached[i]!);
        return !cached[i];
      });
      if (missing.length > 0) {
        const answers = await source.call(missing.flatMap(tokenMetadataCalls), atBlock);
        missing.forEach((t, i) => {
          const meta = tokenMetadataFrom(t, seen.get(t)!, answers.slice(i * 3, i * 3 + 3));
          tokens.set(t, meta);
          tokenSeen.set(t, meta);
        });
      }
    }
    return { code, tokens };
  };

  // ---- write stage: whole blocks, in order, each with its checkpoint ----
  const inFlight: Promise<Round>[] = [];
  let nextRound = 0;
  const launch = () => {
    while (inFlight.length < prefetch && nextRound < rounds.length) {
      const p = fetchRound(rounds[nextRound++]);
      p.catch(() => undefined); // awaited below in order; avoid an unhandled rejection meanwhile
      inFlight.push(p);
    }
  };
  const writtenCode = new Set<string>();
  const writtenTokens = new Set<string>();
  let done = 0;
  let transfersTotal = 0;
  try {
    launch();
    while (inFlight.length > 0) {
      const round = await inFlight.shift()!;
      launch();
      let extrasWritten = false;
      let run: NormalisedBlock[] = [];
      const flush = async () => {
        if (run.length === 0) return;
        const blocks = run;
        run = [];
        if (options.signal?.aborted) throw new WildtraceError('ABORTED', 'ingestion was aborted; run it again to resume from the last written block');
        await c.store.write(async (batch) => {
          const addrs = new Set<string>();
          for (const b of blocks) {
            if (!addressSet) {
              batch.put('block', b.header.hash, {
                chain: 'eth',
                hash: b.header.hash,
                height: b.header.number,
                prevHash: b.header.parentHash,
                time: b.header.time,
                txids: b.header.txHashes,
              });
            }
            for (const tx of b.txs) {
              batch.put('ethTx', tx.hash, tx);
              addrs.add(tx.from);
              if (tx.to) addrs.add(tx.to);
              if (tx.contractCreated) addrs.add(tx.contractCreated);
            }
            for (const t of b.transfers) {
              addrs.add(t.from);
              addrs.add(t.to);
            }
          }
          const list = [...addrs];
          const ids = await batch.intern(list.map((address): Address => ({ chain: 'eth', address })));
          const idOf = new Map(list.map((a, i) => [a, ids[i]]));
          for (const b of blocks) {
            for (const t of b.transfers) {
              const key = transferKey(t);
              batch.put('transfer', key, t);
              batch.putIn(subs.addressTransfers, addressTransferKey(idOf.get(t.from)!, t.blockNumber, key), '');
              if (t.to !== t.from) batch.putIn(subs.addressTransfers, addressTransferKey(idOf.get(t.to)!, t.blockNumber, key), '');
            }
          }
          if (!extrasWritten) {
            // cached facts about addresses and tokens of this round: valid whatever happens next
            for (const [a, info] of round.code) if (!writtenCode.has(a)) batch.putIn(subs.code, a, info);
            for (const [t, meta] of round.tokens) if (!writtenTokens.has(t)) batch.putIn(subs.tokens, t, meta);
          }
          for (const b of blocks) ranges = addRange(ranges, b.header.number, b.header.number);
          batch.checkpoint(checkpointName, { ranges });
        });
        if (!extrasWritten) {
          extrasWritten = true;
          for (const a of round.code.keys()) {
            if (!writtenCode.has(a)) {
              writtenCode.add(a);
              counts.classified++;
            }
          }
          for (const t of round.tokens.keys()) {
            if (!writtenTokens.has(t)) {
              writtenTokens.add(t);
              counts.tokens++;
            }
          }
        }
        for (const b of blocks) {
          done++;
          counts.blocks++;
          counts.txs += b.txs.length;
          transfersTotal += b.transfers.length;
          for (const t of b.transfers) {
            if (t.kind === 'native') counts.native++;
            else if (t.kind === 'internal') counts.internal++;
            else {
              counts.token++;
              if (t.kind === 'erc721') counts.nft++;
            }
          }
          skipped.push(...b.skipped);
        }
        const last = blocks[blocks.length - 1].header.number;
        options.onProgress?.({ block: last, done, total: pending.length, txs: counts.txs, transfers: transfersTotal });
      };
      for (const b of round.blocks) {
        const empty = b.txs.length === 0 && b.transfers.length === 0;
        if (!addressSet || !empty) {
          await flush();
          run.push(b);
          await flush();
        } else run.push(b);
      }
      await flush();
    }
  } finally {
    await Promise.allSettled(inFlight);
  }
  const stats = source.stats;
  return {
    source: source.label,
    chainId,
    fromBlock,
    toBlock,
    mode: addresses ? 'addresses' : 'blocks',
    blocks: counts.blocks,
    alreadyIngested: toBlock - fromBlock + 1 - pending.length,
    txs: counts.txs,
    nativeTransfers: counts.native,
    internalTransfers: counts.internal,
    tokenTransfers: counts.token,
    nftTransfers: counts.nft,
    skipped,
    tracesAvailable: traceMethod !== null,
    traceMethod,
    receiptsMethod: caps.blockReceipts ? 'eth_getBlockReceipts' : 'eth_getTransactionReceipt',
    tokens: counts.tokens,
    classified: counts.classified,
    warnings,
    requests: stats.requests - statsAtStart.requests,
    retries: stats.retries - statsAtStart.retries,
    logRangeSplits: stats.logRangeSplits - statsAtStart.logRangeSplits,
  };
}
