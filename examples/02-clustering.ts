/**
 * Lesson 2 — clustering addresses into wallets.
 *
 * What it teaches: the multi-input heuristic. When a transaction spends coins from several
 * addresses, one wallet almost always signed all its inputs, so those addresses share an owner.
 * Chaining this over many transactions groups addresses into clusters (wallets, entities). The
 * big exception is a CoinJoin: many people sign one transaction together on purpose, so its
 * inputs have different owners. Clustering through a CoinJoin merges strangers; wildtrace
 * detects CoinJoins (Whirlpool, Wasabi, JoinMarket, generic equal-output) and leaves them out.
 * Every merge keeps its proof (the transaction), so `explainLink` can show why two addresses
 * are in one cluster. The training case ships its ground truth, so we measure the result.
 *
 * Run it:   npx tsx examples/02-clustering.ts
 *
 * What to look for: how many inputs the case resolved, the CoinJoins detected and why, the
 * chain of transactions joining two addresses of one vendor, and precision/recall with CoinJoins
 * excluded (precision 1) against included (precision drops: strangers merged through mixes).
 */
import path from 'node:path';
import { Case, clusterAddresses, clusterCase, detectCoinJoin, ingestBitcoin, pairwiseQuality, type AddressClustering } from '../src/index.js';
import { blkFileSource } from '../adapters/bitcoin-core/index.js';
import { TRAINING_CASE, heading, readTruth } from './lib/training-case.js';

// 1. Ingest the blocks into an in-memory case: the case indexes every output, so each input's
//    address and value are looked up from the output it spends.
heading('1. Ingest the training blocks');
const c = await Case.memory();
const ingest = await ingestBitcoin(c, blkFileSource(path.join(TRAINING_CASE, 'blocks')));
console.log(`blocks ${ingest.blocks}, transactions ${ingest.txs}, unresolved inputs ${ingest.unresolved}`);
const txs = await c.all('tx');
const inputs = txs.flatMap((t) => t.inputs.filter((i) => !i.coinbase));
console.log(`inputs with address and value resolved: ${inputs.filter((i) => i.address && i.value !== undefined).length} of ${inputs.length}`);

// 2. CoinJoins.
heading('2. CoinJoins detected');
const coinjoins = txs.map((tx) => ({ tx, verdict: detectCoinJoin(tx) })).filter((x) => x.verdict.isCoinJoin);
for (const { tx, verdict } of coinjoins) {
  console.log(`  ${tx.txid.slice(0, 16)}… ${tx.inputs.length} inputs, ${tx.outputs.length} outputs`);
  for (const d of verdict.fired) console.log(`     ${d.detector}: ${d.reason}`);
}
console.log(`CoinJoins detected: ${coinjoins.length}`);

// 3. Cluster, CoinJoins excluded (the default) and included (to see why excluding matters).
heading('3. Clusters and their quality against the ground truth');
const truth = await readTruth();
const truthMap = new Map(Object.entries(truth.entities));
const quality = (cl: AddressClustering) => {
  const predicted = new Map<string, number>();
  for (const a of truthMap.keys()) {
    const id = cl.clusterOf(a);
    if (id !== undefined) predicted.set(a, id);
  }
  return pairwiseQuality(predicted, truthMap);
};
const excluded = clusterAddresses(txs);
const included = clusterAddresses(txs, { coinjoin: 'include' });
const qx = quality(excluded);
const qi = quality(included);
const multi = [...excluded.clusters()].filter((k) => k.addresses.length > 1);
console.log(`addresses ${excluded.addressCount}, clusters ${excluded.clusterCount} (${multi.length} with 2+ addresses; largest ${Math.max(...multi.map((k) => k.addresses.length))})`);
console.log(`multi-input transactions used ${excluded.stats.multiInputTxs}, CoinJoins excluded ${excluded.stats.coinjoinsExcluded}`);
console.log(`CoinJoins excluded: precision ${qx.precision.toFixed(4)}, recall ${qx.recall.toFixed(4)}`);
console.log(`CoinJoins included: precision ${qi.precision.toFixed(4)}, recall ${qi.recall.toFixed(4)}`);
console.log(`Including CoinJoins merged ${Math.round((1 - qi.precision) * 10000) / 100}% wrong pairs: people who only mixed together.`);
console.log('Precision: of the address pairs we put together, the share that truly share an owner.');
console.log('Recall: of the pairs that truly share an owner, the share we found. Clustering only sees');
console.log('addresses that spent together, so recall is low; precision is what a court relies on.');

// 4. Why are two addresses in one cluster?
heading('4. explainLink: the chain of evidence');
// the vendor cluster whose two ends are joined by the longest chain of merges
const vendorCluster = multi
  .filter((k) => truth.entities[k.addresses[0]]?.startsWith('person:'))
  .map((k) => ({ k, owner: truth.entities[k.addresses[0]], links: excluded.explainLink(k.addresses[0], k.addresses.at(-1)!) }))
  .sort((x, y) => y.links.length - x.links.length)[0];
const [a, b] = [vendorCluster.k.addresses[0], vendorCluster.k.addresses.at(-1)!];
console.log(`cluster of ${vendorCluster.k.addresses.length} addresses, truly owned by ${vendorCluster.owner}`);
const links = vendorCluster.links;
console.log(`${a} → ${b}: ${links.length} merge(s)`);
for (const l of links) {
  const end = (e: (typeof l)['a']) => (e.kind === 'address' ? e.address.address : JSON.stringify(e));
  console.log(`  ${end(l.a)} ~ ${end(l.b)}  [${l.evidence.heuristic}, ${l.evidence.proof}, confidence ${l.evidence.confidence}]`);
}

// 5. The same clustering, kept in the case (incremental: new blocks extend it).
heading('5. clusterCase: clustering stored in the case');
const stored = await clusterCase(c);
const update = await stored.update();
console.log(`clusterCase clustered ${stored.stats.txs} transactions, ${stored.addressCount} addresses, when it opened; a second update() finds ${update.blocks} new blocks.`);
console.log(`same cluster for the two addresses above: ${(await stored.clusterOf(a)) === (await stored.clusterOf(b))}`);
await c.close();
