import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/index.js';

const words = (s: string) => tokenize(s).map((t) => t.text);

describe('wildlife text normalisation', () => {
  it('folds case, diacritics and compatibility forms (NFKC) and keeps offsets into the original', () => {
    const text = 'Défense d’ÉLÉPHANT — ｉｖｏｒｙ Stoßzahn';
    const toks = tokenize(text);
    expect(toks.map((t) => t.text)).toEqual(['defense', 'd', 'elephant', 'ivory', 'stosszahn']);
    for (const t of toks) expect(text.slice(t.start, t.end).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace('ß', 'ss')).toBe(t.text);
    expect(words('Sừng tê giác, đồi mồi')).toEqual(['sung', 'te', 'giac', 'doi', 'moi']);
  });

  it('decodes leetspeak but leaves measurements and model numbers alone', () => {
    expect(words('1v0ry rh1n0 h0rn p3y0t3 t1g3r p@ngolin')).toEqual(['ivory', 'rhino', 'horn', 'peyote', 'tiger', 'pangolin']);
    expect(words('200mg 14k m30 cop17 2024')).toEqual(['200mg', '14k', 'm30', 'cop17', '2024']);
  });

  it('joins spaced-out letters into words, a wider gap ends the word', () => {
    expect(words('i v o r y chopsticks')).toEqual(['ivory', 'chopsticks']);
    expect(words('R-H-I-N-O horn')).toEqual(['rhino', 'horn']);
    expect(words('W h i t e  g o l d  tusks')).toEqual(['white', 'gold', 'tusks']);
    expect(words('i.v.o.r.y')).toEqual(['ivory']);
    const t = tokenize('buy i v o r y now');
    expect('buy i v o r y now'.slice(t[1].start, t[1].end)).toBe('i v o r y');
  });

  it('reads flagship emoji as words and splits Chinese into characters', () => {
    const toks = tokenize('🐘🦷 raw, 🦏 horn');
    expect(toks.map((t) => t.text)).toEqual(['elephant', 'tooth', 'raw', 'rhino', 'horn']);
    expect('🐘🦷 raw, 🦏 horn'.slice(toks[0].start, toks[0].end)).toBe('🐘');
    expect(words('象牙手镯 xiangya')).toEqual(['象', '牙', '手', '镯', 'xiangya']);
  });

  it('marks capitalised words (scientific genus names)', () => {
    const [a, b] = tokenize('Manis javanica');
    expect(a.capitalised).toBe(true);
    expect(b.capitalised).toBe(false);
  });

  it('handles empty, lone surrogates and control characters', () => {
    expect(tokenize('')).toEqual([]);
    expect(() => tokenize('\ud83d ivory \udc18 \u0000\u0301x')).not.toThrow();
    expect(words('\ud83d ivory')).toEqual(['ivory']);
  });
});
