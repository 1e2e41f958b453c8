/** Bitcoin clustering heuristics: multi-input, CoinJoin detectors, change heuristics. */
export * from './tx-shape.js';
export * from './multi-input.js';
export * from './coinjoin/types.js';
export * from './coinjoin/equal-output.js';
export * from './coinjoin/wasabi1.js';
export * from './coinjoin/wasabi2.js';
export * from './coinjoin/whirlpool.js';
export * from './coinjoin/joinmarket.js';
export * from './coinjoin/detect.js';
export * from './change/types.js';
export * from './change/address-reuse.js';
export * from './change/one-time.js';
export * from './change/script-type.js';
export * from './change/round-number.js';
export * from './change/optimal.js';
export * from './change/peeling-chain.js';
export * from './change/compose.js';
