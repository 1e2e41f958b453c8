/**
 * Entity-graph hot path: building a graphology graph from an edge list and finding Louvain
 * communities, on planted-partition graphs of 10k/50k, 100k/500k and 1M/5M nodes/edges
 * (communities of 100 nodes, 20% of edges mixed across communities, seed 1).
 *
 * Every size runs in child processes, so peak RSS is per size and per contender:
 * - wildtrace: parse the edge-list file, `graphFromEdges`, `louvainCommunities` (typed engine);
 * - baseline (same run): graphology's public `addNode`/`addEdge` build and
 *   graphology-communities-louvain — the "naive" path of the issue (skipped at 1M unless
 *   GRAPH_BENCH_BASELINE_1M=1: it takes minutes);
 * - python3-igraph `community_multilevel` and `community_leiden(objective_function="modularity")`
 *   on the same file, reading plus clustering (bench/peers/igraph_communities.py).
 * Wall and CPU seconds are both recorded: the machine is shared, and CPU time is the steadier
 * figure. Ratios are wildtrace / peer (below 1 means wildtrace is faster).
 * GRAPH_BENCH_SIZES=10k,100k limits the sizes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { graphFromEdges, louvainCommunities, normalizedMutualInformation, plantedPartition, seededRng } from '../../src/index.js';
import type { BenchContext } from '../lib.js';

const SIZES = [
  { name: '10k/50k', nodes: 10_000, edges: 50_000 },
  { name: '100k/500k', nodes: 100_000, edges: 500_000 },
  { name: '1M/5M', nodes: 1_000_000, edges: 5_000_000 },
];
const PYTHON = '/usr/bin/python3';
const PEER = path.join(import.meta.dirname, '..', 'peers', 'igraph_communities.py');
const SELF = fileURLToPath(import.meta.url);

/** What one contender measured on one size. */
interface Run {
  read_s: number;
  build_s?: number;
  cluster_s: number;
  total_s: number;
  total_cpu_s: number;
  modularity: number;
  count: number;
  nmi: number;
  peak_rss_bytes: number;
}

