/**
 * Secrets never reach a log or the case. With every kind of secret an analyst configures — an
 * RPC password in the URL's userinfo and in options, a Bitcoin Core cookie file, an API key in
 * an Esplora URL, a Tor ControlPort password and cookie file, a market session cookie imported
 * from Tor Browser, the session cookie a market sets, credential headers in an imported page
 * archive — the real commands and adapters run against real peers on 127.0.0.1 (the Bitcoin
 * Core protocol fixture, a market behind the test SOCKS5 proxy, Tor itself with its network
 * disabled), on the success paths and on the failing ones (refused credentials, malformed and
 * failed answers, unreachable hosts). Then:
 * - nothing the analyst sees holds a secret: the CLI's stdout and stderr, onProgress and crawl
 *   events, skipped-entry reports, error messages and `.stack`s;
 * - nothing in the case does: every key and value of every sublevel, and the raw bytes of every
 *   file of the case directory (LevelDB logs included), are searched for each secret and its
 *   base64 and Basic-auth spellings.
 * The test also proves the secrets were really used (the node accepted them, the market got the
 * imported cookie back, Tor accepted the password), so it cannot pass by never touching them.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as bitcoin from 'bitcoinjs-lib';
import { ClassicLevel } from 'classic-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case, ingestBitcoin } from '../../src/index.js';
import { BitcoinRpcClient, rpcBlockSource } from '../../adapters/bitcoin-core/index.js';
import { EsploraClient } from '../../adapters/esplora/index.js';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { auroraProfile, crawlPolicy } from '../../adapters/markets/index.js';
import { fixtureOnionHost, fixtureSite } from '../../adapters/markets/fixtures/index.js';
import { crawlMarket, TorClient, TorControl } from '../../adapters/tor/index.js';
import { blockfilterBlocks } from '../bitcoin/data.js';
import { BitcoindFixture } from '../bitcoin/fixtures/bitcoind.js';
import { startSocksServer, type TestSocksServer } from '../tor/socks5-server.js';
import { runCli } from './cli.js';

const run = promisify(execFile);
const token = (what: string) => `${what}-${randomBytes(9).toString('hex')}`;
const SECRET = {
  rpcUrlPassword: token('rpcurlpw'),
  rpcOptionPassword: token('rpcoptpw'),
  rpcCookie: token('rpccookie'),
  esploraPassword: token('esplorapw'),
  esploraKey: token('esplorakey'),
  ethKey: token('ethkey'),
  torControlPassword: token('torctlpw'),
  marketSession: token('marketsession'),
  importedCookie: token('importedcookie'),
  brokenCookieLine: token('brokencookie'),
  archivedAuthorization: token('archivedauth'),
  archivedCookie: token('archivedcookie'),
};
let torCookieHex = '';

/** Every way a secret could be spelled in a log or a store: as is, URL-encoded, base64, in a Basic pair. */
function spellings(): string[] {
  const out = new Set<string>();
  for (const s of [...Object.values(SECRET), torCookieHex].filter(Boolean)) {
    out.add(s);
    out.add(Buffer.from(s).toString('base64'));
    for (const user of ['analyst', 'u', '__cookie__']) out.add(Buffer.from(`${user}:${s}`).toString('base64'));
  }
  return [...out];
}

/** The secrets (by spelling) found in `text`. */
const leaks = (text: string | Uint8Array): string[] => {
  const hay = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text);
  return spellings().filter((s) => hay.includes(Buffer.from(s)));
};

/** Everything an analyst would see; checked at the end. */
const seen: { where: string; text: string }[] = [];
const see = (where: string, text: unknown) => seen.push({ where, text: typeof text === 'string' ? text : JSON.stringify(text) });
/** Records an error's message and stack (and its causes'). */
const seeError = (where: string, err: unknown) => {
  for (let e = err as Error | undefined, depth = 0; e && depth < 5; e = e.cause as Error | undefined, depth++) see(`${where} (error ${depth})`, `${e.message}\n${e.stack}`);
};
async function expectFailure(where: string, work: () => Promise<unknown>): Promise<Error> {
  try {
    await work();
  } catch (err) {
    seeError(where, err);
    return err as Error;
  }
  throw new Error(`${where}: expected a failure`);
}

