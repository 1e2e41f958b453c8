/**
 * Helpers the lessons share: where the bundled training case lives, and how to read its market
 * pages, ground truth and manifest. The training case is synthetic (every market, vendor, address
 * and transaction is invented) but every block parses as real Bitcoin and every page is the HTML
 * of a shipped market profile. It ships with the npm package under `data/training-case/`.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Page } from '../../src/index.js';

/** The bundled training case directory. */
export const TRAINING_CASE = fileURLToPath(new URL('../../data/training-case/', import.meta.url));

/** A market of the training case (from `manifest.json`). */
export interface TrainingMarket {
  id: string;
  onionHost: string;
  vendors: number;
  listings: number;
}

/** `manifest.json`: the markets, their onion hosts and the case's counts. */
export interface TrainingManifest {
  name: string;
  seed: string;
  markets: TrainingMarket[];
  pages: number;
  blocks: number;
  wildlifeListings: number;
}

/** `truth.json`: what really happened in the synthetic world. */
export interface TrainingTruth {
  /** Bitcoin address → the true owner (`person:N`, `buyer:N`, `exchange:…`) */
  entities: Record<string, string>;
  /** vendor account (`market/handle`) → the true person behind it */
  persons: Record<string, string>;
  /** listing id → the wildlife it really sells */
  wildlifeListings: Record<string, string>;
  /** the true trafficking flows */
  flows: { kind: string; chain: string; txid: string; person?: string; amount?: string }[];
}

/** Reads `manifest.json`. */
export async function readManifest(): Promise<TrainingManifest> {
  return JSON.parse(await readFile(path.join(TRAINING_CASE, 'manifest.json'), 'utf8')) as TrainingManifest;
}

/** Reads `truth.json`. */
export async function readTruth(): Promise<TrainingTruth> {
  return JSON.parse(await readFile(path.join(TRAINING_CASE, 'truth.json'), 'utf8')) as TrainingTruth;
}

/** Reads the archived market pages (`pages.jsonl.gz`: one JSON page a line, `body` as text) as `Page`s. */
export async function readPages(): Promise<Page[]> {
  const text = gunzipSync(await readFile(path.join(TRAINING_CASE, 'pages.jsonl.gz'))).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const raw = JSON.parse(line) as Omit<Page, 'body' | 'sha256'> & { body: string };
      const body = new TextEncoder().encode(raw.body);
      return { ...raw, body, sha256: createHash('sha256').update(body).digest('hex') };
    });
}

/** Runs `work` with a fresh temporary directory, removed afterwards whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-lesson-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Satoshi as BTC text (`6019200n` → `0.06019200 BTC`). */
export function btc(sats: bigint): string {
  const sign = sats < 0n ? '-' : '';
  const abs = sats < 0n ? -sats : sats;
  return `${sign}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, '0')} BTC`;
}

/** A section heading for lesson output. */
export function heading(title: string): void {
  console.log(`\n=== ${title} ===`);
}
