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
  it('runs the demo offline and writes the report', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-demo-'));
    try {
      const r = await cli(['demo', '--out', out, '--json']);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.tags).toBe(2);
      expect(JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'))).toEqual(summary);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('exits 2 on wrong usage and 0 with --help', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['--bogus-flag'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:/);
  });

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
  });
});
