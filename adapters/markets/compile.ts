/**
 * A market profile compiled once for parsing and crawling: regular expressions built, fields
 * normalised. Compilation is cached per profile object.
 */
import type { CompiledField } from './fields.js';
import { compileField } from './fields.js';
import { defineProfile, resolveStartUrl, type MarketProfile, type PageTest } from './profile.js';

/** A compiled page test. */
export interface CompiledTest {
  readonly selector?: string;
  readonly text?: RegExp;
  readonly url?: RegExp;
  readonly status?: readonly number[];
}

/** A profile with its patterns compiled. */
export interface CompiledProfile {
  readonly profile: MarketProfile;
  readonly hosts: ReadonlySet<string>;
  readonly startUrls: readonly string[];
  readonly links: {
    readonly listing: readonly RegExp[];
    readonly vendor: readonly RegExp[];
    readonly pagination: readonly RegExp[];
    readonly follow: readonly RegExp[];
    readonly avoid: readonly RegExp[];
  };
  readonly listing: Readonly<Record<'id' | 'title' | 'description' | 'price' | 'currency' | 'category' | 'shipsFrom' | 'shipsTo' | 'vendor', CompiledField | undefined>>;
  readonly vendor: Readonly<Record<'handle' | 'rating' | 'sales' | 'shipsFrom', CompiledField | undefined>>;
  readonly pages: Readonly<Record<'login' | 'captcha' | 'queue', readonly CompiledTest[]>>;
  readonly decimal: '.' | ',' | 'auto';
}

const cache = new WeakMap<MarketProfile, CompiledProfile>();
const rx = (list: readonly string[] | undefined): RegExp[] => (list ?? []).map((s) => new RegExp(s, 'i'));
const tests = (list: readonly PageTest[] | undefined): CompiledTest[] =>
  (list ?? []).map((t) => ({ selector: t.selector, status: t.status, text: t.text ? new RegExp(t.text, 'i') : undefined, url: t.url ? new RegExp(t.url, 'i') : undefined }));

/** Validates (see {@link defineProfile}) and compiles a profile; cached per profile object. */
export function compileProfile(profile: MarketProfile): CompiledProfile {
  const hit = cache.get(profile);
  if (hit) return hit;
  defineProfile(profile);
  const l = profile.listing;
  const v = profile.vendor;
  const compiled: CompiledProfile = {
    profile,
    hosts: new Set(profile.hosts.map((h) => h.toLowerCase())),
    startUrls: profile.startUrls.map((u) => resolveStartUrl(profile, u)),
    links: {
      listing: rx(profile.links.listing),
      vendor: rx(profile.links.vendor),
      pagination: rx(profile.links.pagination),
      follow: rx(profile.links.follow),
      avoid: rx(profile.links.avoid),
    },
    listing: {
      id: compileField(l.id),
      title: compileField(l.title),
      description: compileField(l.description),
      price: compileField(l.price),
      currency: compileField(l.currency),
      category: compileField(l.category),
      shipsFrom: compileField(l.shipsFrom),
      shipsTo: compileField(l.shipsTo),
      vendor: compileField(l.vendor),
    },
    vendor: { handle: compileField(v.handle), rating: compileField(v.rating), sales: compileField(v.sales), shipsFrom: compileField(v.shipsFrom) },
    pages: { login: tests(profile.pages.login), captcha: tests(profile.pages.captcha), queue: tests(profile.pages.queue) },
    decimal: profile.decimalSeparator ?? '.',
  };
  cache.set(profile, compiled);
  return compiled;
}

/** Path + query of a URL (what link rules match), or undefined for a non-HTTP(S) or invalid URL. */
export function pathAndQuery(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.pathname + u.search;
  } catch {
    return undefined;
  }
}

/** Which link rule a URL matches (`avoid` wins), or undefined. */
export function linkKind(c: CompiledProfile, url: string): 'listing' | 'vendor' | 'pagination' | 'follow' | undefined {
  const pq = pathAndQuery(url);
  if (pq === undefined) return undefined;
  if (c.links.avoid.some((r) => r.test(pq))) return undefined;
  for (const kind of ['listing', 'vendor', 'pagination', 'follow'] as const) {
    if (c.links[kind].some((r) => r.test(pq))) return kind;
  }
  return undefined;
}