/** Every secret spelling found in the case directory `dir`: per sublevel (raw keys and values) and per file (raw bytes). */
async function caseLeaks(dir: string): Promise<{ sublevels: string[]; found: string[] }> {
  const found: string[] = [];
  const sublevels = new Set<string>();
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view', createIfMissing: false });
  await db.open();
  for await (const [k, v] of db.iterator()) {
    const key = Buffer.from(k);
    const end = key.indexOf(0x21, 1);
    const name = key[0] === 0x21 && end > 0 ? key.subarray(1, end).toString('latin1') : '';
    sublevels.add(name);
    for (const s of leaks(Buffer.concat([key, Buffer.from(v)]))) found.push(`sublevel ${name}: ${s}`);
  }
  await db.close();
  for (const f of await readdir(dir)) for (const s of leaks(await readFile(path.join(dir, f)))) found.push(`file ${f}: ${s}`);
  return { sublevels: [...sublevels].sort(), found };
}

let dir: string;
const closers: (() => Promise<unknown> | unknown)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-secrets-'));
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

describe('secrets on the analyst side', () => {
  it('Bitcoin Core RPC (URL userinfo, --rpc-password, cookie file): the CLI and the client show no secret, on success and on failure', async () => {
    const testnet = blockfilterBlocks();
    const blocks = [2, 3].map((height) => ({ height, raw: Buffer.from(testnet.find((b) => b.height === height)!.hex, 'hex') }));
    const node = await new BitcoindFixture({ chain: 'test', blocks, user: 'analyst', password: SECRET.rpcUrlPassword, network: bitcoin.networks.testnet }).start();
    closers.push(() => node.stop());
    const port = new URL(node.url).port;
    const withUserinfo = `http://analyst:${SECRET.rpcUrlPassword}@127.0.0.1:${port}/`;
    const caseDir = path.join(dir, 'btc-case');
    expect((await runCli('case', 'init', caseDir)).code).toBe(0);

    // success: the password in the URL is used (the node accepts it), and shown nowhere
    const ok = await runCli('ingest', 'btc', '--rpc', withUserinfo, '--from', '2', '--case', caseDir, '--json');
    see('ingest btc --rpc user:pass@ (stdout)', ok.stdout);
    see('ingest btc --rpc user:pass@ (stderr)', ok.stderr);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ blocks: 2 });
    // the cookie file works too
    const cookieFile = path.join(dir, '.cookie');
    await writeFile(cookieFile, `${node.cookie}\n`);
    const byCookie = await runCli('ingest', 'btc', '--rpc', node.url, '--rpc-cookie', cookieFile, '--from', '2', '--case', caseDir);
    see('ingest btc --rpc-cookie', byCookie.stdout + byCookie.stderr);
    expect(byCookie.code, byCookie.stderr).toBe(0);

    // refused credentials: a wrong --rpc-password, a wrong cookie file, a wrong password in the URL
    const wrongCookie = path.join(dir, '.cookie-wrong');
    await writeFile(wrongCookie, `__cookie__:${SECRET.rpcCookie}\n`);
    for (const args of [
      ['--rpc', node.url, '--rpc-user', 'analyst', '--rpc-password', SECRET.rpcOptionPassword],
      ['--rpc', node.url, '--rpc-cookie', wrongCookie],
      ['--rpc', `http://analyst:${SECRET.rpcOptionPassword}@127.0.0.1:${port}/`],
      // a node that is not there, and one that answers garbage, with the password in the URL
      ['--rpc', `http://analyst:${SECRET.rpcUrlPassword}@127.0.0.1:1/`],
    ]) {
      const r = await runCli('ingest', 'btc', ...args, '--from', '2', '--case', caseDir);
      see(`ingest btc ${args[0]} … (failing)`, r.stdout + r.stderr);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/BTC_RPC_UNAUTHORIZED|HTTP_UNREACHABLE/);
    }
    for (const fault of ['unauthorized', 'malformed', 'http500', 'unavailable'] as const) {
      node.fault = fault;
      const err = await expectFailure(`BitcoinRpcClient fault ${fault}`, () => new BitcoinRpcClient({ url: withUserinfo, retries: 0 }).getBlockchainInfo());
      expect(err.message).toContain(`127.0.0.1:${port}`); // says which node, without the password
      const viaCli = await runCli('ingest', 'btc', '--rpc', withUserinfo, '--from', '2', '--case', caseDir);
      see(`ingest btc fault ${fault}`, viaCli.stdout + viaCli.stderr);
      expect(viaCli.code).not.toBe(0);
    }
    node.fault = 'none';
    // progress of a library ingestion
    const c = await Case.memory();
    await ingestBitcoin(c, rpcBlockSource({ url: withUserinfo, cookieFile, from: 2 }), { onProgress: (p) => see('ingestBitcoin onProgress', p) });
    await c.close();
    const stored = await caseLeaks(caseDir);
    expect(stored.sublevels.length).toBeGreaterThan(3);
    expect(stored.found).toEqual([]);
  }, 120_000);

  it('Esplora and Ethereum JSON-RPC: a password or API key in the URL is in no error message', async () => {
    const server: Server = createServer((req, res) => {
      res.writeHead(req.url?.includes('missing') ? 404 : 401, { 'content-type': 'text/plain' });
      res.end('no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as AddressInfo).port;
    const esplora = new EsploraClient({ baseUrl: `http://u:${SECRET.esploraPassword}@127.0.0.1:${port}/api`, retries: 0 });
    const e1 = await expectFailure('Esplora 401', () => esplora.getText('/blocks/tip/height'));
    expect((e1 as Error & { code: string }).code).toBe('ESPLORA_UNAUTHORIZED');
    await expectFailure('Esplora 404 with apikey', () => esplora.getText(`/missing?apikey=${SECRET.esploraKey}`));
    const eth = new EthereumRpcSource(`http://u:${SECRET.esploraPassword}@127.0.0.1:${port}/v3/${SECRET.ethKey}`, { retries: 0 });
    const e2 = await expectFailure('Ethereum 401', () => eth.chainId());
    expect(e2.message).toContain(`127.0.0.1:${port}`);
    eth.rpc.close();
    const cli = await runCli('ingest', 'eth', '--rpc', `http://u:${SECRET.esploraPassword}@127.0.0.1:${port}/v3/${SECRET.ethKey}`, '--from', '0', '--to', '0', '--case', path.join(dir, 'btc-case'));
    see('ingest eth (failing)', cli.stdout + cli.stderr);
    expect(cli.code).not.toBe(0);
  }, 60_000);

  it('a crawl with an imported Tor Browser cookie, on a market that sets a session cookie: no cookie in the case, the events or the progress', async () => {
    const site = fixtureSite('aurora');
    const onion = fixtureOnionHost('aurora');
    const cookiesSeen: string[] = [];
    const market: Server = createServer((req, res) => {
      cookiesSeen.push(req.headers.cookie ?? '');
      const html = site.page(req.url ?? '/');
      res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': `session=${SECRET.marketSession}; Path=/; HttpOnly`, 'x-echo-authorization': 'none' });
      res.end(html ?? 'not found');
    });
    await new Promise<void>((r) => market.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise((r) => market.close(r)));
    const proxy: TestSocksServer = await startSocksServer({ [onion]: { port: (market.address() as AddressInfo).port } });
    closers.push(() => proxy.close());

    const client = new TorClient({ proxy: proxy.url, politeness: { minDelayMs: 0, maxDelayMs: 5 }, retries: 0, allowedHosts: [onion] });
    closers.push(() => client.close());
    const imported = await client.identity('analyst').importCookies(
      [`${onion}\tFALSE\t/\tFALSE\t0\timported\t${SECRET.importedCookie}`, `${onion}\tFALSE\t/\tFALSE\tnot-a-time\tbroken\t${SECRET.brokenCookieLine}`, `${onion}\tbroken ${SECRET.brokenCookieLine}`].join('\n'),
    );
    see('importCookies result', imported);
    expect(imported.imported).toBe(1);
    expect(imported.skipped).toHaveLength(2);

    const caseDir = path.join(dir, 'crawl-case');
    const c = await Case.open(caseDir);
    const crawl = crawlMarket(c, client, crawlPolicy(auroraProfile), { identity: 'analyst', maxPages: 8, onProgress: (p) => see('crawl onProgress', p) });
    crawl.on('page', (e) => see('crawl event page', e));
    crawl.on('failed', (e) => see('crawl event failed', e));
    const summary = await crawl.run();
    see('crawl summary', summary);
    expect(summary.fetched).toBeGreaterThanOrEqual(8);
    // the secrets were in use: the imported cookie went out, and the market's session came back on later requests
    expect(cookiesSeen[0]).toContain(`imported=${SECRET.importedCookie}`);
    expect(cookiesSeen.at(-1)).toContain(`session=${SECRET.marketSession}`);
    // the archive keeps that a cookie was set, not the cookie
    const page = (await c.store.collection('page').values().next()).value as { headers: Record<string, string> } | undefined;
    expect(page?.headers['set-cookie']).toBe('[redacted]');
    await c.close();
    const stored = await caseLeaks(caseDir);
    expect(stored.sublevels).toContain('page');
    expect(stored.found).toEqual([]);
  }, 120_000);

  it('an imported page archive with Authorization, Cookie and Set-Cookie headers: none of them lands in the case', async () => {
    const site = fixtureSite('aurora');
    const onion = fixtureOnionHost('aurora');
    const file = path.join(dir, 'pages.jsonl');
    const lines = site.paths.listings.slice(0, 3).map((p) =>
      JSON.stringify({
        url: `http://${onion}${p}`,
        status: 200,
        retrievedAt: '2026-03-02T09:00:00.000Z',
        headers: { 'content-type': 'text/html', authorization: `Bearer ${SECRET.archivedAuthorization}`, cookie: `sid=${SECRET.archivedCookie}`, 'set-cookie': `sid=${SECRET.archivedCookie}; HttpOnly` },
        body: site.page(p),
      }),
    );
    await writeFile(file, `${lines.join('\n')}\n`);
    const caseDir = path.join(dir, 'import-case');
    expect((await runCli('case', 'init', caseDir)).code).toBe(0);
    const r = await runCli('pages', 'import', file, '--case', caseDir, '--json');
    see('pages import', r.stdout + r.stderr);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pages: 3, listings: 3 });
    const stored = await caseLeaks(caseDir);
    expect(stored.found).toEqual([]);
  }, 60_000);

  it.skipIf(!existsSync('/usr/sbin/tor') && !existsSync('/usr/bin/tor'))('Tor ControlPort: a wrong password or cookie is refused without showing it; the right ones work', async () => {
    const torDir = path.join(dir, 'tor');
    const hashed = (await run('tor', ['--quiet', '--hash-password', SECRET.torControlPassword])).stdout.trim().split('\n').at(-1)!;
    const portFile = path.join(torDir, 'control-port');
    const torrc = path.join(dir, 'torrc');
    await writeFile(
      torrc,
      [`DataDirectory ${torDir}`, 'DisableNetwork 1', 'SocksPort 0', 'ControlPort auto', `ControlPortWriteToFile ${portFile}`, `HashedControlPassword ${hashed}`, 'CookieAuthentication 1', `CookieAuthFile ${path.join(torDir, 'control_auth_cookie')}`, 'Log notice stderr'].join('\n'),
    );
    const tor = execFile('tor', ['-f', torrc], { timeout: 60_000 });
    closers.push(() => tor.kill());
    for (let i = 0; i < 200 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 100));
    const [, port] = /PORT=127\.0\.0\.1:(\d+)/.exec(await readFile(portFile, 'utf8'))!;
    const cookieFile = path.join(torDir, 'control_auth_cookie');
    torCookieHex = (await readFile(cookieFile)).toString('hex');

    const good = await TorControl.connect({ port: Number(port), password: SECRET.torControlPassword });
    expect(await good.getInfo('version')).toMatch(/^0\.\d/);
    good.close();
    const byCookie = await TorControl.connect({ port: Number(port), cookieFile });
    byCookie.close();
    const wrongCookie = path.join(dir, 'wrong_cookie');
    await writeFile(wrongCookie, Buffer.from(SECRET.rpcCookie.padEnd(32, 'x').slice(0, 32)));
    await expectFailure('TorControl wrong password', () => TorControl.connect({ port: Number(port), password: `${SECRET.torControlPassword}-wrong` }));
    await expectFailure('TorControl wrong cookie', () => TorControl.connect({ port: Number(port), cookieFile: wrongCookie }));
  }, 90_000);

  it('nothing the analyst saw holds a secret', () => {
    expect(seen.length).toBeGreaterThan(20);
    const found = seen.flatMap(({ where, text }) => leaks(text).map((s) => `${where}: ${s}`));
    expect(found).toEqual([]);
  });
});
