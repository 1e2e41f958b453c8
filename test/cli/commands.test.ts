/**
 * The CLI end to end on the training case, command by command as an analyst would run it on
 * their own data: case init, pages import, ingest btc --blocks, transfers import, tags import,
 * cluster, flags, communities, report, export — with --json and the exit codes.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'src/cli/bin.ts');
const data = path.join(repo, 'data/training-case');
const exec = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; json?: Record<string, unknown> }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', bin, ...args], { maxBuffer: 64 << 20 });
    let json;
    try {
      json = JSON.parse(stdout);
    } catch {
      json = undefined;
    }
    return { code: 0, stdout, stderr, json };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let caseDir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-cli-e2e-'));
  caseDir = path.join(dir, 'case');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wildtrace CLI on the training case', () => {
  it('imports the evidence step by step', async () => {
    expect((await cli('case', 'init', caseDir, '--json')).json).toEqual({ case: caseDir, created: true });
    const pages = await cli('pages', 'import', path.join(data, 'pages.jsonl.gz'), '--case', caseDir, '--json');
    expect(pages.code, pages.stderr).toBe(0);
    expect(pages.json).toMatchObject({ pages: 2712, listings: 2137, vendors: 215, skipped: [] });
    const btc = await cli('ingest', 'btc', '--blocks', path.join(data, 'blocks'), '--case', caseDir, '--json');
    expect(btc.code, btc.stderr).toBe(0);
    expect(btc.json).toMatchObject({ blocks: 68, unresolved: 0 });
    // idempotent: a second run finds everything present
    expect((await cli('ingest', 'btc', '--blocks', path.join(data, 'blocks'), '--case', caseDir, '--json')).json).toMatchObject({ blocks: 0 });
    expect((await cli('transfers', 'import', path.join(data, 'eth-transfers.jsonl'), '--case', caseDir, '--json')).json).toEqual({ transfers: 100 });
    expect((await cli('tags', 'import', path.join(data, 'tags.yaml'), '--case', caseDir, '--json')).json).toMatchObject({ imported: 10, skipped: 0 });
  }, 300_000);

  it('clusters, flags, finds communities, reports and exports', async () => {
    const cluster = await cli('cluster', '--case', caseDir, '--json');
    expect(cluster.code, cluster.stderr).toBe(0);
    expect(cluster.json!.clusters as number).toBeGreaterThan(100);
    const flags = await cli('flags', '--case', caseDir, '--json');
    expect(flags.code, flags.stderr).toBe(0);
    const list = flags.json!.flags as { id: string; kind: string; amounts: Record<string, string> }[];
    expect(list.length).toBeGreaterThan(5);
    expect(new Set(list.map((f) => f.kind))).toEqual(new Set(['wildlife-payment-in', 'wildlife-cashout-exchange', 'wildlife-to-mixer', 'wildlife-to-sanctioned']));
    const explained = await cli('flags', '--case', caseDir, '--explain');
    expect(explained.stdout).toContain('1. Wildlife listings');
    const communities = await cli('communities', '--case', caseDir, '--json');
    expect((communities.json!.communities as unknown[]).length).toBeGreaterThan(1);
    expect(communities.json!.modularity as number).toBeGreaterThan(0.3);
    const out = path.join(dir, 'out');
    expect((await cli('report', '--case', caseDir, '--out', out)).code).toBe(0);
    expect(existsSync(path.join(out, 'report.html')) && existsSync(path.join(out, 'report.json'))).toBe(true);
    for (const format of ['gexf', 'graphml', 'json', 'csv']) {
      const file = path.join(dir, `graph.${format}`);
      const r = await cli('export', '--case', caseDir, '--format', format, '--out', file, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(r.json!.nodes as number).toBeGreaterThan(100);
    }
    expect(await readFile(path.join(dir, 'graph.gexf'), 'utf8')).toMatch(/^<\?xml[\s\S]*<gexf/);
    expect(existsSync(path.join(dir, 'graph.nodes.csv')) && existsSync(path.join(dir, 'graph.edges.csv'))).toBe(true);
  }, 600_000);

  it('exits 2 on wrong usage (an unsafe socks5:// proxy too), 1 on a failed step, 3 when the Tor proxy is down', async () => {
    expect((await cli('ingest', 'btc', '--case', caseDir)).code).toBe(2);
    expect((await cli('export', '--case', caseDir, '--format', 'pdf', '--out', 'x')).code).toBe(2);
    const leak = await cli('ingest', 'btc', '--esplora', 'http://example.onion/api', '--tor', 'socks5://127.0.0.1:9050', '--case', caseDir);
    expect(leak.code).toBe(2);
    expect(leak.stderr).toMatch(/DNS/);
    expect((await cli('cluster', '--case', path.join(dir, 'no-such-case'))).code).toBe(1);
    const down = await cli('crawl', '--profile', 'aurora', '--tor', 'socks5h://127.0.0.1:1', '--case', caseDir, '--max-pages', '1');
    expect(down.code, down.stderr).toBe(3);
  }, 300_000);
});
