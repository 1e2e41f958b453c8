/**
 * What a crawler needs to know about one market: where it lives, where to start, which links to
 * follow, and how to recognise pages that must pause the crawl. Market profiles
 * (`adapters/markets`) produce it; the Tor crawler (`adapters/tor`) consumes it.
 */

/** What kind of page a response is, as far as the crawl is concerned. */
export type PageVerdict =
  /** a normal page: archive it and follow its links */
  | 'ok'
  /** the market wants a login: pause and ask the analyst for a fresh session cookie */
  | 'login'
  /** a CAPTCHA: pause and ask the analyst (never solved automatically) */
  | 'captcha'
  /** a DDoS-protection queue or waiting page: pause, retry later */
  | 'queue';

/** A fetched page as the policy sees it. */
export interface PolicyPage {
  /** final URL after redirects */
  readonly url: string;
  readonly status: number;
  readonly html: string;
}

/** The crawl-side view of a market profile. */
export interface CrawlPolicy {
  /** market id, e.g. `aurora` */
  readonly market: string;
  /** host names the crawl may visit (all others are refused) */
  readonly hosts: readonly string[];
  /** absolute URLs to start from */
  readonly startUrls: readonly string[];
  /** links on `page` worth following (absolute or relative to `page.url`); the crawler canonicalises and filters them by host */
  links(page: PolicyPage): string[];
  /** what kind of page `page` is */
  classify(page: PolicyPage): PageVerdict;
}
