// OFAC lists, CSV tags, and tags in a case: every OFAC address loads and validates; CSV reads,
// writes, streams and names the line of each error; importTags/tagsOf on a real LevelDB case.
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TagInputError,
  importTags,
  loadTagIndex,
  parseOfacList,
  parseTagCsv,
  parseTagPack,
  readOfacDirectory,
  readTagCsv,
  tagsOf,
  writeTagCsv,
} from '../../adapters/tags/index.js';
import { validateAddress } from '../../src/addresses/index.js';
import { Case } from '../../src/case.js';
import type { Tag } from '../../src/model/tag.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data/tags');
const tmp: string[] = [];
afterAll(async () => {
  for (const d of tmp) await rm(d, { recursive: true, force: true });
});

describe('OFAC SDN lists', () => {
  it('every address of every list loads as a tag and validates (435 XBT, 152 ETH, LTC, TRX, XMR, USDT, USDC)', async () => {
    const all = await readOfacDirectory(path.join(DATA, 'ofac'), { lastmod: '2024-09-27' });
    expect(all.files.length).toBe(7);
    const counts: Record<string, number> = {};
    for (const f of all.files) {
      const cur = /_([A-Z]+)\.txt$/.exec(f)![1];
      const list = parseOfacList(await readFile(path.join(DATA, 'ofac', f), 'utf8'), { currency: cur, name: f });
      counts[cur] = list.tags.length;
      for (const t of list.tags) expect(validateAddress(t.address.address, { chain: t.address.chain })?.address, t.address.address).toBe(t.address.address);
    }
    expect(counts).toEqual({ ETH: 152, LTC: 10, TRX: 6, USDC: 2, USDT: 26, XBT: 435, XMR: 2 });
    expect(all.tags.length).toBe(633);
    expect(all.tags.filter((t) => t.address.chain === 'btc' && !t.currency).length).toBe(434);
    expect(all.tags.filter((t) => t.address.chain === 'btc' && t.currency === 'USDT').length).toBe(7); // Omni USDT
    expect(all.warnings.map((w) => w.message)).toEqual([
      'sanctioned_addresses_XBT.txt: "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq" is not a valid XBT address — it is a valid TRX address; is the currency wrong?; tagged on TRX',
    ]);
    expect(all.skipped.map((s) => s.address)).toEqual(['5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320']);
    expect(all.tags[0]).toMatchObject({ label: 'OFAC SDN list', concepts: ['sanction'], confidence: 'authority_data', confidenceLevel: 60, lastmod: '2024-09-27' });
  });

  it('rejects a list whose currency is not a ticker', () => {
    expect(() => parseOfacList('1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx\n', { currency: 'bit coin' })).toThrow(TagInputError);
  });
});