export default async function graphSuite(ctx: BenchContext): Promise<void> {
  ensureIgraph();
  const wanted = (process.env.GRAPH_BENCH_SIZES ?? '10k,100k,1M').split(',');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wildtrace-bench-graph-'));
  try {
    for (const size of SIZES) {
      if (!wanted.some((w) => size.name.startsWith(w))) continue;
      const p = plantedPartition({ nodes: size.nodes, edges: size.edges, communitySize: 100, mixing: 0.2, seed: 1 });
      const edgeFile = path.join(dir, `edges-${size.nodes}.txt`);
      const plantedFile = path.join(dir, `planted-${size.nodes}.txt`);
      writeEdgeList(edgeFile, p.sources, p.targets);
      writeFileSync(plantedFile, `${Array.from(p.communities).join('\n')}\n`);

      const wt = child('wildtrace', edgeFile, plantedFile);
      recordRun(ctx, size.name, 'wildtrace', wt);
      ctx.record({ name: `${size.name} wildtrace build (graphFromEdges)`, value: wt.build_s!, unit: 's' });
      const big = size.nodes >= 1_000_000;
      if (!big || process.env.GRAPH_BENCH_BASELINE_1M === '1') {
        const naive = child('naive', edgeFile, plantedFile);
        recordRun(ctx, size.name, 'baseline graphology addEdge + graphology-communities-louvain', naive);
        ctx.record({ name: `${size.name} baseline build (addEdge)`, value: naive.build_s!, unit: 's' });
        ctx.record({ name: `${size.name} build speed-up vs addEdge`, value: naive.build_s! / wt.build_s!, unit: 'x' });
        ctx.record({ name: `${size.name} Louvain speed-up vs graphology-communities-louvain`, value: naive.cluster_s / wt.cluster_s, unit: 'x' });
      }
      const ml = peer('multilevel', edgeFile, plantedFile);
      recordRun(ctx, size.name, 'igraph multilevel', ml);
      const ld = peer('leiden', edgeFile, plantedFile);
      recordRun(ctx, size.name, 'igraph leiden', ld);

      const target100k = size.nodes === 100_000;
      ratio(ctx, `${size.name} total wall wildtrace / igraph multilevel`, wt.total_s / ml.total_s, target100k ? 1 : undefined);
      ratio(ctx, `${size.name} total CPU wildtrace / igraph multilevel`, wt.total_cpu_s / ml.total_cpu_s, target100k ? 1 : undefined);
      const modGap = Math.abs(wt.modularity - ml.modularity) / ml.modularity;
      ctx.record({ name: `${size.name} modularity gap to igraph multilevel`, value: modGap * 100, unit: '%', target: target100k ? '<= 1' : undefined, met: target100k ? modGap <= 0.01 : undefined });
      ratio(ctx, `${size.name} total wall wildtrace / igraph leiden (stretch)`, wt.total_s / ld.total_s);
      ratio(ctx, `${size.name} total CPU wildtrace / igraph leiden (stretch)`, wt.total_cpu_s / ld.total_cpu_s);
      if (big) {
        ctx.record({ name: `${size.name} wildtrace whole run (read + build + Louvain)`, value: wt.total_s, unit: 's', target: '< 60', met: wt.total_s < 60 });
        ctx.record({ name: `${size.name} wildtrace peak RSS`, value: wt.peak_rss_bytes / 2 ** 30, unit: 'GiB', target: '< 4', met: wt.peak_rss_bytes < 4 * 2 ** 30 });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function recordRun(ctx: BenchContext, size: string, who: string, r: Run): void {
  ctx.record({ name: `${size} ${who} total (read + build + cluster), wall`, value: r.total_s, unit: 's' });
  ctx.record({ name: `${size} ${who} total, CPU`, value: r.total_cpu_s, unit: 's' });
  ctx.record({ name: `${size} ${who} cluster`, value: r.cluster_s, unit: 's' });
  ctx.record({ name: `${size} ${who} modularity`, value: r.modularity, unit: 'Q', note: `${r.count} communities` });
  ctx.record({ name: `${size} ${who} NMI vs planted`, value: r.nmi, unit: 'NMI' });
  ctx.record({ name: `${size} ${who} peak RSS`, value: r.peak_rss_bytes / 2 ** 20, unit: 'MiB' });
}

function ratio(ctx: BenchContext, name: string, value: number, atMost?: number): void {
  ctx.record({ name, value, unit: 'x', ...(atMost === undefined ? {} : { target: `<= ${atMost}`, met: value <= atMost }) });
}

function ensureIgraph(): void {
  try {
    execFileSync(PYTHON, ['-c', 'import igraph'], { stdio: 'ignore' });
  } catch {
    execFileSync('bash', [path.join(import.meta.dirname, '..', '..', 'scripts', 'setup-system.sh')], { stdio: 'inherit' });
  }
}

function peer(algorithm: string, edgeFile: string, plantedFile: string): Run {
  const out = execFileSync(PYTHON, [PEER, algorithm, edgeFile, plantedFile, '1'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Run;
}

function child(mode: 'wildtrace' | 'naive', edgeFile: string, plantedFile: string): Run {
  const r = spawnSync(process.execPath, [...process.execArgv, SELF, mode, edgeFile, plantedFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`graph bench child (${mode}) failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
}

function writeEdgeList(file: string, sources: Uint32Array, targets: Uint32Array): void {
  const chunks: string[] = [];
  for (let e = 0; e < sources.length; e++) chunks.push(`${sources[e]} ${targets[e]}\n`);
  writeFileSync(file, chunks.join(''));
}

/** Reads "source target" integer lines into typed arrays (the same file igraph reads). */
function readEdgeList(file: string): { sources: Uint32Array; targets: Uint32Array } {
  const bytes = readFileSync(file);
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  const sources = new Uint32Array(lines);
  const targets = new Uint32Array(lines);
  let e = 0;
  let value = 0;
  let field = 0;
  let inNumber = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 48 && b <= 57) {
      value = value * 10 + (b - 48);
      inNumber = true;
    } else if (inNumber) {
      if (field === 0) sources[e] = value;
      else targets[e] = value;
      field++;
      value = 0;
      inNumber = false;
      if (b === 10) {
        e++;
        field = 0;
      }
    } else if (b === 10) field = 0;
  }
  return { sources: sources.subarray(0, e), targets: targets.subarray(0, e) };
}

// graphology-communities-louvain is CommonJS (`module.exports = fn`); its typings declare an ES default
type GraphologyLouvain = typeof louvainModule.default;
const louvain: GraphologyLouvain = (louvainModule as unknown as { default?: GraphologyLouvain }).default ?? (louvainModule as unknown as GraphologyLouvain);

/** Child process: one contender on one edge-list file; prints a {@link Run} as JSON. */
function worker(mode: string, edgeFile: string, plantedFile: string): void {
  const planted = Uint32Array.from(readFileSync(plantedFile, 'utf8').trim().split('\n'), Number);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { sources, targets } = readEdgeList(edgeFile);
  const t1 = performance.now();
  let partition: Record<string, number>;
  let modularity: number;
  let count: number;
  let t2: number;
  if (mode === 'wildtrace') {
    const graph = graphFromEdges({ sources, targets }, { nodeCount: planted.length });
    t2 = performance.now();
    ({ partition, modularity, count } = louvainCommunities(graph, { seed: 1 }));
  } else {
    const graph = new UndirectedGraph();
    for (let i = 0; i < planted.length; i++) graph.addNode(String(i));
    for (let e = 0; e < sources.length; e++) {
      const s = String(sources[e]);
      const t = String(targets[e]);
      if (s === t) continue;
      if (graph.hasEdge(s, t)) graph.updateEdgeAttribute(s, t, 'weight', (w) => (w as number) + 1);
      else graph.addEdge(s, t, { weight: 1 });
    }
    t2 = performance.now();
    const r = louvain.detailed(graph, { getEdgeWeight: 'weight', rng: seededRng(1) });
    ({ communities: partition, modularity, count } = r);
  }
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const labels = new Uint32Array(planted.length);
  for (let i = 0; i < planted.length; i++) labels[i] = partition[String(i)];
  const run: Run = {
    read_s: (t1 - t0) / 1000,
    build_s: (t2 - t1) / 1000,
    cluster_s: (t3 - t2) / 1000,
    total_s: (t3 - t0) / 1000,
    total_cpu_s: (cpu.user + cpu.system) / 1e6,
    modularity,
    count,
    nmi: normalizedMutualInformation(planted, labels),
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) worker(process.argv[2], process.argv[3], process.argv[4]);
