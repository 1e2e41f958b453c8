/**
 * Bundles a child-process script of the reliability tests into one ES module with esbuild (which
 * tsx ships), so that a child starts several times faster than under `--import tsx`: the kill test
 * spawns ~60 of them. Only classic-level (native) stays outside the bundle, which therefore lives
 * in node_modules/.cache, where it resolves.
 *
 * Two test runs on one checkout may bundle the same child at once, so the bundle is written to a
 * name of this process's own and renamed into place (atomic on one file system): a child always
 * loads a whole bundle, never one another run is halfway through writing.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Bundles `entry` (a .ts file) and returns the path of the runnable .mjs. */
export async function bundleChild(entry: string): Promise<string> {
  const outfile = path.join(ROOT, 'node_modules/.cache/wildtrace-reliability', `${path.basename(entry, '.ts')}.mjs`);
  await mkdir(path.dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['classic-level'],
    // bundled CommonJS modules call require() for Node's built-ins
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const [output] = result.outputFiles;
  if (!output || result.outputFiles.length !== 1) throw new Error(`esbuild gave ${result.outputFiles.length} files for ${entry}, not one`);
  const partial = `${outfile}.${process.pid}.${Date.now()}.partial`;
  try {
    await writeFile(partial, output.contents);
    await rename(partial, outfile);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return outfile;
}
