/**
 * The `wildtrace` command run in this process (its `main()`), with what it writes to stdout and
 * stderr captured: so a test sees exactly what an analyst's terminal or log would, and the
 * process's network guard records what the command connects to.
 */
import { main } from '../../src/cli/main.js';

/** Runs `wildtrace ...args`; resolves with the exit code and the captured output. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const writes = [process.stdout.write, process.stderr.write] as const;
  const capture = (into: string[]) => ((chunk: string | Uint8Array) => (into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), true)) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    [process.stdout.write, process.stderr.write] = writes;
  }
}
