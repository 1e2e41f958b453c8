/**
 * A CrawlPolicy for the fixture market, written in the test (the markets room ships the real
 * profiles; this one only follows every link and recognises the three wall pages by their forms),
 * so the crawler is tested on its own contract.
 */
import * as cheerio from 'cheerio';
import type { CrawlPolicy } from '../../src/market/crawl-policy.js';

/** Content pages of the fixture market (home, index pages, listings, vendors), like a profile's link rules. */
export const CONTENT = /^\/(?:$|listings\?page=\d+$|item\/|vendor\/)/;

/** A policy that follows links whose path (with query) matches `follow` (default: every link). */
export function fixturePolicy(market: string, host: string, follow: RegExp = /./, startUrls = [`http://${host}/`]): CrawlPolicy {
  return {
    market,
    hosts: [host],
    startUrls,
    links(page) {
      const $ = cheerio.load(page.html);
      return $('a[href]')
        .map((_, a) => $(a).attr('href') ?? '')
        .get()
        .filter((href) => {
          const u = new URL(href, page.url);
          return follow.test(u.pathname + u.search);
        });
    },
    classify(page) {
      const $ = cheerio.load(page.html);
      if ($('#login-form').length) return 'login';
      if ($('#captcha-form').length) return 'captcha';
      if ($('.queue-notice').length) return 'queue';
      return 'ok';
    },
  };
}
