/**
 * No `.onion` request ever leaves without the Tor proxy, and no name is resolved here. Every code
 * path that can fetch a URL is driven at an onion service — the Tor client and the crawler, the
 * Esplora adapter, Ethereum JSON-RPC, Bitcoin Core RPC, and the CLI commands that take URLs —
 * (1) without a proxy, (2) through a SOCKS agent that would resolve names locally (`socks5://`),
 * (3) through a `socks5h://` proxy that is down, and (4) through a live `socks5h://` proxy (the
 * test SOCKS5 server on 127.0.0.1). The network guard (test/setup/net-guard.ts) records every
 * connection and DNS request of this process (the CLI's `main()` runs in it too):
 * - (1) and (2) are refused with a typed error before any socket opens;
 * - (3) fails closed at once (`TOR_PROXY_UNREACHABLE`, not retried): the request goes to the proxy
 *   once and one probe checks the proxy; a proxy that accepts and never answers (a stopped Tor)
 *   fails the same way after the request's deadline;
 * - (4) hands the onion name to the proxy (SOCKS ATYP 3, a domain name), never to the resolver;
 * - in no case is an onion name looked up or connected to directly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case, ingestBitcoin, onionAddressFromPublicKey, WildtraceError } from '../../src/index.js';
import { BitcoinRpcClient } from '../../adapters/bitcoin-core/index.js';
import { esploraBlockSource } from '../../adapters/esplora/index.js';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { crawlPolicy, auroraProfile, withHosts } from '../../adapters/markets/index.js';
import { checkRoute, crawlMarket, TorClient } from '../../adapters/tor/index.js';
import { runCli } from './cli.js';
import { installNetGuard, type NetAttempt } from '../setup/net-guard.js';
import { freePort } from '../setup/ports.js';
import { startSocksServer, type TestSocksServer } from '../tor/socks5-server.js';

const ONION = onionAddressFromPublicKey(new Uint8Array(32).fill(7)); // a valid v3 name that no service has
const guard = installNetGuard();


/** Runs `work` and returns its typed error code with the network attempts it made. */
async function attempt(work: () => Promise<unknown> | unknown): Promise<{ code: string; attempts: NetAttempt[]; error: unknown }> {
  const from = guard.attempts.length;
  let error: unknown;
  try {
    await work();
  } catch (err) {
    error = err;
  }
  expect(error, 'the call must fail').toBeInstanceOf(WildtraceError);
  return { code: (error as WildtraceError).code, attempts: guard.attempts.slice(from), error };
}

const touchesOnion = (a: NetAttempt) => a.host.toLowerCase().includes('.onion');

/** The request went to the proxy once, then one probe of the proxy (its SOCKS5 greeting): no retry, nothing anywhere else. */
function expectRequestAndProbe(attempts: NetAttempt[], port: number): void {
  expect(attempts.map((a) => `${a.kind} ${a.host}:${a.port}`)).toEqual([`tcp 127.0.0.1:${port}`, `tcp 127.0.0.1:${port}`]);
}

