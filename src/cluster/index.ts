/** The cluster room (see ../../../shared/DESIGN.md). Re-exports only. */
export * from './errors.js';
export * from './union-find.js';
export * from './provenance.js';
export * from './engine.js';
export * from './address-table.js';
export * from './tx-runner.js';
export * from './cluster-addresses.js';
export * from './case-clustering.js';
export * from './cluster-links.js';
export * from './vendor-bridge.js';
