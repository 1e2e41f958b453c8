/** The market room: listings, vendors, onion addresses, vendor linking. Re-exports only. */
export * from './crawl-policy.js';
export * from './onion.js';
export * from './pgp.js';
export * from './linking/index.js';
