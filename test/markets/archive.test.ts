// The parser works on archived pages (raw bytes): re-parsing gives the same records, every record
// points at the exact bytes it came from, and charsets other than UTF-8 map back to bytes too.
import { describe, expect, it } from 'vitest';
import { fixtureOnionHost, fixtureSite } from '../../adapters/markets/fixtures/index.js';
import { auroraProfile, pangolinProfile, parseMarketPage } from '../../adapters/markets/index.js';
import type { Page } from '../../src/model/index.js';
import { modelCodec } from '../../src/store/index.js';
import { archivedPage } from '../fixtures/market/pages.js';

const decode = (page: Page, span: readonly [number, number] | undefined): string => new TextDecoder().decode(page.body.subarray(span?.[0], span?.[1]));

describe('parsing archived pages', () => {
  it('re-parsing a page after a store codec round trip gives identical records', async () => {
    const site = fixtureSite('pangolin');
    const path = site.paths.vendors[2];
    const page = archivedPage(`http://${fixtureOnionHost('pangolin')}${path}`, site.page(path) as string);
    const stored = modelCodec.decode(modelCodec.encode(page)) as Page;
    const a = await parseMarketPage(page, pangolinProfile);
    const b = await parseMarketPage(stored, pangolinProfile);
    expect(b).toEqual(a);
    expect(a.vendors).toHaveLength(1);
  });

  it('the span of each record is the byte range of its element in UTF-8 bodies with multi-byte characters', async () => {
    const site = fixtureSite('pangolin');
    for (const path of [site.paths.listings[0], site.paths.vendors[0]]) {
      const page = archivedPage(`http://${fixtureOnionHost('pangolin')}${path}`, site.page(path) as string);
      expect(page.body.length).toBeGreaterThan((site.page(path) as string).length); // "—", "€", "ü" are multi-byte
      const parsed = await parseMarketPage(page, pangolinProfile);
      const listing = parsed.listings[0];
      const vendor = parsed.vendors[0];
      const bytes = decode(page, (listing ?? vendor).source?.span);
      expect(bytes).toMatch(/^<article class="(listing|profile)"/);
      expect(bytes.endsWith('</article>')).toBe(true);
      expect(bytes).toContain(listing ? listing.title : vendor.handle);
    }
  });

  it('reads a windows-1252 page (charset from the header) with byte-exact spans', async () => {
    const site = fixtureSite('aurora');
    const path = site.paths.listings[0];
    const html = (site.page(path) as string).replace('<meta charset="utf-8">', '').replace('Aurora Market &copy;', 'Aurora Market © Preis: 12 €');
    const body = Uint8Array.from(html, (ch) => (ch === '€' ? 0x80 : ch.charCodeAt(0)));
    expect(body.length).toBe(html.length);
    const page = archivedPage(`http://${fixtureOnionHost('aurora')}${path}`, body, { headers: { 'content-type': 'text/html; charset=windows-1252' } });
    const parsed = await parseMarketPage(page, auroraProfile);
    const l = parsed.listings[0];
    expect(l.title).toBe(site.catalogue.listings[0].title);
    const [s, e] = l.source?.span ?? [0, 0];
    expect(Buffer.from(body.subarray(s, e)).toString('latin1')).toMatch(/^<div id="content">[\s\S]*<\/div>$/);
  });

  it('records carry the page hash, final URL and retrieval time of the archived page', async () => {
    const site = fixtureSite('aurora');
    const path = site.paths.listings[3];
    const page = { ...archivedPage(`http://${fixtureOnionHost('aurora')}/go?to=${path}`, site.page(path) as string), finalUrl: `http://${fixtureOnionHost('aurora')}${path}` };
    const parsed = await parseMarketPage(page, auroraProfile);
    expect(parsed.listings[0].source).toMatchObject({ sha256: page.sha256, url: page.finalUrl });
    expect(parsed.listings[0].seenAt).toBe(page.retrievedAt);
  });
});
