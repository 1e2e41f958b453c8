/**
 * The `wildtrace` command. Parses argv, runs one command, exits with a meaningful code:
 * 0 success, 1 failure of the work, 2 wrong usage.
 */
import { parseArgs } from 'node:util';
import { WildtraceError } from '../model/errors.js';
import { VERSION } from '../version.js';
import { runDemo } from './demo.js';
import { Case } from '../case.js';

const HELP = `wildtrace ${VERSION} — investigate wildlife trafficking paid in cryptocurrency

Usage:
  wildtrace demo [--out DIR] [--json]     run the whole pipeline on the bundled training case
  wildtrace case init DIR                 create an empty case (a LevelDB directory)
  wildtrace --help | --version

Exit codes: 0 success, 1 the work failed, 2 wrong usage.
`;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        json: { type: 'boolean' },
        out: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  try {
    switch (command) {
      case 'demo':
        return await runDemo({ outDir: values.out ?? 'out', json: values.json ?? false });
      case 'case':
        if (rest[0] === 'init' && rest[1]) {
          const c = await Case.open(rest[1]);
          await c.close();
          process.stdout.write(values.json ? `${JSON.stringify({ case: rest[1], created: true })}\n` : `case ready at ${rest[1]}\n`);
          return 0;
        }
        break;
    }
  } catch (err) {
    const code = err instanceof WildtraceError ? err.code : 'ERROR';
    process.stderr.write(`wildtrace: ${(err as Error).message} [${code}]\n`);
    return 1;
  }
  process.stderr.write(`unknown command: ${positionals.join(' ')}\n\n${HELP}`);
  return 2;
}
