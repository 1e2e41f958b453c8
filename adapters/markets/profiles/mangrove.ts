/** Profile of the Mangrove fixture market (card markup; see adapters/markets/fixtures/mangrove.ts). */
import { fixtureOnionHost } from '../fixtures/onion.js';
import { defineProfile } from '../profile.js';

/** Mangrove: `/market/page/N`, `/product.php?id=<hex>`, `/seller.php?u=<handle>`, price in two spans. */
export const mangroveProfile = defineProfile({
  id: 'mangrove',
  name: 'Mangrove (fixture)',
  hosts: [fixtureOnionHost('mangrove')],
  startUrls: ['/market'],
  links: {
    listing: ['^/product\\.php\\?id=[0-9a-f]+$'],
    vendor: ['^/seller\\.php\\?u=[^&]+$'],
    pagination: ['^/market(?:/page/\\d+)?$'],
    avoid: ['^/cart\\.php', '^/logout'],
  },
  listing: {
    root: 'div.product[data-pid]',
    id: { from: 'url', pattern: '[?&]id=([0-9a-f]+)' },
    title: 'h2.product-name',
    description: '.product-body',
    price: '.price-box .amount',
    currency: '.price-box .ccy',
    category: '.badge.cat',
    shipsFrom: '.shipping .origin',
    shipsTo: { selector: '.shipping .dest', all: true },
    vendor: 'a.seller-link',
  },
  vendor: {
    root: '.seller-card',
    handle: 'h3.seller-name',
    rating: { selector: '.stars', attr: 'title', pattern: '^([\\d.]+) out of 5' },
    sales: '.seller-meta .n-sales',
    shipsFrom: '.seller-meta .loc',
    pgp: 'textarea.pgp-key',
    addresses: '.seller-about',
    contacts: '.seller-about',
  },
  pages: {
    login: [{ selector: 'form[action="/login"] input[type="password"]' }],
    captcha: [{ selector: 'form[action="/captcha"]' }, { text: 'prove you are human' }],
    queue: [{ selector: '.ddos-guard' }],
  },
});
