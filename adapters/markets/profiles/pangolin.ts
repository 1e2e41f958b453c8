/** Profile of the Pangolin fixture market (semantic HTML, European numbers; see adapters/markets/fixtures/pangolin.ts). */
import { fixtureOnionHost } from '../fixtures/onion.js';
import { defineProfile } from '../profile.js';

/** Pangolin: `/c/all/N`, `/l/<n>-<slug>`, `/v/<handle>`, facts in `dl.facts`, `1.250,00 €`. */
export const pangolinProfile = defineProfile({
  id: 'pangolin',
  name: 'Pangolin (fixture)',
  hosts: [fixtureOnionHost('pangolin')],
  startUrls: ['/c/all/1'],
  links: {
    listing: ['^/l/\\d+-[a-z0-9-]+$'],
    vendor: ['^/v/[^/?#]+$'],
    pagination: ['^/c/all/\\d+$'],
  },
  decimalSeparator: ',',
  listing: {
    root: 'article.listing',
    id: { from: 'url', pattern: '^/l/([^/?#]+)$' },
    title: '[itemprop="name"]',
    description: { selector: '[itemprop="description"] p' },
    price: 'dl.facts dt:contains("Price") + dd',
    category: 'dl.facts dt:contains("Section") + dd',
    shipsFrom: 'dl.facts dt:contains("Origin") + dd',
    shipsTo: { selector: 'dl.facts dt:contains("Destinations") + dd', split: '\\s*;\\s*' },
    vendor: 'dl.facts a[rel="author"]',
  },
  vendor: {
    root: 'article.profile',
    handle: 'header h1',
    rating: { selector: 'p.score', pattern: 'Rating:\\s*([\\d,]+)' },
    sales: { selector: 'p.score', pattern: '\\(([\\d.]+) orders\\)' },
    shipsFrom: { selector: 'p.score', pattern: '·\\s*(.+)$' },
    pgp: 'details .key',
    addresses: 'dl.wallets',
    contacts: 'dl.contact',
  },
  pages: {
    login: [{ selector: 'form[action="/login"] input[type="password"]' }],
    captcha: [{ selector: 'form[action="/captcha"]' }, { selector: 'img[alt="CAPTCHA"]' }],
    queue: [{ text: 'Warteschlange' }],
  },
});
