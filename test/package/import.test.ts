/**
 * The published package: build, `npm pack`, unpack the tarball into a throw-away project and use
 * it from ESM (`import`), from CommonJS (`require`) and from TypeScript (its declarations).
 *
 * No registry is contacted: the throw-away project sits inside this checkout (under `.cache/`),
 * so Node resolves the package's dependencies from this checkout's node_modules, while the
 * package itself comes only from the tarball. A separate check proves that every package the
 * built code imports is a declared runtime dependency, which that resolution would not notice.
 */
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const work = path.join(repo, '.cache', `pkgtest-${process.pid}`);
const installed = path.join(work, 'node_modules', 'wildtrace');
let pkg: { version: string; dependencies: Record<string, string>; exports: Record<string, unknown> };

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
}

beforeAll(async () => {
  pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
  await rm(work, { recursive: true, force: true });
  await mkdir(installed, { recursive: true });
  const out = run('npm', ['pack', '--json', '--pack-destination', work], repo); // prepack builds dist/
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
  run('tar', ['xzf', path.join(work, filename), '-C', installed, '--strip-components=1'], repo);
  await writeFile(path.join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 240_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the packed wildtrace package', () => {
  it('ships dist with declarations, the bin, and no tests or sources', async () => {
    const files = run('find', ['.', '-type', 'f'], installed).split('\n').filter(Boolean);
    expect(files).toContain('./dist/src/index.js');
    expect(files).toContain('./dist/src/index.d.ts');
    expect(files).toContain('./dist/src/cli/bin.js');
    expect(files.some((f) => f.startsWith('./test/') || f.startsWith('./src/') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
    expect((await readFile(path.join(installed, 'dist/src/cli/bin.js'), 'utf8')).startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('imports from an ES module project and opens a case', () => {
    const script = `
      import { Case, VERSION, WildtraceError } from 'wildtrace';
      const c = await Case.memory();
      const ids = await c.store.write((b) => b.intern([{ chain: 'btc', address: '1A' }, { chain: 'btc', address: '1B' }]));
      await c.close();
      console.log(JSON.stringify({ VERSION, ids: [...ids], err: typeof WildtraceError }));`;
    const out = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], work));
    expect(out).toEqual({ VERSION: pkg.version, ids: [0, 1], err: 'function' });
  });

  it('requires from a CommonJS project and opens a case', () => {
    const script = `
      const { Case, VERSION } = require('wildtrace');
      Case.memory().then(async (c) => {
        const ids = await c.store.write((b) => b.intern([{ chain: 'eth', address: '0xab' }]));
        await c.close();
        console.log(JSON.stringify({ VERSION, ids: [...ids] }));
      });`;
    const out = JSON.parse(run(process.execPath, ['--input-type=commonjs', '-e', script], work));
    expect(out).toEqual({ VERSION: pkg.version, ids: [0] });
  });

  it('resolves every adapter entry point', async () => {
    const adapters = (await readdir(path.join(installed, 'dist', 'adapters'))).sort();
    expect(adapters.length).toBeGreaterThan(0);
    const script = `for (const a of ${JSON.stringify(adapters)}) await import('wildtrace/adapters/' + a); console.log('ok');`;
    expect(run(process.execPath, ['--input-type=module', '-e', script], work).trim()).toBe('ok');
  });

  it('type-checks a TypeScript consumer against the shipped declarations (ESM and CommonJS)', async () => {
    await writeFile(
      path.join(work, 'use.mts'),
      `import { Case, type Tx } from 'wildtrace';\nconst tx: Tx = { txid: 'x', inputs: [], outputs: [] };\nconst c: Case = await Case.memory();\nawait c.close();\nexport { tx };\n`,
    );
    await writeFile(path.join(work, 'use.cts'), `import wildtrace = require('wildtrace');\nexport const v: string = wildtrace.VERSION;\n`);
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(repo, 'node_modules/@types'), 'use.mts', 'use.cts'], work);
  }, 180_000);

  it('declares every package its built code imports as a runtime dependency', async () => {
    const missing = new Set<string>();
    const builtins = new Set(builtinModules);
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith('.js')) {
          const src = await readFile(p, 'utf8');
          // import/export statements (a `from` that starts a line or closes a multi-line brace list),
          // bare `import 'x'`, dynamic import() and require(); a "from" inside a comment is not one
          // (the statement ends its line, so `'ships-from', 'x'` inside an array is not one)
          const statements = /^\s*(?:(?:import|export)\b[^\n]*?\sfrom|\}\s*from|import)\s*['"]([^'".][^'"\n]*)['"]\s*;?\s*$|(?:\bimport\s*\(|\brequire\()\s*['"]([^'".][^'"]*)['"]/gm;
          for (const m of src.matchAll(statements)) {
            const spec = m[1] ?? m[2];
            if (spec.startsWith('node:') || builtins.has(spec.split('/')[0])) continue;
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
            if (!(name in pkg.dependencies)) missing.add(`${name} (in ${path.relative(installed, p)})`);
          }
        }
      }
    };
    await walk(path.join(installed, 'dist'));
    expect([...missing]).toEqual([]);
  });

  it('runs the wildtrace bin', () => {
    const out = run(process.execPath, [path.join(installed, 'dist/src/cli/bin.js'), '--version'], work);
    expect(out.trim()).toBe(pkg.version);
  });
});
