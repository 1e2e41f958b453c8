/**
 * wildtrace: investigate wildlife trafficking on darknet markets and the cryptocurrency that
 * pays for it. This module is the public API; it only re-exports.
 *
 * @packageDocumentation
 */
export * from './model/index.js';
export { Case, type CaseOpenOptions } from './case.js';
export {
  CaseStore,
  CaseBatch,
  Collection,
  type CollectionTypes,
  type RangeOptions,
  type StoreCodec,
  SCHEMA_VERSION,
  MODEL_COLLECTIONS,
  type CollectionName,
} from './store/index.js';
export { VERSION } from './version.js';
export * from './bitcoin/index.js';
export * from './ethereum/index.js';
export * from './addresses/index.js';
export * from './cluster/index.js';
export * from './market/index.js';
export * from './wildlife/index.js';
export * from './graph/index.js';
export * from './flow/index.js';
export * from './report/index.js';
