// Protocol fixture: the fixture market's HTTP server on 127.0.0.1 (what the crawler tests talk to).
import { request } from 'node:http';
import { base32 } from '@scure/base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidOnionAddress, onionAddressFromPublicKey } from '../../src/market/index.js';
import { startFixtureMarket, type FixtureMarket } from '../fixtures/market/server.js';

function get(m: FixtureMarket, path: string, host = m.onionHost): Promise<{ status: number; bytes: number; body: string; headers: Record<string, unknown>; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    request({ host: '127.0.0.1', port: m.port, path, headers: { host } }, (res) => {
      let bytes = 0;
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => {
        bytes += d.length;
        if (bytes < 1e6) parts.push(d);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, body: Buffer.concat(parts).toString(), headers: res.headers, ms: performance.now() - t0 }));
    })
      .on('error', reject)
      .end();
  });
}

describe('fixture market server (protocol fixture)', () => {
  let m: FixtureMarket;
  beforeAll(async () => {
    m = await startFixtureMarket({ slowMs: 400, hugeBytes: 8 * 1024 * 1024 });
  });
  afterAll(() => m.close());

  it('uses a valid v3 onion name that re-encodes from its own public key', () => {
    expect(isValidOnionAddress(m.onionHost)).toBe(true);
    for (const onion of ['pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion', m.onionHost]) {
      const raw = base32.decode(onion.slice(0, 56).toUpperCase());
      expect(raw[34]).toBe(3);
      expect(onionAddressFromPublicKey(raw.subarray(0, 32))).toBe(onion);
    }
  });

  it('serves every content page under the onion host and refuses other hosts with 421', async () => {
    const { paths } = m.site;
    for (const p of [paths.home, ...paths.index, ...paths.listings, ...paths.vendors]) expect((await get(m, p)).status, p).toBe(200);
    expect((await get(m, '/', 'example.com')).status).toBe(421);
    expect(m.stats.misdirected).toBe(1);
    expect(m.site.catalogue.listings.length).toBe(paths.listings.length);
  });

  it('streams the huge page, delays the slow one, redirects off-site and flakes twice', async () => {
    const huge = await get(m, '/huge');
    expect(huge.bytes).toBe(8 * 1024 * 1024);
    expect(huge.headers['content-length']).toBe(String(8 * 1024 * 1024));
    expect((await get(m, '/huge-chunked')).headers['transfer-encoding']).toBe('chunked');
    expect((await get(m, '/slow')).ms).toBeGreaterThanOrEqual(390);
    const out = await get(m, '/out');
    expect(out.status).toBe(302);
    expect(out.headers.location).toMatch(/^http:\/\/clearnet/);
    expect([(await get(m, '/flaky')).status, (await get(m, '/flaky')).status, (await get(m, '/flaky')).status]).toEqual([503, 503, 200]);
    expect(m.hits('/flaky')).toBe(3);
  });
});
