/** The bitcoin room (see ../../../shared/DESIGN.md). Re-exports only. */
export * from './network.js';
export * from './address.js';
export { classifyScript, type ClassifiedScript } from './script.js';
export * from './decode.js';
export * from './heuristics/index.js';
export * from './source.js';
export * from './ingest.js';
export {
  bitcoinOutput,
  bitcoinSpender,
  bitcoinAddressTxs,
  type BitcoinIndexedOutput,
  type BitcoinSpender,
  type BitcoinAddressTxRef,
} from './indexes.js';
export * from './compact-size.js';
