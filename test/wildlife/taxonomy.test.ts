import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CitesTaxonomy, citesTaxonomy, loadTaxonomy, WildtraceError } from '../../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA = path.join(ROOT, 'src/wildlife/data/cites-taxonomy.generated.json');

describe('CITES taxonomy (generated from the Species+ checklist of 2017-04-21)', () => {
  const tx = citesTaxonomy();

  it('is committed under 2 MB with the attribution line, and covers every checklist row', () => {
    expect(statSync(DATA).size).toBeLessThan(2 * 1024 * 1024);
    const doc = JSON.parse(readFileSync(DATA, 'utf8')) as { attribution: string; sourceRows: number };
    expect(doc.attribution).toContain('CITES Checklist / Species+, UNEP-WCMC');
    expect(doc.sourceRows).toBe(38079);
    expect(tx.size).toBeGreaterThanOrEqual(38079);
    expect(tx.attribution).toBe(doc.attribution);
  });

  it('an orchid species the checklist does not name gets Appendix II from Orchidaceae', () => {
    expect(tx.get('Phalaenopsis wildtracei')).toBeUndefined();
    const r = tx.resolve('Phalaenopsis wildtracei');
    expect(r?.via).toBe('genus');
    expect(r?.taxon.name).toBe('Phalaenopsis');
    expect(r?.taxon.appendices).toEqual(['II']);
    expect(r?.taxon.listedAs).toBe('Orchidaceae');
    expect(r?.taxon.higher.FAMILY).toBe('Orchidaceae');
    expect(r?.taxon.annotation?.symbol).toBe('#4');
    // a named orchid species inherits too: its annotation only echoes the family listing
    expect(tx.get('Phalaenopsis amabilis')?.listedAs).toBe('Orchidaceae');
  });

  it('Loxodonta africana is split-listed I/II', () => {
    const t = tx.get('Loxodonta africana');
    expect(t?.appendices).toEqual(['I', 'II']);
    expect(t?.appendix).toBe('I/II');
    expect(t?.listedAs).toBe('Loxodonta africana');
    expect(t?.commonNames.en).toContain('African Elephant');
    expect(t?.commonNames.fr).toContain('Eléphant africain');
  });

  it('pangolins resolve under the old genus Manis and the new genera Phataginus and Smutsia', () => {
    for (const [query, accepted] of [
      ['Manis tricuspis', 'Manis tricuspis'],
      ['Phataginus tricuspis', 'Manis tricuspis'],
      ['Phataginus tetradactyla', 'Manis tetradactyla'],
      ['Smutsia gigantea', 'Manis gigantea'],
      ['Smutsia temminckii', 'Manis temminckii'],
    ] as const) {
      const r = tx.resolve(query);
      expect(r?.taxon.name, query).toBe(accepted);
      expect(r?.taxon.appendix, query).toBe('I');
      expect(r?.via, query).toBe(query === accepted ? 'accepted' : 'synonym');
    }
    expect(tx.resolve('Phataginus')?.taxon.name).toBe('Manis');
    // a pangolin species of the new genus the checklist never spelled that way still resolves
    expect(tx.resolve('Smutsia olduvaiensis')?.taxon.name).toBe('Manis');
  });

  it('a synonym resolves to its accepted name', () => {
    expect(tx.resolve('Trichocereus pachanoi')).toMatchObject({ via: 'synonym', taxon: { name: 'Echinopsis pachanoi', appendix: 'II' } });
    expect(tx.resolve('Cynoscion macdonaldi')?.taxon.name).toBe('Totoaba macdonaldi');
    expect(tx.resolve('buceros  VIGIL')?.taxon.name).toBe('Rhinoplax vigil');
  });

  it('keeps exclusions (NC), higher taxa, annotations and the post-2017 overrides', () => {
    expect(tx.get('Melopsittacus undulatus')?.appendices).toEqual([]);
    expect(tx.get('Psittacus erithacus')?.appendix).toBe('I');
    expect(tx.get('Python regius')).toMatchObject({ appendix: 'II', listedAs: 'Pythonidae', higher: { ORDER: 'Serpentes', CLASS: 'Reptilia' } });
    expect(tx.get('Giraffa camelopardalis')?.appendix).toBe('II');
    expect(tx.get('Aquilaria')?.annotation?.symbol).toBe('#14');
    expect(tx.get('Aquilaria')?.annotation?.text).toContain('All parts and derivatives');
  });

  it('is loaded once and shared by the sync and async entry points', async () => {
    expect(await loadTaxonomy()).toBe(tx);
    expect(tx.loadMs).toBeGreaterThan(0);
  });

  it('rejects a corrupt data file with a typed error', () => {
    expect(() => new CitesTaxonomy('{"rows": [')).toThrow(WildtraceError);
    expect(() => new CitesTaxonomy('{"format":"other","rows":[]}')).toThrow(/TAXONOMY|format/);
    for (const bad of ['null', '42', '"x"', '{}']) {
      let err: unknown;
      try {
        new CitesTaxonomy(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(WildtraceError);
      expect((err as WildtraceError).code, bad).toBe('TAXONOMY_CORRUPT');
    }
  });

  it('the committed file is exactly what the generator makes from the checklist', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wildtrace-taxonomy-'));
    try {
      const out = path.join(dir, 'taxonomy.json');
      execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/wildlife/generate-taxonomy.ts'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
      expect(readFileSync(out).equals(readFileSync(DATA))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('lexicon ↔ taxonomy', () => {
  it('every lexicon group names a CITES-listed taxon, and every source it cites exists', async () => {
    const { LEXICON, LEXICON_SOURCES } = await import('../../src/index.js');
    const tx = citesTaxonomy();
    for (const g of LEXICON) {
      const t = tx.resolve(g.taxon)?.taxon;
      expect(t?.appendices.length, `${g.category}: ${g.taxon}`).toBeGreaterThan(0);
      for (const s of g.sources) expect(LEXICON_SOURCES[s], `${g.category}: ${s}`).toBeDefined();
      for (const cw of g.code ?? []) for (const s of cw.source.split(/;\s*/)) expect(LEXICON_SOURCES[s], `${cw.term}: ${s}`).toBeDefined();
    }
  });
});
