/**
 * Bitcoin Core's `blocks/` directory as a source.
 *
 *   blocks/blkNNNNN.dat   records of  magic(4) ‖ size(4 LE) ‖ block(size), then zero padding
 *                         (Core preallocates files in 16 MiB chunks)
 *   blocks/xor.dat        Core ≥ 28: an 8-byte key; byte i of every blk file is stored XOR key[i mod 8]
 *                         (absent or all zero: no obfuscation)
 *
 * Core writes blocks in the order it receives them, so parents can come after children and
 * blocks of abandoned forks stay in the files. The source reads every header first (pass 1),
 * builds the block tree from prev-hash links, takes the tip with the most cumulative work (ties:
 * the block stored first, as Core keeps the first one it saw) and yields the best chain from its
 * root in order (pass 2, reading each block at its recorded position). Blocks off that chain are
 * reported as skipped: `BTC_STALE_BLOCK` when they fork from the best chain, `BTC_ORPHAN_BLOCK`
 * when their parent is not in the files. Nothing is yielded before the whole directory has been
 * checked, so a wrong magic, a truncated record or one above the consensus size limit
 * (`BTC_BLOCK_TOO_LARGE`) fails before anything is ingested. Pass 1 reads
 * only each record's 88 bytes of framing and header.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeBitcoinBlock, decodeBitcoinHeader, MAX_BLOCK_WEIGHT } from '../../src/bitcoin/decode.js';
import { bitcoinNetwork, type BitcoinNetworkName } from '../../src/bitcoin/network.js';
import type { BitcoinCheckpoint, BitcoinSkipped } from '../../src/bitcoin/source.js';
import { InvalidInputError } from '../../src/model/errors.js';
import type { Block } from '../../src/model/tx.js';

/** Options of {@link blkFileSource}. */
export interface BlkFileSourceOptions {
  /** network of the files (default `bitcoin`); selects the magic and the address encoding */
  network?: BitcoinNetworkName;
  /** the record magic as 4 bytes hex, for networks with their own (testnet4 `1c163f28`, signet `0a03cf40`) */
  magic?: string;
  /** keep raw scripts in the decoded model (default `false`) */
  scripts?: boolean;
}

interface Located {
  readonly hash: string;
  readonly prevHash: string;
  readonly work: bigint;
  readonly file: string;
  /** offset of the block bytes (after magic and size) in the file */
  readonly offset: number;
  readonly size: number;
  readonly order: number;
}

const ZERO_HASH = '0'.repeat(64);

/** The proof-of-work of a header's compact target `bits`: 2²⁵⁶ / (target + 1). */
export function blockWork(bits: number): bigint {
  const exp = bits >>> 24;
  const mantissa = BigInt(bits & 0x007fffff);
  const target = exp <= 3 ? mantissa >> BigInt(8 * (3 - exp)) : mantissa << BigInt(8 * (exp - 3));
  if (target <= 0n) return 0n;
  return (1n << 256n) / (target + 1n);
}

