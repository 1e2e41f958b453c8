/** Ethereum clustering heuristics: deposit-address reuse, airdrop multi-participation. */
export * from './deposit-reuse.js';
export * from './airdrop.js';
export * from './case-links.js';
