/**
 * Declarative market profiles: everything market-specific about crawling and parsing one market,
 * as plain data (JSON/YAML-serialisable: patterns are regular-expression source strings).
 *
 * A profile says where the market lives (`hosts`, `startUrls`), which links lead to listing,
 * vendor and index (pagination) pages (`links`: regexes over path + query), how to read each
 * field of a listing or vendor page (`listing`, `vendor`: {@link FieldRule}s), and how to
 * recognise pages that must pause a crawl (`pages`: login, CAPTCHA, DDoS queue). See
 * docs/market-profiles.md for a walk-through.
 */
import { parse as parseYaml } from 'yaml';
import { InvalidInputError } from '../../src/model/index.js';

/**
 * How to read one field. A bare string is a CSS selector whose first match's text is the value.
 *
 * Order of operations: select (`selector`, relative to the page's record root; or `from: 'url'`),
 * read (`attr` or the element's text, whitespace collapsed), match (`pattern`: group 1, else the
 * whole match; no match = no value), split (`split`, for lists).
 */
export interface FieldRule {
  /** CSS selector (cheerio); omitted with `from: 'url'` */
  readonly selector?: string;
  /** read from the page URL (path + query) instead of the document */
  readonly from?: 'url';
  /** read this attribute instead of the text */
  readonly attr?: string;
  /** regular expression source (case-insensitive); group 1, or the whole match, is the value */
  readonly pattern?: string;
  /** regular expression source to split a list value on (e.g. `\\s*[,;]\\s*`) */
  readonly split?: string;
  /** use every match of `selector` (each one value of the list) instead of the first */
  readonly all?: boolean;
}

/** A field: a CSS selector, or a full rule. */
export type Field = string | FieldRule;

/** A test that recognises a kind of page; every given condition must hold. */
export interface PageTest {
  /** a CSS selector that must match at least one element */
  readonly selector?: string;
  /** a regular expression source (case-insensitive) that must match the page text */
  readonly text?: string;
  /** a regular expression source that must match the final URL's path + query */
  readonly url?: string;
  /** HTTP status codes, one of which the page must have */
  readonly status?: readonly number[];
}

/** Fields of a listing page. */
export interface ListingFields {
  /** element holding the listing (its span is the listing's source; default `body`) */
  readonly root?: string;
  /** the market's listing id (often `{ from: 'url', pattern: ... }`) */
  readonly id: Field;
  readonly title: Field;
  readonly description?: Field;
  /** price text, possibly with its currency (`USD 1,250.00`, `0.013 BTC`, `1.250,00 €`) */
  readonly price?: Field;
  /** currency, when the market shows it apart from the price */
  readonly currency?: Field;
  readonly category?: Field;
  readonly shipsFrom?: Field;
  /** destinations; use `split` or `all` for several */
  readonly shipsTo?: Field;
  /** the seller's handle */
  readonly vendor?: Field;
}

/** Fields of a vendor page. */
export interface VendorFields {
  /** element holding the vendor profile (its span is the vendor's source; default `body`) */
  readonly root?: string;
  readonly handle: Field;
  /** rating as shown (a decimal; `4.8`, `4,8`, `96%` stays as the number shown) */
  readonly rating?: Field;
  readonly sales?: Field;
  readonly shipsFrom?: Field;
  /** where to look for PGP key blocks (default: the whole record root) */
  readonly pgp?: string;
  /** where to look for posted crypto addresses (default: the whole record root) */
  readonly addresses?: string;
  /** where to look for contacts (default: the whole record root) */
  readonly contacts?: string;
}

/** A declarative market profile. */
export interface MarketProfile {
  /** market id, used in listing and vendor ids (`<id>/<handle>`); lower-case, no `/` */
  readonly id: string;
  /** display name */
  readonly name: string;
  /** host names the market is served under (onion or not); the crawl never leaves them */
  readonly hosts: readonly string[];
  /** start URLs: absolute, or paths taken relative to `http://<hosts[0]>` */
  readonly startUrls: readonly string[];
  /** link rules: regular-expression sources matched against a link's path + query */
  readonly links: {
    readonly listing: readonly string[];
    readonly vendor: readonly string[];
    readonly pagination: readonly string[];
    /** other pages worth following (default none) */
    readonly follow?: readonly string[];
    /** never follow these, even when another rule matches (logout, buy, etc.) */
    readonly avoid?: readonly string[];
  };
  readonly listing: ListingFields;
  readonly vendor: VendorFields;
  /** page validators: which pages pause the crawl */
  readonly pages: {
    readonly login?: readonly PageTest[];
    readonly captcha?: readonly PageTest[];
    readonly queue?: readonly PageTest[];
  };
  /**
   * decimal separator of prices and ratings (default `.`: `1,250.00`; `,` reads `1.250,00`;
   * `auto` guesses per number, see `guessDecimalSeparator`)
   */
  readonly decimalSeparator?: '.' | ',' | 'auto';
  /** currency when a price shows none (default none) */
  readonly defaultCurrency?: string;
  /**
   * fill what the rules do not find by heuristics: the page kind from its content, and price,
   * vendor handle, rating and sales from labelled text (default false; the generic profile sets it)
   */
  readonly heuristics?: boolean;
}

const ID = /^[a-z0-9][a-z0-9_.-]*$/;

