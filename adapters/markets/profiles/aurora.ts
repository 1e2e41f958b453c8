/** Profile of the Aurora fixture market (classic table markup; see adapters/markets/fixtures/aurora.ts). */
import { fixtureOnionHost } from '../fixtures/onion.js';
import { defineProfile } from '../profile.js';

/** Aurora: `/listings?page=N`, `/item/<id>`, `/vendor/<handle>`, facts in `table.item-details`. */
export const auroraProfile = defineProfile({
  id: 'aurora',
  name: 'Aurora Market (fixture)',
  hosts: [fixtureOnionHost('aurora')],
  startUrls: ['/listings?page=1'],
  links: {
    listing: ['^/item/\\d+$'],
    vendor: ['^/vendor/[^/?#]+$'],
    pagination: ['^/listings\\?page=\\d+$'],
    avoid: ['/buy$', '^/logout'],
  },
  listing: {
    root: '#content',
    id: { from: 'url', pattern: '^/item/(\\d+)$' },
    title: 'h1.item-title',
    description: '.item-desc',
    price: 'table.item-details td.price',
    category: 'table.item-details th:contains("Category") + td',
    shipsFrom: 'table.item-details th:contains("Ships from") + td',
    shipsTo: { selector: 'table.item-details th:contains("Ships to") + td', split: '\\s*,\\s*' },
    vendor: 'a.vendor-link',
  },
  vendor: {
    root: '#content',
    handle: 'h1.vendor-name',
    rating: '.vendor-stats .rating',
    sales: '.vendor-stats .sales',
    shipsFrom: { selector: '.vendor-stats', pattern: 'Ships from (.+)$' },
    pgp: 'pre.pgp',
    addresses: 'ul.payment',
    contacts: 'ul.contacts',
  },
  pages: {
    login: [{ selector: 'form#login-form' }],
    captcha: [{ selector: 'form#captcha-form' }, { selector: 'img.captcha-image' }],
    queue: [{ selector: '.queue-notice' }, { text: 'you are in the queue' }],
  },
});
