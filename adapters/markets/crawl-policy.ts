/**
 * A market profile as the Tor crawler sees it: the {@link CrawlPolicy} of `src/market`.
 * `links` returns the page's listing, vendor, pagination and follow links (absolute URLs, not yet
 * filtered by host: the crawler does that); `classify` applies the profile's page validators.
 * A page parsed for `classify` is reused by `links` when the crawler asks about the same page.
 */
import type { CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio';
import type { CrawlPolicy, PolicyPage } from '../../src/market/index.js';
import { classifyDocument, documentLinks } from './classify.js';
import { compileProfile } from './compile.js';
import { guardHtml } from './html.js';
import type { MarketProfile } from './profile.js';

/** Options of {@link crawlPolicy}. */
export interface CrawlPolicyOptions {
  /** deepest nesting handed to the HTML parser (default 512, see html.ts) */
  readonly maxDepth?: number;
}

/** The crawl policy of a market profile. */
export function crawlPolicy(profile: MarketProfile, options: CrawlPolicyOptions = {}): CrawlPolicy {
  const c = compileProfile(profile);
  let last: { html: string; $: CheerioAPI } | undefined;
  const parse = (page: PolicyPage): CheerioAPI => {
    if (last && last.html === page.html) return last.$;
    const $ = cheerio.load(guardHtml(page.html, options.maxDepth ?? 512, 16384).html);
    $('script, style, noscript, template').remove();
    last = { html: page.html, $ };
    return $;
  };
  return {
    market: profile.id,
    hosts: [...c.hosts],
    startUrls: [...c.startUrls],
    links(page) {
      const l = documentLinks(c, parse(page), page.url);
      return [...l.pagination, ...l.listing, ...l.vendor, ...l.follow];
    },
    classify(page) {
      return classifyDocument(c, parse(page), page.url, page.status);
    },
  };
}
