/**
 * The groups a wildlife listing counts in for trend tables: its categories and its CITES taxa.
 *
 *   rule: every distinct category and every distinct taxon among the listing's matches (a mixed
 *         lot of ivory and rhino horn counts under both); a match with no taxon counts under
 *         `<category> (taxon not named)` with no appendix. Ordered by best score, then name.
 */
import type { WildlifeCategory } from './categories.js';
import type { WildlifeMatch } from './detect.js';

/** A taxon a listing offers, with its CITES appendix as the checklist writes it (e.g. `I/II`). */
export interface TradeTaxon {
  /** scientific name, or `<category> (taxon not named)` */
  readonly name: string;
  /** `I`, `II`, `I/II`, …; `''` when no taxon was named */
  readonly appendix: string;
  readonly category: WildlifeCategory;
}

/** The categories and taxa of one listing. */
export interface TradeGroups {
  readonly categories: readonly WildlifeCategory[];
  readonly taxa: readonly TradeTaxon[];
}

/** The groups of a listing's matches (see the rule at the top). */
export function tradeGroups(matches: readonly Pick<WildlifeMatch, 'category' | 'taxon' | 'score'>[]): TradeGroups {
  const sorted = [...matches].sort((a, b) => b.score - a.score || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
  const categories: WildlifeCategory[] = [];
  const taxa: TradeTaxon[] = [];
  for (const m of sorted) {
    if (!categories.includes(m.category)) categories.push(m.category);
    const name = m.taxon?.name ?? `${m.category} (taxon not named)`;
    if (!taxa.some((t) => t.name === name)) taxa.push({ name, appendix: m.taxon?.appendix ?? '', category: m.category });
  }
  return { categories, taxa };
}
