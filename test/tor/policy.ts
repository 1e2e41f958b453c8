/**
 * A CrawlPolicy for the fixture market, written in the test (the markets room ships the real
 * profiles, exercised in pipeline.test.ts and real-tor.test.ts; this one only follows links and
 * recognises the three wall pages), so the crawler is tested on its own contract. The fixture's
 * markup is known (double-quoted `href` attributes, walls marked by `id="login-form"`,
 * `id="captcha-form"`, `class="queue-notice"`), so it reads it with two regular expressions and
 * stays cheap to import in the crash-test child processes.
 */
import type { CrawlPolicy } from '../../src/market/crawl-policy.js';

/** Content pages of the fixture market (home, index pages, listings, vendors), like a profile's link rules. */
export const CONTENT = /^\/(?:$|listings\?page=\d+$|item\/|vendor\/)/;

const HREF = /<a\b[^>]*\shref="([^"]*)"/gi;
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** A policy that follows links whose path (with query) matches `follow` (default: every link). */
export function fixturePolicy(market: string, host: string, follow: RegExp = /./, startUrls = [`http://${host}/`]): CrawlPolicy {
  return {
    market,
    hosts: [host],
    startUrls,
    links(page) {
      return [...page.html.matchAll(HREF)]
        .map((m) => decode(m[1]))
        .filter((href) => {
          const u = new URL(href, page.url);
          return follow.test(u.pathname + u.search);
        });
    },
    classify(page) {
      if (page.html.includes('id="login-form"')) return 'login';
      if (page.html.includes('id="captcha-form"')) return 'captcha';
      if (page.html.includes('class="queue-notice"')) return 'queue';
      return 'ok';
    },
  };
}
