// Hostile TagPacks that arbitrary fuzzing rarely builds: alias bombs and deep nesting are rejected
// with a TagInputError or read quickly. (Arbitrary and mutated TagPacks, CSV and OFAC lists are
// the `tagpack`, `tag-csv` and `ofac` targets of the fuzz harness in test/fuzz.)
import { describe, expect, it } from 'vitest';
import { TagInputError, parseTagPack } from '../../adapters/tags/index.js';

function typedOnly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TagInputError)) throw e;
    expect(e.code).toMatch(/^TAGPACK_/);
    expect(e.message.length).toBeGreaterThan(10);
  }
}

describe('hostile TagPacks', () => {
  it('parseTagPack: alias bombs and deep nesting are rejected or read quickly', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const t = performance.now();
    typedOnly(() => parseTagPack(`title: t\ncreator: c\n${bomb.join('\n')}\ntags:\n- address: *m\n`));
    typedOnly(() => parseTagPack(`title: t\ncreator: c\ntags: ${'['.repeat(5000)}${']'.repeat(5000)}\n`));
    expect(performance.now() - t).toBeLessThan(10_000);
  });
});
