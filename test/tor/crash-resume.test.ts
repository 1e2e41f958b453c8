/**
 * Crash and resume: a crawl in a child process is SIGKILLed mid-way, again and again, and
 * restarted on the same case directory (classic-level) until it completes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Case } from '../../src/case.js';
import { Frontier } from '../../adapters/tor/index.js';
import { contentPaths, startMarketBehindProxy, type MarketBehindProxy } from './harness.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

let env: MarketBehindProxy | undefined;
let dir: string | undefined;
afterEach(async () => {
  await env?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  env = dir = undefined;
});

/**
 * Runs the child once and SIGKILLs it: `afterCommits` pages plus `delayMs` later (wherever it is),
 * or once it has fetched `whenParked` pages and hangs with the case open (no request in flight).
 * Resolves with whether it completed and how many pages it committed.
 */
function runChild(
  caseDir: string,
  e: MarketBehindProxy,
  delayMs: number,
  kill: { afterCommits: number; delayMs: number } | { whenParked: number } | undefined,
): Promise<{ complete: boolean; commits: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const args = [CHILD, caseDir, e.proxy.url, e.market.onionHost, String(delayMs), ...(kill && 'whenParked' in kill ? [String(kill.whenParked)] : [])];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let commits = 0;
    let complete = false;
    let killed = false;
    let out = '';
    let err = '';
    const sigkill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith('committed ')) {
          commits++;
          if (kill && 'afterCommits' in kill && commits === kill.afterCommits) setTimeout(sigkill, kill.delayMs);
        } else if (line === 'parked') sigkill();
        else if (line === 'complete') complete = true;
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ complete, commits, killed });
      else reject(new Error(`crawl child failed (${code ?? signal}): ${err}`));
    });
  });
}

async function checkArchive(caseDir: string, paths: string[], e: MarketBehindProxy): Promise<void> {
  const c = await Case.open(caseDir);
  const f = new Frontier(c, 'aurora');
  expect(await f.load()).toEqual([]);
  for (const p of paths) expect(await f.state(e.market.url(p)), p).toMatchObject({ state: 'done', status: 200 });
  expect(await c.store.collection('page').count()).toBe(paths.length);
  await c.close();
}

describe('crash and resume (SIGKILL of a child process)', () => {
  it('killed between pages, again and again: every page is fetched exactly once', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-crash-'));
    const paths = contentPaths(env.market);
    let kills = 0;
    for (let run = 0; run < 10; run++) {
      // two runs fetch 10 pages each and are SIGKILLed with the case open; the third finishes
      const r = await runChild(dir, env, 0, kills < 2 ? { whenParked: 10 } : undefined);
      if (r.killed) {
        kills++;
        expect(r.commits).toBe(10);
      }
      if (r.complete) break;
    }
    expect(kills).toBe(2);
    for (const p of paths) expect(env.market.hits(p), p).toBe(1);
    expect(env.market.stats.requests).toBe(paths.length);
    await checkArchive(dir, paths, env);
  }, 120_000);

  it('killed at random moments (also mid-request): every page archived exactly once, none lost; only in-flight requests repeat', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-crash-'));
    const paths = contentPaths(env.market);
    let kills = 0;
    for (let run = 0; run < 30; run++) {
      const r = await runChild(dir, env, 40, kills < 2 ? { afterCommits: 1 + Math.floor(Math.random() * 5), delayMs: Math.floor(Math.random() * 60) } : undefined);
      if (r.killed) kills++;
      if (r.complete) break;
    }
    expect(kills).toBeGreaterThan(0);
    for (const p of paths) {
      expect(env.market.hits(p), p).toBeGreaterThanOrEqual(1);
      expect(env.market.hits(p), p).toBeLessThanOrEqual(2);
    }
    // a repeat happens only for a request in flight at a kill: at most one per kill
    expect(env.market.stats.requests - paths.length).toBeLessThanOrEqual(kills);
    await checkArchive(dir, paths, env);
  }, 120_000);
});
