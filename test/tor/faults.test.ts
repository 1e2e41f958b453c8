/**
 * Tor under faults (issue 11), for real: one private Tor network on 127.0.0.1 (tor-network.ts)
 * with the fixture market as a v3 onion service, brought up once and reused by every scenario:
 *
 * 1. the Tor client is killed, then frozen (SIGSTOP), mid-crawl: the crawl stops with
 *    `TOR_PROXY_UNREACHABLE` and nothing ever connects anywhere but the SocksPort (every
 *    `Socket.connect` and `http.request` of this process is recorded; every connection the
 *    market saw is traced, through /proc, to the onion service's own tor process);
 * 2. the client comes back (restart on the same DataDirectory / SIGCONT): the crawl resumes from
 *    the case's frontier and completes, each page requested exactly once across the runs;
 * 3. a relay on the crawl's circuit is killed: ControlPort CIRC events show the circuit closed
 *    and a new one without the relay carrying the crawl, which completes (the service runs as a
 *    single onion service here, see `singleOnion` in tor-network.ts: in a 6-relay network a
 *    hidden service's own circuits cross every relay, and the test is about the client);
 * 4. the onion service is slow (a page slower than the client's deadline) or its backend is gone:
 *    bounded attempts with exponential backoff, then a report of each failed URL with its reason
 *    and attempts; back within the retry window, the crawl completes.
 *
 * The measured figures are written to stderr at the end (`[tor faults] {...}`).
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../src/case.js';
import type { CrawlPolicy } from '../../src/market/crawl-policy.js';
import { crawlMarket, Frontier, TorClient, TorControl, type CircuitInfo, type StreamInfo } from '../../adapters/tor/index.js';
import { startFixtureMarket, type FixtureMarket } from '../fixtures/market/server.js';
import { recordConnections, type ConnectionRecorder } from './connect-recorder.js';
import { contentPaths, FAST } from './harness.js';
import { CONTENT, fixturePolicy } from './policy.js';
import { GATE_UPSTREAM, startServiceGate, type ServiceGate } from './service-gate.js';
import { reservePort } from '../setup/ports.js';
import { fetchWhenReachable, startPrivateTorNetwork, type PrivateTorNetwork, type TorNodeName } from './tor-network.js';

const fileStart = performance.now();
const figures: Record<string, unknown> = {};
const ms = (from: number, to = performance.now()) => Math.round(to - from);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

let tor: PrivateTorNetwork;
let servicePort: Awaited<ReturnType<typeof reservePort>> | undefined;
let market: FixtureMarket;
let gate: ServiceGate;
let rec: ConnectionRecorder;
let control: TorControl | undefined;
const circuits: { at: number; c: CircuitInfo }[] = [];
const streams: { at: number; s: StreamInfo }[] = [];
/** connections this file opened itself to a ControlPort (the client's or the service's; the only other ports it may connect to) */
let controlConnects = 0;

/** A path no link matches: the crawl fetches its start URLs only. */
const NOTHING = /(?!)/;
/** A market page outside the crawl (warms circuits without touching the counted pages). */
const WARM = '/static/aurora.css';

/** the network's start budget (startPrivateTorNetwork's deadlineMs) and the wait for the service's descriptor after it */
const NETWORK_START_MS = 240_000;
const SERVICE_READY_MS = 60_000;

beforeAll(
  async () => {
    // the gate's port is held by a listener of this process until the gate takes it over
    servicePort = await reservePort();
    tor = await startPrivateTorNetwork({ servicePort: servicePort.port, singleOnion: true, deadlineMs: NETWORK_START_MS });
    figures.networkStartPhasesMs = tor.phases;
    market = await startFixtureMarket({ onionHost: tor.onionHost, traps: [], slowMs: 30_000 });
    await servicePort.release();
    gate = await startServiceGate(servicePort.port, market.port, () => [tor.pid('service')]);
    const readyAt = performance.now();
    await tor.serviceReady(SERVICE_READY_MS);
    figures.serviceReadyAfterStartMs = ms(readyAt);
    rec = recordConnections(GATE_UPSTREAM);
    figures.networkUpMs = ms(fileStart);
  },
  // the budgets inside, and 10 s for the market and the gate
  NETWORK_START_MS + SERVICE_READY_MS + 10_000,
);

