/**
 * Lesson 1 — addresses and transactions.
 *
 * What it teaches: a Bitcoin transaction is a list of inputs (coins being spent) and outputs
 * (new coins, each locked to an address by a script). Outputs name their address; an input only
 * points at the output it spends, but its witness or scriptSig often reveals the spender's public
 * key, and so its address. Addresses also appear in text: vendors post payout addresses on their
 * listings, and `extractAddresses` finds them (checksums verified, so typos are not reported).
 * Market sites are Tor onion services; `isValidOnionAddress` checks a v3 onion address's checksum.
 *
 * Run it:   npx tsx examples/01-addresses-and-transactions.ts
 *
 * What to look for: the block count and script-type census of the training blocks; one payment
 * with its inputs (where each input's address came from) and outputs; the addresses found in a
 * real listing page with their offsets; and the market's onion host passing its checksum while a
 * one-letter typo fails.
 */
import path from 'node:path';
import { load } from 'cheerio';
import { detectCoinJoin, extractAddresses, isValidOnionAddress, type Block, type Tx } from '../src/index.js';
import { blkFileSource } from '../adapters/bitcoin-core/index.js';
import { TRAINING_CASE, btc, heading, readManifest, readPages } from './lib/training-case.js';

// 1. Read the blocks: Bitcoin Core's blk*.dat framing (magic, length, raw block).
heading('1. Blocks from blk00000.dat');
const blocks: Block[] = [];
for await (const item of blkFileSource(path.join(TRAINING_CASE, 'blocks'))(undefined)) {
  if ('skipped' in item) console.log(`skipped: ${item.skipped.reason}`);
  else blocks.push(item);
}
const txs: Tx[] = blocks.flatMap((b) => b.txs);
console.log(`blocks read: ${blocks.length} (heights ${blocks[0].height}..${blocks.at(-1)!.height})`);
console.log(`transactions: ${txs.length}`);

// 2. The script types: how each output is locked.
heading('2. Output script types');
const census = new Map<string, number>();
for (const tx of txs) for (const o of tx.outputs) census.set(o.scriptType, (census.get(o.scriptType) ?? 0) + 1);
for (const [type, n] of [...census].sort((a, b) => b[1] - a[1])) console.log(`  ${type.padEnd(12)} ${n} outputs`);
console.log('p2pkh = legacy "1…", p2sh = "3…" (often wrapped SegWit), p2wpkh/p2wsh = "bc1q…", p2tr = Taproot "bc1p…".');

// 3. One transaction in detail: an ordinary payment (no CoinJoin shape) spending several coins at once.
heading('3. One transaction, input by input');
const distinctSpenders = (tx: Tx) => Math.min(3, new Set(tx.inputs.map((i) => i.address)).size);
const revealed = (tx: Tx) => tx.inputs.filter((i) => i.address && i.addressSource === 'input').length;
const example = txs
  .filter((tx) => !tx.inputs[0].coinbase && tx.inputs.length >= 2 && tx.inputs.length <= 4 && detectCoinJoin(tx).fired.length === 0)
  .sort((a, b) => distinctSpenders(b) - distinctSpenders(a) || b.outputs.length - a.outputs.length || revealed(b) - revealed(a))[0];
console.log(`txid ${example.txid} (block ${example.blockHeight}, ${example.vsize} vbytes)`);
for (const [i, input] of example.inputs.entries()) {
  console.log(`  input ${i}: spends ${input.prevTxid.slice(0, 16)}…:${input.prevVout}`);
  console.log(`           type ${input.scriptType ?? 'unknown'}, address ${input.address ?? '(not revealed by the input)'}${input.addressSource ? ` — learnt from the ${input.addressSource === 'input' ? "input's own witness/scriptSig (the public key hashes to it)" : 'spent output'}` : ''}`);
}
for (const o of example.outputs) console.log(`  output ${o.n}: ${btc(o.value)} to ${o.address ?? '(no address)'} [${o.scriptType}]`);
const spenders = new Set(example.inputs.map((i) => i.address).filter(Boolean));
console.log(`Its ${example.inputs.length} inputs come from ${spenders.size} address(es): one wallet signed them all, so these addresses share an owner: the clue lesson 2 builds clusters from.`);
console.log('An input carries no amount: its value is the value of the output it spends, found by looking that output up (lesson 2 does this by ingesting the blocks into a case).');
const allInputs = txs.flatMap((t) => t.inputs.filter((i) => !i.coinbase));
const revealedCount = allInputs.filter((i) => i.address).length;
console.log(`In all blocks, ${revealedCount} of ${allInputs.length} inputs reveal their address from the input alone.`);
const byType = new Map<string, [number, number]>();
for (const i of allInputs) {
  const t = i.scriptType ?? 'unknown';
  const [n, r] = byType.get(t) ?? [0, 0];
  byType.set(t, [n + 1, r + (i.address ? 1 : 0)]);
}
for (const [t, [n, r]] of byType) console.log(`  ${t.padEnd(12)} ${r} of ${n} inputs reveal their address`);
console.log('A Taproot key-path spend shows only a signature, no key hash: its address must come from the spent output.');

// 4. Addresses in text: a vendor's listing page.
heading('4. Addresses posted in a listing');
const pages = await readPages();
const withAddress = pages.find((p) => {
  const text = load(new TextDecoder().decode(p.body))('body').text();
  return extractAddresses(text).length > 0 && /item|\/l\/|product/.test(p.url);
});
if (!withAddress) throw new Error('no listing page with an address in the training case');
const text = load(new TextDecoder().decode(withAddress.body))('body').text().replace(/\s+/g, ' ');
console.log(`page ${withAddress.url}`);
const found = extractAddresses(text);
for (const a of found) console.log(`  found ${a.chain} address ${a.address} at [${a.start}, ${a.end}): "…${text.slice(Math.max(0, a.start - 30), a.start)}[${text.slice(a.start, a.end)}]…"`);
const typo = found[0].address.slice(0, -1) + (found[0].address.endsWith('q') ? 'p' : 'q');
console.log(`with its last character changed (${typo}): ${extractAddresses(`pay to ${typo}`).length} addresses found — the checksum rejects typos.`);

// 5. Onion addresses.
heading('5. The market\'s onion host');
const manifest = await readManifest();
const host = manifest.markets[0].onionHost;
console.log(`${manifest.markets[0].id}: ${host} valid v3 onion: ${isValidOnionAddress(host)}`);
const badHost = (host[0] === 'a' ? 'b' : 'a') + host.slice(1);
console.log(`one letter changed:        ${badHost} valid v3 onion: ${isValidOnionAddress(badHost)}`);
console.log('A v3 onion address is the service\'s Ed25519 public key plus a checksum and version: a phishing mirror cannot fake it.');
