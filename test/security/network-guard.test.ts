/**
 * Nothing reaches the network but 127.0.0.1. The network guard (test/setup/net-guard.ts) is
 * preloaded into child processes with `--import`; it records every connection, datagram and DNS
 * request they make, refuses those that would leave loopback, and makes such a process exit 86.
 *
 * - The guard itself: a probe child tries every way out (TCP, TLS, http, https, fetch, UDP, DNS
 *   lookup and queries) inside a network namespace of its own, so that a broken guard could not
 *   send anything either; each attempt must be refused with ENETGUARD and recorded, and
 *   loopback must still work.
 * - wildtrace under the guard: the demo's pipeline (`investigate()`, what `wildtrace demo` runs:
 *   pages archived and parsed, blocks and transfers ingested, tags imported, the analysis, the
 *   report) on a small case, then the CLI's `report` on that case; each process must succeed,
 *   carry the guard, and attempt nothing outside loopback. (A full `wildtrace demo` takes about a
 *   minute: docs/security.md gives its figures under the guard.)
 * The whole vitest run carries the same guard (test/setup/no-network.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NET_GUARD_EXIT_CODE, type NetAttempt } from '../setup/net-guard.js';
import { writeHostileCase } from './hostile-case.js';

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const GUARD = ['--import', 'tsx', '--import', './test/setup/net-guard.ts'];
const BIN = 'src/cli/bin.ts';

/** Whether this machine lets a test make a network namespace (root, util-linux and iproute2). */
function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

type LogLine = NetAttempt & { pid: number; argv?: string[] };

async function readLog(file: string): Promise<LogLine[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

/** Runs node with the guard preloaded; resolves with the exit code and output. */
async function guarded(args: string[], log: string, wrap: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, ...rest] = wrap.length ? [...wrap, process.execPath, ...GUARD, ...args] : [process.execPath, ...GUARD, ...args];
  try {
    const { stdout, stderr } = await exec(file, rest, { cwd: ROOT, env: { ...process.env, WILDTRACE_NET_GUARD_LOG: log }, maxBuffer: 64 << 20, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-netguard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('network guard', () => {
  it.skipIf(!canUnshare())('refuses and records every way out of a process (in a network namespace of its own), and lets loopback through', async () => {
    const log = path.join(dir, 'probe.log');
    // `sh -c 'ip link set lo up && exec "$0" "$@"' node …`: loopback up in the new namespace, then the probe
    const r = await guarded(['test/security/net-guard-probe.ts'], log, ['unshare', '--net', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"']);
    expect(r.code, r.stderr).toBe(NET_GUARD_EXIT_CODE);
    const results = JSON.parse(r.stdout) as Record<string, string>;
    for (const [what, result] of Object.entries(results)) {
      if (/127\.0\.0\.1|localhost/.test(what)) expect(result, what).toBe('ok');
      else expect(result, what).toBe('ENETGUARD');
    }
    const lines = await readLog(log);
    expect(lines[0]).toMatchObject({ kind: 'guard' });
    const refused = lines.filter((l) => !l.allowed);
    expect(new Set(refused.map((l) => l.kind.split(':')[0]))).toEqual(new Set(['tcp', 'udp', 'lookup', 'resolve']));
    expect(refused.every((l) => l.host === '192.0.2.1' || l.host === 'wildtrace-guard-probe.invalid')).toBe(true);
    // 11 ways out, each refused at its first step (fetch and https through a lookup or a connect)
    expect(refused.length).toBeGreaterThanOrEqual(11);
    expect(lines.filter((l) => l.allowed && l.kind === 'tcp').map((l) => l.host)).toEqual(expect.arrayContaining(['127.0.0.1', 'localhost']));
  }, 60_000);

  it('the demo pipeline and the CLI report command reach nothing past 127.0.0.1', async () => {
    const data = await writeHostileCase(path.join(dir, 'data'), 'http://127.0.0.1:9/leak');
    const log = path.join(dir, 'run.log');
    const caseDir = path.join(dir, 'case');
    const investigate = `import { investigate } from './src/cli/investigate.ts';
      const r = await investigate(${JSON.stringify(data.dataDir)}, { caseDir: ${JSON.stringify(caseDir)}, outDir: ${JSON.stringify(path.join(dir, 'demo-out'))} });
      process.stdout.write(JSON.stringify(r.summary));`;
    // the demo's pipeline builds the case (pages, blocks, transfers, tags, analysis, report); the CLI reports on it again
    const runs = [
      ['--input-type=module', '-e', investigate],
      [BIN, 'report', '--out', path.join(dir, 'out'), '--case', caseDir, '--json'],
    ];
    for (const args of runs) {
      const r = await guarded(args, log);
      expect(r.code, `${args.slice(0, 3).join(' ')}: ${r.stderr}`).toBe(0);
    }
    const lines = await readLog(log);
    const pids = new Set(lines.map((l) => l.pid));
    // every process carried the guard …
    expect(lines.filter((l) => l.kind === 'guard')).toHaveLength(runs.length);
    expect(pids.size).toBe(runs.length);
    // … and none of them attempted anything outside loopback
    expect(lines.filter((l) => !l.allowed)).toEqual([]);
    expect(lines.filter((l) => l.kind !== 'guard').every((l) => l.allowed)).toBe(true);
  }, 300_000);
});
