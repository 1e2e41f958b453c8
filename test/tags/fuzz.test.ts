// fast-check fuzzing of the TagPack and CSV parsers: any input gives a result or a TagInputError
// (a WildtraceError with a code), never another exception, and stays fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TagInputError, parseOfacList, parseTagCsv, parseTagPack } from '../../adapters/tags/index.js';

function typedOnly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TagInputError)) throw e;
    expect(e.code).toMatch(/^(TAGPACK|CSV)_/);
    expect(e.message.length).toBeGreaterThan(10);
  }
}

const yamlPiece = fc.oneof(
  fc.constantFrom(
    'title: t\n', 'creator: c\n', 'tags:\n', '- address: 1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx\n', "  address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'\n",
    '  currency: BTC\n', 'currency: ETH\n', '  currency: [x]\n', 'label: l\n', 'source: s\n', 'confidence: forensic\n', '  confidence: nope\n',
    '  concepts: [market, wildlife_listing]\n', '  is_cluster_definer: true\n', '  category: {a: 1}\n', '&a x: *a\n', '- *a\n', '---\n',
    '  - \n', ': :\n', '"unterminated\n', '\t\n', 'tags: 5\n', '- address: 0x12\n', '  network: TRX\n', '? complex\n',
  ),
  fc.string({ maxLength: 30 }),
);

describe('parser fuzzing', () => {
  it('parseTagPack: arbitrary text and TagPack-like fragments give tags or a TagInputError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => typedOnly(() => parseTagPack(s))), { numRuns: 500 });
    fc.assert(fc.property(fc.array(yamlPiece, { maxLength: 40 }).map((a) => a.join('')), (s) => typedOnly(() => parseTagPack(s))), { numRuns: 1500 });
  });

  it('parseTagPack: alias bombs and deep nesting are rejected or read quickly', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const t = performance.now();
    typedOnly(() => parseTagPack(`title: t\ncreator: c\n${bomb.join('\n')}\ntags:\n- address: *m\n`));
    typedOnly(() => parseTagPack(`title: t\ncreator: c\ntags: ${'['.repeat(5000)}${']'.repeat(5000)}\n`));
    expect(performance.now() - t).toBeLessThan(10_000);
  });

  const csvPiece = fc.oneof(
    fc.constantFrom('address', 'label', 'currency', 'confidence', 'is_cluster_definer', ',', '"', '""', '\n', '\r\n', '\r', 'BTC', 'forensic', '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx', 'yes', '\uFEFF', ';'),
    fc.string({ maxLength: 20 }),
  );

  it('parseTagCsv: arbitrary text and CSV-like fragments give tags or a TagInputError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => typedOnly(() => parseTagCsv(s))), { numRuns: 500 });
    fc.assert(
      fc.property(fc.array(csvPiece, { maxLength: 60 }).map((a) => a.join('')), (s) =>
        typedOnly(() => parseTagCsv(`address,label,source,currency,confidence,is_cluster_definer\n${s}`, { defaults: { source: 'x' } })),
      ),
      { numRuns: 1500 },
    );
  });

  it('parseOfacList: arbitrary lines never throw for a valid currency', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom('1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx', 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre')), { maxLength: 30 }), fc.constantFrom('XBT', 'ETH', 'USDT', 'XMR', 'DOGE'), (lines, cur) => {
        const r = parseOfacList(lines.join('\n'), { currency: cur });
        expect(r.tags.length + r.skipped.length).toBeLessThanOrEqual(lines.length);
      }),
      { numRuns: 500 },
    );
  });
});