/** A proxy that accepts connections and never answers (a stopped or hung Tor: the kernel still accepts). */
async function startSilentProxy(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let proxy: TestSocksServer;
let silent: Awaited<ReturnType<typeof startSilentProxy>>;
let dead: number;
let dir: string;
beforeAll(async () => {
  proxy = await startSocksServer(); // maps no name: every CONNECT is recorded, then answered "host unreachable"
  silent = await startSilentProxy();
  dead = await freePort(); // nothing listens there: a Tor proxy that is down
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-onion-'));
});
afterAll(async () => {
  await proxy?.close();
  await silent?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the route check', () => {
  it('accepts .onion only through a socks5h agent, and no agent that resolves locally for any host', () => {
    const code = (f: () => void) => {
      try {
        f();
        return 'ok';
      } catch (err) {
        return (err as WildtraceError).code;
      }
    };
    expect(code(() => checkRoute(`http://${ONION}/`, undefined))).toBe('ONION_WITHOUT_TOR');
    expect(code(() => checkRoute(`http://${ONION.toUpperCase()}./x`, undefined))).toBe('ONION_WITHOUT_TOR');
    expect(code(() => checkRoute(`http://sub.${ONION}/`, undefined))).toBe('ONION_WITHOUT_TOR');
    expect(code(() => checkRoute(`http://${ONION}/`, new SocksProxyAgent('socks5://127.0.0.1:9050')))).toBe('TOR_PROXY_LEAKS_DNS');
    expect(code(() => checkRoute(`http://${ONION}/`, new SocksProxyAgent('socks4://127.0.0.1:9050')))).toBe('TOR_PROXY_LEAKS_DNS');
    expect(code(() => checkRoute('http://127.0.0.1:8332/', new SocksProxyAgent('socks5://127.0.0.1:9050')))).toBe('TOR_PROXY_LEAKS_DNS');
    expect(code(() => checkRoute(`http://${ONION}/`, new SocksProxyAgent('socks5h://127.0.0.1:9050')))).toBe('ok');
    expect(code(() => checkRoute(`http://${ONION}/`, new SocksProxyAgent('socks4a://127.0.0.1:9050')))).toBe('ok');
    expect(code(() => checkRoute('http://127.0.0.1:8332/', undefined))).toBe('ok');
  });
});

describe('every fetching path, aimed at an onion service', () => {
  it('Tor client and crawler: socks5:// refused; a dead proxy fails closed; a live one gets the name', async () => {
    const leaky = await attempt(() => new TorClient({ proxy: 'socks5://127.0.0.1:9050' }));
    expect(leaky.code).toBe('TOR_PROXY_LEAKS_DNS');
    expect(leaky.attempts).toEqual([]);

    const client = new TorClient({ proxy: `socks5h://127.0.0.1:${dead}`, retries: 1, backoffMs: 10, timeoutMs: 5_000 });
    const down = await attempt(() => client.fetch(`http://${ONION}/`));
    expect(down.code).toBe('TOR_PROXY_UNREACHABLE');
    expect(down.attempts.length).toBeGreaterThan(0);
    expect(down.attempts.every((a) => a.kind === 'tcp' && a.host === '127.0.0.1' && a.port === dead)).toBe(true);

    const c = await Case.memory();
    const policy = crawlPolicy(withHosts(auroraProfile, [ONION]));
    const crawl = crawlMarket(c, new TorClient({ proxy: `socks5h://127.0.0.1:${dead}`, retries: 0, timeoutMs: 5_000, allowedHosts: policy.hosts }), policy, { maxPages: 1 });
    const crawled = await attempt(() => crawl.run());
    expect(crawled.code).toBe('TOR_PROXY_UNREACHABLE');
    expect(crawled.attempts.filter(touchesOnion)).toEqual([]);
    await c.close();

    const live = new TorClient({ proxy: proxy.url, retries: 0, timeoutMs: 5_000 });
    const before = proxy.connects.length;
    const viaProxy = await attempt(() => live.fetch(`http://${ONION}/`));
    expect(viaProxy.code).toMatch(/^TOR_/);
    expect(viaProxy.attempts.filter(touchesOnion)).toEqual([]);
    expect(proxy.connects.slice(before)).toContainEqual(expect.objectContaining({ atyp: 3, host: ONION }));
    live.close();
    client.close();
  });

  it('Esplora: refused without a proxy and through socks5://; fails closed on a dead proxy; the name goes to a live one', async () => {
    const ingest = async (agent?: SocksProxyAgent, options: { retries?: number; timeoutMs?: number } = { retries: 0 }) => {
      const c = await Case.memory();
      try {
        await ingestBitcoin(c, esploraBlockSource({ baseUrl: `http://${ONION}/api`, agent, requestsPerSecond: 1000, ...options }));
      } finally {
        await c.close();
      }
    };
    const bare = await attempt(() => ingest());
    expect(bare.code).toBe('ONION_WITHOUT_TOR');
    expect(bare.attempts).toEqual([]);
    const leaky = await attempt(() => ingest(new SocksProxyAgent(`socks5://127.0.0.1:${dead}`)));
    expect(leaky.code).toBe('TOR_PROXY_LEAKS_DNS');
    expect(leaky.attempts).toEqual([]);
    // with its default retries (4, backoff from 1 s): a dead proxy is not retried
    const down = await attempt(() => ingest(new SocksProxyAgent(`socks5h://127.0.0.1:${dead}`), { retries: undefined }));
    expect(down.code).toBe('TOR_PROXY_UNREACHABLE');
    expectRequestAndProbe(down.attempts, dead);
    const frozen = await attempt(() => ingest(new SocksProxyAgent(`socks5h://127.0.0.1:${silent.port}`), { retries: undefined, timeoutMs: 500 }));
    expect(frozen.code).toBe('TOR_PROXY_UNREACHABLE');
    expect((frozen.error as Error).message).toMatch(/did not answer the SOCKS5 greeting/);
    expectRequestAndProbe(frozen.attempts, silent.port);
    const before = proxy.connects.length;
    const live = await attempt(() => ingest(new SocksProxyAgent(proxy.url)));
    expect(live.code).toMatch(/^HTTP_/);
    expect(live.attempts.filter(touchesOnion)).toEqual([]);
    expect(proxy.connects.slice(before)).toContainEqual(expect.objectContaining({ atyp: 3, host: ONION }));
  });

  it('Ethereum JSON-RPC: refused at construction without a proxy and through socks5://; fails closed on a dead proxy; the name goes to a live one', async () => {
    const bare = await attempt(() => new EthereumRpcSource(`http://${ONION}/`));
    expect(bare.code).toBe('ONION_WITHOUT_TOR');
    expect(bare.attempts).toEqual([]);
    const leaky = await attempt(() => new EthereumRpcSource(`http://${ONION}/`, { agent: new SocksProxyAgent('socks5://127.0.0.1:9050') }));
    expect(leaky.code).toBe('TOR_PROXY_LEAKS_DNS');
    // with its default retries (4): a dead or frozen proxy is not retried
    const down = await attempt(() => new EthereumRpcSource(`http://${ONION}/`, { agent: new SocksProxyAgent(`socks5h://127.0.0.1:${dead}`) }).chainId());
    expect(down.code).toBe('TOR_PROXY_UNREACHABLE');
    expectRequestAndProbe(down.attempts, dead);
    const frozen = await attempt(() => new EthereumRpcSource(`http://${ONION}/`, { agent: new SocksProxyAgent(`socks5h://127.0.0.1:${silent.port}`), timeoutMs: 500 }).chainId());
    expect(frozen.code).toBe('TOR_PROXY_UNREACHABLE');
    expectRequestAndProbe(frozen.attempts, silent.port);
    const before = proxy.connects.length;
    const live = await attempt(() => new EthereumRpcSource(`http://${ONION}/`, { agent: new SocksProxyAgent(proxy.url), retries: 0 }).chainId());
    expect(live.code).toBe('RPC_CONNECTION');
    expect(live.attempts.filter(touchesOnion)).toEqual([]);
    expect(proxy.connects.slice(before)).toContainEqual(expect.objectContaining({ atyp: 3, host: ONION }));
  });

  it('Bitcoin Core RPC: refused without a proxy, and the refusal does not show the password in the URL', async () => {
    const bare = await attempt(() => new BitcoinRpcClient({ url: `http://alice:hunter2-rpc-secret@${ONION}:8332/` }).getBlockchainInfo());
    expect(bare.code).toBe('ONION_WITHOUT_TOR');
    expect(bare.attempts).toEqual([]);
    expect(String((bare.error as Error).stack)).not.toContain('hunter2-rpc-secret');
    // with its default retries (2): a dead or frozen proxy is not retried
    const rpc = (port: number, timeoutMs?: number) =>
      new BitcoinRpcClient({ url: `http://${ONION}:8332/`, user: 'u', password: 'p', agent: new SocksProxyAgent(`socks5h://127.0.0.1:${port}`), timeoutMs });
    const down = await attempt(() => rpc(dead).getBlockchainInfo());
    expect(down.code).toBe('TOR_PROXY_UNREACHABLE');
    expectRequestAndProbe(down.attempts, dead);
    const frozen = await attempt(() => rpc(silent.port, 500).getBlockchainInfo());
    expect(frozen.code).toBe('TOR_PROXY_UNREACHABLE');
    expectRequestAndProbe(frozen.attempts, silent.port);
  });

  it('the CLI: an onion --rpc or --esplora without --tor is wrong usage (exit 2), a dead --tor proxy is exit 3, and nothing touches an onion name', async () => {
    const caseDir = path.join(dir, 'case');
    const cli = runCli;
    expect((await cli('case', 'init', caseDir)).code).toBe(0);
    const runs = [
      { args: ['ingest', 'btc', '--esplora', `http://${ONION}/api`, '--case', caseDir], code: 2, error: 'ONION_WITHOUT_TOR' },
      { args: ['ingest', 'btc', '--rpc', `http://${ONION}:8332/`, '--rpc-user', 'u', '--rpc-password', 'p', '--case', caseDir], code: 2, error: 'ONION_WITHOUT_TOR' },
      { args: ['ingest', 'eth', '--rpc', `http://${ONION}/`, '--from', '0', '--to', '1', '--case', caseDir], code: 2, error: 'ONION_WITHOUT_TOR' },
      { args: ['ingest', 'btc', '--esplora', `http://${ONION}/api`, '--tor', `socks5h://127.0.0.1:${dead}`, '--case', caseDir], code: 3, error: 'TOR_PROXY_UNREACHABLE' },
      { args: ['ingest', 'btc', '--rpc', `http://${ONION}:8332/`, '--rpc-user', 'u', '--rpc-password', 'p', '--tor', `socks5h://127.0.0.1:${dead}`, '--case', caseDir], code: 3, error: 'TOR_PROXY_UNREACHABLE' },
      { args: ['ingest', 'eth', '--rpc', `http://${ONION}/`, '--tor', `socks5h://127.0.0.1:${dead}`, '--from', '0', '--to', '1', '--case', caseDir], code: 3, error: 'TOR_PROXY_UNREACHABLE' },
      { args: ['crawl', '--profile', 'aurora', '--host', ONION, '--tor', `socks5h://127.0.0.1:${dead}`, '--max-pages', '1', '--case', caseDir], code: 3, error: 'TOR_PROXY_UNREACHABLE' },
    ];
    const from = guard.attempts.length;
    for (const run of runs) {
      const r = await cli(...run.args);
      expect(r.code, `${run.args.slice(0, 3).join(' ')}: ${r.stderr}`).toBe(run.code);
      expect(r.stderr).toContain(run.error);
    }
    const seen = guard.attempts.slice(from);
    expect(seen.filter(touchesOnion)).toEqual([]);
    expect(seen.filter((a) => !a.allowed)).toEqual([]);
    expect(seen.filter((a) => a.kind === 'tcp').every((a) => a.host === '127.0.0.1' && a.port === dead)).toBe(true);
  }, 240_000);
});
