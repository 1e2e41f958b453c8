/**
 * The generic profile: a starting point for a market nobody has written a profile for.
 *
 * Link rules cover the URL shapes markets commonly use (`/item/…`, `/listing/…`, `/product.php?id=`,
 * `/vendor/…`, `/seller.php?u=`, `?page=N`, `/page/N`). Field rules are minimal (the record id
 * and handle from the URL, the title from the first `<h1>`/`<h2>`), and `heuristics` fills the rest from the page
 * content (heuristics.ts): price patterns, vendor-like labels, ratings, sales counts. PGP key
 * blocks, posted addresses and contacts are searched in the whole page. Numbers are read with
 * `decimalSeparator: 'auto'`.
 *
 * Expect the ids, titles, prices, vendor handles, PGP fingerprints, addresses and contacts;
 * categories and shipping need a real profile.
 */
import { defineProfile, type MarketProfile } from './profile.js';

/** Options of {@link genericProfile}. */
export interface GenericProfileOptions {
  /** market id (default: the first label of the first host) */
  readonly id?: string;
  readonly hosts: readonly string[];
  /** default `['/']` */
  readonly startUrls?: readonly string[];
}

const LISTING = [
  '^/(?:item|items|listing|listings|product|products|offer|offers|l|p)/[^/?#]+$',
  '(?:item|listing|product|offer|view)\\.php\\?(?:.*&)?(?:id|pid|item|listing|product)=[^&#]+',
  '[?&](?:listing|product|item)=[^&#]+',
];
const VENDOR = [
  '^/(?:v|vendor|vendors|seller|sellers|user|users|u|profile|store|shop)/[^/?#]+$',
  '(?:vendor|seller|user|profile|store)\\.php\\?(?:.*&)?(?:u|id|user|vendor|seller|name)=[^&#]+',
  '[?&](?:vendor|seller)=[^&#]+',
];
const PAGINATION = ['[?&](?:page|p|pg|start|offset)=\\d+', '/page/\\d+/?$', '^/(?:c|cat|category|categories|market|shop|browse|listings?|products?)(?:/[^/?#]+)*/\\d+/?$', '^/(?:c|cat|category|categories|market|shop|browse|listings?|products?)/?$'];
const AVOID = ['logout', 'signout', '/buy', 'cart', 'checkout', '/order', 'delete', '/report'];

/** A generic heuristic profile for an unknown market served under `hosts`. */
export function genericProfile(options: GenericProfileOptions): MarketProfile {
  const id = options.id ?? (options.hosts[0] ?? '').split('.')[0].toLowerCase().slice(0, 32);
  return defineProfile({
    id,
    name: `${id} (generic profile)`,
    hosts: options.hosts,
    startUrls: options.startUrls ?? ['/'],
    links: { listing: LISTING, vendor: VENDOR, pagination: PAGINATION, avoid: AVOID },
    heuristics: true,
    decimalSeparator: 'auto',
    listing: {
      id: { from: 'url', pattern: '[?&](?:id|pid|item|listing|product|offer|t|tid|topic|thread)=([^&#]+)|/([^/?#]+?)(?:\\.(?:php|html?))?$' },
      title: 'main h1, main h2, h1, h2',
    },
    vendor: {
      handle: { from: 'url', pattern: '[?&](?:u|user|vendor|seller|name|id)=([^&#]+)|/([^/?#]+?)(?:\\.(?:php|html?))?$' },
    },
    pages: {
      login: [{ selector: 'form input[type="password"]' }],
      captcha: [{ selector: 'img[src*="captcha" i]' }, { selector: 'input[name*="captcha" i]' }, { selector: '.g-recaptcha, .h-captcha, iframe[src*="captcha" i]' }, { text: '\\b(?:captcha|prove you are (?:a )?human|security check)\\b' }],
      // a few languages markets are written in: English, German, French, Spanish, Russian
      queue: [{ text: "\\b(?:ddos|you are in (?:the )?queue|waiting room|please wait while we (?:check|verify)|warteschlange|file d'attente|cola de espera)\\b|очеред" }],
    },
  });
}