function checkRegex(source: unknown, where: string): void {
  if (typeof source !== 'string') throw bad(`${where} must be a regular-expression source string`);
  try {
    new RegExp(source, 'i');
  } catch (err) {
    throw bad(`${where} is not a valid regular expression (${(err as Error).message})`);
  }
}

function bad(message: string): InvalidInputError {
  return new InvalidInputError(`invalid market profile: ${message}`, { code: 'INVALID_PROFILE' });
}

function checkField(f: unknown, where: string, required: boolean): void {
  if (f === undefined) {
    if (required) throw bad(`${where} is required`);
    return;
  }
  if (typeof f === 'string') {
    if (f.trim() === '') throw bad(`${where} is an empty selector`);
    return;
  }
  if (typeof f !== 'object' || f === null) throw bad(`${where} must be a CSS selector string or a field rule object`);
  const r = f as FieldRule;
  if (r.from !== undefined && r.from !== 'url') throw bad(`${where}.from must be "url"`);
  if (r.from === undefined && (typeof r.selector !== 'string' || r.selector.trim() === '')) throw bad(`${where} needs a selector (or from: "url")`);
  if (r.pattern !== undefined) checkRegex(r.pattern, `${where}.pattern`);
  if (r.split !== undefined) checkRegex(r.split, `${where}.split`);
}

/**
 * Checks a profile (for instance one read from YAML) and returns it typed.
 *
 * @throws InvalidInputError `INVALID_PROFILE` naming the first wrong field and what it should be.
 */
export function defineProfile(profile: MarketProfile): MarketProfile {
  const p = profile as unknown as Record<string, unknown>;
  if (typeof p !== 'object' || p === null) throw bad('expected an object');
  if (typeof p.id !== 'string' || !ID.test(p.id)) throw bad(`id must be lower-case letters, digits, "_", "." or "-" (got ${JSON.stringify(p.id)})`);
  if (typeof p.name !== 'string') throw bad('name must be a string');
  if (!Array.isArray(p.hosts) || p.hosts.length === 0 || !p.hosts.every((h) => typeof h === 'string' && /^[a-z0-9.-]+$/i.test(h))) {
    throw bad('hosts must be a non-empty list of host names (no scheme, no port, no path)');
  }
  if (!Array.isArray(p.startUrls) || p.startUrls.length === 0) throw bad('startUrls must be a non-empty list of URLs or paths');
  for (const u of profile.startUrls) resolveStartUrl(profile, u);
  const links = p.links as MarketProfile['links'] | undefined;
  if (!links || typeof links !== 'object') throw bad('links must be an object with listing, vendor and pagination rules');
  for (const k of ['listing', 'vendor', 'pagination', 'follow', 'avoid'] as const) {
    const list = links[k];
    if (list === undefined && (k === 'follow' || k === 'avoid')) continue;
    if (!Array.isArray(list)) throw bad(`links.${k} must be a list of regular-expression sources`);
    list.forEach((s, i) => checkRegex(s, `links.${k}[${i}]`));
  }
  const listing = p.listing as ListingFields | undefined;
  if (!listing || typeof listing !== 'object') throw bad('listing must be an object of field rules');
  for (const k of ['id', 'title', 'description', 'price', 'currency', 'category', 'shipsFrom', 'shipsTo', 'vendor'] as const) checkField(listing[k], `listing.${k}`, k === 'id' || k === 'title');
  const vendor = p.vendor as VendorFields | undefined;
  if (!vendor || typeof vendor !== 'object') throw bad('vendor must be an object of field rules');
  for (const k of ['handle', 'rating', 'sales', 'shipsFrom'] as const) checkField(vendor[k], `vendor.${k}`, k === 'handle');
  const pages = (p.pages ?? {}) as MarketProfile['pages'];
  for (const k of ['login', 'captcha', 'queue'] as const) {
    for (const [i, t] of (pages[k] ?? []).entries()) {
      if (t.text !== undefined) checkRegex(t.text, `pages.${k}[${i}].text`);
      if (t.url !== undefined) checkRegex(t.url, `pages.${k}[${i}].url`);
      if (t.selector === undefined && t.text === undefined && t.url === undefined && t.status === undefined) throw bad(`pages.${k}[${i}] has no condition`);
    }
  }
  if (p.decimalSeparator !== undefined && p.decimalSeparator !== '.' && p.decimalSeparator !== ',' && p.decimalSeparator !== 'auto') throw bad('decimalSeparator must be ".", "," or "auto"');
  return profile;
}

/** The absolute URL of a start URL of `profile`. */
export function resolveStartUrl(profile: MarketProfile, url: string): string {
  try {
    return new URL(url, `http://${profile.hosts[0]}/`).href;
  } catch {
    throw bad(`start URL ${JSON.stringify(url)} is not a URL or path`);
  }
}

/** A copy of `profile` serving under other host names (e.g. the real address of a test onion service). */
export function withHosts(profile: MarketProfile, hosts: readonly string[]): MarketProfile {
  const startUrls = profile.startUrls.map((u) => {
    const abs = new URL(resolveStartUrl(profile, u));
    return abs.pathname + abs.search;
  });
  return defineProfile({ ...profile, hosts, startUrls });
}

/**
 * Reads a profile written in YAML (or JSON, which is YAML) and checks it.
 *
 * @throws InvalidInputError `INVALID_PROFILE` for YAML that does not parse or a profile that does not check.
 */
export function profileFromYaml(text: string): MarketProfile {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw bad(`YAML does not parse (${(err as Error).message})`);
  }
  return defineProfile(data as MarketProfile);
}
