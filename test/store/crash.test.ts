/**
 * Crash safety: a child process writing a long series of batches is SIGKILLed at random moments.
 * After every kill the store must open, hold only whole batches (exactly the ones up to its
 * checkpoint), and a resumed run must end with content identical to an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../src/index.js';
import { BATCHES, RECORDS } from './fixtures/batch-writer.js';

const WRITER = path.join(import.meta.dirname, 'fixtures', 'batch-writer.ts');

function runWriter(dir: string, killAfterMs?: number): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      // start the kill clock once the child is writing, so every kill lands among batches
      if (killAfterMs !== undefined && out.includes('resume')) {
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        killAfterMs = undefined;
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`writer exited ${code}: ${err}`));
    });
  });
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-crash-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Checks the invariant after a crash: exactly the batches up to the checkpoint, each whole. */
async function checkWholeBatches(dir: string): Promise<number> {
  const c = await Case.open(dir);
  try {
    const done = (await c.store.checkpoint<number>('series')) ?? 0;
    const perBatch = new Map<number, number>();
    for await (const key of c.store.collection('listing').keys()) {
      const b = Number(key.slice(1, 5));
      perBatch.set(b, (perBatch.get(b) ?? 0) + 1);
    }
    expect([...perBatch.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: done }, (_, i) => i + 1));
    for (const n of perBatch.values()) expect(n).toBe(RECORDS);
    // ids are dense: one shared address plus RECORDS new ones per whole batch
    expect(c.store.addressCount).toBe(done === 0 ? 0 : 1 + done * RECORDS);
    return done;
  } finally {
    await c.close();
  }
}

describe('crash safety of batched writes (SIGKILL of a child process)', () => {
  it('keeps only whole batches, resumes from the checkpoint, and equals an uninterrupted run', async () => {
    const reference = path.join(root, 'reference');
    expect((await runWriter(reference)).killed).toBe(false);
    const interrupted = path.join(root, 'interrupted');
    const checkpoints: number[] = [];
    for (let kill = 0; kill < 6; kill++) {
      const { killed } = await runWriter(interrupted, 30 + Math.floor(Math.random() * 250));
      const done = await checkWholeBatches(interrupted);
      checkpoints.push(done);
      if (!killed) break;
    }
    // at least one kill landed mid-series (not before the first or after the last batch)
    expect(checkpoints.some((c) => c > 0 && c < BATCHES)).toBe(true);
    // resume to the end
    const last = await runWriter(interrupted);
    expect(last.out).toContain('finished');
    expect(await checkWholeBatches(interrupted)).toBe(BATCHES);

    const a = await Case.open(reference);
    const b = await Case.open(interrupted);
    const [da, db] = [await a.store.digest(), await b.store.digest()];
    await a.close();
    await b.close();
    expect(Object.keys(da)).toEqual(expect.arrayContaining(['addr', 'aid', 'ckpt', 'listing', 'meta', '*']));
    expect(db).toEqual(da);
    console.log(`crash test: checkpoints at kills ${checkpoints.join(', ')} of ${BATCHES}`);
  }, 120_000);
});
