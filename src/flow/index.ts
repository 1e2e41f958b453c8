/** The flow room: taint policies, flow tracing, flags and risk scores. Re-exports only. */
export * from './distribute.js';
export * from './spend-graph.js';
export * from './trace-utxo.js';
export * from './trace-account.js';
export * from './wildlife-flags.js';
export * from './flag-view.js';
export * from './case-spend-graph.js';
