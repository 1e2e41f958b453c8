/** The market room: listings, vendors, onion addresses, vendor linking, snapshots and listing tracks, prices and rates. Re-exports only. */
export * from './crawl-policy.js';
export * from './onion.js';
export * from './pgp.js';
export * from './linking/index.js';
export * from './decimal.js';
export * from './snapshots.js';
export * from './sightings.js';
export * from './tracks.js';
export * from './rates.js';
