/** Vendor linking: handles across markets → persons, with evidence. */
export * from './handle.js';
export * from './link-vendors.js';
