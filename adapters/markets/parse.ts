/**
 * The market page parser: an archived {@link Page} (raw bytes) and a profile in, model
 * {@link Listing}s and {@link Vendor}s out, each with a {@link PageRef} to the page's SHA-256 and
 * the byte span of the element it was read from. Parsing never fetches anything and never runs
 * the page's scripts, so any archived page can be parsed again later, with the same result.
 *
 * Steps: decode and guard the markup (html.ts); classify the page (login / CAPTCHA / queue pages
 * yield nothing); collect links; decide the page kind from the URL's link rule (or, with
 * `heuristics`, from the content); read the fields of a listing or vendor page; find PGP key
 * blocks (src/market findPgpKeys → full fingerprints), posted addresses (src/addresses
 * extractAddresses, checksum-validated) and contacts (contacts.ts).
 *
 * A record whose id/handle or title cannot be read is not emitted; it is counted in `skipped`
 * with the reason, as are PGP blocks that do not parse.
 */
import type { Cheerio, CheerioAPI } from 'cheerio';
import { extractAddresses } from '../../src/addresses/index.js';
import { findPgpKeys, type PageVerdict } from '../../src/market/index.js';
import { addressKey, type Address, type Listing, type Page, type PageRef, type Vendor } from '../../src/model/index.js';
import { classifyDocument, documentLinks, type PageLinks } from './classify.js';
import { compileProfile, linkKind, type CompiledProfile } from './compile.js';
import { extractContacts } from './contacts.js';
import { cleanText, currencyCode, elementText, parseCount, parsePrice, parseRating, readField, type AnyNode, type CompiledField } from './fields.js';
import { guessPageKind, guessPrice, guessRating, guessSales, guessVendorHandle, idFromUrl } from './heuristics.js';
import { loadPage, type LoadOptions, type LoadedPage } from './html.js';
import type { MarketProfile } from './profile.js';

/** Options of {@link parseMarketPage}. */
export interface ParseOptions extends LoadOptions {
  /** most addresses kept per listing or vendor (default 1 000); the rest are counted in `skipped` */
  readonly maxAddresses?: number;
}

/** Default of {@link ParseOptions.maxAddresses}. */
export const MAX_RECORD_ADDRESSES = 1000;

/** Something the parser could not read, and why. */
export interface ParseSkip {
  readonly what: 'listing' | 'vendor' | 'pgp' | 'page';
  readonly reason: string;
}

/** What a page held. */
export interface ParsedPage {
  readonly market: string;
  /** the page's final URL */
  readonly url: string;
  readonly sha256: string;
  readonly verdict: PageVerdict;
  /** `listing`/`vendor` pages yield records; `index` is a pagination page; `other` anything else */
  readonly kind: 'listing' | 'vendor' | 'index' | 'other' | Exclude<PageVerdict, 'ok'>;
  readonly listings: readonly Listing[];
  readonly vendors: readonly Vendor[];
  readonly links: PageLinks;
  readonly skipped: readonly ParseSkip[];
  /** start tags the depth guard blanked out (non-zero only on hostile or broken markup) */
  readonly flattened: number;
}

type Root = Cheerio<AnyNode>;

function rootOf($: CheerioAPI, selector: string | undefined): Root {
  const r = selector ? $(selector).first() : $('body').first();
  return r.length ? r : $.root();
}

function refOf(page: Page, loaded: LoadedPage, el: AnyNode | undefined): PageRef {
  const loc = el && 'sourceCodeLocation' in el ? el.sourceCodeLocation : undefined;
  if (loc) {
    const s = loaded.byteOffset(loc.startOffset);
    const e = loaded.byteOffset(loc.endOffset);
    if (s !== undefined && e !== undefined) return { sha256: page.sha256, url: page.finalUrl, span: [s, e] };
  }
  return { sha256: page.sha256, url: page.finalUrl };
}

function first($: CheerioAPI, root: Root, f: CompiledField | undefined, url: string): string | undefined {
  return readField($, root, f, url).values[0];
}

/**
 * Everything in `root` an address may be posted in: the visible text, attribute values
 * (`bitcoin:` links, QR-code image URLs), comments and style/script text (read, never run).
 */
