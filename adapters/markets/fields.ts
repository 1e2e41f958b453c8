/**
 * Reading profile fields from a parsed page, and the number formats markets print.
 *
 * Prices: an amount with an optional currency before or after it — an ISO code or ticker
 * (`USD 1,250.00`, `0.0132 BTC`), a symbol (`$`, `€`, `£`, `₿`, `ɱ`, `Ξ`) or a name (`bitcoin`,
 * `monero`). Amounts become canonical decimal strings: thousands separators dropped, `.` as
 * the decimal point, digits kept as printed (`1.250,00` with `,` decimals → `1250.00`).
 * Never a float.
 */
import type { Cheerio, CheerioAPI, load } from 'cheerio';
import type { Field, FieldRule } from './profile.js';

/** A DOM node of cheerio's tree (domhandler's `AnyNode`, which cheerio does not re-export). */
export type AnyNode = Exclude<Parameters<typeof load>[0], string | Buffer | readonly unknown[]>;

const SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', 'US$': 'USD', '€': 'EUR', '£': 'GBP', '₿': 'BTC', 'ɱ': 'XMR', Ξ: 'ETH', '¥': 'JPY', '₽': 'RUB' };
const NAMES: Readonly<Record<string, string>> = { bitcoin: 'BTC', btc: 'BTC', xbt: 'BTC', monero: 'XMR', xmr: 'XMR', ether: 'ETH', eth: 'ETH', litecoin: 'LTC', ltc: 'LTC', usdt: 'USDT', tether: 'USDT', usd: 'USD', eur: 'EUR', euro: 'EUR', euros: 'EUR', gbp: 'GBP', dollars: 'USD', dollar: 'USD', aud: 'AUD', cad: 'CAD', chf: 'CHF' };
const CURRENCY = String.raw`(US\$|[$€£₿ɱΞ¥₽]|\b(?:bitcoin|btc|xbt|monero|xmr|ether|eth|litecoin|ltc|usdt|tether|usd|eur|euros?|gbp|dollars?|aud|cad|chf)\b)`;
const AMOUNT = String.raw`(\d{1,3}(?:[.,  ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)`;
const PRICE_BEFORE = new RegExp(`${CURRENCY}\\s*${AMOUNT}`, 'i');
const PRICE_AFTER = new RegExp(`${AMOUNT}\\s*${CURRENCY}`, 'i');

/** Collapses runs of whitespace and trims. */
export function cleanText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The currency code of a symbol, ticker or name (`€` → `EUR`, `monero` → `XMR`), or undefined. */
export function currencyCode(token: string): string | undefined {
  const t = token.trim();
  return SYMBOLS[t] ?? NAMES[t.toLowerCase()];
}

/**
 * A printed number as a canonical decimal string (`1,250.00` → `1250.00`; with `decimal` `,`:
 * `1.250,00` → `1250.00`), or undefined when `text` holds no number.
 */
export function parseDecimal(text: string, decimal: '.' | ',' = '.'): string | undefined {
  const m = /\d[\d.,  ]*/.exec(text);
  if (!m) return undefined;
  const raw = m[0].replace(/[\s  ]+$/, '').replace(/[.,]$/, '');
  const group = decimal === '.' ? ',' : '.';
  let s = raw.replace(/[\s  ]/g, '').split(group).join('');
  if (decimal === ',') s = s.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  return s.replace(/^0+(?=\d)/, '');
}

/** A price: canonical amount and, when shown, currency code. */
export interface ParsedPrice {
  readonly amount: string;
  readonly currency?: string;
}

/** Reads a price (see the file comment), or undefined when `text` holds no amount. */
export function parsePrice(text: string, decimal: '.' | ',' = '.'): ParsedPrice | undefined {
  const before = PRICE_BEFORE.exec(text);
  const after = PRICE_AFTER.exec(text);
  const m = before && (!after || before.index <= after.index) ? { cur: before[1], amt: before[2] } : after ? { cur: after[2], amt: after[1] } : undefined;
  if (m) {
    const amount = parseDecimal(m.amt, decimal);
    if (amount !== undefined) return { amount, currency: currencyCode(m.cur) };
  }
  const amount = parseDecimal(text, decimal);
  return amount === undefined ? undefined : { amount };
}

/** A count as printed (`1,204 sales`, `1.204 Verkäufe` with `,` decimals), or undefined. */
export function parseCount(text: string, decimal: '.' | ',' = '.'): number | undefined {
  const d = parseDecimal(text, decimal);
  if (d === undefined) return undefined;
  const n = Number(d.split('.')[0]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A rating as printed (`4.87`, `4,87` with `,` decimals, `96%`), or undefined. */
export function parseRating(text: string, decimal: '.' | ',' = '.'): number | undefined {
  const d = parseDecimal(text, decimal);
  if (d === undefined) return undefined;
  const n = Number(d);
  return Number.isFinite(n) ? n : undefined;
}

/** The compiled form of a field (patterns compiled once per profile). */
export interface CompiledField {
  readonly rule: FieldRule;
  readonly pattern?: RegExp;
  readonly split?: RegExp;
}

/** Compiles a field of a profile. */
export function compileField(field: Field): CompiledField;
export function compileField(field: Field | undefined): CompiledField | undefined;
export function compileField(field: Field | undefined): CompiledField | undefined {
  if (field === undefined) return undefined;
  const rule: FieldRule = typeof field === 'string' ? { selector: field } : field;
  return { rule, pattern: rule.pattern ? new RegExp(rule.pattern, 'i') : undefined, split: rule.split ? new RegExp(rule.split) : undefined };
}

/** A value read from the page, with the element it came from (for spans). */
export interface FieldValue {
  readonly values: readonly string[];
  readonly element?: AnyNode;
}

function applyPattern(text: string, pattern: RegExp | undefined): string | undefined {
  if (!pattern) return text;
  const m = pattern.exec(text);
  if (!m) return undefined;
  return m[1] ?? m[0];
}

/** Text of an element with block boundaries and `<br>` kept as line breaks. */
export function elementText($: CheerioAPI, el: Cheerio<AnyNode>): string {
  const clone = el.clone();
  clone.find('br').replaceWith('\n');
  clone.find('p, div, li, tr, dd, dt, pre, h1, h2, h3, h4, h5, h6').after('\n');
  return clone.text();
}

/** Reads a field inside `root`; values are whitespace-collapsed, empty ones dropped. */
export function readField($: CheerioAPI, root: Cheerio<AnyNode>, field: CompiledField | undefined, pageUrl: string): FieldValue {
  if (!field) return { values: [] };
  const { rule } = field;
  let raw: { text: string; el?: AnyNode }[];
  if (rule.from === 'url') {
    let pathQuery = pageUrl;
    try {
      const u = new URL(pageUrl);
      pathQuery = decodeURIComponent(u.pathname) + u.search;
    } catch {
      // a relative or unparsable URL is matched as given
    }
    raw = [{ text: pathQuery }];
  } else {
    const sel = root.find(rule.selector as string);
    const els = rule.all ? sel.toArray() : sel.toArray().slice(0, 1);
    raw = els.map((el) => ({ text: rule.attr ? ($(el).attr(rule.attr) ?? '') : $(el).text(), el }));
  }
  const values: string[] = [];
  for (const r of raw) {
    const v = applyPattern(cleanText(r.text), field.pattern);
    if (v === undefined) continue;
    const parts = field.split ? v.split(field.split) : [v];
    for (const p of parts) {
      const c = cleanText(p);
      if (c) values.push(c);
    }
  }
  return { values, element: raw.find((r) => r.el)?.el };
}
