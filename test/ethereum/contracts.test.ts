/**
 * The committed contract artifacts (contracts/artifacts.json) are what solc-js 0.8.28 makes of
 * the committed Solidity sources: the test chain runs the code the repository shows.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContracts } from '../../contracts/compile.js';

describe('contracts', () => {
  it('artifacts.json matches a fresh solc-js compilation of contracts/*.sol', async () => {
    const committed = JSON.parse(await readFile(path.join(import.meta.dirname, '../../contracts/artifacts.json'), 'utf8')) as {
      compiler: string;
      contracts: Record<string, unknown>;
    };
    expect(committed.compiler).toMatch(/^solc 0\.8\.28\+/);
    expect(await compileContracts()).toEqual(committed.contracts);
  }, 60_000);
});