function postedText($: CheerioAPI, root: Root): string {
  const parts = [elementText($, root)];
  // one linear walk of the subtree (cheerio's find('*').addBack() sorts the whole set, which made
  // nested vendor.addresses matches quadratic)
  const stack: AnyNode[] = [...root.toArray()].reverse();
  while (stack.length) {
    const el = stack.pop()!;
    if ('attribs' in el) for (const v of Object.values(el.attribs)) if (v.length >= 14) parts.push(v);
    if (!('children' in el)) continue;
    for (const child of el.children) if (child.type === 'comment' && 'data' in child) parts.push(child.data);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  root.find('style, script').each((_, el) => {
    parts.push($(el).text());
  });
  return parts.join('\n');
}

/**
 * The distinct addresses posted in `text`, at most `max`; when the text holds more, a skip says so.
 * Extraction stops early, so a page of 10⁶ addresses costs the time and memory of `max` of them.
 */
function addressesIn(text: string, max: number, skipped: ParseSkip[], what: ParseSkip['what'], url: string): Address[] {
  const seen = new Set<string>();
  const out: Address[] = [];
  let more = false;
  // ask for a few more than kept: repeats of one address do not count twice
  for (const a of extractAddresses(text, { maxAddresses: 4 * max + 1 })) {
    const addr: Address = { chain: a.chain, address: a.address };
    const k = addressKey(addr);
    if (seen.has(k)) continue;
    if (out.length >= max) {
      more = true;
      break;
    }
    seen.add(k);
    out.push(addr);
  }
  if (more) skipped.push({ what, reason: `${url} posts more than ${max} distinct addresses; the first ${max} were kept (raise maxAddresses if the page is genuine)` });
  return out;
}

/** The handle in the first link to a vendor page (heuristic for listing pages). */
function vendorFromLinks(c: CompiledProfile, $: CheerioAPI, root: Root): string | undefined {
  for (const el of root.find('a[href]').toArray()) {
    const href = $(el).attr('href') ?? '';
    let abs: string;
    try {
      abs = new URL(href, 'http://x/').href;
    } catch {
      continue;
    }
    if (linkKind(c, abs) === 'vendor') return cleanText($(el).text()) || idFromUrl(abs, ['u', 'user', 'vendor', 'seller']);
  }
  return undefined;
}

function scopeText($: CheerioAPI, root: Root, selector: string | undefined, read: (el: Root) => string = (el) => elementText($, el)): string {
  if (!selector) return read(root);
  // only the outermost matches: an inner match's text is inside its ancestor's, and reading every
  // nested match again would make a deeply nested page quadratic
  const matched = root.find(selector).toArray();
  const set = new Set<unknown>(matched);
  const outermost = matched.filter((el) => {
    for (let p = el.parent; p; p = p.parent) if (set.has(p)) return false;
    return true;
  });
  return outermost.map((el) => read($(el))).join('\n');
}

function parseListing(c: CompiledProfile, $: CheerioAPI, page: Page, loaded: LoadedPage, skipped: ParseSkip[], maxAddresses: number): Listing | undefined {
  const { profile } = c;
  const url = page.finalUrl;
  const root = rootOf($, profile.listing.root);
  const id = first($, root, c.listing.id, url) ?? (profile.heuristics ? idFromUrl(url, ['id', 'pid', 'item', 'listing', 'product']) : undefined);
  const title = first($, root, c.listing.title, url) ?? (profile.heuristics ? cleanText($('h1').first().text() || $('title').first().text()) || undefined : undefined);
  if (!id || !title) {
    skipped.push({ what: 'listing', reason: `no ${!id ? 'listing id' : 'title'} found on ${url} (check the profile's listing.${!id ? 'id' : 'title'} rule)` });
    return undefined;
  }
  const description = readField($, root, c.listing.description, url);
  const priceText = first($, root, c.listing.price, url);
  const rootText = profile.heuristics ? elementText($, root) : '';
  const price = priceText !== undefined ? parsePrice(priceText, c.decimal) : profile.heuristics ? guessPrice(rootText, c.decimal) : undefined;
  const currencyText = first($, root, c.listing.currency, url);
  const currency = (currencyText !== undefined ? (currencyCode(currencyText) ?? currencyText.toUpperCase()) : undefined) ?? price?.currency ?? profile.defaultCurrency;
  const handle = first($, root, c.listing.vendor, url) ?? (profile.heuristics ? (guessVendorHandle(elementText($, root)) ?? vendorFromLinks(c, $, root)) : undefined);
  const descEl = description.element ? $(description.element) : undefined;
  const addresses = addressesIn(postedText($, descEl ?? root), maxAddresses, skipped, 'listing', url);
  const shipsTo = readField($, root, c.listing.shipsTo, url).values;
  return strip({
    id: `${profile.id}/${id}`,
    market: profile.id,
    vendorId: handle ? `${profile.id}/${handle}` : undefined,
    title,
    description: description.values.length ? description.values.join('\n') : undefined,
    price: price?.amount,
    currency,
    category: first($, root, c.listing.category, url),
    shipsFrom: first($, root, c.listing.shipsFrom, url),
    shipsTo: shipsTo.length ? shipsTo : undefined,
    addresses: addresses.length ? addresses : undefined,
    source: refOf(page, loaded, root[0]),
    seenAt: page.retrievedAt,
  });
}

async function parseVendor(c: CompiledProfile, $: CheerioAPI, page: Page, loaded: LoadedPage, skipped: ParseSkip[], maxAddresses: number): Promise<Vendor | undefined> {
  const { profile } = c;
  const url = page.finalUrl;
  const root = rootOf($, profile.vendor.root);
  const rootText = profile.heuristics ? elementText($, root) : '';
  const handle =
    first($, root, c.vendor.handle, url) ?? (profile.heuristics ? (guessVendorHandle(rootText) ?? idFromUrl(url, ['u', 'user', 'vendor', 'seller', 'id']) ?? (cleanText($('h1').first().text()) || undefined)) : undefined);
  if (!handle) {
    skipped.push({ what: 'vendor', reason: `no vendor handle found on ${url} (check the profile's vendor.handle rule)` });
    return undefined;
  }
  const ratingText = first($, root, c.vendor.rating, url);
  const salesText = first($, root, c.vendor.sales, url);
  const rating =
    ratingText !== undefined
      ? parseRating(ratingText, c.decimal)
      : profile.heuristics
        ? (guessRating(rootText, c.decimal) ?? guessRating(root.find('[title]').toArray().map((el) => $(el).attr('title')).join('\n'), c.decimal))
        : undefined;
  const sales = salesText !== undefined ? parseCount(salesText) : profile.heuristics ? guessSales(rootText) : undefined;

  const fingerprints: string[] = [];
  const pgpText = scopeText($, root, profile.vendor.pgp);
  if (pgpText.includes('-----BEGIN PGP')) {
    try {
      const { keys, skipped: bad } = await findPgpKeys(pgpText);
      for (const k of keys) {
        if (k.status === 'invalid') skipped.push({ what: 'pgp', reason: `key ${k.fingerprint} on ${url} has no valid self-signature; its fingerprint is not evidence` });
        else if (!fingerprints.includes(k.fingerprint)) fingerprints.push(k.fingerprint);
      }
      for (const b of bad) skipped.push({ what: 'pgp', reason: `PGP block on ${url} does not parse: ${b.reason}` });
    } catch (err) {
      skipped.push({ what: 'pgp', reason: `PGP blocks on ${url} not read: ${(err as Error).message}` });
    }
  }
  const addresses = addressesIn(scopeText($, root, profile.vendor.addresses, (el) => postedText($, el)), maxAddresses, skipped, 'vendor', url);
  const contacts = extractContacts(scopeText($, root, profile.vendor.contacts)).map(({ kind, value }) => ({ kind, value }));
  return strip({
    id: `${profile.id}/${handle}`,
    market: profile.id,
    handle,
    rating,
    sales,
    pgpFingerprints: fingerprints.length ? fingerprints : undefined,
    addresses: addresses.length ? addresses : undefined,
    contacts: contacts.length ? contacts : undefined,
    shipsFrom: first($, root, c.vendor.shipsFrom, url),
    source: refOf(page, loaded, root[0]),
  });
}

/** Drops undefined properties (records stay small and compare cleanly). */
function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Parses one archived page with a market profile (see the file comment).
 *
 * @throws InvalidInputError `INVALID_PROFILE` for a broken profile, `PAGE_TOO_LARGE` above
 *   `maxBytes`. Anything else unreadable is reported in `skipped`.
 */
export async function parseMarketPage(page: Page, profile: MarketProfile, options: ParseOptions = {}): Promise<ParsedPage> {
  const c = compileProfile(profile);
  const loaded = loadPage(page, options);
  const { $ } = loaded;
  const url = page.finalUrl || page.url;
  const verdict = classifyDocument(c, $, url, page.status);
  const links = documentLinks(c, $, url);
  const skipped: ParseSkip[] = [];
  const base = { market: profile.id, url, sha256: page.sha256, verdict, links, skipped, flattened: loaded.flattened };
  if (verdict !== 'ok') return { ...base, kind: verdict, listings: [], vendors: [] };
  if (page.status >= 400) return { ...base, kind: 'other', listings: [], vendors: [] };
  const rule = linkKind(c, url);
  let kind: ParsedPage['kind'] = rule === 'listing' || rule === 'vendor' ? rule : rule === 'pagination' ? 'index' : 'other';
  if (kind === 'other' && profile.heuristics) kind = guessPageKind(cleanText(elementText($, $('body'))), $('h1').length > 0) ?? 'other';
  const pageForRefs = { ...page, finalUrl: url };
  if (kind === 'listing') {
    const l = parseListing(c, $, pageForRefs, loaded, skipped, options.maxAddresses ?? MAX_RECORD_ADDRESSES);
    return { ...base, kind, listings: l ? [l] : [], vendors: [] };
  }
  if (kind === 'vendor') {
    const v = await parseVendor(c, $, pageForRefs, loaded, skipped, options.maxAddresses ?? MAX_RECORD_ADDRESSES);
    return { ...base, kind, listings: [], vendors: v ? [v] : [] };
  }
  return { ...base, kind, listings: [], vendors: [] };
}
