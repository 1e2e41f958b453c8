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
export function parseDecimal(text: string, decimal: '.' | ',' | 'auto' = '.'): string | undefined {
  const m = /\d[\d.,  ]*/.exec(text);
  if (!m) return undefined;
  const raw = m[0].replace(/[\s  ]+$/, '').replace(/[.,]$/, '');
  if (decimal === 'auto') decimal = guessDecimalSeparator(raw);
  const group = decimal === '.' ? ',' : '.';
  let s = raw.replace(/[\s  ]/g, '').split(group).join('');
  if (decimal === ',') s = s.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  return s.replace(/^0+(?=\d)/, '');
}

/**
 * The decimal separator a printed number most likely uses: when both `.` and `,` occur, the last
 * one; when one of them occurs once and is not followed by exactly three digits, that one
 * (`29,98`, `0,0132`); otherwise `.` (`1,250` reads as one thousand two hundred and fifty).
 */
export function guessDecimalSeparator(num: string): '.' | ',' {
  const lastDot = num.lastIndexOf('.');
  const lastComma = num.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return lastComma > lastDot ? ',' : '.';
  if (lastComma >= 0 && num.indexOf(',') === lastComma && !/^,\d{3}$/.test(num.slice(lastComma))) return ',';
  return '.';
}

/** A price: canonical amount and, when shown, currency code. */
export interface ParsedPrice {
  readonly amount: string;
  readonly currency?: string;
}

/** Reads a price (see the file comment), or undefined when `text` holds no amount. */
export function parsePrice(text: string, decimal: '.' | ',' | 'auto' = '.'): ParsedPrice | undefined {
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

/** A count as printed (`1,204 sales`, `1.204 Verkäufe`, `1 204`): thousands separators of any kind, or undefined. */
export function parseCount(text: string): number | undefined {
  const m = /\d{1,3}(?:[.,  ]\d{3})+(?!\d)|\d+/.exec(text);
  if (!m) return undefined;
  const n = Number(m[0].replace(/\D/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A rating as printed (`4.87`, `4,87` with `,` decimals, `96%`), or undefined. */
export function parseRating(text: string, decimal: '.' | ',' | 'auto' = '.'): number | undefined {
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
  return m.slice(1).find((g) => g !== undefined) ?? m[0];
}

/** Elements whose content is not page text (never run, never read as text). */
const NOT_TEXT = new Set(['script', 'style', 'noscript', 'template']);
const BLOCK = new Set(['p', 'div', 'li', 'tr', 'td', 'th', 'dd', 'dt', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header', 'footer', 'nav', 'aside', 'table', 'ul', 'ol', 'dl', 'blockquote', 'form', 'main', 'textarea', 'option']);

/**
 * Visible text of elements: script, style, noscript and template contents left out; with
 * `lines`, a line break after each block element and for each `<br>`. One iterative walk,
 * linear in the tree (no recursion, no cloning), so hostile trees cannot exhaust the stack.
 */
function walkText(nodes: readonly AnyNode[], lines: boolean): string {
  const out: string[] = [];
  // the stack holds nodes to visit, and markers (null) for "a block element ends here"
  const stack: (AnyNode | null)[] = [...nodes].reverse();
  while (stack.length) {
    const node = stack.pop();
    if (node === null) {
      out.push('\n');
      continue;
    }
    if (node === undefined) break;
    if (node.type === 'text') out.push((node as { data: string }).data);
    else if (node.type === 'tag' || node.type === 'root') {
      const name = (node as { name?: string }).name;
      if (name !== undefined && NOT_TEXT.has(name)) continue;
      if (lines && name === 'br') {
        out.push('\n');
        continue;
      }
      if (lines && name !== undefined && BLOCK.has(name)) stack.push(null);
      const children = (node as { children?: AnyNode[] }).children ?? [];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return out.join('');
}

/** Visible text of an element: script, style, noscript and template contents left out. */
export function visibleText(el: Cheerio<AnyNode>): string {
  return walkText(el.toArray(), false);
}

/** Visible text of an element with block boundaries and `<br>` kept as line breaks. */
export function elementText(_$: CheerioAPI, el: Cheerio<AnyNode>): string {
  return walkText(el.toArray(), true);
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
    raw = els.map((el) => ({ text: rule.attr ? ($(el).attr(rule.attr) ?? '') : visibleText($(el)), el }));
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
