/**
 * Evaluation of the wildlife detector on labelled listings: precision, recall and F1 overall
 * (binary: wildlife or not) and per category.
 *
 * Per category c: a positive labelled c is a true positive when the detector returns a match of
 * category c (score >= threshold), a false negative otherwise; a listing whose top match is c but
 * whose label is not c (a negative, or another category) is a false positive of c.
 */
import type { WildlifeCategory } from './categories.js';
import { detectListingWildlife, type ListingWildlifeMatch } from './detect.js';

/** One labelled listing of an evaluation set. */
export interface WildlifeSample {
  readonly id: string;
  readonly lang: string;
  /** 1 = offers CITES-listed wildlife, 0 = not */
  readonly label: 0 | 1;
  /** category of a positive */
  readonly cat?: WildlifeCategory | string;
  /** kind of a negative (drugs, colour, jewellery …) */
  readonly kind?: string;
  /** title */
  readonly t: string;
  /** description */
  readonly d?: string;
}

/** Precision / recall / F1 with their counts. */
export interface Prf {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** The result of {@link evaluateWildlifeDetector}. */
export interface WildlifeEvaluation {
  readonly overall: Prf & { readonly tn: number; readonly n: number };
  readonly perCategory: Readonly<Record<string, Prf>>;
  /** ids and top matches of the misclassified samples */
  readonly errors: readonly { readonly id: string; readonly label: 0 | 1; readonly cat?: string; readonly got?: string; readonly term?: string; readonly score?: number }[];
  /** detections per second over the set (one listing = one detection) */
  readonly listingsPerSecond: number;
}

const prf = (tp: number, fp: number, fn: number): Prf => {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
};

/** Runs the detector over `samples` and scores it. */
export function evaluateWildlifeDetector(samples: readonly WildlifeSample[]): WildlifeEvaluation {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const cat = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (c: string, k: 'tp' | 'fp' | 'fn') => {
    const v = cat.get(c) ?? { tp: 0, fp: 0, fn: 0 };
    v[k]++;
    cat.set(c, v);
  };
  const errors: WildlifeEvaluation['errors'][number][] = [];
  const t0 = performance.now();
  const results: ListingWildlifeMatch[][] = samples.map((s) => detectListingWildlife({ title: s.t, description: s.d }));
  const seconds = (performance.now() - t0) / 1000;
  samples.forEach((s, i) => {
    const m = results[i];
    const top = m[0];
    const flagged = m.length > 0;
    if (s.label === 1 && flagged) tp++;
    else if (s.label === 1) fn++;
    else if (flagged) fp++;
    else tn++;
    if (s.label === 1 && s.cat) {
      if (m.some((x) => x.category === s.cat)) bump(s.cat, 'tp');
      else bump(s.cat, 'fn');
    }
    if (top && !(s.label === 1 && top.category === s.cat)) {
      if (!(s.label === 1 && m.some((x) => x.category === s.cat))) bump(top.category, 'fp');
    }
    if ((s.label === 1) !== flagged || (s.label === 1 && !m.some((x) => x.category === s.cat))) {
      errors.push({ id: s.id, label: s.label, cat: s.cat ?? s.kind, got: top?.category, term: top?.term, score: top?.score });
    }
  });
  const perCategory: Record<string, Prf> = {};
  for (const [c, v] of [...cat].sort(([a], [b]) => (a < b ? -1 : 1))) perCategory[c] = prf(v.tp, v.fp, v.fn);
  return { overall: { ...prf(tp, fp, fn), tn, n: samples.length }, perCategory, errors, listingsPerSecond: samples.length / seconds };
}
