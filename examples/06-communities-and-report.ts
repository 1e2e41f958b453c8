/**
 * Lesson 6 — the whole investigation, communities, and the report.
 *
 * What it teaches: the steps of lessons 1–5 chained into one offline investigation — archive the
 * market pages, parse them, ingest the Bitcoin blocks and token transfers, import the tags,
 * cluster, link vendors, detect wildlife, flag flows — and then the big picture: an entity graph
 * (clusters, vendor persons and tagged services as nodes; money flows and shared evidence as
 * edges) split into communities by the Louvain method. A community is a group of entities that
 * deal mostly with each other: a vendor's wallets and accounts, a buyer circle, an exchange's
 * customers. The result is written as `report.html` (one self-contained file: open it in a
 * browser, no network needed) and `report.json` (for other tools). This is what `npm run demo`
 * and `wildtrace demo` run.
 *
 * Run it:   npx tsx examples/06-communities-and-report.ts
 *           (about a minute; the case and the report go to a temporary directory, removed at the
 *           end unless you set KEEP_REPORT=1 to open report.html yourself)
 *
 * What to look for: the step-by-step progress; the summary counts; the quality of clustering,
 * vendor linking and flags against the ground truth; the largest communities with their vendors,
 * tags and flagged listings; and where the two report files were written.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Case, clusterCase, entityGraph, louvainCommunities, summarizeCommunities } from '../src/index.js';
import { investigate } from '../src/cli/investigate.js';
import { TRAINING_CASE, btc, heading, withTempDir } from './lib/training-case.js';

const keep = process.env.KEEP_REPORT === '1';
const run = async (dir: string) => {
  const caseDir = path.join(dir, 'case');
  const outDir = path.join(dir, 'out');

  // 1. The whole pipeline.
  heading('1. investigate(): every step on the training case');
  const started = performance.now();
  const result = await investigate(TRAINING_CASE, {
    caseDir,
    outDir,
    onProgress: (step, done, detail) => {
      if (done) console.log(`  ✓ ${step.padEnd(9)} ${detail ?? ''}`);
    },
  });
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  heading('2. Summary');
  for (const [k, v] of Object.entries(result.summary)) console.log(`  ${k.padEnd(18)} ${v}`);

  heading('3. Quality against the ground truth');
  for (const [step, q] of Object.entries(result.quality ?? {})) console.log(`  ${step.padEnd(11)} precision ${q.precision.toFixed(4)}  recall ${q.recall.toFixed(4)}`);

  // 2. Communities, recomputed from the case on disk to show the graph API.
  heading('4. Communities of the entity graph');
  const c = await Case.open(caseDir);
  try {
    // the clusters stored by the pipeline: each cluster becomes one node
    const clusterOf = new Map<string, number>();
    for await (const k of (await clusterCase(c)).clusters()) for (const a of k.addresses) if (a.startsWith('btc:')) clusterOf.set(a.slice(4), k.id);
    const { graph } = await entityGraph(c, { clustering: (address, chain) => (chain === 'btc' ? clusterOf.get(address) : undefined) });
    const louvain = louvainCommunities(graph, { seed: 1, weight: 'weight' });
    const kinds = new Map<string, number>();
    graph.forEachNode((_id, a) => kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1));
    console.log(`entity graph: ${graph.order} nodes (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${graph.size} edges`);
    console.log(`Louvain: ${louvain.count} communities, modularity ${louvain.modularity.toFixed(3)} (0 = no structure; above 0.3 = clear groups)`);
    const summaries = summarizeCommunities(graph, louvain.partition).sort((a, b) => b.members.length - a.members.length);
    const withVendors = summaries.filter((s) => s.vendors.length > 0);
    const alone = withVendors.filter((s) => s.members.length === 1).length;
    console.log(`${withVendors.length} communities hold vendors (${alone} of them a lone vendor whose posted addresses never moved money in these blocks); ${summaries.filter((s) => s.tags.length > 0).length} hold a tagged service`);
    const interesting = [...summaries.filter((s) => s.tags.length > 0).slice(0, 2), ...withVendors.slice(0, 3)];
    for (const s of interesting) {
      console.log(`  community ${s.id}: ${s.members.length} entities, ${s.txCount} transactions, in ${btc(s.valueIn)}, out ${btc(s.valueOut)}`);
      if (s.vendors.length) console.log(`     vendors: ${s.vendors.slice(0, 6).join(', ')}${s.vendors.length > 6 ? ', …' : ''}`);
      if (s.tags.length) console.log(`     tags: ${s.tags.join(', ')}`);
      if (s.flaggedListings.length) console.log(`     flagged listings: ${s.flaggedListings.length}`);
    }
  } finally {
    await c.close();
  }

  // 3. The report files.
  heading('5. The report');
  for (const name of ['report.html', 'report.json']) {
    const file = path.join(outDir, name);
    console.log(`  ${file} (${(await stat(file)).size} bytes)`);
  }
  const json = JSON.parse(await readFile(path.join(outDir, 'report.json'), 'utf8')) as { flags: unknown[]; communities: unknown[]; listings: { wildlife: boolean }[] };
  console.log(`report.json: ${json.flags.length} flags, ${json.communities.length} communities, ${json.listings.length} listings (${json.listings.filter((l) => l.wildlife).length} wildlife)`);
  console.log(keep ? `kept: open ${path.join(outDir, 'report.html')} in a browser` : 'set KEEP_REPORT=1 to keep the report and open report.html in a browser');
};

if (keep) {
  const { mkdtemp } = await import('node:fs/promises');
  const os = await import('node:os');
  await run(await mkdtemp(path.join(os.tmpdir(), 'wildtrace-report-')));
} else {
  await withTempDir(run);
}
