/**
 * Every lesson in `examples/` runs as a user runs it (`tsx examples/NN-name.ts`, a child process,
 * from the repository root) on the bundled training case, exits 0, and prints the numbers it
 * teaches: the assertions read those numbers back from the output (the three taint policies give
 * three different amounts, CoinJoins excluded gives higher clustering precision than included, …).
 * Each child loads the same DNS guard as the test suite (`test/setup/no-dns.ts`): a lesson that
 * looked a host name up would fail as a test would.
 * The notebook cannot run under a Jupyter kernel here (no PyPI for tslab/Jupyter), so its code
 * cells are concatenated in order and run as one tsx script: that checks the code, not the kernel.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
// lessons run in CI on 2 shared cores: generous
const TIMEOUT = 240_000;

async function lesson(file: string): Promise<string> {
  // the test DNS guard runs in the child too
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', './test/setup/no-dns.ts', file], { cwd: ROOT, maxBuffer: 64 << 20, timeout: TIMEOUT - 5_000 });
  return stdout;
}

/** the number after `label` in `out` (first occurrence) */
function num(out: string, label: RegExp): number {
  const m = label.exec(out);
  if (!m) throw new Error(`no ${label} in the lesson's output:\n${out}`);
  return Number(m[1]);
}

describe('examples: every lesson runs and prints what it teaches', () => {
  it('01-addresses-and-transactions: decodes the training blocks, extracts a posted address, checks onion checksums', async () => {
    const out = await lesson('examples/01-addresses-and-transactions.ts');
    expect(num(out, /blocks read: (\d+)/)).toBe(68);
    expect(num(out, /^transactions: (\d+)/m)).toBe(1465);
    for (const type of ['p2wpkh', 'p2sh', 'p2pkh', 'p2tr']) expect(out).toMatch(new RegExp(`^  ${type}\\s+\\d+ outputs`, 'm'));
    expect(out).toMatch(/input 0: spends [0-9a-f]{16}…:\d+/);
    expect(out).toMatch(/found btc address (bc1|[13])\w+ at \[\d+, \d+\)/);
    expect(out).toContain('0 addresses found — the checksum rejects typos');
    expect(out).toMatch(/valid v3 onion: true\n.*valid v3 onion: false/);
  }, TIMEOUT);

  it('02-clustering: CoinJoins detected and excluded give precision >= 0.99, above clustering through them', async () => {
    const out = await lesson('examples/02-clustering.ts');
    expect(out).toContain('unresolved inputs 0');
    expect(num(out, /CoinJoins detected: (\d+)/)).toBeGreaterThanOrEqual(3);
    expect(out).toMatch(/whirlpool: /);
    const excluded = num(out, /CoinJoins excluded: precision ([\d.]+)/);
    const included = num(out, /CoinJoins included: precision ([\d.]+)/);
    expect(excluded).toBeGreaterThanOrEqual(0.99);
    expect(included).toBeLessThan(excluded);
    expect(out).toMatch(/\[multi-input, tx:[0-9a-f]{64}, confidence [\d.]+\]/);
    expect(out).toContain('same cluster for the two addresses above: true');
  }, TIMEOUT);

  it('03-darknet-vendors: parses the three markets, shows a vendor\'s PGP key, links accounts on strong evidence', async () => {
    const out = await lesson('examples/03-darknet-vendors.ts');
    expect(out).toMatch(/total: 2137 listings, 215 vendor accounts/);
    expect(out).toMatch(/PGP fingerprint [0-9A-F]{40}/);
    expect(out).toMatch(/source page sha256 [0-9a-f]{64}/);
    const strong = out.slice(out.indexOf('strong evidence only'));
    expect(num(strong, /vendor linking: precision ([\d.]+)/)).toBeGreaterThanOrEqual(0.99);
    expect(num(strong, /recall ([\d.]+)/)).toBeGreaterThan(0);
    expect(num(out, /^person \S+: accounts .* on (\d+) markets$/m)).toBeGreaterThanOrEqual(2);
  }, TIMEOUT);

  it('04-wildlife-detection: code words and obfuscation found with CITES taxa, hard negatives rejected, scan >= 0.9 P/R', async () => {
    const out = await lesson('examples/04-wildlife-detection.ts');
    expect(out).toMatch(/\[code word\] "White gold[^\n]*\n\s+→ WILDLIFE ivory: Loxodonta africana, CITES Appendix I\/II/);
    expect(out).toMatch(/\[obfuscated\][^\n]*\n\s+→ WILDLIFE rhino-horn: [^\n]*CITES Appendix I /);
    expect(out.match(/\[hard negative\][^\n]*\n\s+→ not wildlife/g)).toHaveLength(3);
    expect(out).toContain('cancelled by rule context — the word "wedding"');
    expect(out).toMatch(/title\[0,10\) = "White gold"/);
    expect(num(out, /scanned (\d+) listings/)).toBe(2137);
    expect(num(out, /wildlife detection: precision ([\d.]+)/)).toBeGreaterThanOrEqual(0.9);
    expect(num(out, /wildlife detection: precision [\d.]+, recall ([\d.]+)/)).toBeGreaterThanOrEqual(0.9);
  }, TIMEOUT);

  it('05-tracing-flows: poison, haircut and fifo give three different amounts at the tagged exchange; flags explained', async () => {
    const out = await lesson('examples/05-tracing-flows.ts');
    expect(num(out, /(\d+) tags imported/)).toBe(10);
    const amounts = ['poison', 'haircut', 'fifo'].map((p) => num(out, new RegExp(`^  ${p}\\s+start [\\d.]+ BTC; reached tagged services ([\\d.]+) BTC`, 'm')));
    expect(new Set(amounts).size).toBe(3);
    expect(amounts.every((a) => a > 0)).toBe(true);
    // poison counts whole outputs, so it is the largest reading
    expect(amounts[0]).toBeGreaterThan(Math.max(amounts[1], amounts[2]));
    expect(out).toMatch(/→ \w+ hot wallet: [\d.]+ BTC/);
    expect(num(out, /(\d+) flags: /)).toBeGreaterThan(0);
    expect(num(out, /flagged Bitcoin flows against the ground truth: precision ([\d.]+)/)).toBeGreaterThanOrEqual(0.9);
    expect(num(out, /flagged Bitcoin flows against the ground truth: precision [\d.]+, recall ([\d.]+)/)).toBeGreaterThanOrEqual(0.9);
    expect(out).toMatch(/FLAG wildlife-[\w-]+ — severity \d+\/100/);
    expect(out).toContain('1. Wildlife listings');
  }, TIMEOUT);

  it('06-communities-and-report: the whole pipeline, its quality, Louvain communities and the report files', async () => {
    const out = await lesson('examples/06-communities-and-report.ts');
    expect(out).toMatch(/✓ report/);
    expect(num(out, /clustering\s+precision ([\d.]+)/)).toBeGreaterThanOrEqual(0.99);
    expect(num(out, /flags\s+precision ([\d.]+)/)).toBeGreaterThanOrEqual(0.9);
    expect(num(out, /flags\s+precision [\d.]+\s+recall ([\d.]+)/)).toBeGreaterThanOrEqual(0.9);
    expect(num(out, /Louvain: (\d+) communities/)).toBeGreaterThan(1);
    expect(num(out, /modularity ([\d.]+) \(0 = no structure/)).toBeGreaterThan(0.3);
    expect(out).toMatch(/report\.html \(\d+ bytes\)/);
    expect(num(out, /report\.json: (\d+) flags/)).toBeGreaterThan(0);
    // the temporary case and report are cleaned up
    const dir = /(\/\S+)\/out\/report\.html/.exec(out)![1];
    await expect(readFile(path.join(dir, 'out', 'report.json'))).rejects.toThrow();
  }, TIMEOUT);

  it('walkthrough.ipynb: notebook code cells run in order as one script (no Jupyter kernel here)', async () => {
    const nb = JSON.parse(await readFile(path.join(ROOT, 'examples/walkthrough.ipynb'), 'utf8')) as {
      metadata: { kernelspec: { name: string; language: string } };
      cells: { cell_type: string; source: string[] }[];
    };
    expect(nb.metadata.kernelspec).toMatchObject({ name: 'tslab', language: 'typescript' });
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    expect(code.length).toBeGreaterThanOrEqual(6);
    // beside the lessons, so the notebook's relative imports resolve as they do in Jupyter
    const script = path.join(ROOT, 'examples', `.walkthrough-${process.pid}.ts`);
    await writeFile(script, code.join('\n\n'));
    try {
      const out = await lesson(script);
      expect(out).toMatch(/CoinJoins excluded: \d+ clusters, precision 1\.0000/);
      const amounts = ['poison', 'haircut', 'fifo'].map((p) => num(out, new RegExp(`^${p}\\s+received [\\d.]+ BTC, reached exchanges ([\\d.]+) BTC`, 'm')));
      expect(new Set(amounts).size).toBe(3);
      expect(out).toContain('Ivory wedding dress, size 38 → not wildlife');
    } finally {
      await rm(script, { force: true });
    }
  }, TIMEOUT);
});