describe('CSV tags', () => {
  const A = '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx';
  const E = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

  it('reads quoted fields, CRLF, BOM, concepts lists and defaults', () => {
    const csv = `\uFEFFAddress,Chain,Label,Concepts,is_cluster_definer\r\n${A},BTC,"Vendor ""scaly"", pangolin",wildlife_trafficking;wildlife_listing,yes\r\n${E},eth,"two\nlines",,0\r\n`;
    const r = parseTagCsv(csv, { name: 'vendors.csv', defaults: { source: 'case 7', confidence: 'web_crawl' } });
    expect(r.tags).toEqual([
      { address: { chain: 'btc', address: A }, label: 'Vendor "scaly", pangolin', source: 'case 7', tagpack: 'vendors.csv', confidence: 'web_crawl', confidenceLevel: 20, concepts: ['wildlife_trafficking', 'wildlife_listing'], isClusterDefiner: true },
      { address: { chain: 'eth', address: E.toLowerCase() }, label: 'two\nlines', source: 'case 7', tagpack: 'vendors.csv', confidence: 'web_crawl', confidenceLevel: 20, isClusterDefiner: false },
    ]);
  });

  it('round-trips real TagPacks through writeTagCsv / parseTagCsv', async () => {
    for (const f of ['walletexplorer.yaml', 'ofac.yaml', 'tornado_cash.yaml', 'wasabi_collector.yaml']) {
      const tags = parseTagPack(await readFile(path.join(DATA, 'graphsense-tagpacks', f), 'utf8'), { name: f }).tags;
      expect(parseTagCsv(writeTagCsv(tags), { name: f }).tags, f).toEqual(tags);
    }
  });

  it('streams a large file in chunks and gets the same tags', async () => {
    const tags = parseTagPack(await readFile(path.join(DATA, 'graphsense-tagpacks/walletexplorer.yaml'), 'utf8'), { name: 'x' }).tags;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-csv-'));
    tmp.push(dir);
    const file = path.join(dir, 'tags.csv');
    await writeFile(file, writeTagCsv(tags));
    const streamed = await readTagCsv(createReadStream(file, { highWaterMark: 97 }), { name: 'x' });
    expect(streamed.tags).toEqual(tags);
  });

  it('errors name the line (and column): syntax, header, column count, types, vocabulary', () => {
    const cases: [string, string, number, string?][] = [
      [`address,label\n${A},"open\n`, 'CSV_SYNTAX', 3],
      [`address,label\n${A},a"b\n`, 'CSV_SYNTAX', 2],
      [`address,label\n${A},"a"b\n`, 'CSV_SYNTAX', 2],
      [`label,source\nx,y\n`, 'CSV_HEADER', 1],
      [`address,label,address\n`, 'CSV_HEADER', 1, 'address'],
      [`address,label,source,currency,confidence\n${A},l,s,BTC,forensic\n${A},l,s\n`, 'CSV_COLUMNS', 3],
      [`address,label,source,currency,confidence\n${A},l,s,BTC,sure\n`, 'TAGPACK_UNKNOWN_CONFIDENCE', 2, 'confidence'],
      [`address,label,source,currency,confidence,is_cluster_definer\n${A},l,s,BTC,forensic,maybe\n`, 'TAGPACK_FIELD_TYPE', 2, 'is_cluster_definer'],
      [`address,label,source,currency,confidence\n${A},,s,BTC,forensic\n`, 'TAGPACK_MISSING_FIELD', 2, 'label'],
      [`address,label,source,currency,confidence\n${A},l,s,bit coin,forensic\n`, 'TAGPACK_CURRENCY', 2, 'currency'],
      ['', 'CSV_HEADER', 1],
    ];
    for (const [text, code, line, field] of cases) {
      let err: unknown;
      try {
        parseTagCsv(text, { name: 'f.csv' });
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(TagInputError);
      expect((err as TagInputError).code, text).toBe(code);
      if (text !== '') expect((err as TagInputError).location.line, text).toBe(line);
      if (field) expect((err as TagInputError).location.field, text).toBe(field);
      expect((err as TagInputError).message).toContain('f.csv');
    }
  });

  it('a runaway quote is reported at the field limit, not buffered without end', () => {
    const text = `address,label\n${A},"${'x'.repeat(200_000)}`;
    expect(() => parseTagCsv(text, { maxFieldChars: 1000 })).toThrow(/longer than 1000/);
  });
});

describe('tags in a case', () => {
  it('importTags stores every real tag, attaches it to the interned address, and tagsOf finds it (LevelDB on disk)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-tags-'));
    tmp.push(dir);
    const c = await Case.open(path.join(dir, 'case'));
    const packs = ['walletexplorer.yaml', 'hydra.yaml', 'tornado_cash.yaml', 'ofac.yaml'];
    const tags: Tag[] = [];
    for (const f of packs) tags.push(...parseTagPack(await readFile(path.join(DATA, 'graphsense-tagpacks', f), 'utf8'), { name: f }).tags);
    const ofac = await readOfacDirectory(path.join(DATA, 'ofac'));
    tags.push(...ofac.tags);
    let progress = 0;
    const r = await importTags(c, tags, { batchSize: 300, onProgress: (n) => (progress = n) });
    expect(r.skipped).toEqual([]);
    expect(r.imported).toBe(tags.length);
    expect(progress).toBe(tags.length);
    await c.close();

    const again = await Case.open(path.join(dir, 'case'));
    // A Hydra address is in hydra.yaml, ofac.yaml and the OFAC list
    const hydraAddr = '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA';
    const hydraTags = await tagsOf(again, hydraAddr);
    expect(hydraTags.map((t) => t.tagpack).sort()).toEqual(['hydra.yaml', 'ofac-sdn', 'ofac.yaml']);
    // lookups by Address, by chain:address key, by id, by mixed-case Ethereum address agree
    const tornado = '0x8589427373D6D84E98730D7795D8f6f8731FDA16';
    const byString = await tagsOf(again, tornado);
    expect(byString.some((t) => t.label === 'tornado.cash')).toBe(true);
    const id = await again.store.addressId({ chain: 'eth', address: tornado.toLowerCase() });
    expect(await tagsOf(again, id!)).toEqual(byString);
    expect(await tagsOf(again, `eth:${tornado.toLowerCase()}`)).toEqual(byString);
    expect(await tagsOf(again, { chain: 'eth', address: tornado.toLowerCase() })).toEqual(byString);
    expect(await tagsOf(again, '1BoatSLRHtKNngkdXEeobR76b53LETtpyT')).toEqual([]);
    expect(await tagsOf(again, 'not an address')).toEqual([]);
    // every stored tag is reachable from its address
    let stored = 0;
    for await (const t of again.list('tag')) {
      stored++;
      if (stored % 97 === 0) expect((await tagsOf(again, t.address)).some((x) => x.label === t.label && x.tagpack === t.tagpack)).toBe(true);
    }
    expect(stored).toBe(new Set(tags.map((t) => `${t.address.chain}:${t.address.address}:${t.tagpack}:${t.label}`)).size);
    // the in-memory index agrees with tagsOf
    const index = await loadTagIndex(again);
    expect(index.size).toBe(new Set(tags.map((t) => `${t.address.chain}:${t.address.address}`)).size);
    const hydraId = (await again.store.addressId({ chain: 'btc', address: hydraAddr }))!;
    expect(index.has(hydraId)).toBe(true);
    expect([...index.get(hydraId)]).toEqual(hydraTags);
    expect(index.get(0xfffffff0)).toEqual([]);
    // cluster-definer semantics: a cluster holding a Hydra address (is_cluster_definer: true) and a
    // Tornado address (false) is labelled by Hydra only
    const tornadoId = (await again.store.addressId({ chain: 'eth', address: tornado.toLowerCase() }))!;
    const definers = index.clusterDefiners(Uint32Array.of(tornadoId, hydraId));
    expect(definers.length).toBeGreaterThan(0);
    expect(definers.every((t) => t.isClusterDefiner)).toBe(true);
    expect(definers[0].label).toBe('Hydra Market');
    expect(index.clusterDefiners([tornadoId])).toEqual([]);
    // importing again is idempotent
    const before = await again.store.digest();
    await importTags(again, tags.slice(0, 500));
    expect(await again.store.digest()).toEqual(before);
    await again.close();
  });

  it('skips and counts tags whose address is not valid or not canonical', async () => {
    const c = await Case.memory();
    const good: Tag = { address: { chain: 'btc', address: '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx' }, label: 'x', source: 's' };
    const r = await importTags(c, [
      good,
      { ...good, address: { chain: 'btc', address: '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhy' } },
      { ...good, address: { chain: 'eth', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' } },
      { ...good, label: '' },
    ]);
    expect(r.imported).toBe(1);
    expect(r.skipped.map((s) => s.reason)).toEqual([
      '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhy is not a valid btc address',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed is not in canonical form (0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed)',
      'tag has no label',
    ]);
    await c.close();
  });
});
