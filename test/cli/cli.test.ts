import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../../src/cli/bin.ts');
const exec = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('wildtrace CLI', () => {
  it('runs the demo offline on the training case: report files and quality against the ground truth', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-demo-'));
    try {
      const r = await cli(['demo', '--out', out, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout);
      const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
      expect(report.quality).toEqual({ clustering: summary.quality.clustering, vendors: summary.quality.vendors, flags: summary.quality.flags, wildlife: summary.quality.wildlife });
      for (const key of ['flags', 'communities', 'listings']) expect(Array.isArray(report[key]), key).toBe(true);
      expect(report.listings.length).toBe(summary.listings);
      // the acceptance bar on the bundled case, default options
      expect(summary.quality.clustering.precision).toBeGreaterThanOrEqual(0.99);
      expect(summary.quality.flags.precision).toBeGreaterThanOrEqual(0.9);
      expect(summary.quality.flags.recall).toBeGreaterThanOrEqual(0.9);
      const html = await readFile(path.join(out, 'report.html'), 'utf8');
      expect(html).toContain('Content-Security-Policy');
      console.log('demo quality', JSON.stringify(summary.quality));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 240_000);

  it('exits 2 on wrong usage and 0 with --help', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['--bogus-flag'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/wildtrace demo/);
    expect(help.stdout).toMatch(/Exit codes: 0 success/);
  }, 120_000);

  it('exits 1 with a clear message when the case is locked', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-cli-'));
    const { Case } = await import('../../src/index.js');
    const held = await Case.open(dir);
    try {
      const r = await cli(['case', 'init', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/already open.*\[STORE_LOCKED\]/);
    } finally {
      await held.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
