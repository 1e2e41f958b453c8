/**
 * Child process of the crash-and-resume test: crawls the fixture market into the case at
 * argv[2] through the SOCKS proxy argv[3] (market host argv[4], politeness delay argv[5] ms),
 * printing `committed <url>` after each committed page and `complete` at the end.
 * With argv[6] = N it stops fetching after N pages and then hangs with the case still open
 * (`parked`), so the parent's SIGKILL lands with no request in flight; without it, the parent
 * kills it whenever it likes.
 */
import '../setup/no-dns.js';
import { Case } from '../../src/case.js';
import { crawlMarket, TorClient } from '../../adapters/tor/index.js';
import { CONTENT, fixturePolicy } from './policy.js';

const [dir, proxy, host, delay, park] = process.argv.slice(2);
const c = await Case.open(dir);
const client = new TorClient({ proxy, politeness: { minDelayMs: Number(delay), maxDelayMs: Number(delay) + 10 } });
const summary = await crawlMarket(c, client, fixturePolicy('aurora', host, CONTENT), {
  ...(park ? { maxPages: Number(park) } : {}),
  onProgress: (p) => process.stdout.write(`committed ${p.url}\n`),
}).run();
if (park && !summary.complete) {
  process.stdout.write('parked\n');
  setInterval(() => undefined, 1 << 30); // hang, case open, until SIGKILL
} else {
  await c.close();
  process.stdout.write(summary.complete ? 'complete\n' : `incomplete ${JSON.stringify(summary)}\n`);
}
