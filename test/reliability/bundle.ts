/**
 * Bundles a child-process script of the reliability tests into one ES module with esbuild (which
 * tsx ships), so that a child starts several times faster than under `--import tsx`: the kill test
 * spawns ~60 of them. Only classic-level (native) stays outside the bundle, which therefore lives
 * in node_modules/.cache, where it resolves.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Bundles `entry` (a .ts file) and returns the path of the runnable .mjs. */
export async function bundleChild(entry: string): Promise<string> {
  const outfile = path.join(ROOT, 'node_modules/.cache/wildtrace-reliability', `${path.basename(entry, '.ts')}.mjs`);
  await mkdir(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['classic-level'],
    // bundled CommonJS modules call require() for Node's built-ins
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}
