/**
 * Real Tor, real onion service: a private Tor network on 127.0.0.1 (Debian `tor`,
 * TestingTorNetwork; see tor-network.ts), the fixture market published as a v3 onion service,
 * and the crawler going through the client's SocksPort. Stream isolation is read from the
 * client's ControlPort (STREAM events and circuit-status).
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../src/case.js';
import { isValidOnionAddress } from '../../src/market/onion.js';
import { archivedPages, crawlMarket, TorClient, TorControl, type StreamInfo } from '../../adapters/tor/index.js';
import { auroraProfile, crawlPolicy, defineProfile, parseMarketPage } from '../../adapters/markets/index.js';
import { startFixtureMarket, type FixtureMarket } from '../fixtures/market/server.js';
import { contentPaths, FAST } from './harness.js';
import { reservePort } from '../setup/ports.js';
import { fetchWhenReachable, startPrivateTorNetwork, type PrivateTorNetwork } from './tor-network.js';

let net: PrivateTorNetwork | undefined;
let market: FixtureMarket | undefined;
let control: TorControl | undefined;
let servicePort: Awaited<ReturnType<typeof reservePort>> | undefined;
const fileStart = performance.now();
const figures: Record<string, unknown> = {};

/** the network's start budget (startPrivateTorNetwork's deadlineMs) */
const NETWORK_START_MS = 240_000;

beforeAll(
  async () => {
    // the market's port is held by a listener of this process until the market takes it over
    servicePort = await reservePort();
    net = await startPrivateTorNetwork({ servicePort: servicePort.port, deadlineMs: NETWORK_START_MS });
    figures.networkStartPhasesMs = net.phases;
    await servicePort.release();
    market = await startFixtureMarket({ port: servicePort.port, onionHost: net.onionHost, traps: [] });
    figures.networkUpMs = Math.round(performance.now() - fileStart);
  },
  NETWORK_START_MS + 10_000,
);

afterAll(async () => {
  control?.close();
  await market?.close();
  await net?.close();
  await servicePort?.release();
  figures.wallMs = Math.round(performance.now() - fileStart);
  process.stderr.write(`[real tor] ${JSON.stringify(figures)}\n`);
});

describe('real Tor: private network on 127.0.0.1 with the fixture market as a v3 onion service', () => {
  it(
    'crawls the onion service through the SocksPort, with two identities on different circuits',
    async () => {
      const tor = net!;
      const m = market!;
      // the address is the service's real one, and it validates
      expect(tor.onionHost).toMatch(/^[a-z2-7]{56}\.onion$/);
      expect(isValidOnionAddress(tor.onionHost)).toBe(true);

      const client = new TorClient({ proxy: `socks5h://127.0.0.1:${tor.socksPort}`, politeness: FAST, timeoutMs: 30_000, retries: 3, backoffMs: 500 });
      // preflight: the SocksPort answers SOCKS5 and is Tor ("Tor is not an HTTP Proxy")
      expect(await client.preflight({ requireTor: true })).toEqual({ socks5: true, tor: true });

      control = await TorControl.connect({ port: tor.controlPort, cookieFile: tor.cookieFile });
      const streams: StreamInfo[] = [];
      await control.onStream((s) => streams.push(s));

      await tor.serviceReady(60_000);
      const home = await fetchWhenReachable(client, m.url('/'), 'alice', 60_000);
      expect(home.status).toBe(200);

      // the crawl with the shipped Aurora profile, pointed at the real onion address: every page through Tor, archived
      const profile = defineProfile({ ...auroraProfile, hosts: [tor.onionHost] });
      const c = await Case.memory();
      const summary = await crawlMarket(c, client, crawlPolicy(profile), { identity: 'alice', requireTor: true }).run();
      expect(summary.complete).toBe(true);
      expect(summary.failed).toEqual([]);
      const pages = contentPaths(m).filter((p) => p !== '/');
      for (const p of pages) expect(m.hits(p), p).toBe(1);
      expect(await c.store.collection('page').count()).toBe(pages.length);
      // ... and parsed from the archive: every listing and vendor
      const listings = new Set<string>();
      const vendors = new Set<string>();
      for await (const { page } of archivedPages(c, { market: 'aurora' })) {
        const parsed = await parseMarketPage(page, profile);
        parsed.listings.forEach((l) => listings.add(l.id));
        parsed.vendors.forEach((v) => vendors.add(v.id));
      }
      expect(listings.size).toBe(m.site.catalogue.listings.length);
      expect(vendors.size).toBe(m.site.catalogue.vendors.length);

      // a second identity
      await fetchWhenReachable(client, m.url('/listings?page=1'), 'bob', 30_000);

      const circuitsOf = (user: string) =>
        new Set(streams.filter((s) => s.status === 'SUCCEEDED' && s.fields.SOCKS_USERNAME === user).map((s) => s.circuit));
      const alice = circuitsOf('wildtrace-alice');
      const bob = circuitsOf('wildtrace-bob');
      expect(alice.size).toBeGreaterThan(0);
      expect(bob.size).toBeGreaterThan(0);
      for (const id of bob) expect(alice.has(id), `circuit ${id} carried both identities`).toBe(false);
      // every stream of an identity carried that identity's credentials to Tor
      expect(streams.filter((s) => s.status === 'SUCCEEDED' && s.target.startsWith(tor.onionHost)).every((s) => s.fields.SOCKS_USERNAME?.startsWith('wildtrace-'))).toBe(true);

      // rotating alice's password moves her to a new circuit
      client.identity('alice').rotate();
      await fetchWhenReachable(client, m.url('/'), 'alice', 30_000);
      const after = circuitsOf('wildtrace-alice');
      const fresh = [...after].filter((id) => !alice.has(id));
      expect(fresh.length).toBeGreaterThan(0);

      // circuit-status lists rendezvous circuits of the onion service
      const circuits = await control.circuits();
      expect(circuits.some((cst) => cst.fields.REND_QUERY === tor.onionHost.replace(/\.onion$/, ''))).toBe(true);
      client.close();
      await c.close();
    },
    // the waits inside (service ready 60 s, first fetch 60 s, bob 30 s, alice again 30 s) and 60 s for the preflight and the crawl
    240_000,
  );
});