afterAll(async () => {
  rec?.restore();
  control?.close();
  await gate?.close();
  await market?.close();
  await tor?.close();
  await servicePort?.release();
  figures.wallMs = ms(fileStart);
  process.stderr.write(`[tor faults] ${JSON.stringify(figures, null, 1)}\n`);
});

const proxyUrl = () => `socks5h://127.0.0.1:${tor.socksPort}`;

/** The client's ControlPort, with CIRC and STREAM events recorded; connected on first use (after the first scenario has restarted the client). */
async function torControl(): Promise<TorControl> {
  if (!control) {
    controlConnects++;
    control = await TorControl.connect({ port: tor.controlPort, cookieFile: tor.cookieFile });
    await control.onCircuit((c) => circuits.push({ at: performance.now(), c }));
    await control.onStream((s) => streams.push({ at: performance.now(), s }));
  }
  return control;
}

/** Requests the market saw per path, now. */
const hitsOf = (paths: readonly string[]) => new Map(paths.map((p) => [p, market.hits(p)]));

/** Every connection of this process since `from` went to the SocksPort (or was the gate's own upstream); every HTTP request was to the onion, through a SOCKS agent. */
function expectOnlySocks(fromConnect: number, fromRequest: number): number {
  const crawlerConnects = rec.connects.slice(fromConnect).filter((c) => !c.marked);
  for (const c of crawlerConnects) expect(`${c.host}:${c.port}`).toBe(`127.0.0.1:${tor.socksPort}`);
  for (const r of rec.requests.slice(fromRequest)) expect(r).toMatchObject({ host: tor.onionHost, agent: 'SocksProxyAgent' });
  return crawlerConnects.length;
}

/**
 * Crawls as `identity` and injects `fault()` once, right after page `after` of this run is
 * committed (between two pages). Returns the summary, the time from the fault to the end of the
 * run, and every address this process connected to after the fault.
 */
async function crawlWithFault(c: Case, client: TorClient, policy: CrawlPolicy, identity: string, after: number, fault: () => void) {
  let at = 0;
  let from = 0;
  const summary = await crawlMarket(c, client, policy, {
    identity,
    onProgress: (p) => {
      if (p.fetched !== after || at) return;
      at = performance.now();
      from = rec.connects.length;
      fault();
    },
  }).run();
  expect(at, `the crawl ended before page ${after}`).toBeGreaterThan(0);
  const connectsAfter = rec.connects.slice(from).filter((x) => !x.marked).map((x) => `${x.host}:${x.port}`);
  return { summary, failClosedMs: ms(at), connectsAfter };
}

/** Every connection the market ever accepted came through the gate from the onion service's tor process. */
function expectMarketOnlyThroughTor(): void {
  expect(gate.accepted.length).toBeGreaterThan(0);
  for (const a of gate.accepted) expect(a.pid, `connection from 127.0.0.1:${a.peerPort}`).toBe(tor.pid('service'));
  expect(market.stats.connections).toBe(gate.forwarded);
}