async function readXorKey(dir: string): Promise<Uint8Array | undefined> {
  let key: Buffer;
  try {
    key = await readFile(path.join(dir, 'xor.dat'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (key.length !== 8) {
    throw new InvalidInputError(`${path.join(dir, 'xor.dat')} holds ${key.length} bytes; Bitcoin Core writes an 8-byte key`, { code: 'BTC_BAD_XOR_KEY' });
  }
  return key.every((b) => b === 0) ? undefined : key;
}

function unxor(bytes: Uint8Array, key: Uint8Array | undefined, fileOffset: number): void {
  if (!key) return;
  for (let i = 0; i < bytes.length; i++) bytes[i] ^= key[(fileOffset + i) & 7];
}

/** Lists `blk*.dat` in file-number order. */
async function blkFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new InvalidInputError(`cannot read the blocks directory ${dir}: ${(err as Error).message}`, { code: 'BTC_NO_BLOCKS_DIR', cause: err });
  }
  const files = names.filter((n) => /^blk\d+\.dat$/.test(n)).sort((a, b) => Number(a.slice(3, -4)) - Number(b.slice(3, -4)));
  if (files.length === 0) throw new InvalidInputError(`${dir} has no blk*.dat files; point at Bitcoin Core's blocks/ directory`, { code: 'BTC_NO_BLOCKS_DIR' });
  return files.map((n) => path.join(dir, n));
}

/**
 * Pass 1: every record's header and position. Reads only the 88 bytes of each record's framing and
 * header and seeks over the block, so a full blocks/ directory is not read twice.
 */
async function scan(dir: string, magic: number, key: Uint8Array | undefined): Promise<Located[]> {
  const found: Located[] = [];
  const head = Buffer.alloc(88);
  const chunk = Buffer.alloc(1 << 16);
  for (const file of await blkFiles(dir)) {
    const fh = await open(file, 'r');
    try {
      const fileSize = (await fh.stat()).size;
      let pos = 0;
      while (pos < fileSize) {
        const n = Math.min(head.length, fileSize - pos);
        await fh.read(head, 0, n, pos);
        unxor(head.subarray(0, n), key, pos);
        if (head[0] === 0) {
          // zero padding (Core preallocates): skip to the next non-zero byte
          for (;;) {
            const m = Math.min(chunk.length, fileSize - pos);
            if (m <= 0) break;
            await fh.read(chunk, 0, m, pos);
            unxor(chunk.subarray(0, m), key, pos);
            let i = 0;
            while (i < m && chunk[i] === 0) i++;
            pos += i;
            if (i < m) break;
          }
          continue;
        }
        const where = `${path.basename(file)} at byte ${pos}`;
        if (n < 8) throw new InvalidInputError(`${where}: a record header is cut short`, { code: 'BTC_TRUNCATED' });
        const m = head.readUInt32LE(0);
        if (m !== magic) {
          throw new InvalidInputError(
            `${where}: magic ${head.toString('hex', 0, 4)} is not this network's (${Buffer.from(Uint32Array.of(magic).buffer).toString('hex')}). ` +
              'Wrong network option, a missing or wrong xor.dat, or a corrupted file.',
            { code: 'BTC_BAD_MAGIC' },
          );
        }
        const size = head.readUInt32LE(4);
        if (size < 81 || pos + 8 + size > fileSize) {
          throw new InvalidInputError(`${where}: a block record of ${size} bytes does not fit in the file (${fileSize - pos - 8} left)`, {
            code: 'BTC_TRUNCATED',
          });
        }
        if (size > MAX_BLOCK_WEIGHT) {
          throw new InvalidInputError(`${where}: a block record of ${size} bytes is above the consensus limit of ${MAX_BLOCK_WEIGHT}; the file is corrupted`, {
            code: 'BTC_BLOCK_TOO_LARGE',
          });
        }
        const header = decodeBitcoinHeader(head, 8);
        found.push({ hash: header.hash, prevHash: header.prevHash, work: blockWork(header.bits), file, offset: pos + 8, size, order: found.length });
        pos += 8 + size;
      }
    } finally {
      await fh.close();
    }
  }
  return found;
}

/** The best chain (root first) and the blocks off it, from the located headers. */
export function bestChain<T extends { hash: string; prevHash: string; work: bigint }>(blocks: readonly T[]): { chain: T[]; stale: T[]; orphans: T[] } {
  const byHash = new Map<string, T>();
  for (const b of blocks) if (!byHash.has(b.hash)) byHash.set(b.hash, b);
  const total = new Map<string, bigint>();
  const rootOf = new Map<string, string>();
  for (const b of byHash.values()) {
    // walk up to the first block with a known total, then fill totals back down (no recursion)
    const path: T[] = [];
    let cur: T | undefined = b;
    while (cur && !total.has(cur.hash)) {
      path.push(cur);
      cur = byHash.get(cur.prevHash);
    }
    let acc = cur ? total.get(cur.hash)! : 0n;
    let root = cur ? rootOf.get(cur.hash)! : path[path.length - 1].hash;
    for (let i = path.length - 1; i >= 0; i--) {
      acc += path[i].work;
      total.set(path[i].hash, acc);
      rootOf.set(path[i].hash, root);
      if (i === path.length - 1 && !cur) root = path[i].hash;
    }
  }
  let tip: T | undefined;
  for (const b of byHash.values()) if (!tip || total.get(b.hash)! > total.get(tip.hash)!) tip = b;
  const chain: T[] = [];
  for (let cur = tip; cur; cur = byHash.get(cur.prevHash)) chain.push(cur);
  chain.reverse();
  const onChain = new Set(chain.map((b) => b.hash));
  const bestRoot = chain[0] ? rootOf.get(chain[0].hash) : undefined;
  const stale: T[] = [];
  const orphans: T[] = [];
  for (const b of byHash.values()) {
    if (onChain.has(b.hash)) continue;
    (rootOf.get(b.hash) === bestRoot ? stale : orphans).push(b);
  }
  return { chain, stale, orphans };
}

/**
 * A source over a Bitcoin Core `blocks/` directory: the best chain in order, stale and orphan blocks
 * reported as skipped. Give it to `ingestBitcoin`; on a rerun it starts after the checkpoint's block.
 */
export function blkFileSource(
  dir: string,
  options: BlkFileSourceOptions = {},
): (resume: BitcoinCheckpoint | undefined) => AsyncIterable<Block | { skipped: BitcoinSkipped }> {
  const network = bitcoinNetwork(options.network);
  const magic = options.magic ? Buffer.from(options.magic, 'hex').readUInt32LE(0) : network.magic;
  return (resume) =>
    (async function* () {
      const key = await readXorKey(dir);
      const located = await scan(dir, magic, key);
      const { chain, stale, orphans } = bestChain(located);
      for (const b of stale) yield { skipped: { id: b.hash, code: 'BTC_STALE_BLOCK', reason: `block ${b.hash} (${path.basename(b.file)}) is not on the best chain` } };
      for (const b of orphans) {
        yield { skipped: { id: b.hash, code: 'BTC_ORPHAN_BLOCK', reason: `block ${b.hash} (${path.basename(b.file)}): its parent ${b.prevHash} is not in the files` } };
      }
      let start = 0;
      if (resume) {
        const at = chain.findIndex((b) => b.hash === resume.hash);
        if (at >= 0) start = at + 1;
      }
      const rootHeight = chain[0]?.prevHash === ZERO_HASH ? 0 : undefined;
      const handles = new Map<string, Awaited<ReturnType<typeof open>>>();
      try {
        for (let i = start; i < chain.length; i++) {
          const b = chain[i];
          let fh = handles.get(b.file);
          if (!fh) handles.set(b.file, (fh = await open(b.file, 'r')));
          const bytes = Buffer.allocUnsafe(b.size);
          const { bytesRead } = await fh.read(bytes, 0, b.size, b.offset);
          if (bytesRead !== b.size) throw new InvalidInputError(`${b.file} changed while reading block ${b.hash}`, { code: 'BTC_TRUNCATED' });
          unxor(bytes, key, b.offset);
          yield decodeBitcoinBlock(bytes, {
            network: network.name,
            scripts: options.scripts,
            ...(rootHeight === undefined ? {} : { height: rootHeight + i }),
          });
        }
      } finally {
        for (const fh of handles.values()) await fh.close();
      }
    })();
}
