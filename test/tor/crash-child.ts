/**
 * Child process of the crash-and-resume test: crawls the fixture market into the case at
 * argv[2] through the SOCKS proxy argv[3] (market host argv[4], politeness delay argv[5] ms),
 * printing `committed <url>` after each committed page and `complete` at the end. The parent
 * SIGKILLs it mid-crawl and starts it again.
 */
import '../setup/no-dns.js';
import { Case } from '../../src/case.js';
import { crawlMarket, TorClient } from '../../adapters/tor/index.js';
import { CONTENT, fixturePolicy } from './policy.js';

const [dir, proxy, host, delay] = process.argv.slice(2);
const c = await Case.open(dir);
const client = new TorClient({ proxy, politeness: { minDelayMs: Number(delay), maxDelayMs: Number(delay) + 20 } });
const summary = await crawlMarket(c, client, fixturePolicy('aurora', host, CONTENT), {
  onProgress: (p) => process.stdout.write(`committed ${p.url}\n`),
}).run();
await c.close();
process.stdout.write(summary.complete ? 'complete\n' : `incomplete ${JSON.stringify(summary)}\n`);