describe('Tor under faults: a private Tor network on 127.0.0.1, the fixture market as a v3 onion service', () => {
  it('fails closed when the Tor client is killed or frozen mid-crawl, never connecting anywhere but the SocksPort; resumes when it is back, every page requested once', async () => {
    const pages = contentPaths(market);
    const policy = fixturePolicy('aurora', tor.onionHost, CONTENT);
    const c = await Case.memory();
    const newClient = () => new TorClient({ proxy: proxyUrl(), politeness: FAST, timeoutMs: 4000, retries: 2, backoffMs: 300 });
    const c0 = rec.connects.length;
    const r0 = rec.requests.length;
    let client = newClient();
    await fetchWhenReachable(client, market.url(WARM), 'alice', 60_000);

    // run 1: SIGKILL the client after 8 pages (between two pages, so no request is in flight)
    const { summary: run1, ...killed } = await crawlWithFault(c, client, policy, 'alice', 8, () => void tor.kill('client'));
    figures.killFailClosedMs = killed.failClosedMs;
    figures.killConnectsAfterStop = killed.connectsAfter;
    expect(run1).toMatchObject({ fetched: 8, complete: false, failed: [], stoppedBy: { code: 'TOR_PROXY_UNREACHABLE' } });
    expect(run1.stoppedBy!.message).toMatch(/never connects directly|never falls back/);

    // the client comes back on the same DataDirectory
    const restartAt = performance.now();
    await tor.restart('client', 60_000);
    figures.clientRestartMs = ms(restartAt);
    client.close();
    client = newClient();
    await fetchWhenReachable(client, market.url(WARM), 'alice', 60_000);
    figures.clientRestartToFirstFetchMs = ms(restartAt);

    // run 2: resumes, then SIGSTOP after 8 more pages: the SocksPort still accepts, nothing answers
    const { summary: run2, ...frozen } = await crawlWithFault(c, client, policy, 'alice', 8, () => tor.signal('client', 'SIGSTOP'));
    const freezeFailClosedMs = frozen.failClosedMs;
    figures.freezeFailClosedMs = freezeFailClosedMs;
    figures.freezeConnectsAfterStop = frozen.connectsAfter;
    tor.signal('client', 'SIGCONT');
    expect(run2).toMatchObject({ fetched: 8, complete: false, failed: [], stoppedBy: { code: 'TOR_PROXY_UNREACHABLE' } });
    expect(run2.stoppedBy!.message).toMatch(/did not answer the SOCKS5 greeting/);
    // the frozen client's deadline (4 s) plus the proxy check (4 s), with slack for a loaded machine
    expect(freezeFailClosedMs).toBeLessThan(20_000);

    // run 3: thawed; the crawl completes
    await fetchWhenReachable(client, market.url(WARM), 'alice', 60_000);
    const run3 = await crawlMarket(c, client, policy, { identity: 'alice' }).run();
    expect(run3).toMatchObject({ complete: true, failed: [], queued: 0 });
    expect(run3.stoppedBy).toBeUndefined();
    figures.pagesPerRun = [run1.fetched, run2.fetched, run3.fetched];

    // every page requested exactly once at the market over the three runs, and archived once
    expect(run1.fetched + run2.fetched + run3.fetched).toBe(pages.length);
    const perUrl = hitsOf(pages);
    for (const p of pages) expect(perUrl.get(p), p).toBe(1);
    figures.requestsPerPageAcrossStops = { pages: pages.length, min: Math.min(...perUrl.values()), max: Math.max(...perUrl.values()) };
    expect(await c.store.collection('page').count()).toBe(pages.length);

    // no direct connection, not even attempted: every connect went to the SocksPort
    figures.stopResumeConnects = expectOnlySocks(c0, r0);
    figures.stopResumeHttpRequests = rec.requests.length - r0;
    expectMarketOnlyThroughTor();
    figures.marketConnectionsFromServiceTor = `${gate.accepted.filter((a) => a.pid === tor.pid('service')).length}/${market.stats.connections}`;
    client.close();
    await c.close();
  }, 300_000);

  it('rebuilds circuits when a relay on the crawl circuit dies; the crawl completes', async () => {
    const ctl = await torControl();
    controlConnects++;
    const serviceControl = await TorControl.connect({ port: tor.serviceControlPort, cookieFile: tor.serviceCookieFile });
    const pages = contentPaths(market);
    const client = new TorClient({ proxy: proxyUrl(), politeness: FAST, timeoutMs: 20_000, retries: 3, backoffMs: 500 });
    const identity = client.identity('carol');
    // exit relays first; the authorities relay too and come after them (the consensus is published,
    // 2 of 3 authorities remain, and the victim is restarted below)
    const relays: TorNodeName[] = ['relay0', 'relay1', 'relay2', 'auth0', 'auth1', 'auth2'];
    const name = (hop: string) => hop.split('~')[1];
    // the victim: a relay on carol's rendezvous circuit before its last hop (the rendezvous point,
    // which the service reaches too), so its death breaks the client's circuit. Preferred: one that
    // is not an established introduction point of the service, so nothing of the service's breaks.
    // That is not always to be had in this 6-relay network: a v3 service keeps introduction points
    // for two descriptors (this time period's and the next), and 6 established intro circuits were
    // seen here on 4 or 5 of the 6 relays; a CI run found no relay outside them on 20 circuits.
    // After 10 circuits without one, the victim is the last circuit's middle hop even though it is an
    // intro point: the client then meets a dead intro point on its next introduction and must try
    // another, which the crawl has to survive as well (recorded in figures.relayKill.victimWasIntroPoint).
    let victim: TorNodeName | undefined;
    let victimCircuit: string | undefined;
    let victimWasIntroPoint = false;
    const tries: string[] = [];
    for (let i = 0; i < 10 && !victim; i++) {
      if (i > 0) identity.rotate();
      const from = streams.length;
      await fetchWhenReachable(client, market.url(WARM), 'carol', 60_000);
      await sleep(100);
      const circuitId = streams.slice(from).find((e) => e.s.status === 'SUCCEEDED' && e.s.fields.SOCKS_USERNAME === identity.username)?.s.circuit;
      const circuit = (await ctl.circuits()).find((x) => x.id === circuitId);
      const established = (await serviceControl.circuits()).filter((x) => x.fields.PURPOSE === 'HS_SERVICE_INTRO' && x.fields.HS_STATE !== 'HSSI_CONNECTING');
      const intro = new Set(established.map((x) => name(x.path.at(-1) ?? '')));
      const beforeRendezvous = (circuit?.path.slice(0, -1) ?? []).map(name);
      tries.push(`circ ${circuitId ?? '-'} path ${circuit?.path.map(name).join(',') ?? '-'} intro ${[...intro].join(',')}`);
      victimCircuit = circuitId;
      victim = relays.find((r) => !intro.has(r) && beforeRendezvous.includes(r));
      if (!victim && i === 9) {
        victim = relays.find((r) => r === beforeRendezvous.at(-1));
        victimWasIntroPoint = victim !== undefined;
      }
    }
    serviceControl.close();
    expect(victim, `carol's stream or circuit was not seen on 10 circuits:\n${tries.join('\n')}`).toBeDefined();
    const before = hitsOf(pages);
    const c = await Case.memory();
    let killedAt = 0;
    let firstPageAfterKill = 0;
    const summary = await crawlMarket(c, client, fixturePolicy('aurora', tor.onionHost, CONTENT), {
      identity: 'carol',
      onProgress: (p) => {
        if (p.fetched === 5 && !killedAt) {
          killedAt = performance.now();
          void tor.kill(victim!);
        } else if (killedAt && !firstPageAfterKill) firstPageAfterKill = performance.now();
      },
    }).run();

    // Tor's view: the circuit through the dead relay closed, and a new one without it carried carol's streams
    const closed = circuits.find((e) => e.at >= killedAt && e.c.id === victimCircuit && (e.c.status === 'CLOSED' || e.c.status === 'FAILED'));
    const next = streams.find((e) => e.at > killedAt && e.s.status === 'SUCCEEDED' && e.s.fields.SOCKS_USERNAME === identity.username);
    const built = next && circuits.filter((e) => e.c.id === next.s.circuit && e.c.status === 'BUILT' && e.at <= next.at).at(-1);
    const until = next?.at ?? performance.now();
    figures.relayKill = {
      victim,
      victimWasIntroPoint,
      victimSearch: tries,
      oldCircuitClosedAfterMs: closed && ms(killedAt, closed.at),
      closeReason: closed?.c.fields.REASON,
      circuitsThroughVictimClosedOrFailed: circuits.filter((e) => e.at >= killedAt && (e.c.status === 'CLOSED' || e.c.status === 'FAILED') && e.c.path.some((hop) => name(hop) === victim)).length,
      newCircuitBuiltAfterMs: built && ms(killedAt, built.at),
      newCircuitPurpose: built?.c.fields.PURPOSE,
      newCircuitPath: built?.c.path.map(name),
      firstStreamOnNewCircuitAfterMs: next && ms(killedAt, next.at),
      firstPageCommittedAfterMs: firstPageAfterKill && ms(killedAt, firstPageAfterKill),
      pagesRequestedTwice: pages.filter((p) => market.hits(p) - before.get(p)! > 1).length,
      failed: summary.failed,
      // what Tor did, when the rebuild was slow or did not happen
      timeline:
        next && ms(killedAt, next.at) < 10_000
          ? undefined
          : [
              ...circuits.filter((e) => e.at >= killedAt && e.at <= until + 1).map((e) => `${ms(killedAt, e.at)} CIRC ${e.c.id} ${e.c.status} ${e.c.fields.PURPOSE} ${e.c.fields.HS_STATE ?? ''} ${e.c.fields.REASON ?? ''} ${e.c.path.map(name).join(',')}`),
              ...streams.filter((e) => e.at >= killedAt && e.at <= until + 1).map((e) => `${ms(killedAt, e.at)} STREAM ${e.s.id} ${e.s.status} circ=${e.s.circuit} ${e.s.fields.REASON ?? ''} ${e.s.fields.REMOTE_REASON ?? ''}`),
            ].sort((a, b) => parseInt(a) - parseInt(b)),
    };
    // the relay comes back, so the next scenarios run on the whole network
    const restartAt = performance.now();
    await tor.restart(victim!, 60_000);
    (figures.relayKill as Record<string, unknown>).relayRestartMs = ms(restartAt);

    expect(summary).toMatchObject({ complete: true, failed: [], fetched: pages.length });
    expect(await c.store.collection('page').count()).toBe(pages.length);
    expect(closed, `circuit ${victimCircuit} through ${victim} did not close`).toBeDefined();
    expect(next, 'no stream of carol succeeded after the kill').toBeDefined();
    expect(built, `circuit ${next!.s.circuit} was not built`).toBeDefined();
    expect(built!.at).toBeGreaterThan(killedAt);
    expect(built!.c.path.map(name)).not.toContain(victim);
    client.close();
    await c.close();
  }, 240_000);

  it('gives up on a page slower than the deadline after retries+1 attempts with exponential backoff, and reports it', async () => {
    await torControl();
    const client = new TorClient({ proxy: proxyUrl(), politeness: FAST, timeoutMs: 3000, retries: 2, backoffMs: 400 });
    await fetchWhenReachable(client, market.url(WARM), 'dave', 60_000);
    const c = await Case.memory();
    const times0 = market.stats.times.length;
    const slowBefore = market.hits('/slow');
    const c0 = rec.connects.length;
    const r0 = rec.requests.length;
    const url = market.url('/slow');
    const summary = await crawlMarket(c, client, fixturePolicy('aurora-slow', tor.onionHost, NOTHING, [url]), { identity: 'dave' }).run();
    expect(summary.failed).toEqual([{ url, code: 'TOR_TIMEOUT', message: expect.stringContaining('longer than 3000 ms'), attempts: 3 }]);
    expect(summary.stoppedBy).toBeUndefined();
    const attempts = market.hits('/slow') - slowBefore;
    expect(attempts).toBe(3); // retries + 1, each seen by the market through Tor
    expect(await new Frontier(c, 'aurora-slow').state(url)).toMatchObject({ state: 'failed', code: 'TOR_TIMEOUT', attempts: 3 });
    // the schedule, from this process's own calls: each attempt is an http.request (its deadline
    // starts there) through a SOCKS connect; once the deadline passed, the proxy check connects to
    // the SocksPort (a SOCKS5 greeting); the next request follows after 400·2^(n−1) ms ±50 %.
    // SocksPort connects: the run's preflight, then per attempt the request's and the check's.
    const socks = rec.connects.slice(c0).filter((x) => !x.marked);
    for (const x of socks) expect(x.port).toBe(tor.socksPort);
    expect(socks.length).toBe(1 + 2 * 3);
    const requests = rec.requests.slice(r0).map((r) => r.at);
    expect(requests.length).toBe(3);
    const checks = [2, 4, 6].map((i) => socks[i].at);
    const deadlines = [0, 1, 2].map((i) => checks[i] - requests[i]);
    const backoffs = [0, 1].map((i) => requests[i + 1] - checks[i]);
    // (a timer counts from the event loop's cached clock, so on a loaded machine it may fire some
    // ms early by Date.now(): 250 ms of slack below)
    for (const d of deadlines) expect(d).toBeGreaterThanOrEqual(3000 - 250);
    backoffs.forEach((b, i) => {
      expect(b, `backoff ${i + 1}`).toBeGreaterThanOrEqual(0.5 * 400 * 2 ** i - 100);
      expect(b, `backoff ${i + 1}`).toBeLessThanOrEqual(1.5 * 400 * 2 ** i + 1000);
    });
    const arrivals = market.stats.times.slice(times0);
    figures.slow = {
      timeoutMs: 3000,
      retries: 2,
      backoffMs: 400,
      attemptsAtMarket: attempts,
      attemptDeadlineHitAfterMs: deadlines,
      backoffMs_measured: backoffs,
      backoffMs_nominal: ['200–600', '400–1200'],
      marketArrivalGapsMs: arrivals.slice(1).map((t, i) => Math.round(t - arrivals[i])),
      socksConnects: socks.length,
      runMs: Math.round(checks[2] - requests[0]),
      report: summary.failed,
    };
    client.close();
    await c.close();
  }, 180_000);

  it('when the onion service backend is gone: bounded attempts per page, then every failed URL reported; back within the retry window: the crawl completes', async () => {
    await torControl();
    const urls = market.site.paths.vendors.slice(0, 3).map((p) => market.url(p));
    const paths = urls.map((u) => new URL(u).pathname);
    const before = hitsOf(paths);
    const policy = fixturePolicy('aurora-gone', tor.onionHost, NOTHING, urls);
    const c = await Case.memory();
    const erin = (retries: number, backoffMs: number) => new TorClient({ proxy: proxyUrl(), politeness: FAST, timeoutMs: 20_000, retries, backoffMs });
    const client = erin(2, 300);
    await fetchWhenReachable(client, market.url(WARM), 'erin', 60_000);
    const accepted0 = gate.accepted.length;
    const s0 = streams.length;
    await gate.down();
    const goneAt = performance.now();
    const gone = await crawlMarket(c, client, policy, { identity: 'erin' }).run();
    figures.goneRunMs = ms(goneAt);
    expect(gone.failed.map((f) => [f.url, f.code, f.attempts])).toEqual(urls.map((u) => [u, 'TOR_CONNECT_FAILED', 3]));
    for (const f of gone.failed) expect(f.message).toMatch(/Tor could not reach .*\.onion/);
    expect(gone).toMatchObject({ complete: true, fetched: 0 });
    expect(gone.stoppedBy).toBeUndefined();
    for (const p of paths) expect(market.hits(p)).toBe(before.get(p));
    expect(gate.accepted.length).toBe(accepted0);
    // Tor's view: one stream per attempt, each refused at the service
    const goneStreams = streams.slice(s0).filter((e) => e.s.fields.SOCKS_USERNAME === 'wildtrace-erin');
    const opened = goneStreams.filter((e) => e.s.status === 'NEW');
    expect(opened.length).toBe(9);
    const goneStreamTimes = opened.map((e) => Math.round(e.at - goneAt));
    figures.gone = {
      retries: 2,
      backoffMs: 300,
      torStreamsOpened: opened.length,
      streamEndReasons: [...new Set(goneStreams.filter((e) => e.s.status === 'FAILED' || e.s.status === 'CLOSED').map((e) => e.s.fields.REMOTE_REASON ?? e.s.fields.REASON))],
      streamOpenedAtMs: goneStreamTimes,
      report: gone.failed,
    };
    client.close();

    // back within the retry window: requeue the failed URLs; the backend comes back 1 s after
    // the first attempt was refused, well within the retry window of 0.5+1+2+4 = 7.5 s at least
    expect(await new Frontier(c, 'aurora-gone').requeueFailed()).toBe(3);
    const patient = erin(4, 1000);
    const s1 = streams.length;
    const backAt = performance.now();
    let upAt = 0;
    let running = true;
    const comeBack = (async () => {
      while (running && !streams.slice(s1).some((e) => e.s.fields.SOCKS_USERNAME === 'wildtrace-erin' && e.s.status === 'FAILED')) await sleep(20);
      await sleep(1000);
      upAt = performance.now();
      await gate.up();
    })();
    let again;
    try {
      again = await crawlMarket(c, patient, policy, { identity: 'erin' }).run();
    } finally {
      running = false;
      await comeBack;
    }
    expect(again).toMatchObject({ complete: true, failed: [], fetched: 3 });
    for (const p of paths) expect(market.hits(p), p).toBe(before.get(p)! + 1);
    const backStreams = streams.slice(s1).filter((e) => e.s.fields.SOCKS_USERNAME === 'wildtrace-erin' && e.s.status === 'NEW');
    expect(backStreams.length).toBeGreaterThanOrEqual(4); // the first URL needed ≥ 2 attempts
    expect(backStreams.length).toBeLessThanOrEqual(5 + 2); // ≤ retries + 1 for it, 1 each for the others
    figures.back = {
      retries: 4,
      backoffMs: 1000,
      backendBackAfterMs: ms(backAt, upAt),
      torStreamsOpened: backStreams.length,
      attemptsForFirstUrl: backStreams.length - 2,
      streamOpenedAtMs: backStreams.map((e) => Math.round(e.at - backAt)),
      runMs: ms(backAt),
    };
    expectMarketOnlyThroughTor();

    // the whole file: this process connected to the SocksPort, and to a ControlPort only to open TorControl
    const all = rec.connects.filter((x) => !x.marked);
    const controls = [tor.controlPort, tor.serviceControlPort];
    for (const x of all) expect([tor.socksPort, ...controls].map((p) => `127.0.0.1:${p}`)).toContain(`${x.host}:${x.port}`);
    expect(all.filter((x) => controls.includes(x.port)).length).toBe(controlConnects);
    figures.fileConnects = {
      socksPort: all.filter((x) => x.port === tor.socksPort).length,
      controlPorts: controlConnects,
      other: all.filter((x) => x.port !== tor.socksPort && !controls.includes(x.port)).length,
      gateUpstreamToMarket: rec.connects.length - all.length,
      httpRequests: rec.requests.length,
      httpRequestsNotThroughSocksAgent: rec.requests.filter((r) => r.agent !== 'SocksProxyAgent').length,
    };
    patient.close();
    await c.close();
  }, 180_000);
});
