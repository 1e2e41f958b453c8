/**
 * Compiles the Solidity sources of this folder with solc-js 0.8.28 (optimizer on, 200 runs,
 * the compiler's default EVM version, cancun) and writes `artifacts.json`: for every contract,
 * its ABI and creation bytecode. The test chain of test/ethereum deploys these artifacts.
 *
 *   npx tsx contracts/compile.ts          # rewrite artifacts.json
 *   npx tsx contracts/compile.ts --check  # exit 1 if artifacts.json is stale
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
// @ts-expect-error solc-js ships no type declarations; the part used here is typed below
import solcUntyped from 'solc';

const solc = solcUntyped as { compile(input: string): string; version(): string };

/** One compiled contract. */
export interface Artifact {
  abi: unknown[];
  bytecode: string;
}

const dir = import.meta.dirname;

/** Compiles every `.sol` file of `contracts/`; returns artifacts keyed by contract name. */
export async function compileContracts(): Promise<Record<string, Artifact>> {
  const sources: Record<string, { content: string }> = {};
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.sol')).sort()) {
    sources[f] = { content: await readFile(path.join(dir, f), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const out: Record<string, Artifact> = {};
  for (const file of Object.keys(output.contracts).sort()) {
    for (const [name, c] of Object.entries(output.contracts[file])) {
      out[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    }
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(dir, 'compile.ts')) {
  const target = path.join(dir, 'artifacts.json');
  const text = `${JSON.stringify({ compiler: `solc ${solc.version()}`, contracts: await compileContracts() }, null, 1)}\n`;
  if (process.argv.includes('--check')) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== text) {
      console.error('contracts/artifacts.json is stale: run npx tsx contracts/compile.ts');
      process.exit(1);
    }
  } else {
    await writeFile(target, text);
  }
}
