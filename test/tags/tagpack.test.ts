// TagPacks: every real GraphSense pack loads (and round-trips through writeTagPack); malformed
// packs give TagInputErrors that name the line and field.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIDENCE_LEVELS, TagInputError, parseTagPack, writeTagPack } from '../../adapters/tags/index.js';

const DIR = path.resolve(import.meta.dirname, '../../../shared/data/tags/graphsense-tagpacks');
const packs = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function expectError(text: string, code: string, line: number | undefined, field?: string): TagInputError {
  let err: unknown;
  try {
    parseTagPack(text, { name: 'bad.yaml' });
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeInstanceOf(TagInputError);
  const e = err as TagInputError;
  expect(e.code).toBe(code);
  if (line !== undefined) {
    expect(e.location.line).toBe(line);
    expect(e.message).toContain(`line ${line}`);
  }
  if (field) {
    expect(e.location.field).toBe(field);
    expect(e.message).toContain(`field "${field}"`);
  }
  expect(e.message).toContain('bad.yaml');
  return e;
}

describe('real GraphSense TagPacks', () => {
  it('all eight packs load, with the expected counts', () => {
    expect(packs).toEqual([
      'coinjoin_bounty.yaml', 'demo.yaml', 'hydra.yaml', 'mixing_fc2021.yaml', 'ofac.yaml', 'tornado_cash.yaml', 'walletexplorer.yaml', 'wasabi_collector.yaml',
    ]);
    const counts: Record<string, [number, number]> = {};
    for (const f of packs) {
      const p = parseTagPack(readFileSync(path.join(DIR, f), 'utf8'), { name: f });
      counts[f] = [p.tags.length, p.skipped.length];
      for (const t of p.tags) {
        expect(t.tagpack).toBe(f);
        expect(t.label.length).toBeGreaterThan(0);
        expect(CONFIDENCE_LEVELS.some((c) => c.id === t.confidence && c.level === t.confidenceLevel)).toBe(true);
      }
    }
    expect(counts).toEqual({
      'coinjoin_bounty.yaml': [1, 0],
      'demo.yaml': [2, 3], // BCH, XRP, ZEC skipped: chains wildtrace does not follow
      'hydra.yaml': [117, 0],
      'mixing_fc2021.yaml': [66, 0],
      'ofac.yaml': [552, 20],
      'tornado_cash.yaml': [38, 0], // one address listed twice (the second with a trailing space)
      'walletexplorer.yaml': [386, 0],
      'wasabi_collector.yaml': [2, 0],
    });
  });

  it('applies header defaults and lets tags override them (walletexplorer, wasabi, hydra)', () => {
    const we = parseTagPack(readFileSync(path.join(DIR, 'walletexplorer.yaml'), 'utf8'), { name: 'walletexplorer.yaml' });
    const huobi = we.tags.find((t) => t.address.address === '1vdXJDiDSzeUAoM7eAcWZPhM9wEKmH8dG')!;
    expect(huobi).toMatchObject({ label: 'Huobi.com', category: 'exchange', actor: 'huobi', confidence: 'service_data', confidenceLevel: 50, isClusterDefiner: true, lastmod: '2021-11-11' });
    expect(we.tags.some((t) => /silk ?road/i.test(t.label))).toBe(true);
    const wasabi = parseTagPack(readFileSync(path.join(DIR, 'wasabi_collector.yaml'), 'utf8'));
    expect(wasabi.tags.map((t) => t.isClusterDefiner)).toEqual([true, false]);
    const hydra = parseTagPack(readFileSync(path.join(DIR, 'hydra.yaml'), 'utf8'));
    expect(hydra.tags.every((t) => t.label === 'Hydra Market' && t.category === 'market' && t.confidenceLevel === 60)).toBe(true);
  });

  it('ofac.yaml: no confidence → "unknown" with a warning; the TRON address filed under BTC is re-filed with a warning; USDT on its chain', () => {
    const p = parseTagPack(readFileSync(path.join(DIR, 'ofac.yaml'), 'utf8'), { name: 'ofac.yaml' });
    expect(p.tags.every((t) => t.confidence === 'unknown' && t.confidenceLevel === 5)).toBe(true);
    expect(p.warnings.some((w) => /no confidence/.test(w.message))).toBe(true);
    const trx = p.tags.find((t) => t.address.address === 'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq')!;
    expect(trx.address.chain).toBe('trx');
    expect(p.warnings.some((w) => /TUCsTq7Tof.*tagged on TRX/.test(w.message) && typeof w.line === 'number')).toBe(true);
    expect(p.tags.some((t) => t.currency === 'USDT' && t.address.chain === 'eth')).toBe(true);
    expect(p.tags.some((t) => t.currency === 'USDT' && t.address.chain === 'trx')).toBe(true);
    expect(p.skipped.some((s) => s.address.startsWith('5be5543f') && /not a valid XMR/.test(s.reason))).toBe(true);
    expect(() => parseTagPack(readFileSync(path.join(DIR, 'ofac.yaml'), 'utf8'), { strict: true })).toThrow(TagInputError);
  });

  it('every pack round-trips: parse(write(parse(pack))) gives the same tags', () => {
    for (const f of packs) {
      const p = parseTagPack(readFileSync(path.join(DIR, f), 'utf8'), { name: f });
      const yaml = writeTagPack(p, p.tags);
      const again = parseTagPack(yaml, { name: f });
      expect(again.tags, f).toEqual(p.tags);
      expect(again.skipped).toEqual([]);
    }
  });

  it('writes wildlife tags with the project concepts and reads them back', () => {
    const yaml = writeTagPack({ title: 'Pangolin scale vendors', creator: 'wildtrace test' }, [
      { address: { chain: 'btc', address: '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx' }, label: 'vendor scaly_trade', source: 'case 7 page sha256 ab12', confidence: 'web_crawl', confidenceLevel: 20, category: 'perpetrator', concepts: ['wildlife_trafficking', 'wildlife_listing'], isClusterDefiner: false },
      { address: { chain: 'eth', address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed' }, label: 'vendor scaly_trade', source: 'case 7 page sha256 ab12', confidence: 'web_crawl', confidenceLevel: 20, category: 'perpetrator', concepts: ['wildlife_listing'], currency: 'USDT' },
    ]);
    expect(yaml).toMatch(/address: ['"]0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed['"]/); // quoted: never read as a number
    expect(yaml).toMatch(/^label: vendor scaly_trade$/m); // hoisted into the header
    const p = parseTagPack(yaml, { name: 'w' });
    expect(p.tags.map((t) => [t.address.chain, t.concepts, t.currency])).toEqual([
      ['btc', ['wildlife_trafficking', 'wildlife_listing'], undefined],
      ['eth', ['wildlife_listing'], 'USDT'],
    ]);
  });
});

describe('malformed TagPacks', () => {
  const ok = (tags: string, header = 'title: t\ncreator: c\nconfidence: forensic\nsource: s\nlabel: l\ncurrency: BTC\n') => `${header}tags:\n${tags}`;
  const A = '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx';

  it('missing required fields name the field and the tag line', () => {
    expectError('creator: c\ntags: []\n', 'TAGPACK_MISSING_FIELD', undefined, 'title');
    expectError('title: t\ncreator: c\n', 'TAGPACK_MISSING_FIELD', undefined, 'tags');
    expectError(ok(`- address: ${A}\n- label: x\n`), 'TAGPACK_MISSING_FIELD', 9, 'address');
    expectError('title: t\ncreator: c\nconfidence: forensic\ncurrency: BTC\ntags:\n- address: ' + A + '\n  source: s\n', 'TAGPACK_MISSING_FIELD', 6, 'label');
    expectError('title: t\ncreator: c\nconfidence: forensic\nlabel: l\nsource: s\ntags:\n- address: ' + A + '\n', 'TAGPACK_MISSING_FIELD', 7, 'currency');
  });

  it('an unknown confidence names its line', () => {
    expectError(ok(`- address: ${A}\n- address: 3M8XGFBKwkf7miBzpkU3x2DoWwAVrD1mhk\n  confidence: very_sure\n`), 'TAGPACK_UNKNOWN_CONFIDENCE', 10, 'confidence');
    const e = expectError('title: t\ncreator: c\nconfidence: maybe\nsource: s\nlabel: l\ncurrency: BTC\ntags:\n- address: ' + A + '\n', 'TAGPACK_UNKNOWN_CONFIDENCE', 3, 'confidence');
    expect(e.message).toContain('"maybe"');
  });

  it('a wrong currency names its line: not a ticker, a list, or (strict) an address of another chain', () => {
    expectError(ok(`- address: ${A}\n  currency: Bitcoin Cash\n`), 'TAGPACK_CURRENCY', 9, 'currency');
    expectError(ok(`- address: ${A}\n  currency: [BTC]\n`), 'TAGPACK_FIELD_TYPE', 9, 'currency');
    expectError(ok(`- address: ${A}\n  currency: ETH\n  network: 'E T H'\n`), 'TAGPACK_CURRENCY', 10, 'network');
    let err: unknown;
    try {
      parseTagPack(ok(`- address: ${A}\n- address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'\n`), { name: 'bad.yaml', strict: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TagInputError);
    expect((err as TagInputError).code).toBe('TAGPACK_CURRENCY');
    expect((err as TagInputError).message).toMatch(/bad\.yaml, line 6, column \d+, field "currency": wrong currency BTC: .*valid ETH address/);
  });

  it('other errors: YAML syntax, shapes, types, unknown concepts, unquoted 0x address, bad checksum (strict)', () => {
    expectError('title: t\ncreator: c\ntags:\n  - address: [unclosed\n', 'TAGPACK_YAML', 5); // yaml reports where the list should have closed
    expectError('title: t\ntitle: u\ncreator: c\ntags: []\n', 'TAGPACK_YAML', 2);
    expectError('- just\n- a list\n', 'TAGPACK_SHAPE', 1);
    expectError(ok('- 1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx\n'), 'TAGPACK_SHAPE', 8);
    expectError(ok(`- address: ${A}\n  is_cluster_definer: yes please\n`), 'TAGPACK_FIELD_TYPE', 9, 'is_cluster_definer');
    expectError(ok(`- address: ${A}\n  category: pangolin_farm\n`), 'TAGPACK_UNKNOWN_CONCEPT', 9, 'category');
    expectError(ok(`- address: ${A}\n  concepts: [market, nonsense]\n`), 'TAGPACK_UNKNOWN_CONCEPT', 9, 'concepts');
    expectError(ok('- address: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n  currency: ETH\n'), 'TAGPACK_FIELD_TYPE', 8, 'address');
    expect(() => parseTagPack(ok(`- address: ${A.slice(0, -1)}y\n`), { strict: true })).toThrow(/not a valid BTC address/);
    expect(parseTagPack(ok(`- address: ${A.slice(0, -1)}y\n`)).skipped.length).toBe(1);
    expectError('x'.repeat(10) + '\n' + 'y: ['.repeat(3), 'TAGPACK_YAML', undefined);
  });

  it('extra concepts can be allowed per call', () => {
    const text = ok(`- address: ${A}\n  category: pangolin_farm\n`);
    expect(parseTagPack(text, { extraConcepts: ['pangolin_farm'] }).tags[0].category).toBe('pangolin_farm');
  });
});
