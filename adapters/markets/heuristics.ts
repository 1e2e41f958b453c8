/**
 * Heuristics for markets without a profile (the generic profile) and for fields a profile misses.
 *
 * - listing page: a price pattern (see fields.ts) near the top of the main text and an `<h1>`
 *   (or `<title>`) as the title; the id is the URL's last path segment or its `id`/`pid`/`item`
 *   query parameter
 * - vendor page: a PGP public key block, or a vendor-like label (`Vendor:`, `Seller:`,
 *   `Sold by`, `Store:`), and no price
 * - vendor handle: the word after a vendor-like label, else the URL's last path segment or its
 *   `u`/`user`/`vendor`/`seller` parameter
 * - rating: `Rating: 4.8`, `4.8/5`, `4.8 out of 5`, `4.8 ★`, `★ 4.8` in the text, else in `title` attributes
 * - sales: a count before `sales`, `orders`, `transactions`, `deals` or after `Sales:`
 */
import { cleanText, parseCount, parsePrice, parseRating, type ParsedPrice } from './fields.js';

const VENDOR_LABEL = /\b(?:vendor|seller|sold by|store|shop owner|merchant)\b\s*[:–-]?\s*@?([A-Za-z0-9][A-Za-z0-9_.-]{1,39})/i;
const RATING = /(?:\brating\b\s*[:-]?\s*(\d(?:[.,]\d{1,2})?))|(?:\b(\d(?:[.,]\d{1,2})?)\s*(?:\/\s*5|out of 5|★|stars?))|(?:★\s*(\d(?:[.,]\d{1,2})?))/i;
const SALES = /(?:\b(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:sales|orders|transactions|deals|sold)\b)|(?:\b(?:sales|orders|transactions)\s*[:-]\s*(\d{1,3}(?:[.,]\d{3})+|\d+))/i;
const PGP_BLOCK = /-----BEGIN PGP PUBLIC KEY BLOCK-----/;
const PRICE_HINT = /(?:\bprice\b|US\$|[$€£₿ɱΞ]|\b(?:btc|xmr|usd|eur|gbp)\b)/i;
const NOT_HANDLES = new Set(['page', 'profile', 'info', 'rating', 'ratings', 'feedback', 'level', 'since', 'the', 'a', 'an', 'name', 'details']);

/** Guesses what kind of page a text is (see the file comment). */
export function guessPageKind(text: string, hasH1: boolean): 'listing' | 'vendor' | undefined {
  const head = text.slice(0, 4000);
  const priced = PRICE_HINT.test(head) && guessPrice(head) !== undefined;
  if (PGP_BLOCK.test(text) && !priced) return 'vendor';
  if (priced && hasH1) return 'listing';
  if (VENDOR_LABEL.test(head)) return 'vendor';
  return undefined;
}

/** The first price after a `price` label, else the first amount with a currency. */
export function guessPrice(text: string, decimal: '.' | ',' | 'auto' = '.'): ParsedPrice | undefined {
  const label = /\bprice\b\s*[:-]?\s*/i.exec(text);
  if (label) {
    const p = parsePrice(text.slice(label.index + label[0].length, label.index + label[0].length + 40), decimal);
    if (p) return p;
  }
  const m = /(?:US\$|[$€£₿ɱΞ])\s*\d[\d.,]*|\d[\d.,]*\s*(?:btc|xmr|usd|eur|gbp|€|\$)\b/i.exec(text);
  const p = m ? parsePrice(m[0], decimal) : undefined;
  return p?.currency ? p : undefined;
}

/** The handle after a vendor-like label, or undefined. */
export function guessVendorHandle(text: string): string | undefined {
  const m = VENDOR_LABEL.exec(text);
  if (!m || NOT_HANDLES.has(m[1].toLowerCase())) return undefined;
  return m[1].replace(/[.-]+$/, '');
}

/** A rating from labelled text, or undefined. */
export function guessRating(text: string, decimal: '.' | ',' | 'auto' = '.'): number | undefined {
  const m = RATING.exec(text);
  return m ? parseRating(m[1] ?? m[2] ?? m[3], decimal) : undefined;
}

/** A sales count from labelled text, or undefined. */
export function guessSales(text: string): number | undefined {
  const m = SALES.exec(text);
  return m ? parseCount(m[1] ?? m[2]) : undefined;
}

/** A record id or handle from a URL: a telling query parameter, else the last path segment. */
export function idFromUrl(url: string, params: readonly string[]): string | undefined {
  try {
    const u = new URL(url);
    for (const p of params) {
      const v = u.searchParams.get(p);
      if (v) return cleanText(v);
    }
    const seg = u.pathname.split('/').filter(Boolean).pop();
    return seg ? decodeURIComponent(seg).replace(/\.(?:php|html?|aspx?)$/i, '') : undefined;
  } catch {
    return undefined;
  }
}
