/**
 * Exchange rates into US dollars, for the USD medians of the trend tables.
 *
 * A rate file is CSV with a header naming the columns `date`, `currency` and `usd` (US dollars
 * per one unit of the currency), in any order, e.g.
 *
 *   date,currency,usd
 *   2026-03-02,BTC,60000
 *   2026-03-02,EUR,1.08
 *
 * Dates are `YYYY-MM-DD` (a longer ISO time is cut to its date); currencies are upper-cased;
 * rates are positive decimal strings, kept exact. Bad rows are skipped and counted with the line
 * number and why. A price is converted with the rate of its currency on the latest date on or
 * before the day it was seen; USD converts at 1; with no such rate it stays unconverted.
 */
import { InvalidInputError } from '../model/errors.js';
import { INDEX_SUBLEVELS } from '../store/layout.js';
import type { CaseStore } from '../store/store.js';
import { multiplyDecimal, readDecimal, type Decimal } from './decimal.js';

/** One rate: US dollars per unit of `currency` on `date`. */
export interface UsdRate {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** upper case, e.g. `BTC`, `EUR` */
  readonly currency: string;
  /** decimal string */
  readonly usd: string;
}

/** What {@link parseRatesCsv} read. */
export interface RatesParse {
  readonly rates: UsdRate[];
  readonly skipped: { readonly line: number; readonly reason: string }[];
}

const DATE = /^(\d{4}-\d\d-\d\d)(?:T.*)?$/;

/** Parses a rate file (see the file comment). Throws `RATES_BAD_HEADER` when a column is missing. */
export function parseRatesCsv(text: string): RatesParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [d, c, u] = [col('date'), col('currency'), col('usd')];
  if (d < 0 || c < 0 || u < 0) {
    throw new InvalidInputError(`a rate file needs a header with the columns date, currency and usd (US dollars per unit); got ${JSON.stringify(lines[0] ?? '')}`, { code: 'RATES_BAD_HEADER' });
  }
  const out: RatesParse = { rates: [], skipped: [] };
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((x) => x.trim());
    const date = DATE.exec(cells[d] ?? '')?.[1];
    const currency = (cells[c] ?? '').toUpperCase();
    const usd = readDecimal(cells[u] ?? '');
    const reason =
      !date || !Number.isFinite(Date.parse(`${date}T00:00:00Z`)) ? `date ${JSON.stringify(cells[d] ?? '')} is not YYYY-MM-DD`
      : !/^[A-Z0-9]{2,10}$/.test(currency) ? `currency ${JSON.stringify(cells[c] ?? '')} is not a code like BTC or EUR`
      : !usd || usd.units <= 0n ? `usd ${JSON.stringify(cells[u] ?? '')} is not a positive decimal number`
      : undefined;
    if (reason) out.skipped.push({ line: i + 2, reason });
    else out.rates.push({ date: date!, currency, usd: cells[u] });
  });
  return out;
}

/** The rate sublevel of a store. */
function rateIndex(store: CaseStore) {
  return store.sublevel(INDEX_SUBLEVELS.usdRates, 'utf8', 'utf8');
}

/** Stores `rates` in the case in one atomic batch (a rate for the same currency and date is replaced). */
export async function importRates(store: CaseStore, rates: readonly UsdRate[]): Promise<number> {
  const ix = rateIndex(store);
  await store.write((batch) => {
    for (const r of rates) batch.putIn(ix, `${r.currency}\0${r.date}`, r.usd);
  });
  return rates.length;
}

/** Every rate of the case, by currency then date. */
export async function readRates(store: CaseStore): Promise<UsdRate[]> {
  const out: UsdRate[] = [];
  for await (const [k, v] of rateIndex(store).iterator()) {
    const [currency, date] = (k as string).split('\0');
    out.push({ currency, date, usd: v as string });
  }
  return out;
}

/** Converts prices into US dollars with a set of rates (see the file comment). */
export class UsdRateTable {
  private readonly byCurrency = new Map<string, { date: string; usd: Decimal }[]>();

  constructor(rates: readonly UsdRate[]) {
    for (const r of rates) {
      const usd = readDecimal(r.usd);
      if (!usd) continue;
      const cur = r.currency.toUpperCase();
      const list = this.byCurrency.get(cur) ?? [];
      list.push({ date: r.date, usd });
      this.byCurrency.set(cur, list);
    }
    for (const list of this.byCurrency.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  /** True when the table holds no rate at all. */
  get empty(): boolean {
    return this.byCurrency.size === 0;
  }

  /** The rate of `currency` in force on the day of `at` (ISO-8601), or `undefined`. */
  rate(currency: string, at: string): Decimal | undefined {
    const cur = currency.toUpperCase();
    if (cur === 'USD') return { units: 1n, scale: 0 };
    const list = this.byCurrency.get(cur);
    if (!list) return undefined;
    const day = at.slice(0, 10);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].date <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : list[lo - 1].usd;
  }

  /** `price` (a decimal string in `currency`) in US dollars, exact; `undefined` without a rate or a valid price. */
  toUsd(price: string, currency: string, at: string): Decimal | undefined {
    const p = readDecimal(price);
    return p && this.decimalToUsd(p, currency, at);
  }

  /** {@link toUsd} of a price already read; `undefined` without a rate or for a negative price. */
  decimalToUsd(price: Decimal, currency: string, at: string): Decimal | undefined {
    const r = this.rate(currency, at);
    if (!r || price.units < 0n) return undefined;
    return multiplyDecimal(price, r);
  }
}
