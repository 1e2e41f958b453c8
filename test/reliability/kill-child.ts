/**
 * Child process of the kill-anywhere test: one investigation run into the on-disk case at
 * argv[2], resuming wherever an earlier (killed) run stopped.
 *
 *   1. ingest the training case's blk file (argv[5], 68 blocks; checkpoint `training`),
 *   2. ingest Bitcoin block 413,567 (argv[6], raw; checkpoint `block413567`),
 *   3. crawl the fixture market at argv[4] through the SOCKS proxy argv[3] (30 pages).
 *
 * The units (69 blocks, then 30 pages) are numbered 1‥99 in that order. The child prints
 * `ready <p>` once the case is open (p = units already in the case), `unit <p> <addresses> <txs>`
 * after unit p is committed (with the interned addresses and the transactions in the case), and `complete` after closing the
 * case. Responses are stamped with the frozen clock argv[7], so runs are comparable byte for byte.
 */
import '../setup/no-dns.js';
import { readFile } from 'node:fs/promises';
import { Case } from '../../src/case.js';
import { ingestBitcoin, type BitcoinIngestProgress } from '../../src/bitcoin/ingest.js';
import { rawBlockSource, type BitcoinCheckpoint } from '../../src/bitcoin/source.js';
import { blkFileSource } from '../../adapters/bitcoin-core/blk-files.js';
import { TorClient } from '../../adapters/tor/client.js';
import { crawlMarket } from '../../adapters/tor/crawler.js';
import type { CrawlCheckpoint } from '../../adapters/tor/frontier.js';
import { CONTENT, fixturePolicy } from '../tor/policy.js';

const [dir, proxy, host, blocksDir, rawBlockFile, frozen] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);

const c = await Case.open(dir);
const training = (await c.store.checkpoint<BitcoinCheckpoint>('training'))?.blocks ?? 0;
const big = (await c.store.checkpoint<BitcoinCheckpoint>('block413567')) ? 1 : 0;
const pages = (await c.store.checkpoint<CrawlCheckpoint>('tor-crawl:aurora'))?.done ?? 0;
let p = training + big + pages;
let txs = await c.store.collection('tx').count();
say(`ready ${p}`);
const committed = () => say(`unit ${++p} ${c.store.addressCount} ${txs}`);
/** progress of one ingest call: its `txs` count is per call */
const ingested = () => {
  let before = 0;
  return (progress: BitcoinIngestProgress) => {
    txs += progress.txs - before;
    before = progress.txs;
    committed();
  };
};

await ingestBitcoin(c, blkFileSource(blocksDir), { checkpoint: 'training', onProgress: ingested() });
const raw = await readFile(rawBlockFile);
await ingestBitcoin(c, (resume) => (resume ? [] : rawBlockSource([raw])), { checkpoint: 'block413567', onProgress: ingested() });

const client = new TorClient({ proxy, politeness: { minDelayMs: 0, maxDelayMs: 0 }, clock: () => new Date(frozen) });
const summary = await crawlMarket(c, client, fixturePolicy('aurora', host, CONTENT), { onProgress: committed }).run();
client.close();
await c.close();
say(summary.complete && summary.failed.length === 0 ? 'complete' : `incomplete ${JSON.stringify(summary)}`);
