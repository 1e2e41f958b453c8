/** The plain types shared by every room of wildtrace. */
export * from './chain.js';
export * from './address.js';
export * from './tx.js';
export * from './transfer.js';
export * from './market.js';
export * from './tag.js';
export * from './evidence.js';
export * from './entity.js';
export * from './flag.js';
export * from './errors.js';
export * from './json.js';
export * from './redact.js';
export * from './snapshot.js';
